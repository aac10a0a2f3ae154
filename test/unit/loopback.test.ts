import assert from 'node:assert/strict';
import { Agent } from 'node:http';
import { join } from 'node:path';
import { describe, test, before } from 'node:test';
import { loadCallbackPages, type CallbackPages } from '../../src/auth/callbackPages';
import {
  AuthorizationCancelledError,
  AuthorizationDeniedError,
  AuthorizationServerError,
  AuthorizationTimeoutError,
  InvalidCallbackUrlError,
} from '../../src/auth/errors';
import { LoopbackListener, type LoopbackListenerOptions } from '../../src/auth/loopbackServer';
import { createState } from '../../src/auth/pkce';
import { canConnect, openSocket, send, settledWithin, waitForSocketClose, waitUntilClosed } from './loopback-helpers';

const AS_HOST = 'https://accounts.datastack.cloud';
let pages: CallbackPages;

before(async () => {
  pages = await loadCallbackPages(join(__dirname, '..', '..', 'media'));
});

async function startFlow(overrides: Partial<LoopbackListenerOptions> = {}): Promise<{ listener: LoopbackListener; state: string }> {
  const state = overrides.expectedState ?? createState();
  const listener = await LoopbackListener.start({ expectedState: state, authorizationHost: AS_HOST, pages, ...overrides });
  return { listener, state };
}

function callbackPath(params: Record<string, string>): string {
  return `/callback?${new URLSearchParams(params).toString()}`;
}

