import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { after, before, beforeEach, describe, test } from 'node:test';
import { RequestAbortedError } from '../../src/api/errors';
import {
  InvalidGrantError,
  InvalidScopeError,
  OAuthConfigurationError,
  TokenEndpointError,
  TokenEndpointUnavailableError,
  TokenResponseError,
} from '../../src/auth/errors';
import { exchangeAuthorizationCode, refreshTokens, type CodeExchangeRequest } from '../../src/auth/tokenEndpoint';
import { startEmulator, type Emulator } from '../emulator/index';
import { endpointConfig, followLikeBrowser, signIn, startEmulatorFlow, tokenRequests } from './auth-fixtures';

const SCOPES = ['read:clusters'];
const noSleep = async (): Promise<void> => undefined;
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

/** Runs the browser part of a sign-in and returns the code exchange request, not yet sent. */
async function authorizedExchange(): Promise<CodeExchangeRequest> {
  emulator.configure({ autoApprove: true });
  const flow = await startEmulatorFlow(emulator, SCOPES);
  await followLikeBrowser(flow.authorizeUrl);
  const code = await flow.listener.code;
  await flow.listener.dispose();
  emulator.clearRequests();
  return { code, redirectUri: flow.listener.redirectUri, codeVerifier: flow.verifier, requestedScopes: SCOPES };
}

describe('code exchange', () => {
  test('wrong verifier is invalid_grant', async () => {
    const exchange = await authorizedExchange();
    await assert.rejects(
      exchangeAuthorizationCode(endpointConfig(emulator), { ...exchange, codeVerifier: 'x'.repeat(43) }),
      InvalidGrantError,
    );
  });

  test('different redirect uri is invalid_grant', async () => {
    const exchange = await authorizedExchange();
    await assert.rejects(
      exchangeAuthorizationCode(endpointConfig(emulator), { ...exchange, redirectUri: `${exchange.redirectUri}/` }),
      InvalidGrantError,
    );
  });

  test('unknown client is a configuration error', async () => {
    const exchange = await authorizedExchange();
    await assert.rejects(
      exchangeAuthorizationCode(endpointConfig(emulator, { clientId: 'someone-else' }), exchange),
      (error: unknown) => error instanceof OAuthConfigurationError && error.details.code === 'invalid_client' && error.status === 401,
    );
  });

  test('html with 200 is not JSON', async () => {
    const exchange = await authorizedExchange();
    emulator.injectFault({ kind: 'html', status: 200, path: '/oauth2/token' });
    await assert.rejects(exchangeAuthorizationCode(endpointConfig(emulator), exchange), (error: unknown) => {
      assert.ok(error instanceof TokenResponseError);
      assert.equal(error.status, 200);
      assert.equal(error.problem, 'the response was not JSON');
      assert.match(error.message, /HTTP 200/);
      assert.match(error.message, /not JSON/);
      assert.doesNotMatch(error.message, /Unexpected token/);
      assert.match(error.excerpt, /</);
      return true;
    });
  });

  test('html with 502 is unavailable and not JSON', async () => {
    const exchange = await authorizedExchange();
    emulator.injectFault({ kind: 'html', status: 502, path: '/oauth2/token' });
    await assert.rejects(exchangeAuthorizationCode(endpointConfig(emulator), exchange), (error: unknown) => {
      assert.ok(error instanceof TokenEndpointUnavailableError);
      assert.equal(error.status, 502);
      assert.match(error.message, /HTTP 502/);
      assert.match(error.message, /not JSON/);
      return true;
    });
    assert.equal(tokenRequests(emulator), 1, 'a code exchange is never retried');
  });

  test('json content type with html body is not JSON', async () => {
    const exchange = await authorizedExchange();
    emulator.injectFault({ kind: 'malformed-json', path: '/oauth2/token' });
    await assert.rejects(
      exchangeAuthorizationCode(endpointConfig(emulator), exchange),
      (error: unknown) =>
        error instanceof TokenResponseError &&
        error.problem === 'the response was not JSON' &&
        /json/.test(error.contentType ?? '') &&
        !/Unexpected token/.test(error.message),
    );
  });

  test('dropped connection is not retried', async () => {
    const exchange = await authorizedExchange();
    emulator.injectFault({ kind: 'drop', path: '/oauth2/token' });
    await assert.rejects(
      exchangeAuthorizationCode(endpointConfig(emulator), exchange),
      (error: unknown) => error instanceof TokenEndpointUnavailableError && error.reason === 'network',
    );
    assert.equal(tokenRequests(emulator), 1);
  });

  test('timeout is unavailable and not retried', async () => {
    const exchange = await authorizedExchange();
    emulator.injectFault({ kind: 'latency', ms: 1000, path: '/oauth2/token' });
    await assert.rejects(
      exchangeAuthorizationCode(endpointConfig(emulator, { timeoutMs: 100 }), exchange),
      (error: unknown) => error instanceof TokenEndpointUnavailableError && error.reason === 'timeout',
    );
    // The emulator logs a request when it sends the response, after the injected latency.
    await new Promise((resolve) => setTimeout(resolve, 1200));
    assert.equal(tokenRequests(emulator), 1);
  });

  test('abort gives RequestAbortedError', async () => {
    const exchange = await authorizedExchange();
    emulator.injectFault({ kind: 'latency', ms: 1000, path: '/oauth2/token' });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    await assert.rejects(exchangeAuthorizationCode(endpointConfig(emulator), exchange, controller.signal), RequestAbortedError);
  });

  test('error messages hold no code or verifier', async () => {
    const exchange = await authorizedExchange();
    emulator.injectFault({ kind: 'oauth-error', error: 'invalid_grant', path: '/oauth2/token' });
    const error = await exchangeAuthorizationCode(endpointConfig(emulator), exchange).catch((caught: unknown) => caught as Error);
    assert.ok(error instanceof InvalidGrantError);
    assert.ok(!error.message.includes(exchange.code));
    assert.ok(!error.message.includes(exchange.codeVerifier));
    assert.ok(!JSON.stringify(error).includes(exchange.code));
  });
});

