import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, beforeEach, describe, test } from 'node:test';

import { startEmulator, type Emulator } from '../emulator/index';
import { callOperation, sleep, waitFor } from './emulator-helpers';

const base64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');

describe('emulator API', () => {
  let emulator: Emulator;

  before(async () => {
    emulator = await startEmulator({ lifecycleDelayMs: 50 });
  });
  beforeEach(() => emulator.reset());
  after(() => emulator.close());

  describe('pagination', () => {
    test('2,500 extra clusters in pages of 1000', async () => {
      emulator.addClusters(2500);
      const total = emulator.state.clusters.size;
      const ids: string[] = [];
      const pageSizes: number[] = [];
      let pageToken: string | undefined;
      do {
        const query: Record<string, string> = { limit: '1000', ...(pageToken ? { page_token: pageToken } : {}) };
        const page = await callOperation(emulator, 'listClusters', { query });
        assert.equal(page.status, 200);
        const clusters = page.json['clusters'] as { cluster_id: string }[];
        pageSizes.push(clusters.length);
        ids.push(...clusters.map((cluster) => cluster.cluster_id));
        pageToken = page.json['next_page_token'] as string | undefined;
      } while (pageToken !== undefined);
      assert.deepEqual(pageSizes, [1000, 1000, total - 2000]);
      assert.equal(new Set(ids).size, total);
    });

    test('default limit is 100', async () => {
      emulator.addClusters(150);
      const page = await callOperation(emulator, 'listClusters');
      assert.equal((page.json['clusters'] as unknown[]).length, 100);
      assert.equal(typeof page.json['next_page_token'], 'string');
    });

    test('last page has no next_page_token', async () => {
      const page = await callOperation(emulator, 'listJobs');
      assert.equal((page.json['jobs'] as unknown[]).length, 5);
      assert.equal('next_page_token' in page.json, false);
    });

    for (const limit of ['0', '1001', '1.5', '-1', 'ten', '']) {
      test(`limit "${limit}" is rejected`, async () => {
        const page = await callOperation(emulator, 'listClusters', { query: { limit } });
        assert.equal(page.status, 400);
        assert.equal(page.json['error_code'], 'INVALID_PARAMETER_VALUE');
      });
    }

    test('garbage page_token is rejected', async () => {
      const page = await callOperation(emulator, 'listClusters', { query: { page_token: 'not a token!' } });
      assert.equal(page.status, 400);
    });

    test("another list's page_token is rejected", async () => {
      emulator.addClusters(10);
      const clusters = await callOperation(emulator, 'listClusters', { query: { limit: '2' } });
      const jobs = await callOperation(emulator, 'listJobs', { query: { page_token: clusters.json['next_page_token'] as string } });
      assert.equal(jobs.status, 400);
    });

    test("runs are a job's, newest first", async () => {
      const page = await callOperation(emulator, 'listRuns', { params: { job_id: '1001' } });
      const runs = page.json['runs'] as { run_id: number; job_id: number }[];
      assert.deepEqual(runs.map((run) => run.run_id), [50003, 50002, 50001]);
      assert.ok(runs.every((run) => run.job_id === 1001));
    });
  });

  describe('resources', () => {
    test('every response has x-request-id', async () => {
      const ok = await callOperation(emulator, 'getCurrentUser');
      const missing = await callOperation(emulator, 'getCluster', { params: { cluster_id: 'nope' } });
      const unknown = await fetch(new URL('/v2/unknown', emulator.url));
      assert.match(ok.headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/);
      assert.match(missing.headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/);
      assert.match(unknown.headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/);
    });

    test('current user is the token user', async () => {
      const me = await callOperation(emulator, 'getCurrentUser', { token: 'dapi-demo-reader' });
      assert.equal(me.json['email'], 'grace@example.com');
    });

    test('unknown cluster is 404', async () => {
      const result = await callOperation(emulator, 'getCluster', { params: { cluster_id: 'missing' } });
      assert.equal(result.status, 404);
      assert.equal(result.json['error_code'], 'NOT_FOUND');
    });

    test('non-numeric job id is 404', async () => {
      const result = await callOperation(emulator, 'getJob', { params: { job_id: 'abc' } });
      assert.equal(result.status, 404);
    });

    test('unknown API path is 404', async () => {
      const response = await fetch(new URL('/v1/clusters/x/restart', emulator.url), {
        method: 'POST',
        headers: { authorization: 'Bearer dapi-demo-admin' },
      });
      assert.equal(response.status, 404);
      assert.equal(((await response.json()) as { error_code: string }).error_code, 'NOT_FOUND');
    });

    test('create cluster validates the body', async () => {
      const result = await callOperation(emulator, 'createCluster', {
        body: { cluster_name: '', node_type: 'm5.large', num_workers: 1, autotermination_minutes: 30 },
      });
      assert.equal(result.status, 400);
      assert.equal(result.json['error_code'], 'INVALID_PARAMETER_VALUE');
    });

    test('invalid JSON body is 400', async () => {
      const response = await fetch(new URL('/v1/clusters', emulator.url), {
        method: 'POST',
        headers: {
          authorization: 'Bearer dapi-demo-admin',
          'x-datastack-scope': 'manage:clusters',
          'content-type': 'application/json',
        },
        body: '{"cluster_name":',
      });
      assert.equal(response.status, 400);
    });

    test('run_page_url follows the seeded job', async () => {
      const withPage = await callOperation(emulator, 'getRun', { params: { run_id: '50001' } });
      const withoutPage = await callOperation(emulator, 'getRun', { params: { run_id: '50004' } });
      assert.match(withPage.json['run_page_url'] as string, /^https:\/\/.+\/runs\/50001$/);
      assert.equal(withoutPage.json['run_page_url'], null);
    });
  });

  describe('notebooks', () => {
    test('lists one folder level', async () => {
      const result = await callOperation(emulator, 'listNotebookFolder', { query: { path: '/Shared/etl/daily' } });
      const objects = result.json['objects'] as { path: string; object_type: string; language?: string }[];
      assert.deepEqual(
        objects.map((object) => [object.path, object.language]),
        [
          ['/Shared/etl/daily/ingest_orders', 'PYTHON'],
          ['/Shared/etl/daily/revenue_by_region', 'SQL'],
        ],
      );
      assert.ok(objects.every((object) => !('content' in object)));
    });

    test('lists the root', async () => {
      const result = await callOperation(emulator, 'listNotebookFolder', { query: { path: '/' } });
      const paths = (result.json['objects'] as { path: string }[]).map((object) => object.path);
      assert.deepEqual(paths, ['/Shared', '/Users']);
    });

    test('seed has all four languages', () => {
      const languages = new Set([...emulator.state.notebooks.values()].map((object) => object.language).filter(Boolean));
      assert.deepEqual([...languages].sort(), ['PYTHON', 'R', 'SCALA', 'SQL']);
    });

    test('missing folder is 404', async () => {
      const result = await callOperation(emulator, 'listNotebookFolder', { query: { path: '/Shared/nope' } });
      assert.equal(result.status, 404);
    });

    for (const path of ['Shared', '/Shared/', '/Shared//etl', '/Shared/../Users', '']) {
      test(`path "${path}" is rejected`, async () => {
        const result = await callOperation(emulator, 'listNotebookFolder', { query: { path } });
        assert.equal(result.status, 400);
      });
    }

    test('exports base64 source and language', async () => {
      const result = await callOperation(emulator, 'exportNotebook', {
        query: { path: '/Shared/reports/churn_model', format: 'SOURCE' },
      });
      assert.equal(result.json['language'], 'R');
      assert.match(Buffer.from(result.json['content'] as string, 'base64').toString('utf8'), /library\(SparkR\)/);
    });

    test('exporting a folder is 400', async () => {
      const result = await callOperation(emulator, 'exportNotebook', { query: { path: '/Shared/etl' } });
      assert.equal(result.status, 400);
    });

    test('create then export round-trips', async () => {
      const content = base64('SELECT 1;\n');
      const created = await callOperation(emulator, 'createNotebook', {
        body: { path: '/Shared/reports/check', language: 'SQL', content, overwrite: false },
      });
      const exported = await callOperation(emulator, 'exportNotebook', { query: { path: '/Shared/reports/check' } });
      assert.equal(created.status, 200);
      assert.equal(created.json['object_type'], 'NOTEBOOK');
      assert.deepEqual(exported.json, { content, language: 'SQL' });
    });

    test('existing notebook without overwrite is 409', async () => {
      const body = { path: '/Shared/reports/churn_model', language: 'R', content: base64('1'), overwrite: false };
      const refused = await callOperation(emulator, 'createNotebook', { body });
      const replaced = await callOperation(emulator, 'createNotebook', { body: { ...body, overwrite: true } });
      assert.equal(refused.status, 409);
      assert.equal(refused.json['error_code'], 'INVALID_STATE');
      assert.equal(replaced.status, 200);
    });

    const badBodies: [string, Record<string, unknown>, number][] = [
      ['missing parent', { path: '/Shared/none/x', language: 'SQL', content: '' }, 404],
      ['bad language', { path: '/Shared/x', language: 'COBOL', content: '' }, 400],
      ['bad base64', { path: '/Shared/x', language: 'SQL', content: 'not base64!' }, 400],
      ['relative path', { path: 'Shared/x', language: 'SQL', content: '' }, 400],
      ['folder path', { path: '/Shared/etl', language: 'SQL', content: '', overwrite: true }, 409],
      ['string overwrite', { path: '/Shared/x', language: 'SQL', content: '', overwrite: 'yes' }, 400],
    ];
    for (const [name, body, status] of badBodies) {
      test(`create with ${name} is ${status}`, async () => {
        const result = await callOperation(emulator, 'createNotebook', { body });
        assert.equal(result.status, status);
      });
    }
  });

  describe('lifecycles', () => {
    const warehouseState = async (id: string) =>
      (await callOperation(emulator, 'getWarehouse', { params: { id } })).json['state'];
    const clusterState = async (id: string) =>
      (await callOperation(emulator, 'getCluster', { params: { cluster_id: id } })).json['state'];

    test('warehouse start then stop', async () => {
      assert.equal((await callOperation(emulator, 'startWarehouse', { params: { id: 'wh-analytics' } })).status, 200);
      assert.equal(await warehouseState('wh-analytics'), 'STARTING');
      assert.equal(await waitFor(() => warehouseState('wh-analytics'), 'RUNNING'), 'RUNNING');
      assert.equal((await callOperation(emulator, 'stopWarehouse', { params: { id: 'wh-analytics' } })).status, 200);
      assert.equal(await warehouseState('wh-analytics'), 'STOPPING');
      assert.equal(await waitFor(() => warehouseState('wh-analytics'), 'STOPPED'), 'STOPPED');
    });

    test('starting a running warehouse is 409', async () => {
      const result = await callOperation(emulator, 'startWarehouse', { params: { id: 'wh-bi-dash' } });
      assert.equal(result.status, 409);
      assert.equal(result.json['error_code'], 'INVALID_STATE');
    });

    test('cluster start then terminate', async () => {
      const id = '0101-090000-adhoc02';
      await callOperation(emulator, 'startCluster', { params: { cluster_id: id } });
      assert.equal(await clusterState(id), 'PENDING');
      assert.equal(await waitFor(() => clusterState(id), 'RUNNING'), 'RUNNING');
      await callOperation(emulator, 'terminateCluster', { params: { cluster_id: id } });
      assert.equal(await clusterState(id), 'TERMINATING');
      assert.equal(await waitFor(() => clusterState(id), 'TERMINATED'), 'TERMINATED');
    });

    test('terminate during start wins', async () => {
      const id = '0101-090000-adhoc02';
      await callOperation(emulator, 'startCluster', { params: { cluster_id: id } });
      await callOperation(emulator, 'terminateCluster', { params: { cluster_id: id } });
      await sleep(150);
      assert.equal(await clusterState(id), 'TERMINATED');
    });

    test('created cluster becomes RUNNING', async () => {
      const created = await callOperation(emulator, 'createCluster', {
        body: { cluster_name: 'New', node_type: 'm5.large', num_workers: 2, autotermination_minutes: 0 },
      });
      const id = created.json['cluster_id'] as string;
      assert.equal(await waitFor(() => clusterState(id), 'RUNNING'), 'RUNNING');
      const cluster = await callOperation(emulator, 'getCluster', { params: { cluster_id: id } });
      assert.equal(cluster.json['creator'], 'ada@example.com');
    });

    test('run-now goes PENDING, RUNNING, SUCCESS', async () => {
      const started = await callOperation(emulator, 'runJobNow', { params: { job_id: '1001' } });
      const runId = String(started.json['run_id']);
      const read = async () => (await callOperation(emulator, 'getRun', { params: { run_id: runId } })).json;
      const first = await read();
      assert.equal(first['state'], 'PENDING');
      assert.match(first['run_page_url'] as string, new RegExp(`/runs/${runId}$`));
      assert.equal(await waitFor(async () => (await read())['state'], 'RUNNING'), 'RUNNING');
      assert.equal(await waitFor(async () => (await read())['state'], 'TERMINATED'), 'TERMINATED');
      const done = await read();
      assert.equal(done['result_state'], 'SUCCESS');
      assert.equal(typeof done['end_time'], 'number');
    });

    test('cancel ends a run with CANCELED', async () => {
      const started = await callOperation(emulator, 'runJobNow', { params: { job_id: '1002' } });
      const runId = String(started.json['run_id']);
      assert.equal((await callOperation(emulator, 'cancelRun', { params: { run_id: runId } })).status, 200);
      await sleep(150);
      const run = await callOperation(emulator, 'getRun', { params: { run_id: runId } });
      assert.equal(run.json['state'], 'TERMINATED');
      assert.equal(run.json['result_state'], 'CANCELED');
    });

    test('cancel of a finished run is 409', async () => {
      const result = await callOperation(emulator, 'cancelRun', { params: { run_id: '50001' } });
      assert.equal(result.status, 409);
    });

    test('reset clears pending transitions', async () => {
      await callOperation(emulator, 'startWarehouse', { params: { id: 'wh-analytics' } });
      emulator.reset();
      await sleep(120);
      assert.equal(await warehouseState('wh-analytics'), 'STOPPED');
    });
  });
});

