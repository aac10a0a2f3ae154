import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { CertificateError, ProxyError } from '../../src/api/errors';
import { NetworkDispatcher, type NetworkOptions } from '../../src/api/network/index';
import { InvalidGrantError } from '../../src/auth/errors';
import { refreshTokens } from '../../src/auth/tokenEndpoint';
import type { Emulator } from '../emulator/index';
import { createTestClient, startTestEmulator } from './client-fixtures';
import {
  type TestCertificates,
  type TestProxy,
  type TlsFront,
  basicAuthorization,
  makeTestCertificates,
  startTestProxy,
  startTlsFront,
  unusedPort,
} from './network-fixtures';

/** A proxy failure must surface well under this, in milliseconds, because it is never retried. */
const FAST_FAILURE_MS = 2000;
const PROXY_AUTHORIZATION = basicAuthorization('ada', 'proxy-secret');

let emulator: Emulator;
let certificates: TestCertificates;
let tlsFront: TlsFront;
let proxy: TestProxy;
let authProxy: TestProxy;
const dispatchers: NetworkDispatcher[] = [];

before(async () => {
  emulator = await startTestEmulator();
  certificates = makeTestCertificates();
  tlsFront = await startTlsFront(Number(new URL(emulator.url).port), { key: certificates.key, cert: certificates.leaf });
  proxy = await startTestProxy();
  authProxy = await startTestProxy({ requiredAuthorization: PROXY_AUTHORIZATION });
});

after(async () => {
  await Promise.all(dispatchers.map((dispatcher) => dispatcher.close()));
  await Promise.all([proxy.close(), authProxy.close(), tlsFront.close()]);
  await emulator.close();
  certificates.remove();
});

beforeEach(() => {
  emulator.reset();
  proxy.requests.length = 0;
  authProxy.requests.length = 0;
});

/** Creates a dispatcher that trusts the test CA; options override the defaults. */
function dispatcherWith(options: Partial<NetworkOptions>): NetworkDispatcher {
  const dispatcher = NetworkDispatcher.create({
    proxyStrictSSL: true,
    env: {},
    caCertificatePaths: [certificates.caPath],
    ...options,
  });
  dispatchers.push(dispatcher);
  return dispatcher;
}

/** Calls `GET /v1/users/me` on `host` and returns the client's recorded retry sleeps and the outcome. */
async function getUser(host: string, dispatcher: NetworkDispatcher) {
  const { client, sleeps } = createTestClient(emulator, { host, dispatcher });
  const started = performance.now();
  try {
    const user = await client.getCurrentUser();
    return { user, error: undefined, sleeps, elapsedMs: performance.now() - started };
  } catch (error) {
    return { user: undefined, error, sleeps, elapsedMs: performance.now() - started };
  }
}