describe('token error mapping', () => {
  const cases: [string, number, (error: unknown) => boolean][] = [
    ['invalid_grant', 400, (error) => error instanceof InvalidGrantError],
    ['invalid_client', 401, (error) => error instanceof OAuthConfigurationError],
    ['unauthorized_client', 400, (error) => error instanceof OAuthConfigurationError],
    ['unsupported_grant_type', 400, (error) => error instanceof OAuthConfigurationError],
    ['invalid_scope', 400, (error) => error instanceof InvalidScopeError],
    ['temporarily_unavailable', 503, (error) => error instanceof TokenEndpointUnavailableError && error.code === 'temporarily_unavailable'],
    ['server_error', 500, (error) => error instanceof TokenEndpointUnavailableError && error.status === 500],
    [
      'invalid_request',
      400,
      (error) =>
        error instanceof TokenEndpointError &&
        !(error instanceof InvalidGrantError) &&
        !(error instanceof OAuthConfigurationError) &&
        !(error instanceof InvalidScopeError),
    ],
  ];
  for (const [code, status, check] of cases) {
    test(`${code} maps to its error`, async () => {
      const exchange = await authorizedExchange();
      emulator.injectFault({ kind: 'oauth-error', error: code, status, path: '/oauth2/token' });
      await assert.rejects(exchangeAuthorizationCode(endpointConfig(emulator), exchange), (error: unknown) => {
        assert.ok(check(error), `unexpected ${(error as Error).constructor.name}: ${(error as Error).message}`);
        return true;
      });
      assert.equal(tokenRequests(emulator), 1);
    });
  }
});

