import assert from 'node:assert/strict';
import { after, before, beforeEach, test } from 'node:test';
import { MissingScopeError } from '../../src/api/errors';
import type { Scope } from '../../src/api/operations';
import type { ScopeStatus } from '../../src/core/contracts';
import { KnownMissingScopeError } from '../../src/scopes/knownMissingScopeError';
import { createScopeObserver } from '../../src/scopes/scopeObserver';
import { type Emulator, startEmulator } from '../emulator/index';
import { READER_TOKEN, createTestClient } from './client-fixtures';

/** An in-memory scope registry with the semantics of the extension's store, minus persistence. */
class MemoryRegistry {
  readonly known = new Map<string, Exclude<ScopeStatus, 'unknown'>>();
  readonly records: string[] = [];

  status(profileId: string, scope: Scope): ScopeStatus {
    return this.known.get(`${profileId} ${scope}`) ?? 'unknown';
  }

  record(profileId: string, scope: Scope, status: Exclude<ScopeStatus, 'unknown'>): void {
    this.known.set(`${profileId} ${scope}`, status);
    this.records.push(`${scope}=${status}`);
  }
}

let emulator: Emulator;

before(async () => {
  emulator = await startEmulator({ lifecycleDelayMs: 60_000 });
});

after(async () => {
  await emulator.close();
});

beforeEach(() => {
  emulator.reset();
});

function readerClient(registry: MemoryRegistry) {
  const observer = createScopeObserver(registry, { id: 'p1', host: emulator.url });
  return createTestClient(emulator, { token: READER_TOKEN, observer }).client;
}

function requestsFor(operation: string): number {
  return emulator.requests.filter((entry) => entry.operation === operation).length;
}

test('observer records held after 2xx', async () => {
  const registry = new MemoryRegistry();
  await readerClient(registry).getWarehouse('wh-analytics');
  assert.equal(registry.status('p1', 'read:sql'), 'held');
  assert.equal(registry.status('p1', 'manage:sql'), 'unknown');
});

test('observer records missing after 403', async () => {
  const registry = new MemoryRegistry();
  await assert.rejects(readerClient(registry).startWarehouse('wh-analytics'), MissingScopeError);
  assert.equal(registry.status('p1', 'manage:sql'), 'missing');
  assert.equal(requestsFor('startWarehouse'), 1);
});

test('observer skips known missing action', async () => {
  const registry = new MemoryRegistry();
  const client = readerClient(registry);
  await assert.rejects(client.startWarehouse('wh-analytics'), (error) => error instanceof MissingScopeError && !(error instanceof KnownMissingScopeError));
  await assert.rejects(client.stopWarehouse('wh-bi-dash'), (error: unknown) => {
    assert.ok(error instanceof KnownMissingScopeError);
    assert.equal(error.requiredScope, 'manage:sql');
    assert.equal(error.operation, 'stopWarehouse');
    assert.equal(error.host, emulator.url);
    return true;
  });
  assert.equal(requestsFor('startWarehouse'), 1);
  assert.equal(requestsFor('stopWarehouse'), 0, 'a request went out for a scope known to be missing');
});

test('observer still sends reads of missing scope', async () => {
  const registry = new MemoryRegistry();
  const token = emulator.addToken({ scopes: ['read:clusters'] });
  const observer = createScopeObserver(registry, { id: 'p1', host: emulator.url });
  const client = createTestClient(emulator, { token, observer }).client;
  await assert.rejects(client.getWarehouse('wh-analytics'), MissingScopeError);
  assert.equal(registry.status('p1', 'read:sql'), 'missing');
  await assert.rejects(client.getWarehouse('wh-analytics'), (error) => !(error instanceof KnownMissingScopeError));
  assert.equal(requestsFor('getWarehouse'), 2);
});

test('observer learns a scope granted later', async () => {
  const registry = new MemoryRegistry();
  registry.record('p1', 'manage:sql', 'missing');
  registry.record('p1', 'read:sql', 'missing');
  const observer = createScopeObserver(registry, { id: 'p1', host: emulator.url });
  const client = createTestClient(emulator, { token: 'dapi-demo-sql', observer }).client;
  await client.getWarehouse('wh-analytics');
  assert.equal(registry.status('p1', 'read:sql'), 'held');
  assert.equal(registry.status('p1', 'manage:sql'), 'missing', 'a read must not mark the manage scope held');
});

test('observer records nothing for other failures', async () => {
  const registry = new MemoryRegistry();
  emulator.injectFault({ kind: 'server-error', status: 500, method: 'POST', count: 1 });
  const client = createTestClient(emulator, { token: 'dapi-demo-sql', observer: createScopeObserver(registry, { id: 'p1', host: emulator.url }) }).client;
  await assert.rejects(client.startWarehouse('wh-analytics'));
  assert.deepEqual(registry.records, []);
});

test('observer list pages record held', async () => {
  const registry = new MemoryRegistry();
  const client = readerClient(registry);
  for await (const page of client.list('listClusters', 'clusters', (value) => value, { limit: 2 })) {
    assert.ok(Array.isArray(page.items));
  }
  assert.equal(registry.status('p1', 'read:clusters'), 'held');
  assert.ok(registry.records.filter((entry) => entry === 'read:clusters=held').length >= 2, 'each page reports its result');
});
