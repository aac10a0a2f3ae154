import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { AuthenticationError } from '../../src/api/errors';
import { scopeOf } from '../../src/api/operations';
import type { Emulator } from '../emulator/index';
import {
  ADMIN_TOKEN,
  DEMO_TOKENS,
  EXPIRED_TOKEN,
  READER_TOKEN,
  allItems,
  createTestClient,
  startTestEmulator,
} from './client-fixtures';

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

describe('client token getter', () => {
  test('is asked before every try', async () => {
    emulator.injectFault({ kind: 'server-error', status: 503, path: '/v1/users/me' });
    const { client, tokenRequests } = createTestClient(emulator);
    await client.getCurrentUser();
    await client.getCurrentUser();
    assert.equal(tokenRequests(), 3);
  });

  test('sees a changed token', async () => {
    let token = EXPIRED_TOKEN;
    const { client } = createTestClient(emulator, { getToken: async () => token });
    await assert.rejects(client.getCurrentUser(), AuthenticationError);
    token = ADMIN_TOKEN;
    assert.equal((await client.getCurrentUser()).id, 'u-1001');
  });
});

describe('client 401 hook', () => {
  test('fresh token retries once', async () => {
    const hookErrors: AuthenticationError[] = [];
    const { client, logs } = createTestClient(emulator, {
      token: EXPIRED_TOKEN,
      onAuthenticationFailure: async (error) => {
        hookErrors.push(error);
        return ADMIN_TOKEN;
      },
    });

    const user = await client.getCurrentUser();

    assert.equal(user.id, 'u-1001');
    assert.equal(hookErrors.length, 1);
    assert.equal(hookErrors[0]?.challenge.error, 'invalid_token');
    assert.deepEqual(
      emulator.requests.map((entry) => entry.status),
      [401, 200],
    );
    assert.ok(logs.some((line) => /retrying once with a refreshed token/.test(line.message)));
  });

  test('still rejected token stops', async () => {
    let hookCalls = 0;
    const { client } = createTestClient(emulator, {
      token: EXPIRED_TOKEN,
      onAuthenticationFailure: async () => {
        hookCalls++;
        return 'dapi-also-not-valid';
      },
    });

    await assert.rejects(client.getCurrentUser(), AuthenticationError);

    assert.equal(hookCalls, 1);
    assert.equal(emulator.requests.length, 2);
  });

  test('undefined from hook stops', async () => {
    const { client } = createTestClient(emulator, {
      token: EXPIRED_TOKEN,
      onAuthenticationFailure: async () => undefined,
    });
    await assert.rejects(client.getCurrentUser(), AuthenticationError);
    assert.equal(emulator.requests.length, 1);
  });

  test('POST is retried once after 401', async () => {
    const { client } = createTestClient(emulator, {
      token: EXPIRED_TOKEN,
      onAuthenticationFailure: async () => ADMIN_TOKEN,
    });

    const { run_id: runId } = await client.runJobNow('1001');

    assert.ok(emulator.state.runs.has(Number(runId)));
    assert.deepEqual(
      emulator.requests.map((entry) => entry.status),
      [401, 200],
    );
  });

  test('hook is not called for 403', async () => {
    let hookCalls = 0;
    const { client } = createTestClient(emulator, {
      token: READER_TOKEN,
      onAuthenticationFailure: async () => {
        hookCalls++;
        return ADMIN_TOKEN;
      },
    });
    await assert.rejects(client.stopWarehouse('wh-bi-dash'));
    assert.equal(hookCalls, 0);
  });
});

describe('client request log', () => {
  test('one line per request with its facts', async () => {
    const { client, logs } = createTestClient(emulator);

    await client.getCluster('0101-090000-etl001');

    assert.equal(logs.length, 1);
    const requestId = emulator.requests[0]?.requestId ?? '';
    assert.ok(requestId !== '');
    const line = logs[0]?.message ?? '';
    assert.match(line, /^GET \/v1\/clusters\/0101-090000-etl001 200 /);
    assert.ok(line.includes(`[scope ${scopeOf('getCluster')}]`), line);
    assert.match(line, / \d+ ms /);
    assert.ok(line.endsWith(`request-id ${requestId}`), line);
  });

  test('hides page tokens but keeps the folder path', async () => {
    const { client, logs } = createTestClient(emulator, { pageSize: 1 });

    await allItems(client.listNotebookFolder('/Shared/etl'));

    assert.equal(logs.length, 2);
    assert.match(logs[0]?.message ?? '', /^GET \/v1\/notebooks\?path=\/Shared\/etl&limit=1 200/);
    assert.match(logs[1]?.message ?? '', /&page_token=… 200/);
  });

  test('failed requests never show a token', async () => {
    const { client, logs } = createTestClient(emulator, { token: EXPIRED_TOKEN });
    await assert.rejects(client.getCurrentUser());
    emulator.injectFault({ kind: 'drop', path: '/v1/users', count: 3 });
    const admin = createTestClient(emulator);
    await assert.rejects(admin.client.getCurrentUser());

    const lines = [...logs, ...admin.logs].map((line) => line.message);
    assert.equal(lines.length, 1 + 5);
    for (const line of lines) {
      for (const token of DEMO_TOKENS) {
        assert.ok(!line.includes(token), line);
      }
    }
  });
});
