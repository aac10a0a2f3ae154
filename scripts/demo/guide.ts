// Settings and the printed guide of `npm run demo`.
import type { Emulator } from '../../test/emulator/index';

/** Use of each demo token of the emulator's seed. Tokens missing here are printed with their scopes only. */
const TOKEN_USES: Record<string, string> = {
  'dapi-demo-admin': 'everything',
  'dapi-demo-reader': 'browse all four views; actions fail with a missing manage:* scope',
  'dapi-demo-sql': 'start and stop SQL warehouses; the other views show a missing scope',
  'dapi-demo-expired': 'see the message for an expired token',
};

/** Returns the OAuth URLs of the emulator: the authorization page on its second address (127.0.0.2). */
export function demoOAuthUrls(emulator: Emulator): { authorizationUrl: string; tokenUrl: string } {
  // code-server rewrites 127.0.0.1 URLs opened through openExternal into its port-forwarding proxy and
  // drops their path, so the page the browser opens must be on another loopback address.
  const pagesOrigin = emulator.urls[1] ?? emulator.url;
  return { authorizationUrl: `${pagesOrigin}/oauth2/authorize`, tokenUrl: `${emulator.url}/oauth2/token` };
}

/** User settings that point the extension at the emulator and turn off start-up noise. */
export function demoSettings(emulator: Emulator): Record<string, unknown> {
  const oauth = demoOAuthUrls(emulator);
  return {
    'datastack.host': emulator.url,
    'datastack.oauth.authorizationUrl': oauth.authorizationUrl,
    'datastack.oauth.tokenUrl': oauth.tokenUrl,
    'telemetry.telemetryLevel': 'off',
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'update.mode': 'none',
    'workbench.tips.enabled': false,
    // Without this, code-server's first start opens its own "Setup VS Code Web" walkthrough.
    'workbench.startupEditor': 'none',
    // Otherwise code-server lists every port any process on the machine opens under Forwarded Ports.
    'remote.autoForwardPorts': false,
  };
}

/** Returns the lines of each personal access token of the seed: its scopes (or `expired`) and its use. */
function tokenLines(emulator: Emulator): string[] {
  const lines: string[] = [];
  for (const record of emulator.state.tokens.values()) {
    if (record.kind !== 'personal') {
      continue;
    }
    const expired = record.expires_at !== null && record.expires_at <= Date.now();
    const scopes = expired ? 'expired' : record.scopes.join(' ');
    const use = TOKEN_USES[record.token];
    lines.push(`    ${record.token.padEnd(19)} ${scopes}${use === undefined ? '' : `\n    ${''.padEnd(19)} → ${use}`}`);
  }
  return lines;
}

/** Returns the guide printed once the demo runs: what to open and how to sign in. */
export function demoGuide(emulator: Emulator, opened: string): string {
  const oauth = demoOAuthUrls(emulator);
  return [
    '',
    `DataStack demo is running.`,
    '',
    `  ${opened}`,
    `  DataStack emulator: ${emulator.urls.join(' and ')}`,
    '',
    'Sign in: open the DataStack icon in the activity bar and choose "Sign In with Access Token",',
    'or run "DataStack: Sign In with Access Token" from the command palette (F1), and paste a token:',
    '',
    ...tokenLines(emulator),
    '',
    '"Sign In with SSO" opens the emulator\'s consent page',
    `(${oauth.authorizationUrl}); choose Approve. The tab then shows "You are signed in" and can be closed.`,
    '',
    'For a guided tour, run "Welcome: Open Walkthrough..." and pick "Get Started with DataStack".',
    'Press Ctrl+C to stop everything the demo started.',
    '',
  ].join('\n');
}
