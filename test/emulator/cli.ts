/**
 * Starts the emulator from the command line:
 *   npm run emulator -- --port 8787 [--host 127.0.0.1] [--delay-ms 3000] [--token-lifetime 3600]
 *                       [--latency-ms 0] [--auto-approve]
 * Prints one line with the URL, and stops on SIGINT or SIGTERM. Invalid flags exit with status 2.
 */
import { parseArgs } from 'node:util';

import { startEmulator, type EmulatorOptions } from './index';

const USAGE =
  'Usage: npm run emulator -- [--port 8787] [--host 127.0.0.1]... [--delay-ms 3000] ' +
  '[--token-lifetime 3600] [--latency-ms 0] [--auto-approve]';

/** An invalid command line; `main` prints it with the usage and exits with status 2. */
export class UsageError extends Error {}

function parseWholeNumber(flag: string, value: string | undefined, minimum: number, maximum: number): number | undefined {
  if (value === undefined) {
    return undefined;
  }
  const number = Number(value);
  if (!/^\d+$/.test(value) || number < minimum || number > maximum) {
    throw new UsageError(`Invalid --${flag} "${value}": expected a whole number from ${minimum} to ${maximum}.`);
  }
  return number;
}

export function parseCommandLine(args: string[]): EmulatorOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      strict: true,
      allowPositionals: false,
      options: {
        port: { type: 'string' },
        host: { type: 'string', multiple: true },
        'delay-ms': { type: 'string' },
        'token-lifetime': { type: 'string' },
        'latency-ms': { type: 'string' },
        'auto-approve': { type: 'boolean' },
      },
    }));
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }

  const options: EmulatorOptions = {};
  const port = parseWholeNumber('port', values.port, 0, 65_535);
  const delayMs = parseWholeNumber('delay-ms', values['delay-ms'], 0, 3_600_000);
  const tokenLifetime = parseWholeNumber('token-lifetime', values['token-lifetime'], 1, 31_536_000);
  const latencyMs = parseWholeNumber('latency-ms', values['latency-ms'], 0, 600_000);

  if (port !== undefined) options.port = port;
  if (values.host !== undefined) options.hosts = values.host;
  if (delayMs !== undefined) options.lifecycleDelayMs = delayMs;
  if (tokenLifetime !== undefined) options.accessTokenLifetimeSeconds = tokenLifetime;
  if (latencyMs !== undefined) options.latencyMs = latencyMs;
  if (values['auto-approve'] === true) options.autoApprove = true;
  return options;
}

async function main(): Promise<void> {
  let options: EmulatorOptions;
  try {
    options = parseCommandLine(process.argv.slice(2));
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`${error.message}\n${USAGE}`);
      process.exit(2);
    }
    throw error;
  }
  const emulator = await startEmulator(options);
  console.log(`DataStack emulator listening on ${emulator.urls.join(' and ')}`);

  const stop = (): void => {
    emulator.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error('DataStack emulator: closing failed:', error);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(`DataStack emulator failed to start: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
