// The API host of an SSO sign-in is checked before the browser opens, and a saved profile whose host the
// client rejects (as an older version could save) leaves the views signed out instead of throwing.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ExtensionTestApi } from '../../src/extension';
import { emulatorUrl } from './support/env';
import { ScriptedPrompts, resetSignIn, testApi, tokenRequests, useEmulatorForSignIn } from './support/sessionHarness';

const PROFILES_KEY = 'datastack.profiles.v1';

/** Matches an error by class name, because the extension's error classes are not the test bundle's. */
function named(name: string): (error: unknown) => boolean {
  return (error) => error instanceof Error && error.name === name;
}

suite('sign-in host check', () => {
  let api: ExtensionTestApi;
  let prompts: ScriptedPrompts;

  suiteSetup(async () => {
    api = await testApi();
    await useEmulatorForSignIn();
  });

  setup(async () => {
    prompts = new ScriptedPrompts();
    api.prompts.current = prompts;
    await resetSignIn(api, prompts);
  });

  teardown(async () => {
    await useEmulatorForSignIn();
    await resetSignIn(api, prompts);
  });

  test('SSO rejects host with a path', async () => {
    await vscode.workspace.getConfiguration('datastack').update('host', `${emulatorUrl()}/api/`, vscode.ConfigurationTarget.Global);
    const opened: string[] = [];
    api.session.sso.openBrowser = async (url) => {
      opened.push(url);
      return true;
    };
    const tokenRequestsBefore = await tokenRequests('authorization_code');

    await assert.rejects(api.session.service.signInWithSso(), (error: unknown) => {
      assert.ok(named('InvalidHostError')(error), String(error));
      assert.match((error as { reason: string }).reason, /must not contain a path/);
      return true;
    });

    assert.deepEqual(opened, [], 'the browser was opened for an invalid host');
    assert.equal(await tokenRequests('authorization_code'), tokenRequestsBefore, 'tokens were requested for an invalid host');
    assert.equal(api.session.service.profiles.length, 0);
    assert.equal(api.session.pendingSso(), undefined);
  });

  test('SSO normalizes the host', async () => {
    await vscode.workspace.getConfiguration('datastack').update('host', ` ${emulatorUrl()}/ `, vscode.ConfigurationTarget.Global);
    let opened = 0;
    api.session.sso.openBrowser = async () => {
      opened++;
      return true;
    };
    api.session.sso.callbackTimeoutMs = 200;

    await assert.rejects(api.session.service.signInWithSso(), (error: unknown) => !named('InvalidHostError')(error));

    assert.equal(opened, 1, 'a valid host with a trailing slash did not reach the browser');
  });

  test('saved profile with invalid host', async () => {
    prompts.inputs.push(emulatorUrl());
    prompts.validatedInputs.push('dapi-demo-admin');
    const profile = await api.session.service.signInWithToken();
    assert.ok(profile, 'the token sign-in returned no profile');
    const saved = api.session.globalState()[PROFILES_KEY] as { profiles: { id: string; host: string }[] };
    const damaged = { ...saved, profiles: saved.profiles.map((entry) => ({ ...entry, host: `${emulatorUrl()}/api/` })) };
    await api.session.writeGlobalStateDirectly(PROFILES_KEY, damaged);

    await api.session.service.reload();

    assert.equal(api.session.service.activeProfile?.id, profile.id);
    assert.equal(api.session.service.getClient(), undefined);
    assert.equal(api.session.service.getClient(), undefined);
    await vscode.commands.executeCommand('datastack.warehouses.refresh');
    await api.session.service.signOut(profile.id, { revoke: false });
    assert.equal(api.session.service.profiles.length, 0);
  });
});
