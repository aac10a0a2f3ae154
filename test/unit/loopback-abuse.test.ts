import assert from 'node:assert/strict';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { type CallbackPages, loadCallbackPages } from '../../src/auth/callbackPages';
import { AuthorizationTimeoutError } from '../../src/auth/errors';
import { LoopbackListener, type LoopbackListenerOptions, MAX_REQUEST_BYTES } from '../../src/auth/loopbackServer';
import { createState } from '../../src/auth/pkce';
import { type RawResponse, canConnect, openSocket, send, settledWithin, waitForSocketClose, waitUntilClosed } from './loopback-helpers';

const AS_HOST = 'https://accounts.datastack.cloud';
let pages: CallbackPages;

before(async () => {
  pages = await loadCallbackPages(join(__dirname, '..', '..', 'media'));
});

async function startFlow(overrides: Partial<LoopbackListenerOptions> = {}): Promise<{ listener: LoopbackListener; state: string }> {
  const state = createState();
  const listener = await LoopbackListener.start({ expectedState: state, authorizationHost: AS_HOST, pages, ...overrides });
  return { listener, state };
}

function callbackPath(params: Record<string, string>): string {
  return `/callback?${new URLSearchParams(params).toString()}`;
}

/** Sends a request and resolves undefined when the connection fails instead of rejecting. */
function trySend(port: number, path: string, options: Parameters<typeof send>[2] = {}): Promise<RawResponse | undefined> {
  return send(port, path, options).catch(() => undefined);
}

/** Writes raw bytes on a new socket and resolves with everything the server sent until it closed. */
async function sendRaw(port: number, text: string): Promise<string> {
  const socket = await openSocket(port);
  const chunks: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => chunks.push(chunk));
  socket.write(text);
  await waitForSocketClose(socket, 3000);
  socket.destroy();
  return Buffer.concat(chunks).toString('latin1');
}

