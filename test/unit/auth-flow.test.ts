import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { request } from 'undici';
import { AuthorizationDeniedError, AuthorizationServerError, AuthorizationTimeoutError, InvalidGrantError } from '../../src/auth/errors';
import { exchangeAuthorizationCode } from '../../src/auth/tokenEndpoint';
import { startEmulator, type Emulator } from '../emulator/index';
import { callOperation } from './emulator-helpers';
import { endpointConfig, followLikeBrowser, ManualClock, signIn, startEmulatorFlow, tokenRequests } from './auth-fixtures';
import { waitUntilClosed } from './loopback-helpers';

const SCOPES = ['read:clusters', 'read:users'];
let emulator: Emulator;

before(async () => {
  emulator = await startEmulator();
});

after(async () => {
  await emulator.close();
});

beforeEach(() => {
  emulator.reset();
});

describe('authorization code flow', () => {
  test('auto-approve signs in end to end', async () => {
    emulator.configure({ autoApprove: true });
    const flow = await startEmulatorFlow(emulator, SCOPES);
    const visited = await followLikeBrowser(flow.authorizeUrl);

    assert.deepEqual(
      visited.map((hop) => [new URL(hop.url).pathname, hop.status]),
      [
        ['/oauth2/authorize', 302],
        ['/callback', 302],
        ['/success', 200],
      ],
    );
    const code = await flow.listener.code;
    assert.ok(!visited[2]?.body.includes(code), 'the success page must not contain the code');

    const clock = new ManualClock();
    const tokens = await exchangeAuthorizationCode(endpointConfig(emulator, { clock }), {
      code,
      redirectUri: flow.listener.redirectUri,
      codeVerifier: flow.verifier,
      requestedScopes: SCOPES,
    });
    assert.deepEqual([...tokens.scopes].sort(), [...SCOPES].sort());
    assert.ok(tokens.refreshToken, 'offline_access must yield a refresh token');
    assert.equal(tokens.obtainedAt, clock.time);
    assert.equal(tokens.expiresAt, clock.time + 3600 * 1000);

    const api = await callOperation(emulator, 'listClusters', { token: tokens.accessToken });
    assert.equal(api.status, 200);
    await waitUntilClosed(flow.listener.port);
  });

  test('authorize request carries the loopback redirect uri', async () => {
    emulator.configure({ autoApprove: true });
    const flow = await startEmulatorFlow(emulator, SCOPES);
    await followLikeBrowser(flow.authorizeUrl);
    await flow.listener.code;
    const authorize = emulator.requests.find((entry) => entry.path === '/oauth2/authorize');
    assert.ok(authorize);
    assert.equal(authorize.query['redirect_uri'], `http://127.0.0.1:${flow.listener.port}/callback`);
    assert.equal(authorize.query['code_challenge_method'], 'S256');
    assert.equal(authorize.query['scope'], 'read:clusters read:users offline_access');
  });

  test('consent denial ends the flow', async () => {
    const flow = await startEmulatorFlow(emulator, SCOPES);
    const consent = await followLikeBrowser(flow.authorizeUrl);
    const page = consent[0]?.body ?? '';
    const requestId = /name="request_id" value="([^"]+)"/.exec(page)?.[1];
    assert.ok(requestId, 'the consent page must carry a request id');

    const decision = await request(`${emulator.url}/oauth2/authorize/decision`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ request_id: requestId, decision: 'deny' }).toString(),
    });
    await decision.body.dump();
    const location = decision.headers.location;
    assert.equal(typeof location, 'string');
    await followLikeBrowser(location as string);
    await assert.rejects(flow.listener.code, (error: unknown) => error instanceof AuthorizationDeniedError && error.details.code === 'access_denied');
    await waitUntilClosed(flow.listener.port);
  });

  test('consent approval signs in', async () => {
    const flow = await startEmulatorFlow(emulator, SCOPES);
    const page = (await followLikeBrowser(flow.authorizeUrl))[0]?.body ?? '';
    const requestId = /name="request_id" value="([^"]+)"/.exec(page)?.[1] ?? '';
    const decision = await request(`${emulator.url}/oauth2/authorize/decision`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ request_id: requestId, decision: 'approve' }).toString(),
    });
    await decision.body.dump();
    await followLikeBrowser(decision.headers.location as string);
    assert.match(await flow.listener.code, /^dsac_/);
  });

  test('injected authorize error ends the flow', async () => {
    emulator.configure({ authorizeError: 'server_error' });
    const flow = await startEmulatorFlow(emulator, SCOPES);
    await followLikeBrowser(flow.authorizeUrl);
    await assert.rejects(
      flow.listener.code,
      (error: unknown) => error instanceof AuthorizationServerError && !(error instanceof AuthorizationDeniedError) && error.details.code === 'server_error',
    );
  });

  test('unknown scope is reported by the server', async () => {
    const flow = await startEmulatorFlow(emulator, ['read:nothing']);
    await followLikeBrowser(flow.authorizeUrl);
    await assert.rejects(flow.listener.code, (error: unknown) => error instanceof AuthorizationServerError && error.details.code === 'invalid_scope');
  });

  for (const mode of ['altered', 'omit'] as const) {
    test(`${mode} state is ignored until timeout`, async () => {
      emulator.configure({ autoApprove: true, callbackState: mode });
      const flow = await startEmulatorFlow(emulator, SCOPES, 400);
      const visited = await followLikeBrowser(flow.authorizeUrl);
      assert.equal(visited.at(-1)?.status, 400);
      assert.match(visited.at(-1)?.body ?? '', /cannot complete the sign-in/);
      await assert.rejects(flow.listener.code, AuthorizationTimeoutError);
      await waitUntilClosed(flow.listener.port);
    });
  }

  test('pasted URL completes when the browser cannot reach the listener', async () => {
    emulator.configure({ autoApprove: true });
    const flow = await startEmulatorFlow(emulator, SCOPES);
    const response = await request(flow.authorizeUrl, { method: 'GET' });
    await response.body.dump();
    const redirect = response.headers.location as string;
    assert.match(redirect, /\/callback\?code=/);
    flow.listener.completeFromPastedUrl(redirect);
    const code = await flow.listener.code;
    const tokens = await exchangeAuthorizationCode(endpointConfig(emulator), {
      code,
      redirectUri: flow.listener.redirectUri,
      codeVerifier: flow.verifier,
      requestedScopes: SCOPES,
    });
    assert.equal((await callOperation(emulator, 'getCurrentUser', { token: tokens.accessToken })).status, 200);
  });

  test('code works once only', async () => {
    emulator.configure({ autoApprove: true });
    const flow = await startEmulatorFlow(emulator, SCOPES);
    await followLikeBrowser(flow.authorizeUrl);
    const code = await flow.listener.code;
    const exchange = { code, redirectUri: flow.listener.redirectUri, codeVerifier: flow.verifier, requestedScopes: SCOPES };
    const tokens = await exchangeAuthorizationCode(endpointConfig(emulator), exchange);
    await assert.rejects(exchangeAuthorizationCode(endpointConfig(emulator), exchange), InvalidGrantError);
    assert.equal((await callOperation(emulator, 'listClusters', { token: tokens.accessToken })).status, 401, 'code reuse revokes its tokens');
  });

  test('partial consent records granted scopes', async () => {
    emulator.configure({ grantScopes: ['read:clusters'] });
    const tokens = await signIn(emulator, SCOPES);
    assert.deepEqual(tokens.scopes, ['read:clusters']);
    assert.equal(tokenRequests(emulator), 1);
  });
});