describe('loopback listener', () => {
  test('binds 127.0.0.1 on an ephemeral port', async () => {
    const { listener } = await startFlow();
    try {
      assert.match(listener.redirectUri, /^http:\/\/127\.0\.0\.1:\d+\/callback$/);
      assert.equal(listener.redirectUri, `http://127.0.0.1:${listener.port}/callback`);
      assert.ok(listener.port > 0);
      assert.equal(await canConnect(listener.port, '127.0.0.1'), true);
      assert.equal(await canConnect(listener.port, '127.0.0.2'), false, 'must not listen on other addresses');
    } finally {
      await listener.dispose();
    }
  });

  test('code resolves and response hides it', async () => {
    const { listener, state } = await startFlow();
    const response = await send(listener.port, callbackPath({ code: 'code-abc-123', state }));
    assert.equal(await listener.code, 'code-abc-123');
    assert.equal(response.status, 302);
    assert.equal(response.headers.location, '/success');
    assert.equal(response.headers['cache-control'], 'no-store');
    assert.ok(!response.body.includes('code-abc-123'));

    const page = await send(listener.port, '/success');
    assert.equal(page.status, 200);
    assert.equal(page.headers['cache-control'], 'no-store');
    assert.match(page.headers['content-type'] ?? '', /text\/html/);
    assert.match(page.body, /signed in to DataStack/);
    assert.ok(!page.body.includes('code-abc-123'));
    assert.ok(!page.body.includes(state));
    await waitUntilClosed(listener.port);
    await listener.closed;
  });

  test('closes within 1 s without the page request', async () => {
    const { listener, state } = await startFlow();
    await send(listener.port, callbackPath({ code: 'c1', state }));
    await listener.code;
    await waitUntilClosed(listener.port, 1000);
  });

  test('two concurrent flows stay apart', async () => {
    const first = await startFlow();
    const second = await startFlow();
    try {
      assert.notEqual(first.listener.port, second.listener.port);
      const crossed = await send(second.listener.port, callbackPath({ code: 'first-code', state: first.state }));
      assert.equal(crossed.status, 400);
      assert.equal(await settledWithin(second.listener.code), 'pending');

      await send(second.listener.port, callbackPath({ code: 'second-code', state: second.state }));
      await send(first.listener.port, callbackPath({ code: 'first-code', state: first.state }));
      assert.equal(await second.listener.code, 'second-code');
      assert.equal(await first.listener.code, 'first-code');
    } finally {
      await Promise.all([first.listener.dispose(), second.listener.dispose()]);
    }
  });

  test('favicon and idle socket do not block', async () => {
    const { listener, state } = await startFlow();
    const idle = await openSocket(listener.port);
    const favicon = await send(listener.port, '/favicon.ico');
    assert.equal(favicon.status, 404);
    const root = await send(listener.port, '/');
    assert.equal(root.status, 404);
    assert.equal(await settledWithin(listener.code), 'pending');

    await send(listener.port, callbackPath({ code: 'c2', state }));
    assert.equal(await listener.code, 'c2');
    await waitForSocketClose(idle, 1500);
    await waitUntilClosed(listener.port);
  });

  test('other methods get 405', async () => {
    const { listener, state } = await startFlow();
    try {
      for (const method of ['POST', 'PUT', 'DELETE', 'HEAD']) {
        const response = await send(listener.port, callbackPath({ code: 'c', state }), { method });
        assert.equal(response.status, 405, method);
        assert.equal(response.headers.allow, 'GET');
      }
      assert.equal(await settledWithin(listener.code), 'pending');
    } finally {
      await listener.dispose();
    }
  });

  const ignoredCallbacks: [string, (state: string) => Record<string, string>, RegExp][] = [
    ['missing state', () => ({ code: 'c' }), /no state parameter/],
    ['empty state', () => ({ code: 'c', state: '' }), /no state parameter/],
    ['foreign state', () => ({ code: 'c', state: createState() }), /different sign-in attempt/],
    ['state prefix', (state) => ({ code: 'c', state: state.slice(0, -1) }), /different sign-in attempt/],
    ['no code or error', (state) => ({ state }), /neither a code nor an error/],
    ['foreign state with error', () => ({ error: 'access_denied', state: createState() }), /different sign-in attempt/],
  ];
  for (const [name, params, reason] of ignoredCallbacks) {
    test(`${name} shows an error and keeps waiting`, async () => {
      const { listener, state } = await startFlow();
      try {
        const response = await send(listener.port, callbackPath(params(state)));
        assert.equal(response.status, 400);
        assert.equal(response.headers['cache-control'], 'no-store');
        assert.match(response.body, reason);
        assert.equal(await settledWithin(listener.code), 'pending');

        await send(listener.port, callbackPath({ code: 'good', state }));
        assert.equal(await listener.code, 'good');
      } finally {
        await listener.dispose();
      }
    });
  }

  test('repeated state parameter is ignored', async () => {
    const { listener, state } = await startFlow();
    try {
      const response = await send(listener.port, `/callback?code=c&state=${state}&state=${state}`);
      assert.equal(response.status, 400);
      assert.equal(await settledWithin(listener.code), 'pending');
    } finally {
      await listener.dispose();
    }
  });

  test('replayed callback is rejected', async () => {
    const { listener, state } = await startFlow({ closeGraceMs: 800 });
    const path = callbackPath({ code: 'once', state });
    await send(listener.port, path);
    assert.equal(await listener.code, 'once');
    const replay = await send(listener.port, path);
    assert.equal(replay.status, 400);
    assert.match(replay.body, /already finished/);
    await listener.dispose();
  });

  const idpErrors: [string, new (...args: never[]) => Error][] = [
    ['access_denied', AuthorizationDeniedError],
    ['invalid_request', AuthorizationServerError],
    ['unauthorized_client', AuthorizationServerError],
    ['unsupported_response_type', AuthorizationServerError],
    ['invalid_scope', AuthorizationServerError],
    ['server_error', AuthorizationServerError],
    ['temporarily_unavailable', AuthorizationServerError],
  ];
  for (const [code, errorClass] of idpErrors) {
    test(`idp error ${code} ends the flow`, async () => {
      const { listener, state } = await startFlow();
      const response = await send(listener.port, callbackPath({ error: code, error_description: 'Because.', state }));
      await assert.rejects(listener.code, (error: unknown) => {
        assert.ok(error instanceof errorClass);
        assert.ok(error instanceof AuthorizationServerError);
        assert.equal(error.details.code, code);
        assert.equal(error.details.description, 'Because.');
        return true;
      });
      assert.equal(response.status, 302);
      assert.equal(response.headers.location, '/error');
      const page = await send(listener.port, '/error');
      assert.equal(page.status, 200);
      assert.match(page.body, new RegExp(`\\(${code}\\)`));
      await waitUntilClosed(listener.port);
    });
  }

  test('denied error has a human message', async () => {
    const { listener, state } = await startFlow();
    await send(listener.port, callbackPath({ error: 'access_denied', state }));
    await assert.rejects(listener.code, /declined or cancelled/);
  });

  test('error description is escaped', async () => {
    const { listener, state } = await startFlow();
    const description = '<script>alert("x")</script><img src=x onerror=alert(1)>';
    await send(listener.port, callbackPath({ error: 'server_error', error_description: description, state }));
    await assert.rejects(listener.code, AuthorizationServerError);
    const page = await send(listener.port, '/error');
    assert.ok(!page.body.includes('<script>alert'));
    assert.ok(!page.body.includes('<img'));
    assert.ok(page.body.includes('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;'));
    assert.match(String(page.headers['content-security-policy']), /default-src 'none'/);
    assert.ok(!page.body.includes('{{message}}'));
  });

  test('timeout ends the flow and closes', async () => {
    const { listener } = await startFlow({ timeoutMs: 150 });
    const idle = await openSocket(listener.port);
    await assert.rejects(listener.code, (error: unknown) => error instanceof AuthorizationTimeoutError && error.timeoutMs === 150);
    await waitUntilClosed(listener.port);
    await waitForSocketClose(idle);
  });

  test('abort ends the flow and closes', async () => {
    const controller = new AbortController();
    const { listener } = await startFlow({ signal: controller.signal });
    const keepAlive = new Agent({ keepAlive: true });
    await send(listener.port, '/favicon.ico', { agent: keepAlive });
    controller.abort();
    await assert.rejects(listener.code, AuthorizationCancelledError);
    await waitUntilClosed(listener.port);
    keepAlive.destroy();
  });

  test('aborted signal rejects start', async () => {
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(startFlow({ signal: controller.signal }), AuthorizationCancelledError);
  });

  test('dispose cancels and closes', async () => {
    const { listener } = await startFlow();
    const idle = await openSocket(listener.port);
    await listener.dispose();
    await assert.rejects(listener.code, AuthorizationCancelledError);
    assert.equal(await canConnect(listener.port), false);
    await waitForSocketClose(idle);
  });

  test('keep-alive socket is closed after success', async () => {
    const { listener, state } = await startFlow();
    const keepAlive = new Agent({ keepAlive: true, maxSockets: 1 });
    const redirect = await send(listener.port, callbackPath({ code: 'ka', state }), { agent: keepAlive });
    assert.equal(redirect.status, 302);
    const page = await send(listener.port, '/success', { agent: keepAlive });
    assert.equal(page.status, 200);
    assert.equal(await listener.code, 'ka');
    await listener.closed;
    await waitUntilClosed(listener.port);
    keepAlive.destroy();
  });

  test('slowloris does not block the flow', async () => {
    const { listener, state } = await startFlow({ requestTimeoutMs: 60_000 });
    const slow = await openSocket(listener.port);
    slow.write('GET /callback?code=slow');
    const drip = setInterval(() => slow.write('a'), 20);
    try {
      await send(listener.port, callbackPath({ code: 'fast', state }));
      assert.equal(await listener.code, 'fast');
      await waitUntilClosed(listener.port);
      await waitForSocketClose(slow);
    } finally {
      clearInterval(drip);
      slow.destroy();
    }
  });

  test('incomplete request times out', async () => {
    const { listener } = await startFlow({ requestTimeoutMs: 300 });
    try {
      const slow = await openSocket(listener.port);
      slow.write('GET /favicon.ico HTTP/1.1\r\nHost: x\r\n');
      const started = Date.now();
      await waitForSocketClose(slow, 3000);
      assert.ok(Date.now() - started < 3000);
      assert.equal(await settledWithin(listener.code), 'pending');
    } finally {
      await listener.dispose();
    }
  });

  test('oversized request is rejected', async () => {
    const { listener, state } = await startFlow();
    try {
      const long = await send(listener.port, `/callback?code=${'x'.repeat(9000)}&state=${state}`).catch(() => undefined);
      assert.ok(long === undefined || long.status === 414 || long.status === 431, `status ${long?.status}`);
      const bigHeader = await send(listener.port, '/favicon.ico', { headers: { 'x-filler': 'y'.repeat(9000) } }).catch(() => undefined);
      assert.ok(bigHeader === undefined || bigHeader.status === 431, `status ${bigHeader?.status}`);
      assert.equal(await settledWithin(listener.code), 'pending');
      await send(listener.port, callbackPath({ code: 'after', state }));
      assert.equal(await listener.code, 'after');
    } finally {
      await listener.dispose();
    }
  });

  test('final pages are 404 before the outcome', async () => {
    const { listener } = await startFlow();
    try {
      assert.equal((await send(listener.port, '/success')).status, 404);
      assert.equal((await send(listener.port, '/error')).status, 404);
    } finally {
      await listener.dispose();
    }
  });
});

