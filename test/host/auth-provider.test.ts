import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { VIEW_READ_SCOPES } from '../../src/api/operations';
import type { ExtensionTestApi } from '../../src/extension';
import { emulatorUrl } from './support/env';
import {
  ScriptedPrompts,
  emulatorControl,
  httpBrowser,
  newBrowserRecord,
  resetSignIn,
  testApi,
  tokenRequests,
  useEmulatorForSignIn,
  waitFor,
} from './support/sessionHarness';

// NOTE: VS Code 1.100 hands a session to an extension only after the user allowed that extension access
// to the account, through a modal prompt (`createIfNone`, `forceNewSession`) or the Accounts menu.
// Extension-test mode refuses modal dialogs, so these suites call the provider methods that VS Code calls,
// and use `vscode.authentication` only where no prompt is involved.
suite('datastack authentication provider', () => {
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
    await emulatorControl('POST', 'config', { autoApprove: true });
    api.session.sso.openBrowser = httpBrowser(newBrowserRecord());
  });

  teardown(async () => {
    await resetSignIn(api, prompts);
  });

  test('getSessions finds a covering session', async () => {
    const profile = await api.session.service.signInWithSso();
    assert.ok(profile);
    const reversed = [...VIEW_READ_SCOPES].reverse();
    const [session] = await api.session.provider.getSessions(reversed, {});
    assert.ok(session, 'no session for the granted scopes in another order');
    assert.equal(session.id, profile.id);
    assert.equal(session.account.label, profile.label);
    const stored = JSON.parse((await api.session.storedSecret(profile.id)) ?? '{}') as { accessToken?: string };
    assert.equal(session.accessToken, stored.accessToken);
  });

  test('getSessions misses an uncovered scope', async () => {
    await api.session.service.signInWithSso();
    assert.deepEqual(await api.session.provider.getSessions(['manage:sql'], {}), []);
    assert.deepEqual(await api.session.provider.getSessions(['read:sql', 'manage:sql'], {}), []);
  });

  test('provider is registered with VS Code', async () => {
    await api.session.service.signInWithSso();
    // Throws "No authentication provider 'datastack' is currently registered" when it is not.
    const session = await vscode.authentication.getSession('datastack', ['manage:sql'], { silent: true });
    assert.equal(session, undefined);
  });

  test('all-apis covers every scope', async () => {
    prompts.inputs.push(emulatorUrl());
    prompts.validatedInputs.push('dapi-demo-admin');
    await vscode.commands.executeCommand('datastack.signInWithToken');
    const profile = api.session.service.activeProfile;
    assert.ok(profile);
    api.session.scopes.record(profile.id, 'all-apis', 'held');
    const sessions = await api.session.provider.getSessions(['manage:sql', 'read:jobs'], {});
    assert.deepEqual(
      sessions.map((session) => session.id),
      [profile.id],
    );
  });

  test('getSessions without scopes lists every account', async () => {
    const sso = await api.session.service.signInWithSso();
    prompts.inputs.push(emulatorUrl());
    prompts.validatedInputs.push('dapi-demo-sql');
    await vscode.commands.executeCommand('datastack.signInWithToken');
    const pat = api.session.service.activeProfile;
    assert.ok(sso, 'the SSO sign-in failed');
    assert.ok(pat, 'the token sign-in failed');
    const sessions = await api.session.provider.getSessions(undefined, {});
    assert.deepEqual(sessions.map((session) => session.id).sort(), [sso.id, pat.id].sort());
    const onlyPat = await api.session.provider.getSessions(undefined, { account: { id: pat.id, label: pat.label } });
    assert.deepEqual(
      onlyPat.map((session) => session.id),
      [pat.id],
    );
  });

  test('createSession asks for the union of scopes', async () => {
    const browser = newBrowserRecord();
    api.session.sso.openBrowser = httpBrowser(browser);
    const first = await api.session.provider.createSession([...VIEW_READ_SCOPES], {});
    const second = await api.session.provider.createSession(['manage:sql'], {});

    assert.equal(second.id, first.id, 'incremental consent created another account');
    assert.ok(second.scopes.includes('manage:sql'));
    assert.ok(VIEW_READ_SCOPES.every((scope) => second.scopes.includes(scope)), second.scopes.join(' '));
    const requested = (new URL(browser.authorizeUrls[1] ?? '').searchParams.get('scope') ?? '').split(' ');
    assert.ok(requested.includes('manage:sql') && VIEW_READ_SCOPES.every((scope) => requested.includes(scope)), requested.join(' '));
    const found = await api.session.provider.getSessions(['manage:sql', 'read:sql'], {});
    assert.deepEqual(
      found.map((session) => session.id),
      [first.id],
    );
  });

  test('createSession rejects unknown scopes', async () => {
    await assert.rejects(api.session.provider.createSession(['write:everything'], {}), /Unknown DataStack scope: write:everything/);
    assert.equal(await tokenRequests('authorization_code'), 0);
  });

  test('events fire added, changed and removed', async () => {
    const events: string[] = [];
    const subscription = api.session.provider.onDidChangeSessions((event) => {
      for (const session of event.added ?? []) events.push(`added ${session.id}`);
      for (const session of event.changed ?? []) events.push(`changed ${session.id}`);
      for (const session of event.removed ?? []) events.push(`removed ${session.id}`);
    });
    let offsetMs = 0;
    api.session.setClock({ now: () => Date.now() + offsetMs });
    try {
      const session = await api.session.provider.createSession([...VIEW_READ_SCOPES], {});
      offsetMs = 2500_000;
      const [refreshed] = await api.session.provider.getSessions([...VIEW_READ_SCOPES], {});
      assert.equal(refreshed?.id, session.id);
      assert.notEqual(refreshed?.accessToken, session.accessToken, 'getSessions did not refresh a due token');
      await waitFor(() => events.length >= 2, 'the changed event');
      await api.session.provider.removeSession(session.id);
      assert.deepEqual(events, [`added ${session.id}`, `changed ${session.id}`, `removed ${session.id}`]);
      assert.equal(await api.session.storedSecret(session.id), undefined);
      assert.deepEqual(await api.session.provider.getSessions(undefined, {}), []);
    } finally {
      subscription.dispose();
    }
  });
});
