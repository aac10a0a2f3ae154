import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  createOAuthSessionRecord,
  parseSessionRecord,
  serializeSessionRecord,
  type OAuthSessionRecord,
  type PatSessionRecord,
  type SessionRecordMigration,
} from '../../src/auth/sessionRecord';
import { MemorySecretStore, SecretStorageTimeoutError, readSessionRecord, withStorageTimeout } from '../../src/auth/storage';
import type { AuthLog } from '../../src/auth/types';

const OAUTH: OAuthSessionRecord = {
  v: 1,
  kind: 'oauth',
  profileId: 'p-1',
  host: 'https://api.datastack.cloud',
  accessToken: 'at-1',
  refreshToken: 'rt-1',
  scopes: ['read:clusters'],
  obtainedAt: 1_000,
  expiresAt: 3_601_000,
  tokenUrl: 'https://accounts.datastack.cloud/oauth2/token',
  clientId: 'datastack-vscode',
};
const PAT: PatSessionRecord = {
  v: 1,
  kind: 'pat',
  profileId: 'p-2',
  host: 'https://api.datastack.cloud',
  accessToken: 'dapi-demo-admin',
  scopes: [],
};

function recordingLog(): AuthLog & { lines: string[] } {
  const lines: string[] = [];
  const push = (message: string): void => {
    lines.push(message);
  };
  return { lines, trace: push, debug: push, info: push, warn: push, error: push };
}

describe('session record', () => {
  test('oauth record round-trips', () => {
    assert.deepEqual(parseSessionRecord(serializeSessionRecord(OAUTH)), { status: 'ok', record: OAUTH });
  });

  test('pat record round-trips', () => {
    assert.deepEqual(parseSessionRecord(serializeSessionRecord(PAT)), { status: 'ok', record: PAT });
  });

  test('oauth record without refresh token', () => {
    const { refreshToken: _unused, ...withoutRefresh } = OAUTH;
    const parsed = parseSessionRecord(JSON.stringify(withoutRefresh));
    assert.equal(parsed.status, 'ok');
    assert.equal(parsed.status === 'ok' && parsed.record.kind === 'oauth' && parsed.record.refreshToken, undefined);
  });

  test('absent and empty are missing', () => {
    assert.deepEqual(parseSessionRecord(undefined), { status: 'missing' });
    assert.deepEqual(parseSessionRecord(''), { status: 'missing' });
  });

  const corrupt: [string, string][] = [
    ['not JSON', '{"v":1,'],
    ['an array', '[1]'],
    ['a string', '"text"'],
    ['no access token', JSON.stringify({ ...OAUTH, accessToken: '' })],
    ['bad kind', JSON.stringify({ ...OAUTH, kind: 'saml' })],
    ['bad scopes', JSON.stringify({ ...OAUTH, scopes: 'read:clusters' })],
    ['bad expiresAt', JSON.stringify({ ...OAUTH, expiresAt: '3600' })],
    ['empty refresh token', JSON.stringify({ ...OAUTH, refreshToken: '' })],
    ['no token url', JSON.stringify({ ...OAUTH, tokenUrl: undefined })],
  ];
  for (const [name, text] of corrupt) {
    test(`${name} is corrupt`, () => {
      assert.equal(parseSessionRecord(text).status, 'corrupt');
    });
  }

  test('corrupt reason names no secret', () => {
    const parsed = parseSessionRecord(JSON.stringify({ ...OAUTH, expiresAt: 'rt-secret-value' }));
    if (parsed.status !== 'corrupt') {
      assert.fail(`expected corrupt, got ${parsed.status}`);
    }
    assert.ok(!parsed.reason.includes('rt-secret-value'));
  });

  test('future version is unsupported', () => {
    assert.deepEqual(parseSessionRecord(JSON.stringify({ ...OAUTH, v: 2 })), { status: 'unsupported-version', version: 2 });
  });

  test('version 0 without migration is unsupported', () => {
    assert.deepEqual(parseSessionRecord(JSON.stringify({ token: 'dapi-demo-admin' })), { status: 'unsupported-version', version: 0 });
  });

  test('migration hook upgrades an older shape', () => {
    const fromV0: SessionRecordMigration = (old) => ({
      v: 1,
      kind: 'pat',
      profileId: 'migrated',
      host: old.host,
      accessToken: old.token,
      scopes: [],
    });
    const parsed = parseSessionRecord(
      JSON.stringify({ token: 'dapi-demo-admin', host: 'https://api.datastack.cloud' }),
      new Map([[0, fromV0]]),
    );
    assert.deepEqual(parsed, {
      status: 'ok',
      record: { v: 1, kind: 'pat', profileId: 'migrated', host: 'https://api.datastack.cloud', accessToken: 'dapi-demo-admin', scopes: [] },
    });
  });

  test('failing migration is corrupt', () => {
    const parsed = parseSessionRecord(JSON.stringify({ token: 'x' }), new Map([[0, () => { throw new Error('bad'); }]]));
    assert.equal(parsed.status, 'corrupt');
  });

  test('created from a token set', () => {
    const record = createOAuthSessionRecord(
      { accessToken: 'at', refreshToken: undefined, obtainedAt: 5, expiresAt: 65, scopes: ['read:jobs'] },
      { profileId: 'p', host: 'https://h.example', tokenUrl: 'https://a.example/token', clientId: 'c' },
    );
    assert.equal(record.kind, 'oauth');
    assert.equal('refreshToken' in record, false);
    assert.equal(parseSessionRecord(serializeSessionRecord(record)).status, 'ok');
  });
});

describe('session storage', () => {
  test('corrupt record is deleted and logged once', async () => {
    const store = new MemorySecretStore('{broken');
    const log = recordingLog();
    const parsed = await readSessionRecord(store, log);
    assert.equal(parsed.status, 'corrupt');
    assert.equal(await store.read(), undefined);
    assert.equal(log.lines.length, 1);
    assert.equal((await readSessionRecord(store, log)).status, 'missing');
    assert.equal(log.lines.length, 1);
  });

  test('unknown version is deleted', async () => {
    const store = new MemorySecretStore(JSON.stringify({ ...OAUTH, v: 9 }));
    assert.equal((await readSessionRecord(store)).status, 'unsupported-version');
    assert.equal(await store.read(), undefined);
  });

  test('delete failure does not throw', async () => {
    const store = {
      read: async () => 'nope',
      write: async () => undefined,
      delete: async () => {
        throw new Error('keyring unavailable');
      },
    };
    const log = recordingLog();
    assert.equal((await readSessionRecord(store, log)).status, 'corrupt');
    assert.equal(log.lines.length, 2);
  });

  test('timeout bounds a read that never finishes', async () => {
    const hanging = { read: () => new Promise<string | undefined>(() => undefined), write: async () => undefined, delete: async () => undefined };
    const started = Date.now();
    await assert.rejects(withStorageTimeout(hanging, 50).read(), (error: unknown) => error instanceof SecretStorageTimeoutError && error.storageOperation === 'read');
    assert.ok(Date.now() - started < 1000);
  });

  test('timeout passes results and errors through', async () => {
    const store = withStorageTimeout(new MemorySecretStore('x'), 1000);
    assert.equal(await store.read(), 'x');
    const failing = withStorageTimeout({ read: async () => { throw new Error('no keyring'); }, write: async () => undefined, delete: async () => undefined }, 1000);
    await assert.rejects(failing.read(), /no keyring/);
  });
});
