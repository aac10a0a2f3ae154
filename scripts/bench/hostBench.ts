// Runs the benchmark's host suites (test/bench-host) in code-server's extension host, one workbench page
// per run, with the harness of `npm run test:host`.
import { spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import type { Browser, BrowserContext } from 'playwright-core';
import { forwardConsole } from '../harness/browser';
import { onCleanup } from '../harness/cleanup';
import { type CodeServer, startCodeServer } from '../harness/codeServer';
import type { RunningEmulator } from '../harness/emulator';
import { type HostResults, type HostRunFolders, createRunFolders, readResults, suiteEnvironment, testSettings } from '../harness/hostRun';
import { PROJECT_ROOT } from '../harness/project';
import { ensureDebianPackages } from '../harness/system';
import { workbenchUrl } from '../harness/workbench';

/** One JSON line a benchmark suite wrote with `recordFigures`. */
export type FigureRecord = { kind: string } & Record<string, unknown>;

/**
 * Bundles test/host/index.ts (the mocha entry that VS Code loads) with one benchmark suite,
 * test/bench-host/<name>.test.ts, into out/bench/<name>/. Returns the entry's path.
 */
export async function bundleBenchSuite(name: string): Promise<string> {
  const outdir = join(PROJECT_ROOT, 'out', 'bench', name);
  await rm(outdir, { recursive: true, force: true });
  await esbuild.build({
    entryPoints: {
      index: join(PROJECT_ROOT, 'test', 'host', 'index.ts'),
      [`${name}.test`]: join(PROJECT_ROOT, 'test', 'bench-host', `${name}.test.ts`),
    },
    outdir,
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    external: ['vscode', 'mocha'],
    logLevel: 'warning',
  });
  return join(outdir, 'index.js');
}

/** Unpacks the VSIX's `extension/` folder into a temporary folder and returns its path. */
export async function unpackVsix(vsix: string): Promise<string> {
  ensureDebianPackages(['unzip']);
  const folder = await mkdtemp(join(tmpdir(), 'datastack-bench-extension-'));
  onCleanup(() => rm(folder, { recursive: true, force: true }));
  const result = spawnSync('unzip', ['-q', vsix, 'extension/*', '-d', folder], { encoding: 'utf8' });
  if (result.status !== 0) {
    throw new Error(`unzip ${vsix} failed with exit code ${String(result.status)}: ${result.stderr}`);
  }
  return join(folder, 'extension');
}

export interface BenchHost {
  /** Opens a new workbench page (so a new extension host) that runs one bundled suite, and waits for it. */
  runSuite(testsPath: string, timeoutMs: number): Promise<HostResults>;
  /** Every figure the suites recorded so far. */
  figures(): FigureRecord[];
  stop(): Promise<void>;
}

/** Starts code-server with `extensionPath` as the development extension and the emulator as API host. */
export async function startBenchHost(emulator: RunningEmulator, browser: Browser, extensionPath: string): Promise<BenchHost> {
  const folders = await createRunFolders('datastack-bench-');
  // A failed suite's folder stays, with browser-console.log and code-server's log.
  let failed = false;
  onCleanup(() => (failed ? undefined : folders.remove()));
  const outputFile = join(folders.root, 'figures.jsonl');
  const server = await startCodeServer({
    userDataDir: folders.userDataDir,
    extensionsDir: folders.extensionsDir,
    folder: folders.workspace,
    env: { ...suiteEnvironment(emulator, folders.resultsFile, 'code-server'), DATASTACK_BENCH_OUTPUT: outputFile },
    settings: testSettings(emulator),
  });
  // One browser profile for every page, as when a user opens new windows: each page gets a new extension
  // host, but global state and SecretStorage (both kept by the browser in code-server) carry over.
  const browserContext = await browser.newContext();
  onCleanup(() => browserContext.close());
  return {
    runSuite: async (testsPath, timeoutMs) => {
      try {
        return await runSuite(browserContext, server, folders, { extensionPath, testsPath, timeoutMs });
      } catch (error) {
        failed = true;
        throw error;
      }
    },
    figures: () =>
      existsSync(outputFile)
        ? readFileSync(outputFile, 'utf8')
            .split('\n')
            .filter((line) => line !== '')
            .map((line) => JSON.parse(line) as FigureRecord)
        : [],
    stop: () => server.stop(),
  };
}

async function runSuite(
  browserContext: BrowserContext,
  server: CodeServer,
  folders: HostRunFolders,
  run: { extensionPath: string; testsPath: string; timeoutMs: number },
): Promise<HostResults> {
  await rm(folders.resultsFile, { force: true });
  const page = await browserContext.newPage();
  const consoleLog = createWriteStream(join(folders.root, 'browser-console.log'), { flags: 'a' });
  try {
    const exited = new Promise<number>((resolve) => {
      void page.exposeFunction('codeAutomationExit', (code: number) => resolve(code));
    });
    forwardConsole(page, (line) => consoleLog.write(`${line}\n`));
    await page.goto(workbenchUrl(server, { folder: folders.workspace, extensionDevelopmentPath: run.extensionPath, extensionTestsPath: run.testsPath }));
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), run.timeoutMs);
    });
    const outcome = await Promise.race([exited, timedOut]);
    clearTimeout(timer);
    const results = readResults(folders.resultsFile);
    if (outcome === 'timeout' || results === undefined || results.failed > 0 || results.passed === 0) {
      const failures = results?.tests.filter((test) => test.state === 'failed').map((test) => `${test.title}\n${test.error ?? ''}`);
      throw new Error(
        `the benchmark suite ${run.testsPath} ${outcome === 'timeout' ? `timed out after ${run.timeoutMs / 1000} s` : 'failed'}` +
          `${failures !== undefined && failures.length > 0 ? `:\n${failures.join('\n')}` : ''}\nbrowser console: ${join(folders.root, 'browser-console.log')}`,
      );
    }
    return results;
  } finally {
    await page.close().catch(() => undefined);
    await new Promise<void>((resolve) => consoleLog.end(resolve));
  }
}
