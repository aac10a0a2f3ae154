import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, test } from 'node:test';
import { DataStackClient } from '../../src/api/client';
import { InvalidResponseError } from '../../src/api/errors';
import { clampPageSize, collectItems } from '../../src/api/pagination';
import type { Emulator } from '../emulator/index';
import { ADMIN_TOKEN, USER_AGENT, allItems, createTestClient, startTestEmulator } from './client-fixtures';

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

/** Fills the cluster list up to exactly `total` clusters. */
function fillClusters(total: number): void {
  emulator.addClusters(total - emulator.state.clusters.size);
  assert.equal(emulator.state.clusters.size, total);
}

describe('client pagination', () => {
  test('2,500 clusters in 3 pages of 1000', async () => {
    fillClusters(2500);
    const { client } = createTestClient(emulator);

    const pageSizes: number[] = [];
    const ids = new Set<string>();
    for await (const page of client.listClusters({ limit: 1000 })) {
      pageSizes.push(page.items.length);
      page.items.forEach((cluster) => ids.add(cluster.cluster_id));
    }

    assert.deepEqual(pageSizes, [1000, 1000, 500]);
    assert.equal(ids.size, 2500);
    const requests = emulator.requests.filter((entry) => entry.operation === 'listClusters');
    assert.equal(requests.length, 3);
    assert.deepEqual(
      requests.map((entry) => entry.query['limit']),
      ['1000', '1000', '1000'],
    );
    assert.equal(requests[0]?.query['page_token'], undefined);
    assert.ok(requests[1]?.query['page_token']);
    assert.notEqual(requests[1]?.query['page_token'], requests[2]?.query['page_token']);
  });

  test('default page size is 100', async () => {
    fillClusters(250);
    const { client } = createTestClient(emulator);
    const items = await allItems(client.listClusters());
    assert.equal(items.length, 250);
    const limits = emulator.requests.map((entry) => entry.query['limit']);
    assert.deepEqual(limits, ['100', '100', '100']);
  });

  test('client pageSize option sets limit', async () => {
    fillClusters(30);
    const { client } = createTestClient(emulator, { pageSize: 10 });
    await allItems(client.listClusters());
    assert.deepEqual(
      emulator.requests.map((entry) => entry.query['limit']),
      ['10', '10', '10'],
    );
  });

  test('limit is clamped to 1000', async () => {
    fillClusters(1500);
    const { client } = createTestClient(emulator);
    const first = await client.listClusters({ limit: 5000 }).next();
    assert.equal(first.done, false);
    assert.equal(first.value?.items.length, 1000);
  });

  test('one page in flight at a time', async () => {
    fillClusters(2500);
    const { client } = createTestClient(emulator);
    const pages = client.listClusters({ limit: 1000 });

    await pages.next();
    // Give a prefetching iterator time to send a request it should not send.
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(emulator.requests.length, 1);

    await pages.return(undefined);
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(emulator.requests.length, 1);
  });

  test('runs and folders page by token', async () => {
    const { client } = createTestClient(emulator, { pageSize: 1 });
    const runs = await allItems(client.listRuns('1001'));
    const entries = await allItems(client.listNotebookFolder('/Shared/etl'));
    assert.equal(runs.length, 3);
    assert.deepEqual(
      entries.map((entry) => entry.path),
      ['/Shared/etl/daily', '/Shared/etl/streaming'],
    );
    const folderRequests = emulator.requests.filter((entry) => entry.operation === 'listNotebookFolder');
    assert.ok(folderRequests.every((entry) => entry.query['path'] === '/Shared/etl'));
  });

  test('collectItems stops over the limit', async () => {
    fillClusters(30);
    const { client } = createTestClient(emulator, { pageSize: 10 });
    await assert.rejects(collectItems(client.listClusters(), 15), RangeError);
    assert.equal((await collectItems(client.listClusters())).length, 30);
  });

  test('repeated page token is invalid', async () => {
    let requests = 0;
    const server = createServer((_, response) => {
      requests++;
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ clusters: [], next_page_token: requests === 1 ? 'token-a' : 'token-b' }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const client = new DataStackClient({
      host: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      userAgent: USER_AGENT,
      getToken: async () => ADMIN_TOKEN,
    });
    try {
      await assert.rejects(allItems(client.listClusters()), (error: unknown) => {
        assert.ok(error instanceof InvalidResponseError, String(error));
        assert.match(error.problem, /repeats the token of an earlier page/);
        return true;
      });
      assert.equal(requests, 3);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('clampPageSize', () => {
  const cases: readonly (readonly [number | undefined, number])[] = [
    [undefined, 100],
    [Number.NaN, 100],
    [0, 1],
    [-5, 1],
    [1, 1],
    [250.7, 250],
    [1000, 1000],
    [1001, 1000],
  ];
  for (const [requested, expected] of cases) {
    test(`${String(requested)} becomes ${expected}`, () => {
      assert.equal(clampPageSize(requested), expected);
    });
  }
});
