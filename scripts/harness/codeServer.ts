// Installs code-server (a complete VS Code server and web workbench from the npm registry) into a cache
// outside the clone, and starts it for the host and UI tests.
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, readFileSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { onCleanup, stopProcessGroup, trackProcessGroup } from './cleanup';
import { freePort } from './ports';
import { RIPGREP_PATH, ensureDebianPackages } from './system';

/** code-server 4.100.3 ships VS Code 1.100.3, the oldest version `engines.vscode` allows. */
export const CODE_SERVER_VERSION = '4.100.3';

// @vscode/ripgrep 1.15.11 (a dependency of code-server's VS Code) downloads this file from GitHub during
// its install unless it finds it in its cache folder under os.tmpdir().
const RIPGREP_PACKAGE_VERSION = '1.15.11';
const RIPGREP_ASSET = 'ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz';

/** Cache root shared by every clone: `$DATASTACK_TEST_CACHE`, else `$XDG_CACHE_HOME/datastack-vscode`. */
export function cacheRoot(): string {
  return (
    process.env.DATASTACK_TEST_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'datastack-vscode')
  );
}

export function codeServerDir(): string {
  return join(cacheRoot(), `code-server-${CODE_SERVER_VERSION}`);
}

function entryScript(dir: string): string {
  return join(dir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
}

/** Puts Debian's rg into the tarball that @vscode/ripgrep looks for, so its install needs no download. */
async function seedRipgrepCache(): Promise<void> {
  const cacheDir = join(tmpdir(), `vscode-ripgrep-cache-${RIPGREP_PACKAGE_VERSION}`);
  const tarball = join(cacheDir, RIPGREP_ASSET);
  if (existsSync(tarball)) {
    return;
  }
  await mkdir(cacheDir, { recursive: true });
  const staging = await mkdtemp(join(tmpdir(), 'datastack-rg-'));
  try {
    await copyFile(RIPGREP_PATH, join(staging, 'rg'));
    const partial = `${tarball}.partial-${process.pid}`;
    const tar = spawnSync('tar', ['-czf', partial, '-C', staging, 'rg'], { stdio: 'inherit' });
    if (tar.status !== 0) {
      throw new Error(`tar failed to write ${partial}`);
    }
    await rename(partial, tarball);
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

/** Environment for npm: drops the variables `npm run` sets for the calling project, so npm cannot mix them up. */
function installEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^(npm_package_|npm_lifecycle_|npm_config_local_prefix$|INIT_CWD$)/.test(key)) {
      env[key] = value;
    }
  }
  // code-server's postinstall runs `npm install` in lib/vscode: unsafe_perm lets it run as root, and
  // `yes` answers the `npx node-gyp` prompt of node-pty.
  return { ...env, npm_config_yes: 'true', npm_config_unsafe_perm: 'true' };
}

/** Runs `npm install code-server` in `dir` as its own process group, which the cleanups stop on a signal. */
function runNpmInstall(dir: string): Promise<number | null> {
  const npm = spawn(
    'npm',
    ['install', '--no-save', '--no-audit', '--no-fund', '--loglevel=error', `code-server@${CODE_SERVER_VERSION}`],
    { cwd: dir, env: installEnv(), stdio: ['ignore', 'inherit', 'inherit'], detached: true },
  );
  trackProcessGroup(npm);
  const unregister = onCleanup(() => stopProcessGroup(npm));
  return new Promise((resolve, reject) => {
    npm.once('error', reject);
    npm.once('exit', (code) => {
      unregister();
      resolve(code);
    });
  });
}

/** Removes install folders left by an install that was killed; their owner process no longer exists. */
async function removeStaleInstalls(root: string): Promise<void> {
  for (const name of await readdir(root)) {
    const match = /\.partial-(\d+)$/.exec(name);
    if (match === null) {
      continue;
    }
    let alive = true;
    try {
      process.kill(Number(match[1]), 0);
    } catch {
      alive = false;
    }
    if (!alive) {
      await rm(join(root, name), { recursive: true, force: true });
    }
  }
}

/**
 * Installs code-server into the cache when it is not there, and returns its entry script. The install goes
 * into a `.partial-<pid>` folder renamed into place at the end, so a killed install never looks complete.
 */
