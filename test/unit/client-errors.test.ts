import assert from 'node:assert/strict';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, test } from 'node:test';
import { DataStackClient } from '../../src/api/client';
import {
  AuthenticationError,
  InvalidHostError,
  InvalidParameterError,
  InvalidResponseError,
  InvalidStateError,
  MissingScopeError,
  NotFoundError,
  RedirectError,
  RequestAbortedError,
  TimeoutError,
} from '../../src/api/errors';
import type { Emulator } from '../emulator/index';
import { ADMIN_TOKEN, DEMO_TOKENS, USER_AGENT, allItems, createTestClient, startTestEmulator } from './client-fixtures';

let emulator: Emulator;

before(async () => {
  emulator = await startTestEmulator();
});

after(async () => {
  await emulator.close();
});

beforeEach(() => {
  emulator.reset();
});

/** Asserts an {@link InvalidResponseError} whose problem matches `problem`, and returns it. */
async function rejectsInvalidResponse(call: Promise<unknown>, problem: RegExp): Promise<InvalidResponseError> {
  let caught: unknown;
  await assert.rejects(call, (error: unknown) => {
    caught = error;
    return true;
  });
  assert.ok(caught instanceof InvalidResponseError, `expected InvalidResponseError, got ${String(caught)}`);
  assert.match(caught.problem, problem);
  return caught;
}

describe('client status mapping', () => {
  test('404 is NotFoundError', async () => {
    const { client } = createTestClient(emulator);
    await assert.rejects(client.getCluster('no-such-cluster'), (error: unknown) => {
      assert.ok(error instanceof NotFoundError, String(error));
      assert.match(error.serverMessage ?? '', /no-such-cluster/);
      return true;
    });
  });

  test('409 is InvalidStateError', async () => {
    const { client } = createTestClient(emulator);
    await assert.rejects(client.startWarehouse('wh-bi-dash'), (error: unknown) => {
      assert.ok(error instanceof InvalidStateError, String(error));
      assert.equal(error.operation, 'startWarehouse');
      return true;
    });
  });

  test('400 is InvalidParameterError', async () => {
    const { client } = createTestClient(emulator);
    await assert.rejects(client.exportNotebook('relative/path'), InvalidParameterError);
  });

  test('dot path parameter is rejected locally', async () => {
    const { client } = createTestClient(emulator);
    await assert.rejects(client.getCluster('..'), InvalidParameterError);
    await assert.rejects(client.getCluster('%2e'), InvalidParameterError);
    assert.equal(emulator.requests.length, 0);
  });

  test('401 carries the parsed challenge', async () => {
    const { client } = createTestClient(emulator, { token: 'dapi-demo-expired' });
    await assert.rejects(client.getCurrentUser(), (error: unknown) => {
      assert.ok(error instanceof AuthenticationError, String(error));
      assert.deepEqual(error.challenge, { error: 'invalid_token' });
      assert.match(error.serverMessage ?? '', /expired/);
      return true;
    });
  });
});

