import * as assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { ExtensionTestApi } from '../../src/extension';
import { emulatorUrl } from './support/env';
import {
  ScriptedPrompts,
  emulatorControl,
  emulatorRequests,
  httpBrowser,
  newBrowserRecord,
  resetSignIn,
  testApi,
  useEmulatorForSignIn,
  waitFor,
} from './support/sessionHarness';

/** Returns the `logs` folder that contains `uri`, e.g. `<user-data>/logs`, so every log of the run is searched. */
function logsRoot(uri: vscode.Uri): string {
  const path = uri.fsPath;
  const index = path.lastIndexOf(`${'/'}logs${'/'}`);
  return index >= 0 ? path.slice(0, index + '/logs'.length) : path;
}

async function readTree(dir: string): Promise<{ files: number; text: string }> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  let text = '';
  let files = 0;
  for (const entry of entries) {
    if (entry.isFile()) {
      files++;
      text += await readFile(join(entry.parentPath, entry.name), 'utf8');
    }
  }
  return { files, text };
}

suite('session secrets', () => {
  let api: ExtensionTestApi;
  let prompts: ScriptedPrompts;

  suiteSetup(async () => {
    api = await testApi();
    await useEmulatorForSignIn();
  });

  teardown(async () => {
    await resetSignIn(api, prompts);
  });

  test('secrets stay out of logs, state and settings', async () => {
    prompts = new ScriptedPrompts();
    api.prompts.current = prompts;
    await resetSignIn(api, prompts);
    const secrets: string[] = ['dapi-demo-admin'];

    prompts.inputs.push(emulatorUrl());
    prompts.validatedInputs.push('dapi-demo-admin');
    await vscode.commands.executeCommand('datastack.signInWithToken');

    await emulatorControl('POST', 'config', { autoApprove: true });
    const browser = newBrowserRecord();
    api.session.sso.openBrowser = httpBrowser(browser, { deliverCallback: false });
    const signIn = Promise.resolve(api.session.service.signInWithSso());
    await waitFor(() => browser.callbackUrls.length === 1, 'the redirect');
    const callback = new URL(browser.callbackUrls[0] as string);
    secrets.push(callback.searchParams.get('code') ?? '', callback.searchParams.get('state') ?? '');
    prompts.validatedInputs.push(callback.toString());
    await api.session.pendingSso()?.pasteRedirectUrl();
    const profile = await signIn;
    assert.ok(profile);
    const first = JSON.parse((await api.session.storedSecret(profile.id)) ?? '{}') as { accessToken: string; refreshToken: string };
    secrets.push(first.accessToken, first.refreshToken);

    let offsetMs = 2500_000;
    api.session.setClock({ now: () => Date.now() + offsetMs });
    await api.session.service.getClient()?.call('listClusters', { query: { limit: 1 } });
    const second = JSON.parse((await api.session.storedSecret(profile.id)) ?? '{}') as { accessToken: string; refreshToken: string };
    secrets.push(second.accessToken, second.refreshToken);
    offsetMs = 0;
    await api.session.service.signOut(profile.id);
    await waitFor(async () => (await emulatorRequests()).some((entry) => entry.path === '/oauth2/revoke'), 'the revocation');

    assert.ok(secrets.every((secret) => secret.length >= 12), 'a secret of the run was not captured');
    assert.equal(new Set(secrets).size, secrets.length, 'refresh did not issue new tokens');

    const logs = await readTree(logsRoot(api.session.logUri));
    assert.ok(logs.files > 0, `no log file found under ${logsRoot(api.session.logUri)}`);
    assert.ok(logs.text.includes('[auth]'), `no sign-in log line found under ${logsRoot(api.session.logUri)}`);
    const places: [string, string][] = [
      ['the log files', logs.text],
      ['global state', JSON.stringify(api.session.globalState())],
      ['settings', JSON.stringify(vscode.workspace.getConfiguration())],
      ['the emulator request log', JSON.stringify(await emulatorRequests())],
    ];
    for (const [place, text] of places) {
      secrets.forEach((secret, index) => {
        assert.ok(!text.includes(secret), `secret #${index} of the run appears in ${place}`);
      });
    }
  });
});