describe('pasted redirect url', () => {
  test('completes the flow', async () => {
    const { listener, state } = await startFlow();
    listener.completeFromPastedUrl(`  http://127.0.0.1:${listener.port}/callback?code=pasted&state=${state}\n`);
    assert.equal(await listener.code, 'pasted');
    await waitUntilClosed(listener.port);
  });

  test('accepts another host name', async () => {
    const { listener, state } = await startFlow();
    listener.completeFromPastedUrl(`http://localhost:9/callback?code=pasted&state=${state}`);
    assert.equal(await listener.code, 'pasted');
  });

  const invalidUrls: [string, (state: string, port: number) => string, RegExp][] = [
    ['not a URL', () => 'code=abc', /not a URL/],
    ['wrong path', (state, port) => `http://127.0.0.1:${port}/?code=c&state=${state}`, /path is not \/callback/],
    ['wrong state', (_state, port) => `http://127.0.0.1:${port}/callback?code=c&state=${createState()}`, /different sign-in attempt/],
    ['missing state', (_state, port) => `http://127.0.0.1:${port}/callback?code=c`, /no state/],
    ['missing code', (state, port) => `http://127.0.0.1:${port}/callback?state=${state}`, /neither a code nor an error/],
  ];
  for (const [name, url, reason] of invalidUrls) {
    test(`${name} is rejected and flow waits`, async () => {
      const { listener, state } = await startFlow();
      try {
        assert.throws(
          () => listener.completeFromPastedUrl(url(state, listener.port)),
          (error: unknown) => error instanceof InvalidCallbackUrlError && reason.test(error.reason),
        );
        assert.equal(await settledWithin(listener.code), 'pending');
        listener.completeFromPastedUrl(`http://127.0.0.1:${listener.port}/callback?code=ok&state=${state}`);
        assert.equal(await listener.code, 'ok');
      } finally {
        await listener.dispose();
      }
    });
  }

  test('error in pasted URL ends the flow', async () => {
    const { listener, state } = await startFlow();
    listener.completeFromPastedUrl(`http://127.0.0.1:${listener.port}/callback?error=access_denied&state=${state}`);
    await assert.rejects(listener.code, AuthorizationDeniedError);
    await waitUntilClosed(listener.port);
  });

  test('pasting after the outcome is rejected', async () => {
    const { listener, state } = await startFlow();
    const url = `http://127.0.0.1:${listener.port}/callback?code=first&state=${state}`;
    listener.completeFromPastedUrl(url);
    assert.throws(() => listener.completeFromPastedUrl(url), /already finished/);
    assert.equal(await listener.code, 'first');
  });
});