describe('proxy routing', () => {
  test('http.proxy sends http in absolute form', async () => {
    const result = await getUser(emulator.url, dispatcherWith({ proxyUrl: proxy.url }));

    assert.equal(result.error, undefined);
    assert.equal(result.user?.user_name, 'ada@example.com');
    assert.deepEqual(proxy.requests, [{ method: 'GET', target: `${emulator.url}/v1/users/me`, status: 200 }]);
  });

  test('http.proxy tunnels https with CONNECT', async () => {
    const result = await getUser(tlsFront.url, dispatcherWith({ proxyUrl: proxy.url }));

    assert.equal(result.error, undefined);
    assert.equal(result.user?.user_name, 'ada@example.com');
    assert.deepEqual(proxy.requests, [{ method: 'CONNECT', target: `127.0.0.1:${tlsFront.port}`, status: 200 }]);
  });

  test('HTTP_PROXY routes http requests', async () => {
    const result = await getUser(emulator.url, dispatcherWith({ env: { HTTP_PROXY: proxy.url } }));

    assert.equal(result.error, undefined);
    assert.equal(proxy.requests.length, 1);
    assert.equal(proxy.requests[0]?.method, 'GET');
  });

  test('HTTPS_PROXY routes https requests', async () => {
    const deadPort = await unusedPort();
    const env = { HTTPS_PROXY: proxy.url, HTTP_PROXY: `http://127.0.0.1:${deadPort}` };
    const result = await getUser(tlsFront.url, dispatcherWith({ env }));

    assert.equal(result.error, undefined);
    assert.equal(proxy.requests.length, 1);
    assert.equal(proxy.requests[0]?.method, 'CONNECT');
  });

  test('lowercase https_proxy is read too', async () => {
    const result = await getUser(tlsFront.url, dispatcherWith({ env: { https_proxy: proxy.url } }));

    assert.equal(result.error, undefined);
    assert.equal(proxy.requests.length, 1);
  });

  test('https falls back to HTTP_PROXY', async () => {
    const result = await getUser(tlsFront.url, dispatcherWith({ env: { HTTP_PROXY: proxy.url } }));

    assert.equal(result.error, undefined);
    assert.equal(proxy.requests[0]?.method, 'CONNECT');
  });

  test('http.proxy wins over the environment', async () => {
    const deadPort = await unusedPort();
    const env = { HTTP_PROXY: `http://127.0.0.1:${deadPort}`, HTTPS_PROXY: `http://127.0.0.1:${deadPort}` };
    const result = await getUser(emulator.url, dispatcherWith({ proxyUrl: proxy.url, env }));

    assert.equal(result.error, undefined);
    assert.equal(proxy.requests.length, 1);
  });

  test('proxySupport off ignores every proxy', async () => {
    const dispatcher = dispatcherWith({ proxyUrl: proxy.url, env: { HTTP_PROXY: proxy.url }, proxySupport: 'off' });
    const result = await getUser(emulator.url, dispatcher);

    assert.equal(result.error, undefined);
    assert.equal(proxy.requests.length, 0);
  });

  test('without any proxy requests go direct', async () => {
    const result = await getUser(emulator.url, dispatcherWith({}));

    assert.equal(result.error, undefined);
    assert.equal(proxy.requests.length, 0);
  });
});

describe('proxy bypass', () => {
  const cases: { name: string; options: (port: string) => Partial<NetworkOptions>; proxied: boolean }[] = [
    { name: 'NO_PROXY host', options: () => ({ env: { HTTP_PROXY: proxy.url, NO_PROXY: '127.0.0.1' } }), proxied: false },
    { name: 'no_proxy lowercase', options: () => ({ env: { HTTP_PROXY: proxy.url, no_proxy: 'example.com,127.0.0.1' } }), proxied: false },
    { name: 'NO_PROXY star', options: () => ({ env: { HTTP_PROXY: proxy.url, NO_PROXY: '*' } }), proxied: false },
    { name: 'NO_PROXY host and port', options: (port) => ({ env: { HTTP_PROXY: proxy.url, NO_PROXY: `127.0.0.1:${port}` } }), proxied: false },
    { name: 'NO_PROXY other port', options: () => ({ env: { HTTP_PROXY: proxy.url, NO_PROXY: '127.0.0.1:1' } }), proxied: true },
    { name: 'NO_PROXY CIDR range', options: () => ({ env: { HTTP_PROXY: proxy.url, NO_PROXY: '127.0.0.0/8' } }), proxied: false },
    { name: 'NO_PROXY other host', options: () => ({ env: { HTTP_PROXY: proxy.url, NO_PROXY: 'example.com' } }), proxied: true },
    { name: 'http.noProxy with http.proxy', options: () => ({ proxyUrl: proxy.url, noProxy: ['127.0.0.1'] }), proxied: false },
    { name: 'NO_PROXY with http.proxy', options: () => ({ proxyUrl: proxy.url, env: { NO_PROXY: '127.0.0.1' } }), proxied: false },
  ];

  for (const { name, options, proxied } of cases) {
    test(`${name} ${proxied ? 'keeps the proxy' : 'bypasses the proxy'}`, async () => {
      const port = new URL(emulator.url).port;
      const result = await getUser(emulator.url, dispatcherWith(options(port)));

      assert.equal(result.error, undefined);
      assert.equal(proxy.requests.length, proxied ? 1 : 0);
    });
  }
});

