import * as assert from 'node:assert/strict';
import { createConnection } from 'node:net';
import * as vscode from 'vscode';
import { DEFAULT_SSO_SCOPES, VIEW_READ_SCOPES } from '../../src/api/operations';
import type { ExtensionTestApi } from '../../src/extension';
import { emulatorUrl } from './support/env';
import {
  type BrowserRecord,
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

/** Resolves whether a TCP connection to 127.0.0.1:`port` succeeds. */
function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * Matches an error by class name: the suites are bundled apart from the extension, so its error classes
 * are other objects than the test's imports and `instanceof` cannot match them.
 */
function named(name: string, check: (error: { details?: { code?: string } }) => boolean = () => true): (error: unknown) => boolean {
  return (error) => error instanceof Error && error.name === name && check(error as { details?: { code?: string } });
}

function redirectPort(authorizeUrl: string): number {
  return Number(new URL(new URL(authorizeUrl).searchParams.get('redirect_uri') ?? '').port);
}

suite('sign-in with SSO', () => {
  let api: ExtensionTestApi;
  let prompts: ScriptedPrompts;
  let browser: BrowserRecord;

  suiteSetup(async () => {
    api = await testApi();
    await useEmulatorForSignIn();
  });

  setup(async () => {
    prompts = new ScriptedPrompts();
    api.prompts.current = prompts;
    browser = newBrowserRecord();
    await resetSignIn(api, prompts);
  });

  teardown(async () => {
    await resetSignIn(api, prompts);
  });

  test('approve signs in with the granted scopes', async () => {
    await emulatorControl('POST', 'config', { autoApprove: true });
    api.session.sso.openBrowser = httpBrowser(browser);
    const profile = await api.session.service.signInWithSso();

    assert.ok(profile, 'no profile after SSO');
    assert.equal(profile.kind, 'oauth');
    assert.equal(profile.label, 'ada@example.com (SSO)', 'the default scopes did not read the signed-in user');
    assert.equal(api.session.service.activeProfile?.id, profile.id);
    const stored = JSON.parse((await api.session.storedSecret(profile.id)) ?? '{}') as { kind?: string; accessToken?: string; refreshToken?: string; scopes?: string[] };
    assert.equal(stored.kind, 'oauth');
    assert.ok(stored.accessToken, 'the access token is missing from SecretStorage');
    assert.ok(stored.refreshToken, 'the refresh token is missing from SecretStorage');
    assert.deepEqual([...(stored.scopes ?? [])].sort(), [...DEFAULT_SSO_SCOPES].sort());
    for (const scope of DEFAULT_SSO_SCOPES) {
      assert.equal(api.session.scopes.status(profile.id, scope), 'held', scope);
    }
    assert.equal(api.session.scopes.status(profile.id, 'manage:sql'), 'missing');
    assert.equal(await tokenRequests('authorization_code'), 1);
    assert.deepEqual(browser.callbackStatuses, [302]);

    const state = JSON.stringify(api.session.globalState());
    assert.ok(!state.includes(stored.accessToken), 'the access token is in global state');
    assert.ok(!state.includes(stored.refreshToken), 'the refresh token is in global state');

    const client = api.session.service.getClient();
    assert.ok(client);
    const page = await client.call('listClusters', { query: { limit: 1 } });
    assert.ok(page !== undefined);
  });

  test('authorize URL is complete and uses the loopback listener', async () => {
    await emulatorControl('POST', 'config', { autoApprove: true });
    api.session.sso.openBrowser = httpBrowser(browser);
    await api.session.service.signInWithSso();

    const url = new URL(browser.authorizeUrls[0] ?? '');
    assert.equal(url.origin + url.pathname, `${emulatorUrl()}/oauth2/authorize`);
    const params = url.searchParams;
    assert.equal(params.get('response_type'), 'code');
    assert.equal(params.get('client_id'), 'datastack-vscode');
    assert.equal(params.get('code_challenge_method'), 'S256');
    assert.match(params.get('code_challenge') ?? '', /^[A-Za-z0-9_-]{43}$/);
    assert.match(params.get('state') ?? '', /^[A-Za-z0-9_-]{22,}$/);
    assert.equal(params.get('audience'), 'https://api.datastack.cloud');
    assert.match(params.get('redirect_uri') ?? '', /^http:\/\/127\.0\.0\.1:\d+\/callback$/);
    assert.deepEqual((params.get('scope') ?? '').split(' ').sort(), [...DEFAULT_SSO_SCOPES, 'offline_access'].sort());
    await waitFor(async () => !(await canConnect(redirectPort(url.toString()))), 'the listener to close');
  });

  test('client id and audience settings reach the authorize URL', async () => {
    const config = vscode.workspace.getConfiguration('datastack');
    await config.update('oauth.clientId', 'custom-client', vscode.ConfigurationTarget.Global);
    await config.update('oauth.audience', 'https://custom.example', vscode.ConfigurationTarget.Global);
    const opened: string[] = [];
    api.session.sso.openBrowser = async (url) => {
      opened.push(url);
      return true;
    };
    try {
      const attempt = Promise.resolve(api.session.service.signInWithSso());
      await waitFor(() => opened.length === 1, 'the authorize URL to open');
      api.session.pendingSso()?.cancel();
      await assert.rejects(attempt, (error: unknown) => error instanceof vscode.CancellationError);

      const params = new URL(opened[0] ?? '').searchParams;
      assert.equal(params.get('client_id'), 'custom-client');
      assert.equal(params.get('audience'), 'https://custom.example');
    } finally {
      await config.update('oauth.clientId', undefined, vscode.ConfigurationTarget.Global);
      await config.update('oauth.audience', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  test('consent approve through the consent page', async () => {
    api.session.sso.openBrowser = httpBrowser(browser, { decision: 'approve' });
    const profile = await api.session.service.signInWithSso();
    assert.equal(profile?.kind, 'oauth');
  });

  test('deny ends the flow with a declined error', async () => {
    api.session.sso.openBrowser = httpBrowser(browser, { decision: 'deny' });
    await assert.rejects(Promise.resolve(api.session.service.signInWithSso()), named('AuthorizationDeniedError'));
    assert.equal(api.session.service.activeProfile, undefined);
    assert.equal(await tokenRequests('authorization_code'), 0);
    await waitFor(async () => !(await canConnect(redirectPort(browser.authorizeUrls[0] ?? ''))), 'the listener to close');
  });

  test('IdP error ends the flow at once', async () => {
    await emulatorControl('POST', 'config', { autoApprove: true, authorizeError: 'server_error' });
    api.session.sso.openBrowser = httpBrowser(browser);
    api.session.sso.callbackTimeoutMs = 60_000;
    const started = Date.now();
    await assert.rejects(
      Promise.resolve(api.session.service.signInWithSso()),
      named('AuthorizationServerError', (error) => error.details?.code === 'server_error'),
    );
    assert.ok(Date.now() - started < 10_000, 'the IdP error did not end the flow at once');
  });

  test('wrong state is ignored until the timeout', async () => {
    await emulatorControl('POST', 'config', { autoApprove: true, callbackState: 'altered' });
    api.session.sso.openBrowser = httpBrowser(browser);
    api.session.sso.callbackTimeoutMs = 1500;
    await assert.rejects(Promise.resolve(api.session.service.signInWithSso()), named('AuthorizationTimeoutError'));
    assert.deepEqual(browser.callbackStatuses, [400], 'the callback with a wrong state was not answered with an error page');
    assert.equal(await tokenRequests('authorization_code'), 0);
  });

  test('timeout closes the listener', async () => {
    api.session.sso.openBrowser = httpBrowser(browser, { open: false });
    api.session.sso.callbackTimeoutMs = 800;
    await assert.rejects(Promise.resolve(api.session.service.signInWithSso()), named('AuthorizationTimeoutError'));
    await waitFor(async () => !(await canConnect(redirectPort(browser.authorizeUrls[0] ?? ''))), 'the listener to close');
  });

  test('cancel rejects with CancellationError', async () => {
    api.session.sso.openBrowser = httpBrowser(browser, { open: false });
    const signIn = Promise.resolve(api.session.service.signInWithSso());
    await waitFor(() => api.session.pendingSso() !== undefined, 'the attempt to start');
    const port = redirectPort(browser.authorizeUrls[0] ?? '');
    api.session.pendingSso()?.cancel();
    await assert.rejects(signIn, (error) => error instanceof vscode.CancellationError);
    assert.equal(api.session.pendingSso(), undefined);
    await waitFor(async () => !(await canConnect(port)), 'the listener to close');
    assert.equal(api.session.service.profiles.length, 0);
  });

  test('cancelled command shows no error', async () => {
    api.session.sso.openBrowser = httpBrowser(browser, { open: false });
    const command = Promise.resolve(vscode.commands.executeCommand('datastack.signInWithSso'));
    await waitFor(() => api.session.pendingSso() !== undefined, 'the attempt to start');
    api.session.pendingSso()?.cancel();
    assert.equal(await command, undefined);
  });

  test('pasted redirect URL completes the flow', async () => {
    await emulatorControl('POST', 'config', { autoApprove: true });
    api.session.sso.openBrowser = httpBrowser(browser, { deliverCallback: false });
    const signIn = Promise.resolve(api.session.service.signInWithSso());
    await waitFor(() => browser.callbackUrls.length === 1, 'the redirect');
    const callback = browser.callbackUrls[0] as string;
    const foreign = new URL(callback);
    foreign.searchParams.set('state', 'AAAAAAAAAAAAAAAAAAAAAA');

    prompts.validatedInputs.push('not a url', foreign.toString(), callback);
    await api.session.pendingSso()?.pasteRedirectUrl();
    const profile = await signIn;

    assert.equal(profile?.kind, 'oauth');
    assert.equal(prompts.validationErrors.length, 2);
    assert.match(prompts.validationErrors[1] ?? '', /different sign-in attempt/);
    assert.equal(await tokenRequests('authorization_code'), 1);
  });

  test('second attempt cancels the first', async () => {
    api.session.sso.openBrowser = httpBrowser(browser, { open: false });
    const first = Promise.resolve(api.session.service.signInWithSso());
    await waitFor(() => api.session.pendingSso() !== undefined, 'the first attempt');
    await emulatorControl('POST', 'config', { autoApprove: true });
    api.session.sso.openBrowser = httpBrowser(browser);
    const second = Promise.resolve(api.session.service.signInWithSso());
    await assert.rejects(first, (error) => error instanceof vscode.CancellationError);
    assert.equal((await second)?.kind, 'oauth');
  });

  test('incremental consent keeps the profile id', async () => {
    await emulatorControl('POST', 'config', { autoApprove: true });
    api.session.sso.openBrowser = httpBrowser(browser);
    const first = await api.session.service.signInWithSso();
    assert.ok(first);
    const second = await api.session.service.signInWithSso({ profileId: first.id, additionalScopes: ['manage:sql'] });
    assert.equal(second?.id, first.id);
    assert.equal(api.session.service.profiles.length, 1);
    const requested = (new URL(browser.authorizeUrls[1] ?? '').searchParams.get('scope') ?? '').split(' ');
    assert.ok(requested.includes('manage:sql') && VIEW_READ_SCOPES.every((scope) => requested.includes(scope)), requested.join(' '));
    assert.equal(api.session.scopes.status(first.id, 'manage:sql'), 'held');
  });
});
