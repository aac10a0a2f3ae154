import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ExtensionTestApi } from '../../src/extension';
import { emulatorUrl } from './support/env';
import {
  ScriptedPrompts,
  emulatorControl,
  emulatorRequests,
  pickLabel,
  resetSignIn,
  testApi,
  useEmulatorForSignIn,
} from './support/sessionHarness';

const REJECTED = 'DataStack rejected this token: it is invalid or expired.';

suite('sign-in with access token', () => {
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
    await resetSignIn(api, prompts);
  });

  test('valid token signs in with identity', async () => {
    prompts.inputs.push(emulatorUrl());
    prompts.validatedInputs.push('  dapi-demo-admin\n');
    await vscode.commands.executeCommand('datastack.signInWithToken');

    const profile = api.session.service.activeProfile;
    assert.ok(profile, 'no active profile after sign-in');
    assert.equal(profile.kind, 'pat');
    assert.equal(profile.host, emulatorUrl());
    assert.equal(profile.identity, 'ada@example.com');
    assert.deepEqual(prompts.validationErrors, []);
    const tokenBox = prompts.inputOptions[1];
    assert.equal(tokenBox?.password, true);
    assert.equal(tokenBox?.ignoreFocusOut, true);
    assert.equal(prompts.inputOptions[0]?.value, emulatorUrl(), 'the host box is not prefilled from datastack.host');

    const stored = JSON.parse((await api.session.storedSecret(profile.id)) ?? '{}') as { accessToken?: string; kind?: string; v?: number };
    assert.equal(stored.accessToken, 'dapi-demo-admin', 'the trimmed token is not in SecretStorage');
    assert.equal(stored.kind, 'pat');
    assert.equal(stored.v, 1);
    assert.ok(!JSON.stringify(api.session.globalState()).includes('dapi-demo-admin'), 'the token is in global state');
    assert.ok(!JSON.stringify(vscode.workspace.getConfiguration('datastack')).includes('dapi-demo-admin'), 'the token is in settings');
    assert.equal(api.session.scopes.status(profile.id, 'read:users'), 'held');
  });

  test('request timeout setting applies to clients', async () => {
    const config = vscode.workspace.getConfiguration('datastack');
    await config.update('requestTimeoutSeconds', 1, vscode.ConfigurationTarget.Global);
    try {
      prompts.inputs.push(emulatorUrl());
      prompts.validatedInputs.push('dapi-demo-admin');
      await vscode.commands.executeCommand('datastack.signInWithToken');
      const client = api.session.service.getClient();
      assert.ok(client, 'no client after sign-in');
      await emulatorControl('POST', 'faults', { kind: 'latency', ms: 3000, method: 'GET', path: '/v1/users/me', count: 1 });

      const started = Date.now();
      await assert.rejects(client.getCurrentUser(), (error: unknown) => error instanceof Error && error.name === 'TimeoutError');
      const elapsed = Date.now() - started;
      assert.ok(elapsed < 2500, `the request ran ${elapsed} ms, past the 1 s setting`);
      assert.ok(elapsed >= 900, `the request failed after ${elapsed} ms, before the 1 s setting`);
    } finally {
      await emulatorControl('DELETE', 'faults');
      await config.update('requestTimeoutSeconds', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  test('sign in picks the token flow', async () => {
    let labels: string[] = [];
    prompts.picks.push((items) => {
      labels = items.map((item) => item.label);
      return pickLabel('Access token')(items);
    });
    prompts.inputs.push(emulatorUrl());
    prompts.validatedInputs.push('dapi-demo-admin');
    await vscode.commands.executeCommand('datastack.signIn');
    assert.deepEqual(labels, ['Access token', 'Single sign-on (SSO)']);
    assert.equal(api.session.service.activeProfile?.kind, 'pat');
  });

  test('client of the profile calls the API', async () => {
    prompts.inputs.push(emulatorUrl());
    prompts.validatedInputs.push('dapi-demo-admin');
    await vscode.commands.executeCommand('datastack.signInWithToken');
    const client = api.session.service.getClient();
    assert.ok(client, 'no client after sign-in');
    const user = await client.getCurrentUser();
    assert.equal(user.email, 'ada@example.com');
  });

  for (const [name, token] of [
    ['invalid token', 'dapi-not-a-real-token'],
    ['expired token', 'dapi-demo-expired'],
  ] as const) {
    test(`${name} keeps the box open`, async () => {
      prompts.inputs.push(emulatorUrl());
      prompts.validatedInputs.push(token);
      await vscode.commands.executeCommand('datastack.signInWithToken');

      assert.deepEqual(prompts.validationErrors, [REJECTED]);
      assert.equal(api.session.service.activeProfile, undefined);
      assert.equal(api.session.service.profiles.length, 0);
      const checks = (await emulatorRequests()).filter((entry) => entry.operation === 'getCurrentUser');
      assert.equal(checks.length, 1, 'the token was not checked with exactly one request');
      assert.equal(checks[0]?.status, 401);
    });
  }

  test('rejected token then valid one signs in', async () => {
    prompts.inputs.push(emulatorUrl());
    prompts.validatedInputs.push('dapi-demo-expired', 'dapi-demo-admin');
    await vscode.commands.executeCommand('datastack.signInWithToken');
    assert.deepEqual(prompts.validationErrors, [REJECTED]);
    assert.equal(api.session.service.activeProfile?.identity, 'ada@example.com');
  });

  test('two pasted tokens keep the box open', async () => {
    prompts.inputs.push(emulatorUrl());
    prompts.validatedInputs.push('dapi-demo-admin\ndapi-demo-sql');
    await vscode.commands.executeCommand('datastack.signInWithToken');

    assert.deepEqual(prompts.validationErrors, ['The token contains a space or line break. Paste one token only.']);
    assert.equal(api.session.service.activeProfile, undefined);
    assert.equal((await emulatorRequests()).length, 0, 'a malformed token was sent to the server');
    const live = await prompts.inputOptions[1]?.validateInput?.('dapi-demo-admin dapi-demo-sql');
    assert.equal(live, 'The token contains a space or line break. Paste one token only.');
  });

  test('quoted Bearer token signs in', async () => {
    prompts.inputs.push(emulatorUrl());
    prompts.validatedInputs.push('"Bearer dapi-demo-admin"\n');
    await vscode.commands.executeCommand('datastack.signInWithToken');

    const profile = api.session.service.activeProfile;
    assert.ok(profile, 'no active profile after sign-in');
    assert.deepEqual(prompts.validationErrors, []);
    const stored = JSON.parse((await api.session.storedSecret(profile.id)) ?? '{}') as { accessToken?: string };
    assert.equal(stored.accessToken, 'dapi-demo-admin');
  });

  test('token without read:users signs in with identity unknown', async () => {
    prompts.inputs.push(emulatorUrl());
    prompts.validatedInputs.push('dapi-demo-sql');
    await vscode.commands.executeCommand('datastack.signInWithToken');

    const profile = api.session.service.activeProfile;
    assert.ok(profile, 'a 403 token was not accepted');
    assert.equal(profile.identity, undefined);
    assert.ok(profile.label.includes(new URL(emulatorUrl()).host), `label ${profile.label} does not name the host`);
    assert.equal(api.session.scopes.status(profile.id, 'read:users'), 'missing');
    assert.equal(api.session.scopes.status(profile.id, 'manage:sql'), 'unknown');
  });

  test('invalid host is rejected by the host box', async () => {
    prompts.inputs.push('javascript:alert(1)');
    await assert.rejects(
      Promise.resolve(api.session.service.signInWithToken()),
      /failed validation: Invalid host/,
    );
  });

  test('dismissing the token box signs nothing in', async () => {
    prompts.inputs.push(emulatorUrl());
    await vscode.commands.executeCommand('datastack.signInWithToken');
    assert.equal(api.session.service.activeProfile, undefined);
    assert.equal((await emulatorRequests()).length, 0);
  });

  test('two profiles switch and sign out', async () => {
    prompts.inputs.push(emulatorUrl(), emulatorUrl());
    prompts.validatedInputs.push('dapi-demo-admin', 'dapi-demo-sql');
    await vscode.commands.executeCommand('datastack.signInWithToken');
    const first = api.session.service.activeProfile;
    await vscode.commands.executeCommand('datastack.signInWithToken');
    const second = api.session.service.activeProfile;
    assert.ok(first, 'the first sign-in failed');
    assert.ok(second, 'the second sign-in failed');
    assert.notEqual(first.id, second.id);

    const changes: (string | undefined)[] = [];
    const subscription = api.session.service.onDidChangeActiveProfile((profile) => changes.push(profile?.id));
    try {
      prompts.picks.push(pickLabel(first.label));
      await vscode.commands.executeCommand('datastack.switchProfile');
      assert.equal(api.session.service.activeProfile?.id, first.id);

      await vscode.commands.executeCommand('datastack.signOut');
      assert.equal(await api.session.storedSecret(first.id), undefined, 'the signed-out secret is still stored');
      assert.equal(api.session.service.activeProfile?.id, second.id);
      assert.deepEqual(changes, [first.id, second.id]);
    } finally {
      subscription.dispose();
    }
  });
});
