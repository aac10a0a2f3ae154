import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';

import { OPERATIONS } from '../../src/api/operations';
import { startEmulator, type Emulator } from '../emulator/index';
import { callOperation, control, pkcePair, signIn, tokenRequest } from './emulator-helpers';

const ADMIN_HEADERS = { authorization: 'Bearer dapi-demo-admin', 'x-datastack-scope': OPERATIONS.listClusters.scope };

describe('emulator faults', () => {
  let emulator: Emulator;

  before(async () => {
    emulator = await startEmulator();
  });
  beforeEach(() => emulator.reset());
  after(() => emulator.close());

  const listClusters = () => fetch(new URL('/v1/clusters', emulator.url), { headers: ADMIN_HEADERS });

  test('rate-limit burst then success', async () => {
    emulator.injectFault({ kind: 'rate-limit', retryAfterSeconds: 7, count: 2 });
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let index = 0; index < 3; index++) {
      const response = await listClusters();
      statuses.push(response.status);
      retryAfter ??= response.headers.get('retry-after');
      await response.arrayBuffer();
    }
    assert.deepEqual(statuses, [429, 429, 200]);
    assert.equal(retryAfter, '7');
  });

  test('rate-limit body is RATE_LIMITED', async () => {
    emulator.injectFault({ kind: 'rate-limit', retryAfterSeconds: 1 });
    const body = (await (await listClusters()).json()) as Record<string, unknown>;
    assert.equal(body['error_code'], 'RATE_LIMITED');
  });

  test('server error status and body', async () => {
    emulator.injectFault({ kind: 'server-error', status: 503 });
    const response = await listClusters();
    assert.equal(response.status, 503);
    assert.equal(((await response.json()) as Record<string, unknown>)['error_code'], 'INTERNAL_ERROR');
  });

  test('malformed JSON with a JSON content type', async () => {
    emulator.injectFault({ kind: 'malformed-json' });
    const response = await listClusters();
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /application\/json/);
    const text = await response.text();
    assert.throws(() => JSON.parse(text), SyntaxError);
  });

  test('truncated JSON is a prefix of the real body', async () => {
    const full = await (await listClusters()).text();
    emulator.injectFault({ kind: 'truncated-json' });
    const cut = await (await listClusters()).text();
    assert.ok(cut.length > 0);
    assert.ok(cut.length < full.length);
    assert.ok(full.startsWith(cut));
    assert.throws(() => JSON.parse(cut), SyntaxError);
  });

  test('dropped connection rejects the request', async () => {
    emulator.injectFault({ kind: 'drop' });
    await assert.rejects(listClusters());
    assert.equal((await listClusters()).status, 200);
  });

  for (const status of [200, 502]) {
    test(`HTML page with ${status}`, async () => {
      emulator.injectFault({ kind: 'html', status });
      const response = await listClusters();
      assert.equal(response.status, status);
      assert.match(response.headers.get('content-type') ?? '', /^text\/html/);
      assert.match(await response.text(), /^<!DOCTYPE html>/);
    });
  }

  test('latency delays the response', async () => {
    emulator.injectFault({ kind: 'latency', ms: 150 });
    const started = Date.now();
    const response = await listClusters();
    assert.equal(response.status, 200);
    assert.ok(Date.now() - started >= 140, `took ${Date.now() - started} ms`);
  });

  test('fault matches method and path prefix', async () => {
    emulator.injectFault({ kind: 'server-error', status: 500, method: 'GET', path: '/v1/sql/' });
    const clusters = await listClusters();
    const warehouses = await callOperation(emulator, 'listWarehouses');
    assert.equal(clusters.status, 200);
    assert.equal(warehouses.status, 500);
  });

  test('faults queued over HTTP', async () => {
    const queued = await control(emulator, 'POST', '/_emulator/faults', {
      faults: [{ kind: 'server-error', status: 502 }, { kind: 'rate-limit', retryAfterSeconds: 3 }],
    });
    assert.equal(queued.json['queued'], 2);
    assert.equal((await listClusters()).status, 502);
    assert.equal((await listClusters()).status, 429);
  });

  test('invalid fault is 400', async () => {
    const result = await control(emulator, 'POST', '/_emulator/faults', { kind: 'server-error', status: 404 });
    assert.equal(result.status, 400);
  });

  test('controls are never faulted', async () => {
    emulator.injectFault({ kind: 'drop' });
    const result = await control(emulator, 'GET', '/_emulator/config');
    assert.equal(result.status, 200);
  });
});