describe('client timeout and cancellation', () => {
  test('latency beyond timeout is TimeoutError', async () => {
    emulator.injectFault({ kind: 'latency', ms: 3000, path: '/v1/clusters' });
    const { client } = createTestClient(emulator, { timeoutMs: 300 });

    const started = performance.now();
    await assert.rejects(client.getCluster('0101-090000-etl001'), (error: unknown) => {
      assert.ok(error instanceof TimeoutError, String(error));
      assert.equal(error.timeoutMs, 300);
      return true;
    });
    const elapsed = performance.now() - started;
    assert.ok(elapsed >= 250 && elapsed < 2000, `timed out after ${elapsed} ms`);
  });

  test('timed-out GET is not retried', async () => {
    emulator.injectFault({ kind: 'latency', ms: 3000, path: '/v1/clusters' });
    const { client, sleeps } = createTestClient(emulator, { timeoutMs: 200 });
    await assert.rejects(client.getCluster('0101-090000-etl001'), TimeoutError);
    assert.deepEqual(sleeps, []);
  });

  test('abort during a slow response', async () => {
    emulator.injectFault({ kind: 'latency', ms: 3000, path: '/v1/clusters' });
    const { client } = createTestClient(emulator);
    const controller = new AbortController();

    const started = performance.now();
    const call = client.getCluster('0101-090000-etl001', { signal: controller.signal });
    setTimeout(() => controller.abort(), 100);

    await assert.rejects(call, RequestAbortedError);
    assert.ok(performance.now() - started < 1500);
  });

  test('aborted signal sends nothing', async () => {
    const { client, tokenRequests } = createTestClient(emulator);
    await assert.rejects(client.getCurrentUser({ signal: AbortSignal.abort() }), RequestAbortedError);
    assert.equal(emulator.requests.length, 0);
    assert.equal(tokenRequests(), 0);
  });

  test('abort while waiting for the token', async () => {
    const controller = new AbortController();
    const { client } = createTestClient(emulator, {
      getToken: () => new Promise<string>(() => undefined),
    });
    const call = client.getCurrentUser({ signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    await assert.rejects(call, RequestAbortedError);
    assert.equal(emulator.requests.length, 0);
  });
});

describe('client invalid responses', () => {
  test('malformed JSON', async () => {
    emulator.injectFault({ kind: 'malformed-json', path: '/v1/users/me' });
    const { client } = createTestClient(emulator);

    const error = await rejectsInvalidResponse(client.getCurrentUser(), /not valid JSON/);

    assert.equal(error.status, 200);
    assert.match(error.contentType ?? '', /application\/json/);
    assert.equal(error.excerpt, "{ unquoted: 'not json', }");
  });

  test('truncated JSON', async () => {
    emulator.injectFault({ kind: 'truncated-json', path: '/v1/clusters' });
    const { client } = createTestClient(emulator);
    await rejectsInvalidResponse(allItems(client.listClusters()), /not valid JSON/);
  });

  test('HTML page instead of JSON', async () => {
    emulator.injectFault({ kind: 'html', status: 200, path: '/v1/jobs' });
    const { client } = createTestClient(emulator);

    const error = await rejectsInvalidResponse(client.getJob('1001'), /not JSON \(content type text\/html/);

    assert.match(error.excerpt, /^<!DOCTYPE html>/);
    assert.ok(error.excerpt.length <= 200);
  });

  test('wrong field type names the path', async () => {
    const clusters = [...emulator.state.clusters.values()];
    (clusters[3] as unknown as Record<string, unknown>)['state'] = 42;
    const { client } = createTestClient(emulator);

    const error = await rejectsInvalidResponse(allItems(client.listClusters()), /^clusters\[3\]\.state is not a string$/);

    assert.equal(error.operation, 'listClusters');
    assert.equal(error.status, 200);
  });

  test('unknown enum value is kept', async () => {
    const cluster = emulator.state.clusters.get('0101-090000-etl001');
    (cluster as unknown as Record<string, unknown>)['state'] = 'HIBERNATING';
    const { client } = createTestClient(emulator);
    assert.equal((await client.getCluster('0101-090000-etl001')).state, 'HIBERNATING');
  });

  test('body over 10 MB is cut off', async () => {
    // 1,000 clusters with 11,000-character names make one page of about 11 MB.
    emulator.addClusters(1000, { namePrefix: 'x'.repeat(11_000) });
    const { client } = createTestClient(emulator, { timeoutMs: 20_000 });

    const error = await rejectsInvalidResponse(allItems(client.listClusters({ limit: 1000 })), /exceeded 10 MB/);

    assert.equal(error.status, 200);
    assert.equal(error.excerpt, '');
  });
});

/** A raw loopback server for responses the emulator cannot produce. */
interface RawServer {
  readonly url: string;
  close(): Promise<void>;
}

async function startRawServer(handler: (request: IncomingMessage, response: ServerResponse) => void): Promise<RawServer> {
  const server: Server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function rawClient(url: string, logs: string[] = []): DataStackClient {
  const record = (message: string): void => {
    logs.push(message);
  };
  return new DataStackClient({
    host: url,
    userAgent: USER_AGENT,
    getToken: async () => ADMIN_TOKEN,
    log: { trace: record, debug: record, info: record, warn: record, error: record },
    sleep: async () => undefined,
  });
}

describe('client raw responses', () => {
  test('invalid UTF-8 body', async () => {
    const server = await startRawServer((_, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(Buffer.from([0x7b, 0x22, 0x69, 0x64, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]));
    });
    try {
      await rejectsInvalidResponse(rawClient(server.url).getCurrentUser(), /not valid UTF-8/);
    } finally {
      await server.close();
    }
  });

  test('chunked body over 10 MB', async () => {
    let written = 0;
    const server = await startRawServer((_, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      const chunk = Buffer.alloc(1024 * 1024, 0x20);
      const writeMore = (): void => {
        while (written < 64 && response.write(chunk)) {
          written++;
        }
        if (written < 64) {
          response.once('drain', () => {
            written++;
            writeMore();
          });
        } else {
          response.end();
        }
      };
      writeMore();
    });
    try {
      await rejectsInvalidResponse(rawClient(server.url).getCurrentUser(), /exceeded 10 MB/);
      // The client stops reading early, so the server never gets to write the whole 64 MB.
      assert.ok(written < 64, `the server wrote ${written} MB`);
    } finally {
      await server.close();
    }
  });

  test('403 without body uses the challenge scope', async () => {
    const server = await startRawServer((_, response) => {
      response.writeHead(403, { 'www-authenticate': 'Bearer error="insufficient_scope", scope="read:sql"' });
      response.end();
    });
    try {
      await assert.rejects(rawClient(server.url).getCluster('c1'), (error: unknown) => {
        assert.ok(error instanceof MissingScopeError, String(error));
        assert.equal(error.requiredScope, 'read:sql');
        return true;
      });
    } finally {
      await server.close();
    }
  });

  test('bare 403 uses the operation scope', async () => {
    const server = await startRawServer((_, response) => {
      response.writeHead(403, { 'content-type': 'text/plain' });
      response.end('Forbidden');
    });
    try {
      await assert.rejects(rawClient(server.url).stopWarehouse('w1'), (error: unknown) => {
        assert.ok(error instanceof MissingScopeError, String(error));
        assert.equal(error.requiredScope, 'manage:sql');
        return true;
      });
    } finally {
      await server.close();
    }
  });

  test('echoed token is redacted everywhere', async () => {
    const server = await startRawServer((request, response) => {
      const echoed = request.headers.authorization ?? '';
      if (request.url?.startsWith('/v1/users/me')) {
        response.writeHead(200, { 'content-type': 'text/plain' });
        response.end(`you sent ${echoed} and {"access_token":"${ADMIN_TOKEN}"}`);
        return;
      }
      response.writeHead(401, { 'content-type': 'application/json', 'www-authenticate': 'Bearer error="invalid_token"' });
      response.end(JSON.stringify({ error_code: 'UNAUTHENTICATED', message: `token ${ADMIN_TOKEN} is not valid` }));
    });
    const logs: string[] = [];
    try {
      const client = rawClient(server.url, logs);
      const invalid = await rejectsInvalidResponse(client.getCurrentUser(), /not JSON/);
      let authentication: unknown;
      await client.getCluster('c1').catch((error: unknown) => {
        authentication = error;
      });
      assert.ok(authentication instanceof AuthenticationError);

      const texts = [invalid.message, invalid.excerpt, authentication.message, authentication.serverMessage ?? '', ...logs];
      for (const text of texts) {
        for (const token of DEMO_TOKENS) {
          assert.ok(!text.includes(token), `token in: ${text}`);
        }
      }
      assert.match(invalid.excerpt, /^you sent Bearer \[REDACTED\]/);
    } finally {
      await server.close();
    }
  });

  test('redirect is not followed', async () => {
    let requests = 0;
    const server = await startRawServer((_, response) => {
      requests++;
      response.writeHead(302, { location: 'http://127.0.0.1:1/steal?code=abc' });
      response.end();
    });
    try {
      await assert.rejects(rawClient(server.url).getCurrentUser(), (error: unknown) => {
        assert.ok(error instanceof RedirectError, String(error));
        assert.equal(error.status, 302);
        assert.equal(error.targetOrigin, 'http://127.0.0.1:1');
        assert.ok(!error.message.includes('/steal'), error.message);
        return true;
      });
      assert.equal(requests, 1);
    } finally {
      await server.close();
    }
  });
});

describe('client host', () => {
  test('http non-loopback host is rejected', () => {
    assert.throws(
      () => new DataStackClient({ host: 'http://api.datastack.cloud', userAgent: USER_AGENT, getToken: async () => '' }),
      (error: unknown) => error instanceof InvalidHostError && /https/.test(error.reason),
    );
  });

  test('host is normalized', () => {
    const client = new DataStackClient({ host: ' https://API.datastack.cloud/ ', userAgent: USER_AGENT, getToken: async () => '' });
    assert.equal(client.host, 'https://api.datastack.cloud');
  });
});
