// Helpers of the sign-in host suites: the test API, scripted prompts, emulator controls and an SSO
// "browser" that follows the authorization URL over HTTP.
import { fetch as undiciFetch } from 'undici';
import * as vscode from 'vscode';
import type { InputCheckOutcome, UserPrompts } from '../../../src/core/prompts';
import type { ExtensionTestApi } from '../../../src/extension';
import { activateExtension, emulatorUrl } from './env';

export async function testApi(): Promise<ExtensionTestApi> {
  const exports = (await activateExtension()) as ExtensionTestApi | undefined;
  if (exports?.session === undefined) {
    throw new Error('activate() returned no test API: is the extension running in extension-test mode?');
  }
  await exports.session.service.ready();
  return exports;
}

/** One scripted input: the value typed, or undefined to dismiss the box. */
export type InputAnswer = string | undefined;

/**
 * Prompts that return queued values and record what the validated input boxes showed. An input box with
 * no queued value is dismissed, so a test that forgets one fails instead of hanging.
 */
export class ScriptedPrompts implements UserPrompts {
  readonly inputs: InputAnswer[] = [];
  /** Values typed, in order, into validated boxes. A box stays open while values are left. */
  readonly validatedInputs: InputAnswer[] = [];
  readonly picks: ((items: readonly vscode.QuickPickItem[]) => vscode.QuickPickItem | undefined)[] = [];
  /** Error messages the validated boxes showed. */
  readonly validationErrors: string[] = [];
  readonly inputOptions: vscode.InputBoxOptions[] = [];
  /** Options of the quick picks shown, in order. */
  readonly pickOptions: vscode.QuickPickOptions[] = [];

  async inputBox(options: vscode.InputBoxOptions): Promise<string | undefined> {
    this.inputOptions.push(options);
    const answer = this.inputs.shift();
    if (answer !== undefined && options.validateInput !== undefined) {
      const problem = await options.validateInput(answer);
      if (problem !== undefined && problem !== null) {
        throw new Error(`scripted input "${answer}" failed validation: ${typeof problem === 'string' ? problem : problem.message}`);
      }
    }
    return answer;
  }

  async quickPick<T extends vscode.QuickPickItem>(items: readonly T[], options: vscode.QuickPickOptions): Promise<T | undefined> {
    this.pickOptions.push(options);
    const pick = this.picks.shift();
    return pick === undefined ? undefined : (pick(items) as T | undefined);
  }

  async confirm(): Promise<boolean> {
    return false;
  }

  async saveDialog(): Promise<vscode.Uri | undefined> {
    return undefined;
  }

  async validatedInputBox<R>(options: vscode.InputBoxOptions, check: (value: string) => Promise<InputCheckOutcome<R>>): Promise<R | undefined> {
    this.inputOptions.push(options);
    for (;;) {
      const answer = this.validatedInputs.shift();
      if (answer === undefined) {
        return undefined;
      }
      const outcome = await check(answer);
      if ('result' in outcome) {
        return outcome.result;
      }
      this.validationErrors.push(outcome.error);
    }
  }
}

/** Picks the item whose label contains `text`. */
export function pickLabel(text: string): (items: readonly vscode.QuickPickItem[]) => vscode.QuickPickItem | undefined {
  return (items) => items.find((item) => item.label.includes(text));
}