describe('proxy failures', () => {
  test('407 on absolute form raises ProxyError at once', async () => {
    const result = await getUser(emulator.url, dispatcherWith({ proxyUrl: authProxy.url }));

    assert.ok(result.error instanceof ProxyError, String(result.error));
    assert.equal(result.error.reason, 'authenticationRequired');
    assert.equal(result.error.status, 407);
    assert.equal(result.error.proxy, `127.0.0.1:${authProxy.port}`);
    assert.match(result.error.message, /requires authentication/);
    assert.deepEqual(result.sleeps, []);
    assert.equal(authProxy.requests.length, 1);
    assert.ok(result.elapsedMs < FAST_FAILURE_MS, `took ${result.elapsedMs} ms`);
  });

  test('407 on CONNECT raises ProxyError at once', async () => {
    const result = await getUser(tlsFront.url, dispatcherWith({ proxyUrl: authProxy.url }));

    assert.ok(result.error instanceof ProxyError, String(result.error));
    assert.equal(result.error.reason, 'authenticationRequired');
    assert.equal(result.error.status, 407);
    assert.deepEqual(result.sleeps, []);
    assert.equal(authProxy.requests.length, 1);
    assert.ok(result.elapsedMs < FAST_FAILURE_MS, `took ${result.elapsedMs} ms`);
  });

  test('credentials in the proxy URL pass', async () => {
    const proxyUrl = `http://ada:proxy-secret@127.0.0.1:${authProxy.port}`;
    const plain = await getUser(emulator.url, dispatcherWith({ proxyUrl }));
    const tunnelled = await getUser(tlsFront.url, dispatcherWith({ proxyUrl }));

    assert.equal(plain.error, undefined);
    assert.equal(tunnelled.error, undefined);
    assert.deepEqual(authProxy.requests.map((request) => request.status), [200, 200]);
  });

  test('http.proxyAuthorization passes', async () => {
    const dispatcher = dispatcherWith({ proxyUrl: authProxy.url, proxyAuthorization: PROXY_AUTHORIZATION });
    const result = await getUser(tlsFront.url, dispatcher);

    assert.equal(result.error, undefined);
    assert.equal(authProxy.requests[0]?.status, 200);
  });

  test('CONNECT refused by the proxy raises rejected', async () => {
    // The proxy answers 502 because nothing listens on the target port.
    const host = `https://127.0.0.1:${await unusedPort()}`;
    const result = await getUser(host, dispatcherWith({ proxyUrl: proxy.url }));

    assert.ok(result.error instanceof ProxyError, String(result.error));
    assert.equal(result.error.reason, 'rejected');
    assert.equal(result.error.status, 502);
    assert.deepEqual(result.sleeps, []);
  });

  for (const scheme of ['http', 'https'] as const) {
    test(`dead proxy raises ProxyError at once for ${scheme}`, async () => {
      const deadPort = await unusedPort();
      const host = scheme === 'http' ? emulator.url : tlsFront.url;
      const result = await getUser(host, dispatcherWith({ proxyUrl: `http://127.0.0.1:${deadPort}` }));

      assert.ok(result.error instanceof ProxyError, String(result.error));
      assert.equal(result.error.reason, 'unreachable');
      assert.equal(result.error.code, 'ECONNREFUSED');
      assert.equal(result.error.proxy, `127.0.0.1:${deadPort}`);
      assert.match(result.error.message, new RegExp(`Could not reach the proxy 127\\.0\\.0\\.1:${deadPort}`));
      assert.deepEqual(result.sleeps, []);
      assert.ok(result.elapsedMs < FAST_FAILURE_MS, `took ${result.elapsedMs} ms`);
    });
  }

  test('ProxyError message has no proxy password', async () => {
    const deadPort = await unusedPort();
    const result = await getUser(emulator.url, dispatcherWith({ proxyUrl: `http://ada:proxy-secret@127.0.0.1:${deadPort}` }));

    assert.ok(result.error instanceof ProxyError);
    assert.doesNotMatch(result.error.message, /proxy-secret/);
    assert.doesNotMatch(result.error.proxy, /proxy-secret/);
  });
});