describe('emulator startup and close', () => {
  test('rejects a non-loopback host', async () => {
    await assert.rejects(startEmulator({ hosts: ['0.0.0.0'] }), /loopback/);
    await assert.rejects(startEmulator({ hosts: ['localhost'] }), /loopback/);
  });

  test('close releases the port with an idle socket open', async () => {
    const emulator = await startEmulator();
    const { port } = new URL(emulator.url);
    await fetch(new URL('/v1/users/me', emulator.url), { headers: { authorization: 'Bearer dapi-demo-admin' } });
    const idle = connect(Number(port), '127.0.0.1');
    await new Promise((resolve) => idle.once('connect', resolve));
    await emulator.close();
    const refused = await new Promise<string>((resolve) => {
      const probe = connect(Number(port), '127.0.0.1');
      probe.once('connect', () => {
        probe.destroy();
        resolve('connected');
      });
      probe.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
    });
    idle.destroy();
    assert.equal(refused, 'ECONNREFUSED');
  });

  test('close stops lifecycle timers', async () => {
    const emulator = await startEmulator({ lifecycleDelayMs: 30 });
    await callOperation(emulator, 'startWarehouse', { params: { id: 'wh-analytics' } });
    await emulator.close();
    await sleep(100);
    assert.equal(emulator.state.warehouses.get('wh-analytics')?.state, 'STARTING');
  });
});
