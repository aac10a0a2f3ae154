import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';

import { OPERATIONS } from '../../src/api/operations';
import { startEmulator, type Emulator } from '../emulator/index';
import { s256Challenge } from '../emulator/oauth-token';
import {
  authorizeAndDecide,
  authorizeUrl,
  callOperation,
  pkcePair,
  REDIRECT_URI,
  signIn,
  tokenRequest,
} from './emulator-helpers';

const CLIENT_ID = 'datastack-vscode';

describe('emulator OAuth', () => {
  let emulator: Emulator;
  let clock = Date.now();

  before(async () => {
    emulator = await startEmulator({ now: () => clock, clientIds: [CLIENT_ID, '<script>alert("x")</script>'] });
  });
  beforeEach(() => {
    clock = Date.now();
    emulator.reset();
  });
  after(() => emulator.close());

  async function codeFor(challenge: string, overrides: Record<string, string | null> = {}): Promise<string> {
    const location = await authorizeAndDecide(emulator, authorizeUrl(emulator.url, challenge, overrides));
    return location.searchParams.get('code') ?? '';
  }

  function exchange(code: string, verifier: string, redirectUri = REDIRECT_URI) {
    return tokenRequest(emulator, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: redirectUri,
      client_id: CLIENT_ID,
      code_verifier: verifier,
    });
  }

  function refresh(refreshToken: string) {
    return tokenRequest(emulator, { grant_type: 'refresh_token', refresh_token: refreshToken, client_id: CLIENT_ID });
  }

  test('PKCE S256 matches RFC 7636 appendix B', () => {
    assert.equal(s256Challenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk'), 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
  });

  test('code exchange with the appendix B pair', async () => {
    const code = await codeFor('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
    const result = await exchange(code, 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk');
    assert.equal(result.status, 200);
    assert.equal(result.json['token_type'], 'Bearer');
    assert.equal(result.json['expires_in'], 3600);
    assert.equal(typeof result.json['access_token'], 'string');
    assert.equal(typeof result.json['refresh_token'], 'string');
    assert.equal(result.json['scope'], `${OPERATIONS.listClusters.scope} ${OPERATIONS.listWarehouses.scope}`);
    assert.equal(result.headers.get('cache-control'), 'no-store');
  });

  test('issued access token holds the granted scopes', async () => {
    const tokens = await signIn(emulator);
    const token = tokens['access_token'] as string;
    const clusters = await callOperation(emulator, 'listClusters', { token });
    const jobs = await callOperation(emulator, 'listJobs', { token });
    assert.equal(clusters.status, 200);
    assert.equal(jobs.status, 403);
  });

  test('issued access token expires after expires_in', async () => {
    emulator.configure({ accessTokenLifetimeSeconds: 60 });
    const tokens = await signIn(emulator);
    assert.equal(tokens['expires_in'], 60);
    clock += 61_000;
    const result = await callOperation(emulator, 'listClusters', { token: tokens['access_token'] as string });
    assert.equal(result.status, 401);
  });

  test('approve redirects with code and unchanged state', async () => {
    const state = 'a-b_c.d~e%2Ff';
    const location = await authorizeAndDecide(emulator, authorizeUrl(emulator.url, pkcePair().challenge, { state }));
    assert.equal(`${location.origin}${location.pathname}`, REDIRECT_URI);
    assert.equal(location.searchParams.get('state'), state);
    assert.match(location.searchParams.get('code') ?? '', /^\S{20,}$/);
  });

  test('deny redirects with access_denied and state', async () => {
    const location = await authorizeAndDecide(emulator, authorizeUrl(emulator.url, pkcePair().challenge), 'deny');
    assert.equal(location.searchParams.get('error'), 'access_denied');
    assert.equal(location.searchParams.get('state'), 'state-1234567890');
    assert.equal(location.searchParams.get('code'), null);
  });

  test('decision request id works once', async () => {
    const page = await fetch(authorizeUrl(emulator.url, pkcePair().challenge));
    const requestId = /name="request_id" value="([^"]+)"/.exec(await page.text())?.[1] ?? '';
    const decide = () =>
      fetch(new URL('/oauth2/authorize/decision', emulator.url), {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ request_id: requestId, decision: 'approve' }).toString(),
      });
    assert.equal((await decide()).status, 302);
    assert.equal((await decide()).status, 400);
  });

  test('consent page escapes the client id', async () => {
    const url = authorizeUrl(emulator.url, pkcePair().challenge, { client_id: '<script>alert("x")</script>' });
    const response = await fetch(url);
    const html = await response.text();
    assert.equal(response.status, 200);
    assert.ok(!html.includes('<script>'), 'raw script tag in the page');
    assert.ok(html.includes('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;'));
    assert.match(response.headers.get('content-security-policy') ?? '', /default-src 'none'/);
    assert.ok(html.includes('id="approve"'));
    assert.ok(html.includes('id="deny"'));
    assert.ok(html.includes(OPERATIONS.listClusters.scope));
  });

  test('consent page carries no code', async () => {
    const html = await (await fetch(authorizeUrl(emulator.url, pkcePair().challenge))).text();
    assert.ok(!/code=/.test(html));
    assert.match(html, /name="request_id" value="dsar_/);
  });

  test('code is single use and reuse revokes its tokens', async () => {
    const pair = pkcePair();
    const code = await codeFor(pair.challenge);
    const first = await exchange(code, pair.verifier);
    const second = await exchange(code, pair.verifier);
    assert.equal(first.status, 200);
    assert.equal(second.status, 400);
    assert.equal(second.json['error'], 'invalid_grant');
    const api = await callOperation(emulator, 'listClusters', { token: first.json['access_token'] as string });
    assert.equal(api.status, 401);
  });

  test('code expires after 60 seconds', async () => {
    const pair = pkcePair();
    const code = await codeFor(pair.challenge);
    clock += 61_000;
    const result = await exchange(code, pair.verifier);
    assert.equal(result.status, 400);
    assert.equal(result.json['error'], 'invalid_grant');
  });

  test('code within 60 seconds is accepted', async () => {
    const pair = pkcePair();
    const code = await codeFor(pair.challenge);
    clock += 59_000;
    assert.equal((await exchange(code, pair.verifier)).status, 200);
  });

  test('redirect_uri mismatch is invalid_grant', async () => {
    const pair = pkcePair();
    const code = await codeFor(pair.challenge);
    const result = await exchange(code, pair.verifier, 'http://127.0.0.1:53683/callback');
    assert.equal(result.status, 400);
    assert.equal(result.json['error'], 'invalid_grant');
  });

  test('wrong verifier is invalid_grant', async () => {
    const code = await codeFor(pkcePair().challenge);
    const result = await exchange(code, pkcePair().verifier);
    assert.equal(result.status, 400);
    assert.equal(result.json['error'], 'invalid_grant');
  });

  test('unknown client at the token endpoint is 401', async () => {
    const pair = pkcePair();
    const code = await codeFor(pair.challenge);
    const result = await tokenRequest(emulator, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT_URI,
      client_id: 'someone-else',
      code_verifier: pair.verifier,
    });
    assert.equal(result.status, 401);
    assert.equal(result.json['error'], 'invalid_client');
  });

  test('unsupported grant type', async () => {
    const result = await tokenRequest(emulator, { grant_type: 'password', client_id: CLIENT_ID });
    assert.equal(result.status, 400);
    assert.equal(result.json['error'], 'unsupported_grant_type');
  });

  test('missing code_verifier is invalid_request', async () => {
    const code = await codeFor(pkcePair().challenge);
    const result = await tokenRequest(emulator, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT_URI,
      client_id: CLIENT_ID,
    });
    assert.equal(result.status, 400);
    assert.equal(result.json['error'], 'invalid_request');
  });

  test('JSON token request is invalid_request', async () => {
    const response = await fetch(new URL('/oauth2/token', emulator.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ grant_type: 'refresh_token', client_id: CLIENT_ID }),
    });
    assert.equal(response.status, 400);
    assert.equal(((await response.json()) as { error: string }).error, 'invalid_request');
  });

  test('refresh rotates the refresh token', async () => {
    const tokens = await signIn(emulator);
    const refreshed = await refresh(tokens['refresh_token'] as string);
    assert.equal(refreshed.status, 200);
    assert.notEqual(refreshed.json['refresh_token'], tokens['refresh_token']);
    assert.notEqual(refreshed.json['access_token'], tokens['access_token']);
    assert.equal(refreshed.json['scope'], tokens['scope']);
    const next = await refresh(refreshed.json['refresh_token'] as string);
    assert.equal(next.status, 200);
  });

  test('refresh token reuse revokes the family', async () => {
    const tokens = await signIn(emulator);
    const refreshed = await refresh(tokens['refresh_token'] as string);
    const reuse = await refresh(tokens['refresh_token'] as string);
    assert.equal(reuse.status, 400);
    assert.equal(reuse.json['error'], 'invalid_grant');
    const newest = await refresh(refreshed.json['refresh_token'] as string);
    assert.equal(newest.json['error'], 'invalid_grant');
    for (const token of [tokens['access_token'], refreshed.json['access_token']]) {
      const api = await callOperation(emulator, 'listClusters', { token: token as string });
      assert.equal(api.status, 401);
    }
  });

  test('refresh without rotation keeps the refresh token', async () => {
    emulator.configure({ refreshTokenRotation: false });
    const tokens = await signIn(emulator);
    const first = await refresh(tokens['refresh_token'] as string);
    const second = await refresh(tokens['refresh_token'] as string);
    assert.equal(first.status, 200);
    assert.equal(first.json['refresh_token'], undefined);
    assert.equal(second.status, 200);
  });

  test('refresh with a wider scope is invalid_scope', async () => {
    const tokens = await signIn(emulator);
    const result = await tokenRequest(emulator, {
      grant_type: 'refresh_token',
      refresh_token: tokens['refresh_token'] as string,
      client_id: CLIENT_ID,
      scope: OPERATIONS.startWarehouse.scope,
    });
    assert.equal(result.status, 400);
    assert.equal(result.json['error'], 'invalid_scope');
  });

  test('grantScopes gives partial consent', async () => {
    emulator.configure({ grantScopes: [OPERATIONS.listClusters.scope] });
    const tokens = await signIn(emulator);
    assert.equal(tokens['scope'], OPERATIONS.listClusters.scope);
    const warehouses = await callOperation(emulator, 'listWarehouses', { token: tokens['access_token'] as string });
    assert.equal(warehouses.status, 403);
  });

  test('autoApprove redirects at once', async () => {
    emulator.configure({ autoApprove: true });
    const response = await fetch(authorizeUrl(emulator.url, pkcePair().challenge), { redirect: 'manual' });
    assert.equal(response.status, 302);
    const location = new URL(response.headers.get('location') ?? '');
    assert.ok(location.searchParams.has('code'));
  });

  test('revoke ends the family', async () => {
    const tokens = await signIn(emulator);
    const response = await fetch(new URL('/oauth2/revoke', emulator.url), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: tokens['refresh_token'] as string, client_id: CLIENT_ID }).toString(),
    });
    assert.equal(response.status, 200);
    assert.equal((await refresh(tokens['refresh_token'] as string)).json['error'], 'invalid_grant');
    const api = await callOperation(emulator, 'listClusters', { token: tokens['access_token'] as string });
    assert.equal(api.status, 401);
  });

  test('revoke can be made unavailable', async () => {
    emulator.configure({ revocationAvailable: false });
    const response = await fetch(new URL('/oauth2/revoke', emulator.url), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: 'x', client_id: CLIENT_ID }).toString(),
    });
    assert.equal(response.status, 503);
  });

  describe('authorize request validation', () => {
    const pageCases: [string, Record<string, string | null>][] = [
      ['unknown client', { client_id: 'evil-client' }],
      ['missing client', { client_id: null }],
      ['https redirect', { redirect_uri: 'https://127.0.0.1:53682/callback' }],
      ['non-loopback redirect', { redirect_uri: 'http://example.com/callback' }],
      ['localhost redirect', { redirect_uri: 'http://localhost:53682/callback' }],
      ['other path', { redirect_uri: 'http://127.0.0.1:53682/other' }],
      ['redirect with query', { redirect_uri: 'http://127.0.0.1:53682/callback?next=http://example.com' }],
      ['missing redirect', { redirect_uri: null }],
    ];
    for (const [name, overrides] of pageCases) {
      test(`${name} shows an error page`, async () => {
        const response = await fetch(authorizeUrl(emulator.url, pkcePair().challenge, overrides), { redirect: 'manual' });
        assert.equal(response.status, 400);
        assert.equal(response.headers.get('location'), null);
        assert.match(response.headers.get('content-type') ?? '', /^text\/html/);
      });
    }

    const redirectCases: [string, Record<string, string | null>, string][] = [
      ['wrong response type', { response_type: 'token' }, 'unsupported_response_type'],
      ['plain method', { code_challenge_method: 'plain' }, 'invalid_request'],
      ['missing method', { code_challenge_method: null }, 'invalid_request'],
      ['missing challenge', { code_challenge: null }, 'invalid_request'],
      ['unknown scope', { scope: 'read:everything' }, 'invalid_scope'],
      ['empty scope', { scope: '' }, 'invalid_scope'],
      ['wrong audience', { audience: 'https://evil.example' }, 'invalid_request'],
      ['missing audience', { audience: null }, 'invalid_request'],
    ];
    for (const [name, overrides, error] of redirectCases) {
      test(`${name} redirects with ${error}`, async () => {
        const response = await fetch(authorizeUrl(emulator.url, pkcePair().challenge, overrides), { redirect: 'manual' });
        assert.equal(response.status, 302);
        const location = new URL(response.headers.get('location') ?? '');
        assert.equal(`${location.origin}${location.pathname}`, REDIRECT_URI);
        assert.equal(location.searchParams.get('error'), error);
        assert.equal(location.searchParams.get('state'), 'state-1234567890');
      });
    }

    test('IPv6 loopback and any port are accepted', async () => {
      const redirect = 'http://[::1]:1234/callback';
      const location = await authorizeAndDecide(emulator, authorizeUrl(emulator.url, pkcePair().challenge, { redirect_uri: redirect }));
      assert.equal(`${location.origin}${location.pathname}`, redirect);
    });

    test('authorizeError redirects with that error', async () => {
      emulator.configure({ authorizeError: 'server_error' });
      const response = await fetch(authorizeUrl(emulator.url, pkcePair().challenge), { redirect: 'manual' });
      const location = new URL(response.headers.get('location') ?? '');
      assert.equal(location.searchParams.get('error'), 'server_error');
    });

    test('callbackState omit and altered', async () => {
      emulator.configure({ autoApprove: true, callbackState: 'omit' });
      const omitted = await authorizeAndDecide(emulator, authorizeUrl(emulator.url, pkcePair().challenge));
      emulator.configure({ callbackState: 'altered' });
      const altered = await authorizeAndDecide(emulator, authorizeUrl(emulator.url, pkcePair().challenge));
      assert.equal(omitted.searchParams.get('state'), null);
      assert.notEqual(altered.searchParams.get('state'), 'state-1234567890');
    });
  });

  test('token endpoint fault from config', async () => {
    const tokens = await signIn(emulator);
    const configured = await fetch(new URL('/_emulator/config', emulator.url), {
      method: 'POST',
      body: JSON.stringify({ tokenFault: { kind: 'server-error', status: 503, count: 2 } }),
    });
    assert.equal(configured.status, 200);
    const first = await refresh(tokens['refresh_token'] as string);
    const second = await refresh(tokens['refresh_token'] as string);
    const third = await refresh(tokens['refresh_token'] as string);
    assert.deepEqual([first.status, second.status, third.status], [503, 503, 200]);
  });
});

describe('emulator on two loopback addresses', () => {
  test('shares one state across hosts', async () => {
    const emulator = await startEmulator({ hosts: ['127.0.0.1', '127.0.0.2'], autoApprove: true });
    try {
      assert.equal(emulator.urls.length, 2);
      assert.match(emulator.urls[1] as string, /^http:\/\/127\.0\.0\.2:\d+$/);
      const pair = pkcePair();
      const authorize = await fetch(authorizeUrl(emulator.urls[1] as string, pair.challenge), { redirect: 'manual' });
      const code = new URL(authorize.headers.get('location') ?? '').searchParams.get('code') ?? '';
      const result = await tokenRequest(emulator, {
        grant_type: 'authorization_code',
        code,
        redirect_uri: REDIRECT_URI,
        client_id: CLIENT_ID,
        code_verifier: pair.verifier,
      });
      assert.equal(result.status, 200);
    } finally {
      await emulator.close();
    }
  });
});
