import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';

import { ALL_APIS_SCOPE, OPERATION_IDS, OPERATIONS, SCOPES, type OperationId } from '../../src/api/operations';
import { startEmulator, type Emulator } from '../emulator/index';
import { callOperation, type CallOptions } from './emulator-helpers';

/** Arguments that make each operation succeed against the seed. */
const VALID_CALLS: Record<OperationId, Pick<CallOptions, 'params' | 'query' | 'body'>> = {
  getCurrentUser: {},
  listUsers: {},
  listWorkspaces: {},
  getWorkspace: { params: { id: 'ws-sandbox' } },
  listClusters: {},
  getCluster: { params: { cluster_id: '0101-090000-etl001' } },
  createCluster: {
    body: { cluster_name: 'Scope test', node_type: 'm5.large', num_workers: 1, autotermination_minutes: 30 },
  },
  startCluster: { params: { cluster_id: '0101-090000-adhoc02' } },
  terminateCluster: { params: { cluster_id: '0101-090000-etl001' } },
  listJobs: {},
  getJob: { params: { job_id: '1001' } },
  listRuns: { params: { job_id: '1001' } },
  getRun: { params: { run_id: '50001' } },
  runJobNow: { params: { job_id: '1002' } },
  cancelRun: { params: { run_id: '50003' } },
  listNotebookFolder: { query: { path: '/Shared' } },
  exportNotebook: { query: { path: '/Shared/etl/daily/ingest_orders', format: 'SOURCE' } },
  createNotebook: {
    body: { path: '/Shared/scope_test', language: 'PYTHON', content: Buffer.from('print(1)').toString('base64'), overwrite: false },
  },
  listWarehouses: {},
  getWarehouse: { params: { id: 'wh-analytics' } },
  startWarehouse: { params: { id: 'wh-analytics' } },
  stopWarehouse: { params: { id: 'wh-bi-dash' } },
};

describe('emulator token and scope checks', () => {
  let emulator: Emulator;

  before(async () => {
    emulator = await startEmulator({ lifecycleDelayMs: 60_000 });
  });
  beforeEach(() => emulator.reset());
  after(() => emulator.close());

  for (const operation of OPERATION_IDS) {
    const required = OPERATIONS[operation].scope;
    const call = VALID_CALLS[operation];
    const otherScopes = SCOPES.filter((scope) => scope !== required && scope !== ALL_APIS_SCOPE);

    describe(operation, () => {
      test('succeeds with exactly its scope', async () => {
        const token = emulator.addToken({ scopes: [required] });
        const result = await callOperation(emulator, operation, { ...call, token });
        assert.equal(result.status, 200, JSON.stringify(result.json));
      });

      test('succeeds with all-apis', async () => {
        const result = await callOperation(emulator, operation, { ...call, token: 'dapi-demo-admin' });
        assert.equal(result.status, 200, JSON.stringify(result.json));
      });

      test('rejects a token without its scope', async () => {
        const token = emulator.addToken({ scopes: otherScopes });
        const result = await callOperation(emulator, operation, { ...call, token });
        assert.equal(result.status, 403);
        assert.equal(result.json['error_code'], 'PERMISSION_DENIED');
        assert.equal(result.json['required_scope'], required);
        assert.equal(
          result.headers.get('www-authenticate'),
          `Bearer realm="datastack", error="insufficient_scope", scope="${required}"`,
        );
      });

      test('rejects a missing scope header', async () => {
        const result = await callOperation(emulator, operation, { ...call, scope: null });
        assert.equal(result.status, 403);
        assert.equal(result.json['required_scope'], required);
      });

      test('rejects a header naming another scope', async () => {
        const result = await callOperation(emulator, operation, { ...call, scope: otherScopes[0] as string });
        assert.equal(result.status, 403);
        assert.equal(result.json['required_scope'], required);
      });

      test('rejects an all-apis scope header', async () => {
        const result = await callOperation(emulator, operation, { ...call, scope: ALL_APIS_SCOPE });
        assert.equal(result.status, 403);
      });

      for (const [name, token] of [
        ['expired', 'dapi-demo-expired'],
        ['unknown', 'dapi-not-a-real-token'],
        ['missing', null],
      ] as const) {
        test(`rejects a ${name} token with 401`, async () => {
          const result = await callOperation(emulator, operation, { ...call, token });
          assert.equal(result.status, 401);
          assert.equal(result.json['error_code'], 'UNAUTHENTICATED');
          assert.equal(typeof result.json['message'], 'string');
          assert.match(result.headers.get('www-authenticate') ?? '', /^Bearer .*error="invalid_token"/);
        });
      }

      test('checks the token before the scope', async () => {
        const result = await callOperation(emulator, operation, { ...call, token: 'dapi-demo-expired', scope: null });
        assert.equal(result.status, 401);
      });

      test('rejects a token in the query string', async () => {
        const result = await callOperation(emulator, operation, {
          ...call,
          query: { ...call.query, access_token: 'dapi-demo-admin' },
        });
        assert.equal(result.status, 401);
      });
    });
  }

  test('demo reader token holds every read scope', async () => {
    for (const operation of OPERATION_IDS.filter((id) => OPERATIONS[id].method === 'GET')) {
      const result = await callOperation(emulator, operation, { ...VALID_CALLS[operation], token: 'dapi-demo-reader' });
      assert.equal(result.status, 200, operation);
    }
  });

  test('demo reader token cannot manage', async () => {
    const result = await callOperation(emulator, 'startWarehouse', { ...VALID_CALLS.startWarehouse, token: 'dapi-demo-reader' });
    assert.equal(result.status, 403);
  });

  test('demo sql token holds only sql scopes', async () => {
    const sql = await callOperation(emulator, 'startWarehouse', { ...VALID_CALLS.startWarehouse, token: 'dapi-demo-sql' });
    const clusters = await callOperation(emulator, 'listClusters', { token: 'dapi-demo-sql' });
    assert.equal(sql.status, 200);
    assert.equal(clusters.status, 403);
  });

  test('malformed authorization header is 401', async () => {
    const response = await fetch(new URL('/v1/clusters', emulator.url), {
      headers: { authorization: 'Basic ZGFwaTo=', 'x-datastack-scope': OPERATIONS.listClusters.scope },
    });
    assert.equal(response.status, 401);
  });
});
