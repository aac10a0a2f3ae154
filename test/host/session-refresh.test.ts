import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { Profile } from '../../src/core/contracts';
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
  tokenRequests,
  useEmulatorForSignIn,
  waitFor,
} from './support/sessionHarness';

interface StoredOAuth {
  accessToken: string;
  refreshToken?: string;
  obtainedAt: number;
  expiresAt: number;
}

/** Past the refresh point of a fresh 1-hour token (2/3 of its lifetime), but before its expiry. */
const PAST_REFRESH_POINT_MS = 2500_000;

suite('session refresh and sign-out', () => {
  let api: ExtensionTestApi;
  let prompts: ScriptedPrompts;
  let offsetMs = 0;

  async function stored(profile: Profile): Promise<StoredOAuth> {
    return JSON.parse((await api.session.storedSecret(profile.id)) ?? 'null') as StoredOAuth;
  }

  async function signInSso(): Promise<Profile> {
    await emulatorControl('POST', 'config', { autoApprove: true });
    api.session.sso.openBrowser = httpBrowser(newBrowserRecord());
    const profile = await api.session.service.signInWithSso();
    assert.ok(profile, 'SSO sign-in failed');
    await emulatorControl('DELETE', 'requests');
    return profile;
  }

  function listClusters(): Promise<unknown> {
    const client = api.session.service.getClient();
    assert.ok(client, 'no client');
    return client.call('listClusters', { query: { limit: 1 } });
  }

  suiteSetup(async () => {
    api = await testApi();
    await useEmulatorForSignIn();
  });

  setup(async () => {
    prompts = new ScriptedPrompts();
    api.prompts.current = prompts;
    await resetSignIn(api, prompts);
    offsetMs = 0;
    api.session.setClock({ now: () => Date.now() + offsetMs });
  });

  teardown(async () => {
    await resetSignIn(api, prompts);
  });

  test('refresh before expiry sends one request for 20 calls', async () => {
    const profile = await signInSso();
    const before = await stored(profile);
    const changes: string[] = [];
    const serviceEvents = api.session.service.onDidChangeSessions((change) => changes.push(...change.changed.map((changed) => changed.id)));
    let providerEvents = 0;
    const providerSubscription = vscode.authentication.onDidChangeSessions((event) => {
      if (event.provider.id === 'datastack') {
        providerEvents++;
      }
    });
    try {
      offsetMs = PAST_REFRESH_POINT_MS;
      await Promise.all(Array.from({ length: 20 }, () => listClusters()));

      assert.equal(await tokenRequests('refresh_token'), 1);
      const after = await stored(profile);
      assert.notEqual(after.accessToken, before.accessToken, 'the access token was not replaced');
      assert.notEqual(after.refreshToken, before.refreshToken, 'the rotated refresh token was not stored');
      assert.equal(api.session.service.activeProfile?.id, profile.id);
      await waitFor(() => changes.length > 0 && providerEvents > 0, 'the changed events');
      assert.deepEqual(changes, [profile.id], 'changed did not fire exactly once with the same id');
      // The sidebar polls too, so there may be more than these 20 calls; every one must have succeeded.
      const apiCalls = (await emulatorRequests()).filter((entry) => entry.operation === 'listClusters');
      assert.ok(apiCalls.length >= 20, `only ${apiCalls.length} listClusters calls reached the emulator`);
      assert.ok(apiCalls.every((entry) => entry.status === 200), 'a call failed');
    } finally {
      serviceEvents.dispose();
      providerSubscription.dispose();
    }
  });

  test('rotated refresh token is used next time', async () => {
    const profile = await signInSso();
    offsetMs = PAST_REFRESH_POINT_MS;
    await listClusters();
    const rotated = await stored(profile);
    offsetMs = 2 * PAST_REFRESH_POINT_MS;
    await listClusters();

    const requests = (await emulatorRequests()).filter((entry) => entry.path === '/oauth2/token');
    assert.deepEqual(
      requests.map((entry) => entry.status),
      [200, 200],
      'a refresh failed, e.g. because the old refresh token was replayed',
    );
    assert.notEqual((await stored(profile)).refreshToken, rotated.refreshToken);
    assert.equal(api.session.service.profiles.length, 1);
  });

  test('401 refreshes once and retries', async () => {
    const profile = await signInSso();
    const { accessToken } = await stored(profile);
    await emulatorControl('POST', 'tokens/expire', { token: accessToken });
    await listClusters();

    assert.equal(await tokenRequests('refresh_token'), 1);
    // The sidebar polls too; the calls after the first 401 must all succeed with the refreshed token.
    const statuses = (await emulatorRequests()).filter((entry) => entry.operation === 'listClusters').map((entry) => entry.status);
    const firstRejected = statuses.indexOf(401);
    assert.ok(firstRejected >= 0, `no call was rejected: ${statuses.join(', ')}`);
    assert.equal(statuses.at(-1), 200, `the retry failed: ${statuses.join(', ')}`);
  });

  test('token endpoint 503 keeps the session', async () => {
    const profile = await signInSso();
    const before = await stored(profile);
    await emulatorControl('POST', 'faults', { faults: [{ kind: 'server-error', status: 503, path: '/oauth2/token', count: 10 }] });
    offsetMs = PAST_REFRESH_POINT_MS;
    await listClusters();

    // Faulted requests are logged without their grant type, which is read from the body.
    const tokenCalls = (await emulatorRequests()).filter((entry) => entry.path === '/oauth2/token');
    assert.ok(tokenCalls.length >= 1 && tokenCalls.every((entry) => entry.status === 503), 'no refresh met the 503');
    assert.equal(api.session.service.activeProfile?.id, profile.id, 'a 503 signed the user out');
    assert.equal((await stored(profile)).refreshToken, before.refreshToken);
  });

  test('rejected refresh token ends the session once', async () => {
    const profile = await signInSso();
    const { refreshToken } = await stored(profile);
    const revoke = await fetch(`${emulatorUrl()}/oauth2/revoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: refreshToken ?? '', client_id: 'datastack-vscode' }).toString(),
    });
    assert.equal(revoke.status, 200);
    const removed: string[] = [];
    const subscription = api.session.service.onDidChangeSessions((change) => removed.push(...change.removed.map((item) => item.id)));
    try {
      offsetMs = 4000_000;
      await assert.rejects(listClusters());
      await waitFor(() => removed.length > 0, 'the removed event');
      assert.deepEqual(removed, [profile.id]);
      assert.equal(api.session.service.activeProfile, undefined);
      assert.equal(await api.session.storedSecret(profile.id), undefined, 'the ended session is still stored');
      assert.equal(await tokenRequests('refresh_token'), 1, 'the rejected refresh token was retried');
    } finally {
      subscription.dispose();
    }
  });

  test('PAT is never refreshed', async () => {
    prompts.inputs.push(emulatorUrl());
    prompts.validatedInputs.push('dapi-demo-admin');
    await vscode.commands.executeCommand('datastack.signInWithToken');
    await emulatorControl('DELETE', 'requests');
    offsetMs = 100 * 24 * 3600_000;
    await listClusters();
    await emulatorControl('POST', 'tokens/expire', { token: 'dapi-demo-admin' });
    await assert.rejects(listClusters(), (error) => error instanceof Error && error.name === 'AuthenticationError');
    assert.equal((await emulatorRequests()).filter((entry) => entry.path.startsWith('/oauth2/')).length, 0);
    assert.ok(api.session.service.activeProfile, 'a PAT 401 signed the user out without asking');
  });

  test('sign out deletes the secret and revokes', async () => {
    const profile = await signInSso();
    const removed: string[] = [];
    const subscription = api.session.service.onDidChangeSessions((change) => removed.push(...change.removed.map((item) => item.id)));
    try {
      await vscode.commands.executeCommand('datastack.signOut');
      assert.deepEqual(removed, [profile.id]);
      assert.equal(await api.session.storedSecret(profile.id), undefined);
      assert.equal(api.session.service.getClient(), undefined);
      assert.equal(api.session.scopes.status(profile.id, 'read:sql'), 'unknown');
      await waitFor(async () => (await emulatorRequests()).some((entry) => entry.path === '/oauth2/revoke'), 'the revocation request');
    } finally {
      subscription.dispose();
    }
  });

  test('sign out succeeds with revocation down', async () => {
    const profile = await signInSso();
    await emulatorControl('POST', 'config', { revocationAvailable: false });
    await vscode.commands.executeCommand('datastack.signOut');
    assert.equal(api.session.service.profiles.length, 0);
    assert.equal(await api.session.storedSecret(profile.id), undefined);
    await waitFor(
      async () => (await emulatorRequests()).some((entry) => entry.path === '/oauth2/revoke' && entry.status === 503),
      'the failed revocation request',
    );
  });
});
