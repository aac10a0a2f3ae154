// Paths of the project and builds shared by the test scripts.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join, relative } from 'node:path';
import * as esbuild from 'esbuild';

export const PROJECT_ROOT = join(__dirname, '..', '..');
export const HOST_SUITES_SOURCE = join(PROJECT_ROOT, 'test', 'host');
export const HOST_SUITES_OUT = join(PROJECT_ROOT, 'out', 'test', 'host');
/** Output of the installed-VSIX suites, apart from HOST_SUITES_OUT so both runs can exist at once. */
export const VSIX_SUITES_OUT = join(PROJECT_ROOT, 'out', 'test', 'host-vsix');

/** Builds dist/extension.js with the project's esbuild script. */
export function buildExtension(): void {
  const result = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: PROJECT_ROOT, stdio: 'inherit' });
  if (result.status !== 0) {
    throw new Error(`building the extension failed (node esbuild.mjs exited with ${String(result.status)})`);
  }
}

/** Lists files under `dir` (recursively) whose names end with `suffix`, as absolute paths, sorted. */
export function listFiles(dir: string, suffix: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith(suffix) && !name.split(/[\\/]/).includes('node_modules'))
    .sort()
    .map((name) => join(dir, name));
}

/** Returns whether a host suite is one of the installed-VSIX smoke suites (`test/host/vsix*.test.ts`). */
export function isVsixSuite(file: string): boolean {
  return /^vsix[^/\\]*\.test\.ts$/.test(relative(HOST_SUITES_SOURCE, file));
}

/**
 * Bundles test/host/index.ts and the host suites into out/test/host/, one file each, with `vscode` left to
 * the extension host and mocha loaded from node_modules. `vsix` selects the suites for the installed VSIX
 * (test/host/vsix*.test.ts) instead of all others. Returns the index's path.
 */
export async function bundleHostSuites(target: 'development' | 'vsix' = 'development'): Promise<string> {
  const suites = listFiles(HOST_SUITES_SOURCE, '.test.ts').filter((file) => isVsixSuite(file) === (target === 'vsix'));
  if (suites.length === 0) {
    throw new Error(`no host suite found: ${relative(PROJECT_ROOT, HOST_SUITES_SOURCE)}/**/*.test.ts`);
  }
  const outdir = target === 'vsix' ? VSIX_SUITES_OUT : HOST_SUITES_OUT;
  await rm(outdir, { recursive: true, force: true });
  await esbuild.build({
    entryPoints: [join(HOST_SUITES_SOURCE, 'index.ts'), ...suites],
    outdir,
    outbase: HOST_SUITES_SOURCE,
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    // undici loads from node_modules: test/host/support/sessionHarness.ts uses it outside VS Code's proxy support.
    external: ['vscode', 'mocha', 'undici'],
    sourcemap: 'inline',
    logLevel: 'warning',
  });
  return join(outdir, 'index.js');
}