/** Calls an emulator control endpoint (`/_emulator/...`) and returns its JSON. */
export async function emulatorControl(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<unknown> {
  const response = await fetch(`${emulatorUrl()}/_emulator/${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const json = (await response.json()) as unknown;
  if (!response.ok) {
    throw new Error(`emulator control ${method} ${path} failed with HTTP ${response.status}: ${JSON.stringify(json)}`);
  }
  return json;
}

export interface LoggedRequest {
  method: string;
  path: string;
  grantType: string | null;
  status: number | null;
  operation: string | null;
}

export async function emulatorRequests(): Promise<LoggedRequest[]> {
  return ((await emulatorControl('GET', 'requests')) as { requests: LoggedRequest[] }).requests;
}

/** Counts `POST /oauth2/token` requests of one grant type in the emulator's log. */
export async function tokenRequests(grantType: 'authorization_code' | 'refresh_token'): Promise<number> {
  return (await emulatorRequests()).filter((entry) => entry.path === '/oauth2/token' && entry.grantType === grantType).length;
}

/** Points the `datastack.oauth.*` and `datastack.host` settings at the emulator. */
export async function useEmulatorForSignIn(): Promise<void> {
  const config = vscode.workspace.getConfiguration('datastack');
  const url = emulatorUrl();
  await config.update('host', url, vscode.ConfigurationTarget.Global);
  await config.update('oauth.authorizationUrl', `${url}/oauth2/authorize`, vscode.ConfigurationTarget.Global);
  await config.update('oauth.tokenUrl', `${url}/oauth2/token`, vscode.ConfigurationTarget.Global);
}

/** Signs out of every profile and restores the seams. */
export async function resetSignIn(api: ExtensionTestApi, prompts: ScriptedPrompts | undefined): Promise<void> {
  for (const profile of [...api.session.service.profiles]) {
    await api.session.service.signOut(profile.id, { revoke: false });
  }
  api.session.resetSso();
  api.session.setClock(undefined);
  if (prompts !== undefined) {
    prompts.inputs.length = 0;
    prompts.validatedInputs.length = 0;
  }
  await emulatorControl('POST', 'reset');
}

/** What the SSO "browser" saw: every authorization URL and callback response. */
export interface BrowserRecord {
  readonly authorizeUrls: string[];
  readonly callbackStatuses: number[];
  /** Callback URLs with the code, for the paste test and the secret search; never logged. */
  readonly callbackUrls: string[];
}

/**
 * The test browser's HTTP client. It is the undici package, not the extension host's global `fetch`:
 * VS Code's proxy support wraps the global one and logs each URL at debug level, code and `state`
 * included, which a real browser outside the extension host would not do.
 */
const browserFetch = undiciFetch;

/**
 * Returns an `openBrowser` seam that acts as the browser: it requests the authorization URL, decides on
 * the consent page when there is one, and follows the redirect to the loopback listener unless
 * `deliverCallback` is false.
 */
export function httpBrowser(
  record: BrowserRecord,
  options: { decision?: 'approve' | 'deny'; deliverCallback?: boolean; open?: boolean } = {},
): (url: string) => Promise<boolean> {
  return async (url) => {
    record.authorizeUrls.push(url);
    if (options.open === false) {
      return false;
    }
    void (async () => {
      let response = await browserFetch(url, { redirect: 'manual' });
      if (response.status === 200) {
        const html = await response.text();
        const requestId = /name="request_id" value="([^"]+)"/.exec(html)?.[1];
        if (requestId === undefined) {
          throw new Error('the consent page has no request_id');
        }
        response = await browserFetch(new URL('/oauth2/authorize/decision', url), {
          method: 'POST',
          redirect: 'manual',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ request_id: requestId, decision: options.decision ?? 'approve' }).toString(),
        });
      }
      const location = response.headers.get('location');
      if (location === null) {
        throw new Error(`the authorization server answered HTTP ${response.status} without a redirect`);
      }
      record.callbackUrls.push(location);
      if (options.deliverCallback === false) {
        return;
      }
      const callback = await browserFetch(location, { redirect: 'manual' });
      record.callbackStatuses.push(callback.status);
    })().catch((error: unknown) => {
      record.callbackStatuses.push(-1);
      console.log(`SSO test browser failed: ${error instanceof Error ? error.message : String(error)}`);
    });
    return true;
  };
}

export function newBrowserRecord(): BrowserRecord {
  return { authorizeUrls: [], callbackStatuses: [], callbackUrls: [] };
}

/** Waits until `condition` holds, polling every 20 ms, or fails after `timeoutMs`. */
export async function waitFor(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
