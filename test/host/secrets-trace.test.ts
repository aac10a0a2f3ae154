// The last host suite (test/host/index.ts runs it after all others). The run's code-server starts with
// `--log trace`, so every log, the "DataStack" channel included, is at Trace. This suite signs in once
// more itself, then searches the logs, settings, global and workspace state and the emulator's request
// log for every token, refresh token, code, PKCE verifier and `state` the emulator issued or received
// during the whole run.
import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import * as vscode from 'vscode';
import type { ExtensionTestApi } from '../../src/extension';
import type { IssuedSecretsSnapshot } from '../emulator/index';
import { emulatorUrl } from './support/env';
import {
  ScriptedPrompts,
  emulatorControl,
  emulatorRequests,
  httpBrowser,
  newBrowserRecord,
  resetSignIn,
  testApi,
  tokenRequests,
  useEmulatorForSignIn,
  waitFor,
} from './support/sessionHarness';

/** Returns the `logs` folder that contains `uri`, e.g. `<user-data>/logs`, so every log of the run is searched. */
function logsRoot(uri: vscode.Uri): string {
  const path = uri.fsPath;
  const index = path.lastIndexOf('/logs/');
  if (index < 0) {
    throw new Error(`the extension's log folder ${path} is not under a logs folder`);
  }
  return path.slice(0, index + '/logs'.length);
}

/** Returns each file under `dir` with its text. */
async function readTree(dir: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) {
      const path = join(entry.parentPath, entry.name);
      files.set(relative(dir, path), await readFile(path, 'utf8'));
    }
  }
  return files;
}

async function readIfPresent(path: string): Promise<string> {
  return existsSync(path) ? readFile(path, 'utf8') : '';
}

/** Signs in with SSO, refreshes once and signs out, so this suite issues every kind of secret itself. */
async function signInRefreshAndSignOut(api: ExtensionTestApi, prompts: ScriptedPrompts): Promise<void> {
  await emulatorControl('POST', 'config', { autoApprove: true });
  api.session.sso.openBrowser = httpBrowser(newBrowserRecord());
  const profile = await api.session.service.signInWithSso();
  assert.ok(profile, 'the SSO sign-in returned no profile');
  api.session.setClock({ now: () => Date.now() + 3_600_000 });
  await api.session.service.getClient()?.call('listClusters', { query: { limit: 1 } });
  assert.equal(await tokenRequests('refresh_token'), 1, 'the expired token was not refreshed once');
  api.session.setClock(undefined);
  await api.session.service.signOut(profile.id);
  await waitFor(async () => (await emulatorRequests()).some((entry) => entry.path === '/oauth2/revoke'), 'the revocation');

  prompts.inputs.push(emulatorUrl());
  prompts.validatedInputs.push('dapi-demo-admin');
  const pat = await api.session.service.signInWithToken();
  assert.ok(pat, 'the token sign-in returned no profile');
  await api.session.service.signOut(pat.id);
}

suite('secrets at trace level', () => {
  let api: ExtensionTestApi;
  let prompts: ScriptedPrompts;

  suiteSetup(async () => {
    api = await testApi();
    await useEmulatorForSignIn();
    prompts = new ScriptedPrompts();
    api.prompts.current = prompts;
  });

  suiteTeardown(async () => {
    await resetSignIn(api, prompts);
  });

  test('log channel runs at trace', async () => {
    assert.equal(api.session.log.logLevel, vscode.LogLevel.Trace, 'the DataStack log is not at Trace: does code-server run with --log trace?');
    const marker = `trace-marker-${randomBytes(8).toString('hex')}`;
    api.session.log.trace(marker);
    const root = logsRoot(api.session.logUri);
    await waitFor(
      async () => [...(await readTree(root)).values()].some((text) => text.includes(`[trace] ${marker}`)),
      'the trace line in a log file',
    );
  });

  test('no issued secret in logs or state', async function () {
    this.timeout(60_000);
    await resetSignIn(api, prompts);
    await signInRefreshAndSignOut(api, prompts);

    // A last trace line marks the end: once it is in the file, every earlier line is too.
    const marker = `secret-search-${randomBytes(8).toString('hex')}`;
    api.session.log.trace(marker);
    const root = logsRoot(api.session.logUri);
    await waitFor(async () => [...(await readTree(root)).values()].some((text) => text.includes(marker)), 'the end marker in a log file');

    const issued = (await emulatorControl('GET', 'issued-secrets')) as IssuedSecretsSnapshot;
    const secrets = Object.entries(issued).flatMap(([kind, values]) => (values as string[]).map((value, index) => ({ kind, index, value })));
    for (const kind of ['accessTokens', 'refreshTokens', 'personalAccessTokens', 'codes', 'verifiers', 'states'] as const) {
      assert.ok(issued[kind].length > 0, `the emulator lists no ${kind}`);
    }
    assert.ok(secrets.every((secret) => secret.value.length >= 8), 'a listed secret is too short to search for');

    const userDataDir = dirname(root);
    const workspace = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? '';
    const places = new Map<string, string>();
    for (const [file, text] of await readTree(root)) {
      places.set(`log file ${file}`, text);
    }
    places.set('the browser console', await readIfPresent(process.env.DATASTACK_TEST_BROWSER_CONSOLE_LOG ?? ''));
    places.set('user settings.json', await readIfPresent(join(userDataDir, 'User', 'settings.json')));
    places.set('workspace settings.json', await readIfPresent(join(workspace, '.vscode', 'settings.json')));
    places.set('the configuration', JSON.stringify(vscode.workspace.getConfiguration()));
    places.set('global state', JSON.stringify(api.session.globalState()));
    places.set('workspace state', JSON.stringify(api.session.workspaceState()));
    places.set('the emulator request log', JSON.stringify(await emulatorRequests()));
    assert.ok(places.size > 8, 'no log file was found');

    // The message names the kind and index of a leaked secret, never its value.
    const leaks: string[] = [];
    for (const [place, text] of places) {
      for (const secret of secrets) {
        if (text.includes(secret.value)) {
          leaks.push(`${secret.kind}[${secret.index}] in ${place}`);
        }
      }
    }
    assert.deepEqual(leaks, [], `${leaks.length} secret(s) of ${secrets.length} found`);
  });
});