export async function ensureCodeServer(): Promise<string> {
  const dir = codeServerDir();
  if (existsSync(entryScript(dir))) {
    return entryScript(dir);
  }
  const nodeMajor = Number(process.versions.node.split('.')[0]);
  if (nodeMajor !== 20) {
    throw new Error(`code-server ${CODE_SERVER_VERSION} installs only on Node 20; this is Node ${process.versions.node}`);
  }
  ensureDebianPackages();
  await seedRipgrepCache();

  const root = cacheRoot();
  await mkdir(root, { recursive: true });
  await removeStaleInstalls(root);
  const partial = `${dir}.partial-${process.pid}`;
  await rm(partial, { recursive: true, force: true });
  await mkdir(partial);
  await writeFile(join(partial, 'package.json'), JSON.stringify({ name: 'code-server-cache', private: true }));
  const removePartial = onCleanup(() => rm(partial, { recursive: true, force: true }));

  const started = Date.now();
  console.log(`installing code-server ${CODE_SERVER_VERSION} into ${dir} (about 300 MB, once per machine)`);
  const status = await runNpmInstall(partial);
  if (status !== 0 || !existsSync(entryScript(partial))) {
    throw new Error(`npm install of code-server ${CODE_SERVER_VERSION} failed (exit code ${String(status)})`);
  }
  try {
    await rename(partial, dir);
  } catch (error) {
    // Another run finished the same install first: keep its copy.
    if (!existsSync(entryScript(dir))) {
      throw error;
    }
  }
  removePartial();
  await rm(partial, { recursive: true, force: true });
  console.log(`installed code-server in ${Math.round((Date.now() - started) / 1000)} s`);
  return entryScript(dir);
}

export interface CodeServerOptions {
  /** Port on 127.0.0.1; a free one when omitted. */
  port?: number;
  userDataDir: string;
  extensionsDir: string;
  /** Folder the workbench opens. */
  folder: string;
  /** Extra environment for the server and so for the extension host it starts. */
  env?: Record<string, string>;
  /** Written to `<userDataDir>/User/settings.json` before start. */
  settings?: Record<string, unknown>;
  /** Origins that `openExternal` may open without the "open the external website?" dialog. */
  trustedDomains?: string[];
  /** File receiving the server's stdout and stderr; `<userDataDir>/code-server.log` when omitted. */
  logFile?: string;
  /**
   * `--log` of code-server. VS Code's server hands it to the workbench as the default level of every log,
   * the extension host's output channels included.
   */
  logLevel?: 'trace' | 'debug' | 'info' | 'warn' | 'error';
}

export interface CodeServer {
  url: string;
  port: number;
  /** Authority of the remote extension host, for `vscode-remote://` URIs. */
  authority: string;
  logFile: string;
  stop(): Promise<void>;
}

function environmentFor(extra: Record<string, string> | undefined): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    // Variables of an enclosing VS Code or Electron would redirect the server's CLI and extension host.
    if (!key.startsWith('VSCODE_') && key !== 'ELECTRON_RUN_AS_NODE') {
      env[key] = value;
    }
  }
  return { ...env, ...extra };
}

async function waitUntilHealthy(url: string, exited: () => boolean, logFile: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exited()) {
      throw new Error(`code-server exited during start; its log:\n${tail(logFile)}`);
    }
    try {
      const response = await fetch(new URL('/healthz', url));
      if (response.ok) {
        return;
      }
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`code-server did not respond on ${url}healthz within ${timeoutMs / 1000} s; its log:\n${tail(logFile)}`);
}

/** Returns the last lines of a log file, for error messages. */
export function tail(file: string, lines = 40): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/** Starts code-server on 127.0.0.1 and waits until it responds; stop() ends its whole process group. */
export async function startCodeServer(options: CodeServerOptions): Promise<CodeServer> {
  const entry = await ensureCodeServer();
  const port = options.port ?? (await freePort());
  const logFile = options.logFile ?? join(options.userDataDir, 'code-server.log');
  await mkdir(join(options.userDataDir, 'User'), { recursive: true });
  await mkdir(options.extensionsDir, { recursive: true });
  if (options.settings !== undefined) {
    await writeFile(join(options.userDataDir, 'User', 'settings.json'), JSON.stringify(options.settings, null, 2));
  }

  const args = [
    entry,
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${port}`,
    '--config', join(options.userDataDir, 'code-server.yaml'),
    '--disable-telemetry',
    '--disable-workspace-trust',
    '--disable-update-check',
    '--user-data-dir', options.userDataDir,
    '--extensions-dir', options.extensionsDir,
  ];
  if (options.logLevel !== undefined) {
    args.push('--log', options.logLevel);
  }
  for (const domain of options.trustedDomains ?? []) {
    args.push('--link-protection-trusted-domains', domain);
  }
  args.push(options.folder);

  const log = createWriteStream(logFile);
  const child = spawn(process.execPath, args, {
    detached: true,
    env: environmentFor(options.env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  trackProcessGroup(child);
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  if (process.env.DATASTACK_TEST_VERBOSE === '1') {
    child.stdout.pipe(process.stdout);
    child.stderr.pipe(process.stderr);
  }
  const stop = async () => {
    await stopProcessGroup(child);
    log.end();
  };
  const unregister = onCleanup(stop);

  const url = `http://127.0.0.1:${port}/`;
  try {
    await waitUntilHealthy(url, () => child.exitCode !== null || child.signalCode !== null, logFile);
  } catch (error) {
    unregister();
    await stop();
    throw error;
  }
  return {
    url,
    port,
    authority: `127.0.0.1:${port}`,
    logFile,
    stop: async () => {
      unregister();
      await stop();
    },
  };
}