describe('refresh request', () => {
  test('rotation returns a new refresh token', async () => {
    const tokens = await signIn(emulator, SCOPES);
    const refreshed = await refreshTokens(endpointConfig(emulator), { refreshToken: tokens.refreshToken as string, requestedScopes: SCOPES });
    assert.ok(refreshed.refreshToken);
    assert.notEqual(refreshed.refreshToken, tokens.refreshToken);
    assert.notEqual(refreshed.accessToken, tokens.accessToken);
    assert.deepEqual(refreshed.scopes, SCOPES);
  });

  test('no rotation returns no refresh token', async () => {
    emulator.configure({ refreshTokenRotation: false });
    const tokens = await signIn(emulator, SCOPES);
    const refreshed = await refreshTokens(endpointConfig(emulator), { refreshToken: tokens.refreshToken as string, requestedScopes: SCOPES });
    assert.equal(refreshed.refreshToken, undefined);
  });

  test('503 is retried then unavailable', async () => {
    const tokens = await signIn(emulator, SCOPES);
    emulator.clearRequests();
    emulator.injectFault({ kind: 'server-error', status: 503, path: '/oauth2/token', count: 5 });
    const delays: number[] = [];
    await assert.rejects(
      refreshTokens(endpointConfig(emulator), { refreshToken: tokens.refreshToken as string, requestedScopes: SCOPES }, undefined, {
        attempts: 3,
        baseDelayMs: 100,
        sleep: async (ms) => {
          delays.push(ms);
        },
      }),
      (error: unknown) => error instanceof TokenEndpointUnavailableError && error.status === 503,
    );
    assert.equal(tokenRequests(emulator), 3);
    assert.deepEqual(delays, [100, 200]);
  });

  test('503 then success recovers', async () => {
    const tokens = await signIn(emulator, SCOPES);
    emulator.clearRequests();
    emulator.injectFault({ kind: 'server-error', status: 503, path: '/oauth2/token', count: 1 });
    const refreshed = await refreshTokens(
      endpointConfig(emulator),
      { refreshToken: tokens.refreshToken as string, requestedScopes: SCOPES },
      undefined,
      { sleep: noSleep },
    );
    assert.ok(refreshed.accessToken);
    assert.equal(tokenRequests(emulator), 2);
  });

  test('502 is not retried', async () => {
    const tokens = await signIn(emulator, SCOPES);
    emulator.clearRequests();
    emulator.injectFault({ kind: 'server-error', status: 502, path: '/oauth2/token', count: 5 });
    await assert.rejects(
      refreshTokens(endpointConfig(emulator), { refreshToken: tokens.refreshToken as string, requestedScopes: SCOPES }, undefined, { sleep: noSleep }),
      TokenEndpointUnavailableError,
    );
    assert.equal(tokenRequests(emulator), 1, 'the server may have rotated the token, so a replay would trip reuse detection');
  });

  test('dropped connection is not retried', async () => {
    const tokens = await signIn(emulator, SCOPES);
    emulator.clearRequests();
    emulator.injectFault({ kind: 'drop', path: '/oauth2/token', count: 5 });
    await assert.rejects(
      refreshTokens(endpointConfig(emulator), { refreshToken: tokens.refreshToken as string, requestedScopes: SCOPES }, undefined, { sleep: noSleep }),
      TokenEndpointUnavailableError,
    );
    assert.equal(tokenRequests(emulator), 1);
  });

  test('refused connection is retried', async () => {
    const port = await freePort();
    const attempts: number[] = [];
    await assert.rejects(
      refreshTokens({ tokenUrl: `http://127.0.0.1:${port}/oauth2/token`, clientId: 'datastack-vscode' }, { refreshToken: 'rt', requestedScopes: SCOPES }, undefined, {
        attempts: 3,
        sleep: async (ms) => {
          attempts.push(ms);
        },
      }),
      (error: unknown) => error instanceof TokenEndpointUnavailableError && error.reason === 'network' && error.code === 'ECONNREFUSED',
    );
    assert.equal(attempts.length, 2);
  });

  test('reused refresh token revokes the family', async () => {
    const tokens = await signIn(emulator, SCOPES);
    const refreshed = await refreshTokens(endpointConfig(emulator), { refreshToken: tokens.refreshToken as string, requestedScopes: SCOPES });
    await assert.rejects(
      refreshTokens(endpointConfig(emulator), { refreshToken: tokens.refreshToken as string, requestedScopes: SCOPES }),
      InvalidGrantError,
    );
    await assert.rejects(
      refreshTokens(endpointConfig(emulator), { refreshToken: refreshed.refreshToken as string, requestedScopes: SCOPES }),
      InvalidGrantError,
    );
  });
});

/** Returns a port on 127.0.0.1 that nothing listens on. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return typeof address === 'object' && address !== null ? address.port : 0;
}
