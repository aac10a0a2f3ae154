// Starts the DataStack API emulator in this process for a test run, on free loopback ports.
import { join } from 'node:path';
import { onCleanup } from './cleanup';

/** The part of the emulator's `startEmulator()` result that the harness uses. */
export interface RunningEmulator {
  /** Base URL on 127.0.0.1, ending in `/`. */
  url: string;
  /** Base URL per listening host, e.g. `http://127.0.0.2:<port>/` for pages the browser opens. */
  urls: Record<string, string>;
  close(): Promise<void>;
}

interface EmulatorModule {
  startEmulator(options: { port: number; hosts: string[] }): Promise<RunningEmulator>;
}

/**
 * Starts the emulator on 127.0.0.1 and 127.0.0.2 (the second address serves the pages a browser opens
 * through `openExternal`, which code-server would otherwise rewrite into its port-forwarding proxy).
 */
export async function startTestEmulator(): Promise<RunningEmulator> {
  // NOTE: loaded by path so this file typechecks while the emulator module is being written.
  const modulePath = join(__dirname, '..', '..', 'test', 'emulator', 'index');
  const { startEmulator } = (await import(modulePath)) as EmulatorModule;
  const emulator = await startEmulator({ port: 0, hosts: ['127.0.0.1', '127.0.0.2'] });
  const unregister = onCleanup(() => emulator.close());
  return {
    ...emulator,
    url: emulator.url,
    urls: emulator.urls,
    close: async () => {
      unregister();
      await emulator.close();
    },
  };
}
