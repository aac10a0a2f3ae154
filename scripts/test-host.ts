// Runs the mocha suites of test/host inside a real VS Code extension host, against the emulator.
//
//   npm run test:host                 code-server 1.100 (web workbench) driven by headless Chromium
//   npm run test:host -- --electron   desktop VS Code through @vscode/test-electron
//   npm run test:host -- --vsix       code-server with the packaged VSIX installed, running only the
//                                     test/host/vsix*.test.ts suites against it
//
// Environment: DATASTACK_TEST_GREP (mocha grep), DATASTACK_HOST_TIMEOUT_SECONDS (default 300),
// DATASTACK_TEST_VERBOSE=1 (the whole browser console and code-server's log on stdout), VSCODE_EXECUTABLE (--electron only).
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { forwardConsole, launchBrowser } from './harness/browser';
import { onCleanup, runMain } from './harness/cleanup';
import { startCodeServer } from './harness/codeServer';
import { startTestEmulator } from './harness/emulator';
import { createRunFolders, readResults, report, suiteEnvironment, testSettings } from './harness/hostRun';
import { PROJECT_ROOT, buildExtension, bundleHostSuites } from './harness/project';
import { workbenchUrl } from './harness/workbench';
import { runOnElectron } from './harness/electron';
import { installVsix, packageExtension, vsixFileName } from './harness/vsix';

// Lines the suites' reporter (test/host/index.ts) prints start with this; the rest is workbench noise.
const REPORT_MARKER = 'datastack-test| ';
const verbose = process.env.DATASTACK_TEST_VERBOSE === '1';
const timeoutMs = Number(process.env.DATASTACK_HOST_TIMEOUT_SECONDS ?? '300') * 1000;

/**
 * Writes an extension with no code to load as the development extension: VS Code runs
 * `extensionTestsPath` only together with an `extensionDevelopmentPath`, and this one leaves the
 * installed VSIX as the only DataStack extension.
 */
async function writeRunnerExtension(root: string): Promise<string> {
  const dir = join(root, 'runner-extension');
  await mkdir(dir, { recursive: true });
  const manifest = {
    name: 'vsix-test-runner',
    publisher: 'datastack-test',
    version: '0.0.0',
    engines: { vscode: '^1.100.0' },
  };
  await writeFile(join(dir, 'package.json'), JSON.stringify(manifest, null, 2));
  return dir;
}

async function runOnCodeServer(testsPath: string, vsix: string | undefined): Promise<number> {
  const emulator = await startTestEmulator();
  const folders = await createRunFolders(vsix === undefined ? 'datastack-host-' : 'datastack-vsix-');
  let developmentPath = PROJECT_ROOT;
  const env = suiteEnvironment(emulator, folders.resultsFile, 'code-server');
  if (vsix !== undefined) {
    await installVsix(vsix, folders.extensionsDir, folders.userDataDir);
    console.log(`installed ${vsix} into ${folders.extensionsDir}`);
    developmentPath = await writeRunnerExtension(folders.root);
    env.DATASTACK_TEST_EXTENSIONS_DIR = folders.extensionsDir;
  }
  const server = await startCodeServer({
    userDataDir: folders.userDataDir,
    extensionsDir: folders.extensionsDir,
    folder: folders.workspace,
    env,
    settings: testSettings(emulator),
    // The last suite (test/host/secrets-trace.test.ts) searches the trace-level logs for secrets.
    logLevel: 'trace',
  });
  const { browser } = await launchBrowser();
  const page = await browser.newPage();

  let exitCode = 1;
  const exited = new Promise<number>((resolve) => {
    void page.exposeFunction('codeAutomationExit', (code: number) => resolve(code));
  });
  const consoleLog = createWriteStream(join(folders.root, 'browser-console.log'));
  onCleanup(() => new Promise<void>((resolve) => consoleLog.end(resolve)));
  forwardConsole(page, (line) => {
    consoleLog.write(`${line}\n`);
    const marker = line.indexOf(REPORT_MARKER);
    if (marker >= 0) {
      console.log(line.slice(marker + REPORT_MARKER.length));
    } else if (verbose) {
      console.log(`  | ${line}`);
    }
  });
  await page.goto(
    workbenchUrl(server, { folder: folders.workspace, extensionDevelopmentPath: developmentPath, extensionTestsPath: testsPath }),
  );
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  const outcome = await Promise.race([exited, timedOut]);
  clearTimeout(timer);
  if (outcome === 'timeout') {
    console.log(`host suites timed out after ${timeoutMs / 1000} s; code-server log: ${server.logFile}`);
  } else {
    exitCode = outcome;
  }

  const results = readResults(folders.resultsFile);
  const label = vsix === undefined ? 'host tests (code-server)' : 'host tests (code-server, installed VSIX)';
  const code = report(outcome === 'timeout' ? undefined : results, exitCode, label);
  if (code === 0) {
    // code-server writes caches into the user-data folder until it stops, which can make the removal fail.
    await browser.close();
    await server.stop();
    await folders.remove();
  } else {
    console.log(`kept the run's folders (browser-console.log, user-data/code-server.log): ${folders.root}`);
  }
  return code;
}

runMain(async () => {
  const electron = process.argv.includes('--electron');
  if (process.argv.includes('--vsix')) {
    const folder = await mkdtemp(join(tmpdir(), 'datastack-vsix-package-'));
    onCleanup(() => rm(folder, { recursive: true, force: true }));
    const vsix = packageExtension(join(folder, vsixFileName()));
    return runOnCodeServer(await bundleHostSuites('vsix'), vsix);
  }
  buildExtension();
  const testsPath = await bundleHostSuites();
  return electron ? runOnElectron(testsPath) : runOnCodeServer(testsPath, undefined);
});
