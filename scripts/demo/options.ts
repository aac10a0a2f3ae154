// Command line of `npm run demo`.
import { parseArgs } from 'node:util';

export const DEMO_USAGE = `Usage: npm run demo -- [options]

  --port N            port of code-server on 127.0.0.1 (default: a free port)
  --emulator-port N   port of the DataStack emulator on 127.0.0.1 and 127.0.0.2 (default: a free port)
  --no-browser        only print the workbench URL (the default)
  --browser           also open the workbench in Chromium (needs a display)
  --desktop           open desktop VS Code (\`code\` on the PATH) with the extension under development,
                      instead of code-server
  --help              print this text`;

/** An invalid command line; the demo prints it with the usage and exits with status 2. */
export class DemoUsageError extends Error {}

export interface DemoOptions {
  /** code-server port; 0 picks a free one. */
  port: number;
  /** Emulator port; 0 picks a free one. */
  emulatorPort: number;
  browser: boolean;
  desktop: boolean;
}

function parsePort(flag: string, value: string | undefined): number {
  if (value === undefined) {
    return 0;
  }
  const port = Number(value);
  if (!/^\d+$/.test(value) || port < 1 || port > 65_535) {
    throw new DemoUsageError(`Invalid --${flag} "${value}": expected a port number from 1 to 65535.`);
  }
  return port;
}

/** Parses the demo's arguments; returns 'help' for --help. Throws DemoUsageError on an invalid command line. */
export function parseDemoArgs(args: readonly string[]): DemoOptions | 'help' {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...args],
      strict: true,
      allowPositionals: false,
      options: {
        port: { type: 'string' },
        'emulator-port': { type: 'string' },
        browser: { type: 'boolean' },
        'no-browser': { type: 'boolean' },
        desktop: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    throw new DemoUsageError(error instanceof Error ? error.message : String(error));
  }
  if (values.help === true) {
    return 'help';
  }
  if (values.browser === true && values['no-browser'] === true) {
    throw new DemoUsageError('--browser and --no-browser exclude each other.');
  }
  if (values.desktop === true && (values.port !== undefined || values.browser === true)) {
    throw new DemoUsageError('--desktop opens desktop VS Code, so --port and --browser (which concern code-server) do not apply.');
  }
  const port = parsePort('port', values.port);
  const emulatorPort = parsePort('emulator-port', values['emulator-port']);
  if (port !== 0 && port === emulatorPort) {
    throw new DemoUsageError(`--port and --emulator-port are both ${port}: code-server and the emulator need different ports.`);
  }
  return { port, emulatorPort, browser: values.browser === true, desktop: values.desktop === true };
}
