// Debian packages the test stack needs, installed with apt-get when the script runs as root.
import { spawnSync } from 'node:child_process';

/**
 * Debian packages for building code-server's native modules (`build-essential python3 pkg-config` and the
 * `-dev` libraries), the browser the UI tests drive, and ripgrep, whose binary replaces the one that
 * `@vscode/ripgrep` would download during code-server's install.
 */
export const DEBIAN_PACKAGES = [
  'build-essential',
  'python3',
  'pkg-config',
  'libkrb5-dev',
  'libx11-dev',
  'libxkbfile-dev',
  'libsecret-1-dev',
  'chromium',
  'ripgrep',
] as const;

export const CHROMIUM_PATH = '/usr/bin/chromium';
export const RIPGREP_PATH = '/usr/bin/rg';

export class MissingSystemPackagesError extends Error {
  constructor(readonly packages: readonly string[], readonly command: string) {
    super(`missing Debian packages: ${packages.join(' ')}. Install them as root with:\n  ${command}`);
    this.name = 'MissingSystemPackagesError';
  }
}

function isInstalled(name: string): boolean {
  const result = spawnSync('dpkg-query', ['-W', '-f=${Status}', name], { encoding: 'utf8' });
  return result.status === 0 && result.stdout.includes('install ok installed');
}

function runApt(args: string[]): void {
  console.log(`$ apt-get ${args.join(' ')}`);
  const result = spawnSync('apt-get', args, {
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  if (result.status !== 0) {
    throw new Error(`apt-get ${args[0]} failed with exit code ${String(result.status)}`);
  }
}

/**
 * Installs the missing packages of `packages` with apt-get when running as root. Otherwise throws
 * MissingSystemPackagesError holding the command to run.
 */
export function ensureDebianPackages(packages: readonly string[] = DEBIAN_PACKAGES): void {
  const missing = packages.filter((name) => !isInstalled(name));
  if (missing.length === 0) {
    return;
  }
  const command = `apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y ${missing.join(' ')}`;
  if (process.getuid?.() !== 0) {
    throw new MissingSystemPackagesError(missing, `sudo sh -c '${command}'`);
  }
  console.log(`installing missing Debian packages: ${missing.join(' ')}`);
  runApt(['update']);
  runApt(['install', '-y', ...missing]);
}