describe('loopback abuse', () => {
  test('concurrent valid callbacks settle once', async () => {
    const { listener, state } = await startFlow({ closeGraceMs: 2000 });
    const codes = Array.from({ length: 20 }, (_, index) => `code-${index}`);

    const responses = await Promise.all(codes.map((code) => trySend(listener.port, callbackPath({ code, state }))));

    const winners = responses.filter((response) => response?.status === 302);
    assert.equal(winners.length, 1);
    assert.ok(codes.includes(await listener.code));
    const losers = responses.filter((response) => response?.status !== 302);
    for (const response of losers) {
      assert.ok(response === undefined || response.status === 400, `status ${response?.status}`);
      assert.ok(response === undefined || /already finished/.test(response.body));
    }
    await listener.dispose();
    await waitUntilClosed(listener.port);
  });

  test('winning callback is the one answered 302', async () => {
    const { listener, state } = await startFlow({ closeGraceMs: 2000 });
    const first = await send(listener.port, callbackPath({ code: 'first', state }));
    const second = await send(listener.port, callbackPath({ code: 'second', state }));

    assert.equal(first.status, 302);
    assert.equal(second.status, 400);
    assert.equal(await listener.code, 'first');
    await listener.dispose();
  });

  test('foreign state flood does not win', async () => {
    const { listener, state } = await startFlow();
    const foreign = Array.from({ length: 50 }, (_, index) =>
      trySend(listener.port, callbackPath({ code: `forged-${index}`, state: createState() })),
    );
    const genuine = send(listener.port, callbackPath({ code: 'genuine', state }));

    const foreignResponses = await Promise.all(foreign);
    assert.equal((await genuine).status, 302);
    assert.equal(await listener.code, 'genuine');
    for (const response of foreignResponses) {
      assert.ok(response === undefined || response.status === 400, `status ${response?.status}`);
    }
    await waitUntilClosed(listener.port);
  });

  const brokenQueries: readonly (readonly [name: string, query: (state: string) => string])[] = [
    ['invalid percent escape in state', (state) => `code=c&state=${state}%ZZ`],
    ['NUL after state', (state) => `code=c&state=${state}%00`],
    ['state in another case', (state) => `code=c&STATE=${state}`],
    ['empty code', (state) => `code=&state=${state}`],
    ['state in the fragment', (state) => `code=c#state=${state}`],
  ];
  for (const [name, query] of brokenQueries) {
    test(`${name} is ignored`, async () => {
      const { listener, state } = await startFlow();
      try {
        const response = await trySend(listener.port, `/callback?${query(state)}`);

        assert.ok(response === undefined || response.status === 400, `status ${response?.status}`);
        assert.equal(await settledWithin(listener.code), 'pending');
        await send(listener.port, callbackPath({ code: 'after', state }));
        assert.equal(await listener.code, 'after');
      } finally {
        await listener.dispose();
      }
    });
  }

  test('path variants are not the callback', async () => {
    const { listener, state } = await startFlow();
    try {
      for (const path of ['/callback/', '/CALLBACK', '//callback', '/%63allback', '/callback;x', '/callback%2F']) {
        const response = await send(listener.port, `${path}?code=c&state=${state}`);
        assert.equal(response.status, 404, path);
      }
      assert.equal(await settledWithin(listener.code), 'pending');
    } finally {
      await listener.dispose();
    }
  });

  test('long URL below the cap works', async () => {
    const { listener, state } = await startFlow();
    const padding = 'p'.repeat(MAX_REQUEST_BYTES - 400);
    const response = await send(listener.port, callbackPath({ code: 'long', state, padding }));

    assert.equal(response.status, 302);
    assert.equal(await listener.code, 'long');
    await waitUntilClosed(listener.port);
  });

  test('many long URLs do not end the flow', async () => {
    const { listener, state } = await startFlow();
    try {
      const huge = `/callback?code=c&state=${state}&x=${'y'.repeat(64 * 1024)}`;
      const responses = await Promise.all(Array.from({ length: 10 }, () => trySend(listener.port, huge)));

      for (const response of responses) {
        assert.ok(response === undefined || response.status === 414 || response.status === 431, `status ${response?.status}`);
      }
      assert.equal(await settledWithin(listener.code), 'pending');
      await send(listener.port, callbackPath({ code: 'after', state }));
      assert.equal(await listener.code, 'after');
    } finally {
      await listener.dispose();
    }
  });

  test('other methods leave the flow waiting', async () => {
    const { listener, state } = await startFlow();
    try {
      for (const method of ['OPTIONS', 'PATCH', 'TRACE', 'PROPFIND']) {
        const response = await send(listener.port, callbackPath({ code: 'c', state }), { method });
        assert.equal(response.status, 405, method);
      }
      const post = await send(listener.port, callbackPath({ code: 'c', state }), {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': '0' },
      });
      assert.equal(post.status, 405);
      const connect = await sendRaw(listener.port, `CONNECT 127.0.0.1:${listener.port} HTTP/1.1\r\nHost: x\r\n\r\n`);
      assert.doesNotMatch(connect, /^HTTP\/1\.1 (200|302)/);
      assert.equal(await settledWithin(listener.code), 'pending');

      await send(listener.port, callbackPath({ code: 'after', state }));
      assert.equal(await listener.code, 'after');
    } finally {
      await listener.dispose();
    }
  });

  test('smuggled callback is not accepted', async () => {
    const { listener, state } = await startFlow();
    try {
      const smuggled = `GET ${callbackPath({ code: 'smuggled', state })} HTTP/1.1\r\nHost: x\r\n\r\n`;
      const raw = await sendRaw(
        listener.port,
        `POST /favicon.ico HTTP/1.1\r\nHost: x\r\nContent-Length: ${smuggled.length}\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n${smuggled}`,
      );

      assert.match(raw, /^HTTP\/1\.1 400/);
      assert.equal(await settledWithin(listener.code, 200), 'pending');
    } finally {
      await listener.dispose();
    }
  });

  test('many idle sockets are closed after success', async () => {
    const { listener, state } = await startFlow();
    const idle = await Promise.all(Array.from({ length: 50 }, () => openSocket(listener.port)));

    await send(listener.port, callbackPath({ code: 'ok', state }));
    assert.equal(await listener.code, 'ok');
    await Promise.all(idle.map((socket) => waitForSocketClose(socket, 2000)));
    await waitUntilClosed(listener.port);
  });

  test('slowloris crowd does not block the flow', async () => {
    const { listener, state } = await startFlow({ requestTimeoutMs: 60_000 });
    const slow = await Promise.all(Array.from({ length: 20 }, () => openSocket(listener.port)));
    for (const socket of slow) {
      socket.write(`GET /callback?code=slow&state=${state}`);
    }
    const drip = setInterval(() => slow.forEach((socket) => socket.write('a')), 20);
    try {
      await send(listener.port, callbackPath({ code: 'fast', state }));
      assert.equal(await listener.code, 'fast');
      await Promise.all(slow.map((socket) => waitForSocketClose(socket, 2000)));
      await waitUntilClosed(listener.port);
    } finally {
      clearInterval(drip);
      slow.forEach((socket) => socket.destroy());
    }
  });

  test('callback after success and close is refused', async () => {
    const { listener, state } = await startFlow({ closeGraceMs: 50 });
    const path = callbackPath({ code: 'once', state });
    await send(listener.port, path);
    assert.equal(await listener.code, 'once');
    await listener.closed;

    assert.equal(await trySend(listener.port, path), undefined);
    assert.equal(await canConnect(listener.port), false);
  });

  test('callback after timeout is refused', async () => {
    const { listener, state } = await startFlow({ timeoutMs: 200 });

    await assert.rejects(listener.code, AuthorizationTimeoutError);
    await listener.closed;
    assert.equal(await trySend(listener.port, callbackPath({ code: 'late', state })), undefined);
  });

  test('callback after dispose is refused', async () => {
    const { listener, state } = await startFlow();
    await listener.dispose();

    assert.equal(await trySend(listener.port, callbackPath({ code: 'late', state })), undefined);
    assert.equal(await canConnect(listener.port), false);
  });
});
