import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import {
  NetworkError,
  RateLimitedError,
  RequestAbortedError,
  ServerError,
} from '../../src/api/errors';
import { describeFailure } from '../../src/errors/describe';
import { ENGLISH } from '../../src/errors/translator';
import type { Emulator } from '../emulator/index';
import { DEMO_TOKENS, createTestClient, startTestEmulator } from './client-fixtures';

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

/** Returns the emulator's log entries for one path, in arrival order. */
function requestsTo(path: string): typeof emulator.requests {
  return emulator.requests.filter((entry) => entry.path === path);
}

describe('client retries', () => {
  test('GET waits Retry-After then succeeds', async () => {
    emulator.injectFault({ kind: 'rate-limit', retryAfterSeconds: 7, path: '/v1/clusters' });
    const { client, sleeps, logs } = createTestClient(emulator);

    const cluster = await client.getCluster('0101-090000-etl001');

    assert.equal(cluster.cluster_id, '0101-090000-etl001');
    assert.deepEqual(sleeps, [7000]);
    assert.deepEqual(
      requestsTo('/v1/clusters/0101-090000-etl001').map((entry) => entry.status),
      [429, 200],
    );
    const retryLines = logs.filter((line) => /retrying in 7000 ms \(try 2 of 3\)/.test(line.message));
    assert.equal(retryLines.length, 1);
    assert.equal(retryLines[0]?.level, 'warn');
  });

  test('GET honours a real 1 s Retry-After', async () => {
    emulator.injectFault({ kind: 'rate-limit', retryAfterSeconds: 1, path: '/v1/users/me' });
    const { client } = createTestClient(emulator, { realSleep: true });

    const started = performance.now();
    await client.getCurrentUser();
    const elapsed = performance.now() - started;

    assert.ok(elapsed >= 950, `retried after ${elapsed} ms`);
    assert.ok(elapsed < 3000, `retried after ${elapsed} ms`);
    assert.equal(requestsTo('/v1/users/me').length, 2);
  });

  test('Retry-After of 30 s is waited', async () => {
    emulator.injectFault({ kind: 'rate-limit', retryAfterSeconds: 30, path: '/v1/jobs' });
    const { client, sleeps } = createTestClient(emulator);

    await client.getJob('1001');

    assert.deepEqual(sleeps, [30_000]);
  });

  test('Retry-After over 30 s fails at once', async () => {
    emulator.injectFault({ kind: 'rate-limit', retryAfterSeconds: 3600, path: '/v1/jobs' });
    const { client, sleeps, logs } = createTestClient(emulator);

    await assert.rejects(client.getJob('1001'), (error: unknown) => {
      assert.ok(error instanceof RateLimitedError, String(error));
      assert.equal(error.retryAfterMs, 3_600_000);
      return true;
    });
    assert.deepEqual(sleeps, []);
    assert.equal(requestsTo('/v1/jobs/1001').length, 1);
    assert.ok(logs.some((line) => /requests a wait of 3600000 ms/.test(line.message)));
  });

  test('total wait stays within 30 s', async () => {
    emulator.injectFault({ kind: 'rate-limit', retryAfterSeconds: 20, path: '/v1/jobs', count: 5 });
    const { client, sleeps } = createTestClient(emulator);

    await assert.rejects(client.getJob('1001'), (error: unknown) => {
      assert.ok(error instanceof RateLimitedError, String(error));
      assert.equal(error.retryAfterMs, 20_000);
      return true;
    });
    assert.deepEqual(sleeps, [20_000]);
    assert.equal(requestsTo('/v1/jobs/1001').length, 2);
  });

  test('long delay is not retried automatically', async () => {
    const error = new RateLimitedError('https://api.datastack.cloud', 'listJobs', 3_600_000);

    const description = describeFailure(ENGLISH, { error, operation: 'listJobs', canRetry: true, profile: undefined, consoleUrlSet: false });

    assert.equal(description.retryAfterMs, undefined);
    assert.match(description.message, /Try again in 3600 seconds/);
    assert.deepEqual(description.actions, ['retry', 'showLog']);
  });

  test('GET gives up after three 429s', async () => {
    emulator.injectFault({ kind: 'rate-limit', retryAfterSeconds: 2, path: '/v1/jobs', count: 5 });
    const { client, sleeps } = createTestClient(emulator);

    await assert.rejects(client.getJob('1001'), (error: unknown) => {
      assert.ok(error instanceof RateLimitedError, String(error));
      assert.equal(error.retryAfterMs, 2000);
      return true;
    });
    assert.equal(requestsTo('/v1/jobs/1001').length, 3);
    assert.deepEqual(sleeps, [2000, 2000]);
  });

  for (const status of [502, 503, 504]) {
    test(`GET retries ${status} with backoff`, async () => {
      emulator.injectFault({ kind: 'server-error', status, path: '/v1/sql/warehouses', count: 2 });
      const { client, sleeps } = createTestClient(emulator);

      const warehouse = await client.getWarehouse('wh-bi-dash');

      assert.equal(warehouse.id, 'wh-bi-dash');
      // random() is 0 in tests, so each delay is half of the doubled 250 ms step.
      assert.deepEqual(sleeps, [125, 250]);
      assert.deepEqual(
        requestsTo('/v1/sql/warehouses/wh-bi-dash').map((entry) => entry.status),
        [status, status, 200],
      );
    });
  }

  test('GET does not retry 500', async () => {
    emulator.injectFault({ kind: 'server-error', status: 500, path: '/v1/sql/warehouses' });
    const { client, sleeps } = createTestClient(emulator);

    await assert.rejects(client.getWarehouse('wh-bi-dash'), (error: unknown) => {
      assert.ok(error instanceof ServerError, String(error));
      assert.equal(error.status, 500);
      assert.match(error.serverMessage ?? '', /injected fault/);
      return true;
    });
    assert.equal(requestsTo('/v1/sql/warehouses/wh-bi-dash').length, 1);
    assert.deepEqual(sleeps, []);
  });

  test('GET gives up after three 503s', async () => {
    emulator.injectFault({ kind: 'server-error', status: 503, path: '/v1/sql/warehouses', count: 3 });
    const { client } = createTestClient(emulator);

    await assert.rejects(client.getWarehouse('wh-bi-dash'), (error: unknown) => {
      assert.ok(error instanceof ServerError, String(error));
      assert.equal(error.status, 503);
      return true;
    });
    assert.equal(requestsTo('/v1/sql/warehouses/wh-bi-dash').length, 3);
  });

  test('GET retries a dropped connection', async () => {
    emulator.injectFault({ kind: 'drop', path: '/v1/clusters' });
    const { client, sleeps, logs } = createTestClient(emulator);

    const pages = await client.listClusters().next();

    assert.equal(pages.done, false);
    assert.equal(requestsTo('/v1/clusters').length, 2);
    assert.deepEqual(sleeps, [125]);
    assert.ok(logs.some((line) => /network error/.test(line.message)));
  });

  test('GET gives up after three drops', async () => {
    emulator.injectFault({ kind: 'drop', path: '/v1/clusters', count: 3 });
    const { client } = createTestClient(emulator);

    await assert.rejects(client.getCluster('0101-090000-etl001'), (error: unknown) => {
      assert.ok(error instanceof NetworkError, String(error));
      assert.ok(error.code !== undefined && /^(UND_ERR_SOCKET|ECONNRESET|EPIPE)$/.test(error.code), error.code);
      return true;
    });
    assert.equal(requestsTo('/v1/clusters/0101-090000-etl001').length, 3);
  });

  test('refused connection is retried then reported', async () => {
    const closed = await startTestEmulator();
    const url = closed.url;
    await closed.close();
    const { client, sleeps } = createTestClient({ ...emulator, url } as Emulator);

    await assert.rejects(client.getCurrentUser(), (error: unknown) => {
      assert.ok(error instanceof NetworkError, String(error));
      assert.equal(error.code, 'ECONNREFUSED');
      assert.equal(error.host, url);
      return true;
    });
    assert.deepEqual(sleeps, [125, 250]);
  });
});

