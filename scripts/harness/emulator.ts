// Starts the DataStack API emulator in this process for a test run, on free loopback ports.
import { startEmulator, type Emulator, type EmulatorOptions } from '../../test/emulator/index';
import { onCleanup } from './cleanup';

export type RunningEmulator = Emulator;

/**
 * Starts the emulator on 127.0.0.1 and 127.0.0.2 and closes it with the script's cleanups. The second
 * address serves the pages a browser opens through `openExternal`: code-server rewrites 127.0.0.1 and
 * localhost URLs into its port-forwarding proxy and drops their path.
 */
export async function startTestEmulator(options: Omit<EmulatorOptions, 'port' | 'hosts'> = {}): Promise<Emulator> {
  const emulator = await startEmulator({ ...options, port: 0, hosts: ['127.0.0.1', '127.0.0.2'] });
  onCleanup(() => emulator.close());
  return emulator;
}
