// Shared parts of the two host-test modes: the temporary folders, the suites' environment and the results.
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { RunningEmulator } from './emulator';

export interface HostRunFolders {
  root: string;
  workspace: string;
  userDataDir: string;
  extensionsDir: string;
  resultsFile: string;
  remove(): Promise<void>;
}

/** Creates a fresh temporary workspace, user-data and extensions folder for one run. */
export async function createRunFolders(prefix: string): Promise<HostRunFolders> {
  const root = await mkdtemp(join(tmpdir(), prefix));
  const folders = {
    root,
    workspace: join(root, 'workspace'),
    userDataDir: join(root, 'user-data'),
    extensionsDir: join(root, 'extensions'),
    resultsFile: join(root, 'results.json'),
    remove: () => rm(root, { recursive: true, force: true }),
  };
  await mkdir(folders.workspace);
  await writeFile(join(folders.workspace, 'README.md'), 'Workspace of a DataStack test run.\n');
  return folders;
}

/** User settings for a test run: the emulator as the API host and no start-up noise. */
export function testSettings(emulator: RunningEmulator): Record<string, unknown> {
  return {
    'datastack.host': emulator.url,
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'telemetry.telemetryLevel': 'off',
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'update.mode': 'none',
    'security.workspace.trust.enabled': false,
    // Otherwise code-server lists every port any process on the machine opens under Forwarded Ports.
    'remote.autoForwardPorts': false,
  };
}

/** Environment variables the suites read (see test/host/support/env.ts). */
export function suiteEnvironment(
  emulator: RunningEmulator,
  resultsFile: string,
  host: 'code-server' | 'electron',
): Record<string, string> {
  const env: Record<string, string> = {
    DATASTACK_TEST_HOST: host,
    DATASTACK_TEST_EMULATOR_URL: emulator.url,
    DATASTACK_TEST_EMULATOR_URLS: JSON.stringify(emulator.urls),
    DATASTACK_TEST_RESULTS_FILE: resultsFile,
    DATASTACK_TEST_BROWSER_CONSOLE_LOG: join(dirname(resultsFile), 'browser-console.log'),
  };
  if (process.env.DATASTACK_TEST_GREP !== undefined) {
    env.DATASTACK_TEST_GREP = process.env.DATASTACK_TEST_GREP;
  }
  return env;
}

export interface HostResults {
  passed: number;
  failed: number;
  skipped: number;
  tests: { title: string; state: string; error?: string }[];
}

/** Reads the results file written by test/host/index.ts; undefined when the suites never finished. */
export function readResults(file: string): HostResults | undefined {
  if (!existsSync(file)) {
    return undefined;
  }
  return JSON.parse(readFileSync(file, 'utf8')) as HostResults;
}

/**
 * Prints the closing `N passed, N failed` line and returns the exit code: 1 when the host failed, a test
 * failed, no test ran or no results were written.
 */
export function report(results: HostResults | undefined, hostExitCode: number, label: string): number {
  if (results === undefined) {
    console.log(`${label}: the suites wrote no results (host exit code ${hostExitCode})`);
    console.log('0 passed, 1 failed');
    return 1;
  }
  // A host that failed after the suites finished (e.g. a refused modal dialog) is one more failure.
  const hostFailed = hostExitCode !== 0 && results.failed === 0 ? 1 : 0;
  if (hostFailed === 1) {
    console.log(`${label}: the extension host exited with ${hostExitCode} although no test failed`);
  }
  const failed = results.failed + hostFailed;
  if (results.passed + failed === 0) {
    console.log(`${label}: no test ran`);
  }
  const skipped = results.skipped > 0 ? `, ${results.skipped} skipped` : '';
  console.log(`${results.passed} passed, ${failed} failed${skipped}`);
  return failed > 0 || results.passed === 0 ? 1 : 0;
}
