import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { InvalidParameterError, NotFoundError } from '../../src/api/errors';
import { normalizeToken } from '../../src/api/validation';
import { checkClusterName, checkNotebookName, normalizeFolder } from '../../src/views/model/validation';
import type { Emulator } from '../emulator/index';
import { allItems, createTestClient, startTestEmulator } from './client-fixtures';

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

/** Names that need quoting, escaping or percent-encoding somewhere on their way to the server. */
const HOSTILE_NAMES = [
  `O'Brien "nightly" ETL`,
  'データ処理 クラスター',
  'emoji 🚀 name',
  'a/b?c#d%20e&f=g+h',
  '100% done',
  '<script>alert(1)</script>',
  'right\u202eto left',
  'back\\slash',
];

const SOURCE = Buffer.from('print(1)\n', 'utf8').toString('base64');

describe('names reach the server intact', () => {
  for (const name of HOSTILE_NAMES) {
    test(`cluster ${JSON.stringify(name)}`, async () => {
      assert.equal(checkClusterName(name), undefined);
      const { client } = createTestClient(emulator);

      const created = await client.createCluster({ cluster_name: name, node_type: 'm5.large', num_workers: 1, autotermination_minutes: 30 });
      const cluster = await client.getCluster(created.cluster_id);

      assert.equal(cluster.cluster_name, name);
      assert.equal(emulator.state.clusters.get(created.cluster_id)?.cluster_name, name);
    });
  }

  for (const name of HOSTILE_NAMES.filter((candidate) => !candidate.includes('/'))) {
    test(`notebook ${JSON.stringify(name)}`, async () => {
      assert.equal(checkNotebookName(name), undefined);
      const folder = normalizeFolder('/Shared/');
      const path = `${folder}/${name}`;
      const { client } = createTestClient(emulator);

      const created = await client.createNotebook({ path, language: 'PYTHON', content: SOURCE, overwrite: false });
      const exported = await client.exportNotebook(path);
      const listed = await allItems(client.listNotebookFolder(folder));

      assert.equal(created.path, path);
      assert.equal(exported.content, SOURCE);
      assert.ok(listed.some((object) => object.path === path));
      // The log decodes the query once: an exact match proves the path was encoded exactly once.
      const exportEntry = emulator.requests.find((entry) => entry.operation === 'exportNotebook');
      assert.equal(exportEntry?.query['path'], path);
      const listEntry = emulator.requests.find((entry) => entry.operation === 'listNotebookFolder');
      assert.equal(listEntry?.query['path'], folder);
    });
  }
});

describe('path parameters are encoded once', () => {
  const ids = ['plain-id', 'with space', 'slash/inside', 'query?and#hash', '100%', '%41', 'ünï 🚀', "quote'\"", '..a', 'a..'];

  for (const id of ids) {
    test(`cluster id ${JSON.stringify(id)}`, async () => {
      const { client } = createTestClient(emulator);

      await assert.rejects(client.getCluster(id), NotFoundError);

      const entry = emulator.requests.at(-1);
      assert.equal(entry?.operation, 'getCluster');
      assert.equal(entry?.path, `/v1/clusters/${encodeURIComponent(id)}`);
      assert.equal(decodeURIComponent(entry?.path.split('/').at(-1) ?? ''), id);
    });
  }

  for (const id of ['.', '..', '%2E', '%2e%2E']) {
    test(`cluster id ${JSON.stringify(id)} never leaves the client`, async () => {
      const { client } = createTestClient(emulator);

      await assert.rejects(client.getCluster(id), InvalidParameterError);
      assert.equal(emulator.requests.length, 0);
    });
  }
});

describe('pasted tokens', () => {
  for (const pasted of ['dapi-demo-admin\n', '  dapi-demo-admin\r\n', '"dapi-demo-admin"', 'Bearer dapi-demo-admin']) {
    test(`${JSON.stringify(pasted)} signs in`, async () => {
      const normalized = normalizeToken(pasted);
      assert.ok('token' in normalized, JSON.stringify(normalized));
      const { client } = createTestClient(emulator, { token: normalized.token });

      const user = await client.getCurrentUser();

      assert.equal(user.user_name, 'ada@example.com');
    });
  }

  test('a token with a header break never reaches the server', () => {
    const normalized = normalizeToken('dapi-demo-admin\r\nX-Injected: yes');

    assert.deepEqual(normalized, { problem: { code: 'containsWhitespace' } });
    assert.equal(emulator.requests.length, 0);
  });
});
