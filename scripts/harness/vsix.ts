// Packages the extension into a VSIX with vsce, checks what the VSIX contains, and installs it into a
// code-server extensions folder.
import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ensureCodeServer } from './codeServer';
import { PROJECT_ROOT } from './project';
import { ensureDebianPackages } from './system';

/** Largest VSIX the project accepts, in bytes (1 MiB). */
export const MAX_VSIX_BYTES = 1024 * 1024;

/** Returns `<name>-<version>.vsix`, the file name vsce gives the package, from package.json. */
export function vsixFileName(): string {
  const manifest = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { name: string; version: string };
  return `${manifest.name}-${manifest.version}.vsix`;
}

/**
 * Builds dist/extension.js for production and packages the extension with vsce into `outFile`
 * (default `<project>/<name>-<version>.vsix`). Returns the VSIX's path.
 */
export function packageExtension(outFile = join(PROJECT_ROOT, vsixFileName())): string {
  const build = spawnSync(process.execPath, ['esbuild.mjs', '--production'], { cwd: PROJECT_ROOT, stdio: 'inherit' });
  if (build.status !== 0) {
    throw new Error(`the production build failed (node esbuild.mjs --production exited with ${String(build.status)})`);
  }
  const vsce = join(PROJECT_ROOT, 'node_modules', '.bin', 'vsce');
  const result = spawnSync(vsce, ['package', '--no-dependencies', '--out', outFile], {
    cwd: PROJECT_ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
  });
  if (result.status !== 0) {
    throw new Error(`vsce package failed with exit code ${String(result.status)}:\n${result.stdout}`);
  }
  return outFile;
}

/** Lists the paths inside a VSIX (a zip file) with `unzip -Z1`. */
export function listVsixEntries(vsix: string): string[] {
  ensureDebianPackages(['unzip']);
  const result = spawnSync('unzip', ['-Z1', vsix], { encoding: 'utf8' });
  if (result.status !== 0) {
    throw new Error(`unzip -Z1 ${vsix} failed with exit code ${String(result.status)}: ${result.stderr}`);
  }
  return result.stdout.split('\n').filter((line) => line !== '');
}

// Paths allowed under `extension/` in the VSIX. vsce renames README.md, CHANGELOG.md and LICENSE to
// readme.md, changelog.md and LICENSE.txt.
const ALLOWED_EXTENSION_FILES = [
  /^dist\/[^/]+\.js$/,
  /^media\/.+/,
  /^readme\.md$/,
  /^changelog\.md$/,
  /^LICENSE\.txt$/,
  /^package\.json$/,
  /^package\.nls(\.[\w-]+)?\.json$/,
  /^l10n\/bundle\.l10n(\.[\w-]+)?\.json$/,
];

// Files vsce writes at the top of every VSIX.
const VSIX_METADATA = new Set(['extension.vsixmanifest', '[Content_Types].xml']);

const REQUIRED_EXTENSION_FILES = ['dist/extension.js', 'package.json', 'readme.md', 'changelog.md', 'LICENSE.txt'];

/**
 * Returns one problem per entry that must not ship (sources, tests, source maps, node_modules, anything
 * outside the allowed list), per missing required file, and when the size exceeds MAX_VSIX_BYTES.
 * An empty list means the VSIX is fine.
 */
export function vsixContentProblems(entries: readonly string[], sizeBytes: number): string[] {
  const problems: string[] = [];
  const files = new Set<string>();
  for (const entry of entries) {
    if (VSIX_METADATA.has(entry) || entry.endsWith('/')) {
      continue;
    }
    if (!entry.startsWith('extension/')) {
      problems.push(`unexpected top-level entry: ${entry}`);
      continue;
    }
    const file = entry.slice('extension/'.length);
    files.add(file);
    if (file.endsWith('.map') || file.endsWith('.ts') || /(^|\/)(node_modules|src|test|scripts|out)\//.test(file)) {
      problems.push(`must not ship: ${entry}`);
    } else if (!ALLOWED_EXTENSION_FILES.some((pattern) => pattern.test(file))) {
      problems.push(`not in the allowed list: ${entry}`);
    }
  }
  for (const required of REQUIRED_EXTENSION_FILES) {
    if (!files.has(required)) {
      problems.push(`missing: extension/${required}`);
    }
  }
  if (sizeBytes > MAX_VSIX_BYTES) {
    problems.push(`size ${sizeBytes} bytes exceeds the limit of ${MAX_VSIX_BYTES} bytes`);
  }
  return problems;
}

/** Lists the VSIX's entries and returns its problems (see vsixContentProblems) with its size. */
export function checkVsix(vsix: string): { entries: string[]; sizeBytes: number; problems: string[] } {
  const entries = listVsixEntries(vsix);
  const sizeBytes = statSync(vsix).size;
  return { entries, sizeBytes, problems: vsixContentProblems(entries, sizeBytes) };
}

/**
 * Installs a VSIX with `code-server --install-extension` into `extensionsDir`, as a user installs it.
 * Throws with code-server's output when the install fails.
 */
export async function installVsix(vsix: string, extensionsDir: string, userDataDir: string): Promise<void> {
  const entry = await ensureCodeServer();
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    // Variables of an enclosing VS Code would redirect code-server's CLI.
    if (!key.startsWith('VSCODE_') && key !== 'ELECTRON_RUN_AS_NODE') {
      env[key] = value;
    }
  }
  const result = spawnSync(
    process.execPath,
    [entry, '--extensions-dir', extensionsDir, '--user-data-dir', userDataDir, '--install-extension', vsix, '--force'],
    { env, encoding: 'utf8', timeout: 120_000 },
  );
  const output = `${result.stdout}${result.stderr}`;
  if (result.status !== 0 || !/was successfully installed/.test(output)) {
    throw new Error(`code-server --install-extension ${vsix} failed (exit code ${String(result.status)}):\n${output}`);
  }
}