describe('proxy for token requests', () => {
  test('refresh goes through the proxy', async () => {
    const dispatcher = dispatcherWith({ proxyUrl: proxy.url });
    const config = { tokenUrl: `${emulator.url}/oauth2/token`, clientId: 'datastack-vscode', dispatcher };

    await assert.rejects(refreshTokens(config, { refreshToken: 'dsrt_unknown', requestedScopes: [] }), InvalidGrantError);
    assert.deepEqual(proxy.requests, [{ method: 'POST', target: `${emulator.url}/oauth2/token`, status: 200 }]);
  });

  /** Sends a refresh that may be tried three times and returns its error and the retry sleeps. */
  async function failedRefresh(tokenUrl: string, dispatcher: NetworkDispatcher) {
    const sleeps: number[] = [];
    const retry = { attempts: 3, baseDelayMs: 1, sleep: async (ms: number) => void sleeps.push(ms) };
    const config = { tokenUrl, clientId: 'datastack-vscode', dispatcher };
    const error = await refreshTokens(config, { refreshToken: 'dsrt_unknown', requestedScopes: [] }, undefined, retry).then(
      () => assert.fail('the refresh succeeded'),
      (caught: unknown) => caught,
    );
    return { error, sleeps };
  }

  test('dead proxy fails a refresh once', async () => {
    const deadPort = await unusedPort();
    const { error, sleeps } = await failedRefresh(`${emulator.url}/oauth2/token`, dispatcherWith({ proxyUrl: `http://127.0.0.1:${deadPort}` }));

    assert.ok(error instanceof ProxyError, String(error));
    assert.equal(error.reason, 'unreachable');
    assert.equal(error.code, 'ECONNREFUSED');
    assert.equal(error.host, emulator.url);
    assert.deepEqual(sleeps, []);
  });

  test('407 fails a refresh once', async () => {
    const { error, sleeps } = await failedRefresh(`${tlsFront.url}/oauth2/token`, dispatcherWith({ proxyUrl: authProxy.url }));

    assert.ok(error instanceof ProxyError, String(error));
    assert.equal(error.reason, 'authenticationRequired');
    assert.equal(error.status, 407);
    assert.deepEqual(sleeps, []);
    assert.equal(authProxy.requests.length, 1);
  });

  test('untrusted token endpoint raises CertificateError', async () => {
    const { error, sleeps } = await failedRefresh(`${tlsFront.url}/oauth2/token`, dispatcherWith({ caCertificatePaths: [] }));

    assert.ok(error instanceof CertificateError, String(error));
    assert.equal(error.reason, 'untrusted');
    assert.equal(error.certificateHost, `127.0.0.1:${tlsFront.port}`);
    assert.deepEqual(sleeps, []);
  });
});

describe('proxy TLS', () => {
  let tlsProxy: TestProxy;

  before(async () => {
    // The proxy's own certificate is self-signed, so only proxyStrictSSL false accepts it.
    tlsProxy = await startTestProxy({ tls: { key: certificates.key, cert: certificates.selfSigned } });
  });

  after(async () => {
    await tlsProxy.close();
  });

  test('proxyStrictSSL true rejects an untrusted proxy', async () => {
    const result = await getUser(tlsFront.url, dispatcherWith({ proxyUrl: tlsProxy.url, proxyStrictSSL: true }));

    assert.ok(result.error instanceof CertificateError, String(result.error));
    assert.equal(result.error.certificateHost, `127.0.0.1:${tlsProxy.port}`);
    assert.equal(result.error.code, 'DEPTH_ZERO_SELF_SIGNED_CERT');
    assert.deepEqual(result.sleeps, []);
  });

  test('proxyStrictSSL false accepts an untrusted proxy', async () => {
    const result = await getUser(tlsFront.url, dispatcherWith({ proxyUrl: tlsProxy.url, proxyStrictSSL: false }));

    assert.equal(result.error, undefined);
    assert.equal(tlsProxy.requests[0]?.method, 'CONNECT');
  });

  test('proxyStrictSSL false still verifies the API host', async () => {
    const dispatcher = dispatcherWith({ proxyUrl: tlsProxy.url, proxyStrictSSL: false, caCertificatePaths: [] });
    const result = await getUser(tlsFront.url, dispatcher);

    assert.ok(result.error instanceof CertificateError, String(result.error));
    assert.equal(result.error.certificateHost, `127.0.0.1:${tlsFront.port}`);
    assert.equal(result.error.code, 'UNABLE_TO_VERIFY_LEAF_SIGNATURE');
  });
});
