// `npm run demo`: the extension against the local DataStack emulator, for trying it without an account.
//
// By default it packages the extension into a VSIX, installs it with `code-server --install-extension`
// into a throwaway extensions folder, and serves the workbench with code-server on 127.0.0.1. With
// --desktop it opens desktop VS Code with the extension under development instead. Ctrl+C stops every
// process and server it started and removes its temporary folders.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { startEmulator, type Emulator } from '../test/emulator/index';
import { onCleanup, runMain, stopProcessGroup, trackProcessGroup } from './harness/cleanup';
import { ensureCodeServer, startCodeServer } from './harness/codeServer';
import { PROJECT_ROOT, buildExtension } from './harness/project';
import { CHROMIUM_PATH, ensureDebianPackages } from './harness/system';
import { installVsix, packageExtension, vsixFileName } from './harness/vsix';
import { demoGuide, demoSettings } from './demo/guide';
import { DEMO_USAGE, DemoUsageError, parseDemoArgs, type DemoOptions } from './demo/options';

const WORKSPACE_README = `# DataStack demo workspace

A throwaway folder that \`npm run demo\` created; it is removed when the demo stops.
Open the DataStack icon in the activity bar to sign in.
`;

/** Throws when `port` on `host` is taken, so the user learns which flag to change before anything starts. */
function ensurePortFree(port: number, flag: string, host = '127.0.0.1'): Promise<void> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) => {
      reject(new Error(`Port ${port} on ${host} is not available (${error.code ?? error.message}): choose another with ${flag}.`));
    });
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve()));
  });
}

/** Returns the path of `command` on the PATH, or undefined. */
function findOnPath(command: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, command);
    if (dir !== '' && existsSync(candidate)) {
      return candidate;
    }
  }
  return undefined;
}

async function createDemoFolder(): Promise<{ root: string; workspace: string; userDataDir: string; extensionsDir: string }> {
  const root = await mkdtemp(join(tmpdir(), 'datastack-demo-'));
  // Retries because processes of code-server can still be writing caches for a moment after it stops.
  onCleanup(() => rm(root, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 }));
  const folders = {
    root,
    workspace: join(root, 'workspace'),
    userDataDir: join(root, 'user-data'),
    extensionsDir: join(root, 'extensions'),
  };
  await mkdir(folders.workspace, { recursive: true });
  await writeFile(join(folders.workspace, 'README.md'), WORKSPACE_README);
  return folders;
}

async function startDemoEmulator(port: number): Promise<Emulator> {
  // The second address serves the sign-in pages that code-server opens through openExternal.
  const emulator = await startEmulator({ port, hosts: ['127.0.0.1', '127.0.0.2'] });
  onCleanup(() => emulator.close());
  return emulator;
}

/** Spawns a process in its own process group that the cleanups stop; resolves when it exits. */
function spawnTracked(command: string, args: string[]): Promise<number> {
  const child = spawn(command, args, { detached: true, stdio: 'ignore' });
  trackProcessGroup(child);
  const unregister = onCleanup(() => stopProcessGroup(child));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => {
      unregister();
      resolve(code ?? 1);
    });
  });
}

async function openChromium(url: string, profileDir: string): Promise<void> {
  if (process.env.DISPLAY === undefined && process.env.WAYLAND_DISPLAY === undefined) {
    console.log('--browser: no display (DISPLAY and WAYLAND_DISPLAY are unset), so open the URL in a browser yourself.');
    return;
  }
  ensureDebianPackages(['chromium']);
  void spawnTracked(CHROMIUM_PATH, [`--user-data-dir=${profileDir}`, '--no-first-run', '--new-window', url]).catch(
    (error: unknown) => console.log(`--browser: Chromium failed to start: ${String(error)}`),
  );
}

/** Runs the demo in code-server with the packaged VSIX installed; returns only on failure. */
async function runOnCodeServer(options: DemoOptions): Promise<number> {
  if (options.port !== 0) {
    await ensurePortFree(options.port, '--port');
  }
  if (options.emulatorPort !== 0) {
    await ensurePortFree(options.emulatorPort, '--emulator-port');
  }
  await ensureCodeServer();
  const folders = await createDemoFolder();

  console.log('packaging the extension and installing the VSIX into code-server');
  const vsix = packageExtension(join(folders.root, vsixFileName()));
  await installVsix(vsix, folders.extensionsDir, folders.userDataDir);

  const emulator = await startDemoEmulator(options.emulatorPort);
  const server = await startCodeServer({
    ...(options.port !== 0 ? { port: options.port } : {}),
    userDataDir: folders.userDataDir,
    extensionsDir: folders.extensionsDir,
    folder: folders.workspace,
    settings: demoSettings(emulator),
    // The emulator's sign-in page on 127.0.0.2 opens without code-server's "open external website?" dialog.
    trustedDomains: ['http://127.0.0.2:*'],
    logFile: join(folders.root, 'code-server.log'),
  });
  const url = `${server.url}?folder=${encodeURIComponent(folders.workspace)}`;
  console.log(demoGuide(emulator, `Open the workbench (code-server, VS Code 1.100 in the browser): ${url}`));
  console.log(`code-server log: ${server.logFile}; extension logs: ${join(folders.userDataDir, 'logs')}`);
  if (options.browser) {
    await openChromium(url, join(folders.root, 'chromium-profile'));
  }
  // Runs until Ctrl+C or SIGTERM, which runMain turns into the cleanups.
  return new Promise<number>(() => undefined);
}

/** Runs the demo in desktop VS Code with the extension under development; returns when VS Code exits. */
async function runOnDesktop(options: DemoOptions): Promise<number> {
  const code = findOnPath('code');
  if (code === undefined) {
    console.error(
      '--desktop needs desktop VS Code\'s `code` command on the PATH, and it was not found.\n' +
        'Install VS Code and put `code` on the PATH (in VS Code: "Shell Command: Install \'code\' command in PATH"),\n' +
        'or run `npm run demo` without --desktop to use the browser workbench (code-server).',
    );
    return 1;
  }
  if (options.emulatorPort !== 0) {
    await ensurePortFree(options.emulatorPort, '--emulator-port');
  }
  buildExtension();
  const folders = await createDemoFolder();
  const emulator = await startDemoEmulator(options.emulatorPort);
  await mkdir(join(folders.userDataDir, 'User'), { recursive: true });
  await writeFile(join(folders.userDataDir, 'User', 'settings.json'), JSON.stringify(demoSettings(emulator), null, 2));

  const exited = spawnTracked(code, [
    `--extensionDevelopmentPath=${PROJECT_ROOT}`,
    `--user-data-dir=${folders.userDataDir}`,
    `--extensions-dir=${folders.extensionsDir}`,
    '--new-window',
    '--wait',
    folders.workspace,
  ]);
  console.log(demoGuide(emulator, `Opened desktop VS Code (${code}) with the extension under development from ${PROJECT_ROOT}.`));
  console.log('Closing that VS Code window stops the demo. Ctrl+C stops the emulator, but the window stays open.');
  return exited;
}

runMain(async () => {
  let options;
  try {
    options = parseDemoArgs(process.argv.slice(2));
  } catch (error) {
    if (error instanceof DemoUsageError) {
      console.error(`${error.message}\n\n${DEMO_USAGE}`);
      return 2;
    }
    throw error;
  }
  if (options === 'help') {
    console.log(DEMO_USAGE);
    return 0;
  }
  return options.desktop ? runOnDesktop(options) : runOnCodeServer(options);
});