describe('client POST is never replayed', () => {
  const faults = [
    { kind: 'rate-limit', retryAfterSeconds: 1 },
    { kind: 'server-error', status: 503 },
    { kind: 'server-error', status: 502 },
  ] as const;
  for (const fault of faults) {
    test(`POST after ${fault.kind} ${'status' in fault ? fault.status : 429}`, async () => {
      emulator.injectFault({ ...fault, method: 'POST', path: '/v1/jobs' });
      const { client, sleeps } = createTestClient(emulator);

      await assert.rejects(client.runJobNow('1001'), fault.kind === 'rate-limit' ? RateLimitedError : ServerError);

      assert.equal(requestsTo('/v1/jobs/1001/run-now').length, 1);
      assert.deepEqual(sleeps, []);
    });
  }

  test('POST after a dropped connection', async () => {
    emulator.injectFault({ kind: 'drop', method: 'POST', path: '/v1/sql/warehouses' });
    const { client, sleeps } = createTestClient(emulator);

    await assert.rejects(client.startWarehouse('wh-analytics'), NetworkError);

    assert.equal(requestsTo('/v1/sql/warehouses/wh-analytics/start').length, 1);
    assert.deepEqual(sleeps, []);
  });
});

describe('client retry cancellation', () => {
  test('abort during Retry-After wait', async () => {
    emulator.injectFault({ kind: 'rate-limit', retryAfterSeconds: 30, path: '/v1/clusters' });
    const { client } = createTestClient(emulator, { realSleep: true });
    const controller = new AbortController();

    const started = performance.now();
    const call = client.getCluster('0101-090000-etl001', { signal: controller.signal });
    setTimeout(() => controller.abort(), 200);

    await assert.rejects(call, RequestAbortedError);
    assert.ok(performance.now() - started < 2000);
    assert.equal(requestsTo('/v1/clusters/0101-090000-etl001').length, 1);
  });

  test('abort while the sleep seam ignores it', async () => {
    emulator.injectFault({ kind: 'rate-limit', retryAfterSeconds: 30, path: '/v1/clusters' });
    const controller = new AbortController();
    const { client } = createTestClient(emulator, {
      sleep: () => new Promise((resolve) => setTimeout(resolve, 5000).unref()),
    });

    const call = client.getCluster('0101-090000-etl001', { signal: controller.signal });
    setTimeout(() => controller.abort(), 200);

    const started = performance.now();
    await assert.rejects(call, RequestAbortedError);
    assert.ok(performance.now() - started < 2000);
  });
});

describe('client retry logs', () => {
  test('contain no token', async () => {
    emulator.injectFault({ kind: 'server-error', status: 503, path: '/v1/users/me', count: 2 });
    const { client, logs } = createTestClient(emulator);
    await client.getCurrentUser();
    assert.equal(logs.length, 5);
    for (const line of logs) {
      for (const token of DEMO_TOKENS) {
        assert.ok(!line.message.includes(token), line.message);
      }
      assert.ok(!/authorization|bearer/i.test(line.message), line.message);
    }
  });
});
