// Cleanup registry for the test scripts: every server, browser and child process a script starts registers
// a stop function here, and runMain() runs them on success, on failure, on Ctrl+C and on SIGTERM.
import { spawn, type ChildProcess } from 'node:child_process';

type Cleanup = () => Promise<void> | void;

const cleanups: Cleanup[] = [];
const processGroups = new Set<number>();
let cleaning: Promise<void> | undefined;

/** Registers a stop function; functions run in reverse order of registration. Returns an unregister function. */
export function onCleanup(cleanup: Cleanup): () => void {
  cleanups.push(cleanup);
  return () => {
    const index = cleanups.indexOf(cleanup);
    if (index >= 0) {
      cleanups.splice(index, 1);
    }
  };
}

/** Runs every registered stop function once, newest first; errors are printed, not thrown. */
export function runCleanups(): Promise<void> {
  cleaning ??= (async () => {
    while (cleanups.length > 0) {
      const cleanup = cleanups.pop();
      try {
        await cleanup?.();
      } catch (error) {
        console.error(`cleanup failed: ${String(error)}`);
      }
    }
  })().finally(() => {
    cleaning = undefined;
  });
  return cleaning;
}

/**
 * Tracks a child started with `detached: true` (so it leads its own process group) until it exits.
 * On a synchronous process exit the whole group gets SIGKILL, so no grandchild outlives the script.
 */
export function trackProcessGroup(child: ChildProcess): void {
  const pid = child.pid;
  if (pid === undefined) {
    return;
  }
  processGroups.add(pid);
  child.once('exit', () => processGroups.delete(pid));
  startWatchdog(pid);
}

/**
 * Starts a shell that kills the process group `groupId` once this process is gone, even when it was killed
 * with SIGKILL (which runs no handler: node's test runner ends a test file's process that way). The shell
 * ends by itself when the group is gone.
 */
function startWatchdog(groupId: number): void {
  const script = [
    `while kill -0 ${process.pid} 2>/dev/null && kill -0 -${groupId} 2>/dev/null; do sleep 1; done`,
    `kill -KILL -${groupId} 2>/dev/null`,
    'exit 0',
  ].join('\n');
  const watchdog = spawn('sh', ['-c', script], { detached: true, stdio: 'ignore' });
  watchdog.unref();
}

/** Sends a signal to a process group, ignoring a group that is already gone. */
export function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') {
      throw error;
    }
  }
}

/** Stops a tracked process group: SIGTERM, then SIGKILL after `graceMs` if the leader has not exited. */
export async function stopProcessGroup(child: ChildProcess, graceMs = 5000): Promise<void> {
  const pid = child.pid;
  if (pid === undefined) {
    return;
  }
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) {
      resolve();
    } else {
      child.once('exit', () => resolve());
    }
  });
  signalGroup(pid, 'SIGTERM');
  const timer = setTimeout(() => signalGroup(pid, 'SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
  // The leader is gone; grandchildren that ignored SIGTERM still share the group id.
  signalGroup(pid, 'SIGKILL');
  processGroups.delete(pid);
}

process.on('exit', () => {
  for (const pid of processGroups) {
    signalGroup(pid, 'SIGKILL');
  }
});

/**
 * Makes SIGINT and SIGTERM run the cleanups before exiting, for processes that do not use runMain() (the
 * node:test files of the UI tests). Safe to call more than once.
 */
export function cleanupOnSignals(): void {
  if (signalsHandled) {
    return;
  }
  signalsHandled = true;
  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
    process.once(signal, () => {
      void runCleanups().finally(() => process.exit(code));
    });
  }
}

let signalsHandled = false;
let interrupted = false;

/** Returns true once SIGINT or SIGTERM has started the cleanups of a runMain() script. */
export function isInterrupted(): boolean {
  return interrupted;
}

/**
 * Runs a script's main function, then its cleanups, and exits with main's code. SIGINT, SIGTERM and an
 * uncaught error also run the cleanups before exiting (130, 143 and 1).
 */
export function runMain(main: () => Promise<number>): void {
  const exitAfterCleanup = (code: number) => {
    void runCleanups().finally(() => process.exit(code));
  };
  const interrupt = (signal: NodeJS.Signals, code: number) => {
    interrupted = true;
    console.error(`${signal}: stopping everything this script started`);
    exitAfterCleanup(code);
  };
  signalsHandled = true;
  process.once('SIGINT', () => interrupt('SIGINT', 130));
  process.once('SIGTERM', () => interrupt('SIGTERM', 143));
  process.once('uncaughtException', (error) => {
    console.error(error);
    exitAfterCleanup(1);
  });
  process.once('unhandledRejection', (error) => {
    console.error(error);
    exitAfterCleanup(1);
  });
  main().then(
    (code) => exitAfterCleanup(code),
    (error: unknown) => {
      // After a signal, main fails because its browser and servers were stopped under it: not worth printing.
      if (!interrupted) {
        console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
        exitAfterCleanup(1);
      }
    },
  );
}