describe('emulator request log', () => {
  let emulator: Emulator;

  before(async () => {
    emulator = await startEmulator({ autoApprove: true });
  });
  after(() => emulator.close());

  test('records method, path, scope and status', async () => {
    emulator.reset();
    await callOperation(emulator, 'listClusters', { query: { limit: '5' } });
    const entry = emulator.requests[0];
    assert.equal(entry?.method, 'GET');
    assert.equal(entry?.path, '/v1/clusters');
    assert.deepEqual(entry?.query, { limit: '5' });
    assert.equal(entry?.scope, OPERATIONS.listClusters.scope);
    assert.equal(entry?.operation, 'listClusters');
    assert.equal(entry?.status, 200);
    assert.equal(entry?.hasAuthorization, true);
  });

  test('never contains a token or code', async () => {
    emulator.reset();
    const pair = pkcePair();
    const tokens = await signIn(emulator);
    await tokenRequest(emulator, {
      grant_type: 'refresh_token',
      refresh_token: tokens['refresh_token'] as string,
      client_id: 'datastack-vscode',
      code_verifier: pair.verifier,
    });
    await callOperation(emulator, 'listClusters', { token: tokens['access_token'] as string });
    await callOperation(emulator, 'listClusters', { query: { access_token: 'dapi-demo-admin' } });
    await fetch(new URL(`/oauth2/authorize?code=secret-code-value&state=secret-state`, emulator.url));

    const logged = JSON.stringify((await control(emulator, 'GET', '/_emulator/requests')).json);
    for (const secret of [
      tokens['access_token'] as string,
      tokens['refresh_token'] as string,
      'dapi-demo-admin',
      'secret-code-value',
      'secret-state',
    ]) {
      assert.ok(!logged.includes(secret), `the log contains ${secret.slice(0, 8)}...`);
    }
    assert.ok(emulator.requests.some((entry) => entry.grantType === 'refresh_token'));
  });

  test('DELETE clears the log', async () => {
    await callOperation(emulator, 'listJobs');
    const cleared = await control(emulator, 'DELETE', '/_emulator/requests');
    assert.equal(cleared.status, 200);
    assert.equal(emulator.requests.length, 0);
  });
});

describe('emulator controls', () => {
  let emulator: Emulator;

  before(async () => {
    emulator = await startEmulator({ lifecycleDelayMs: 60_000 });
  });
  beforeEach(() => emulator.reset());
  after(() => emulator.close());

  test('reset restores the seed', async () => {
    await callOperation(emulator, 'startWarehouse', { params: { id: 'wh-analytics' } });
    const result = await control(emulator, 'POST', '/_emulator/reset');
    assert.equal(result.status, 200);
    assert.equal(emulator.state.warehouses.get('wh-analytics')?.state, 'STOPPED');
  });

  test('config patch and validation', async () => {
    const changed = await control(emulator, 'POST', '/_emulator/config', { lifecycleDelayMs: 10, autoApprove: true });
    const unknown = await control(emulator, 'POST', '/_emulator/config', { colour: 'blue' });
    const invalid = await control(emulator, 'POST', '/_emulator/config', { latencyMs: -1 });
    assert.equal(changed.json['lifecycleDelayMs'], 10);
    assert.equal(emulator.config.autoApprove, true);
    assert.equal(unknown.status, 400);
    assert.equal(invalid.status, 400);
  });

  test('expire one token', async () => {
    const expired = await control(emulator, 'POST', '/_emulator/tokens/expire', { token: 'dapi-demo-reader' });
    assert.equal(expired.json['expired'], 1);
    assert.equal((await callOperation(emulator, 'listClusters', { token: 'dapi-demo-reader' })).status, 401);
    assert.equal((await callOperation(emulator, 'listClusters', { token: 'dapi-demo-admin' })).status, 200);
  });

  test('expire all tokens', async () => {
    await control(emulator, 'POST', '/_emulator/tokens/expire', { all: true });
    assert.equal((await callOperation(emulator, 'listClusters', { token: 'dapi-demo-admin' })).status, 401);
  });

  test('add a token with chosen scopes', async () => {
    const created = await control(emulator, 'POST', '/_emulator/tokens', { scopes: [OPERATIONS.listJobs.scope] });
    const token = created.json['token'] as string;
    assert.equal((await callOperation(emulator, 'listJobs', { token })).status, 200);
    assert.equal((await callOperation(emulator, 'listClusters', { token })).status, 403);
  });

  test('set a resource state', async () => {
    const result = await control(emulator, 'POST', '/_emulator/resources/state', {
      kind: 'cluster',
      id: '0101-090000-etl001',
      state: 'ERROR',
      state_message: 'Driver lost',
    });
    const cluster = await callOperation(emulator, 'getCluster', { params: { cluster_id: '0101-090000-etl001' } });
    assert.equal(result.status, 200);
    assert.equal(cluster.json['state'], 'ERROR');
    assert.equal(cluster.json['state_message'], 'Driver lost');
  });

  test('invalid resource state is 400', async () => {
    const result = await control(emulator, 'POST', '/_emulator/resources/state', { kind: 'warehouse', id: 'wh-analytics', state: 'ON' });
    assert.equal(result.status, 400);
  });

  test('bulk clusters', async () => {
    const result = await control(emulator, 'POST', '/_emulator/clusters/bulk', { count: 10_000 });
    assert.equal(result.json['added'], 10_000);
    assert.equal(emulator.state.clusters.size, result.json['total']);
  });

  test('state dump has no tokens', async () => {
    const result = await control(emulator, 'GET', '/_emulator/state');
    assert.equal((result.json['warehouses'] as unknown[]).length, emulator.state.warehouses.size);
    assert.ok(!JSON.stringify(result.json).includes('dapi-demo-admin'));
  });

  test('unknown control is 404', async () => {
    const result = await control(emulator, 'GET', '/_emulator/nothing');
    assert.equal(result.status, 404);
  });
});
