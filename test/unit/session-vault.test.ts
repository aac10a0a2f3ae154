import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SecretStorageError } from '../../src/session/errors';
import { PENDING_DELETES_KEY, type SecretBackend, SecretVault } from '../../src/session/secretVault';

/** An in-memory SecretStorage whose operations can be made to fail or hang. */
class StubBackend implements SecretBackend {
  readonly values = new Map<string, string>();
  readonly listeners = new Set<(event: { key: string }) => unknown>();
  getMode: 'ok' | 'reject' | 'hang' = 'ok';
  storeMode: 'ok' | 'reject' | 'hang' = 'ok';
  deleteMode: 'ok' | 'reject' | 'hang' = 'ok';

  /** Kept for the older tests: a store that throws. */
  set storeThrows(value: boolean) {
    this.storeMode = value ? 'reject' : 'ok';
  }

  get(key: string): Promise<string | undefined> {
    if (this.getMode === 'reject') {
      return Promise.reject(new Error('keyring read failed'));
    }
    if (this.getMode === 'hang') {
      return new Promise(() => undefined);
    }
    return Promise.resolve(this.values.get(key));
  }

  store(key: string, value: string): Promise<void> {
    if (this.storeMode === 'reject') {
      return Promise.reject(new Error('no keyring service'));
    }
    if (this.storeMode === 'hang') {
      return new Promise(() => undefined);
    }
    this.values.set(key, value);
    this.fire(key);
    return Promise.resolve();
  }

  delete(key: string): Promise<void> {
    if (this.deleteMode === 'reject') {
      return Promise.reject(new Error('keyring delete failed'));
    }
    if (this.deleteMode === 'hang') {
      return new Promise(() => undefined);
    }
    this.values.delete(key);
    this.fire(key);
    return Promise.resolve();
  }

  onDidChange(listener: (event: { key: string }) => unknown): { dispose(): unknown } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  fire(key: string): void {
    for (const listener of this.listeners) {
      listener({ key });
    }
  }
}

test('SecretVault reads what it wrote', async () => {
  const vault = new SecretVault(new StubBackend());
  assert.equal(await vault.write('datastack.session.a', 'record'), 'stored');
  assert.equal(await vault.read('datastack.session.a'), 'record');
  assert.equal(vault.persistent, true);
});

test('SecretVault hanging read times out', async () => {
  const backend = new StubBackend();
  backend.getMode = 'hang';
  const failures: SecretStorageError[] = [];
  const vault = new SecretVault(backend, { readTimeoutMs: 50, onFailure: (error) => failures.push(error) });
  const started = Date.now();
  await assert.rejects(vault.read('datastack.session.a'), (error) => error instanceof SecretStorageError && error.failure === 'read-timeout');
  assert.ok(Date.now() - started < 2000);
  assert.equal(failures.length, 1);
});

test('SecretVault rejecting read is a read failure', async () => {
  const backend = new StubBackend();
  backend.getMode = 'reject';
  const vault = new SecretVault(backend);
  await assert.rejects(vault.read('k'), (error) => error instanceof SecretStorageError && error.failure === 'read-failed');
});

test('SecretVault failing write keeps the value for this window', async () => {
  const backend = new StubBackend();
  backend.storeThrows = true;
  const failures: SecretStorageError[] = [];
  const vault = new SecretVault(backend, { onFailure: (error) => failures.push(error) });
  assert.equal(await vault.write('datastack.session.a', 'record'), 'memory');
  assert.equal(vault.persistent, false);
  assert.equal(backend.values.size, 0);
  assert.equal(await vault.read('datastack.session.a'), 'record');
  await vault.write('datastack.session.b', 'other');
  assert.deepEqual(
    failures.map((error) => error.failure),
    ['write-failed'],
  );
});

test('SecretVault delete drops the kept value', async () => {
  const backend = new StubBackend();
  backend.storeThrows = true;
  const vault = new SecretVault(backend);
  await vault.write('k', 'record');
  await vault.delete('k');
  assert.equal(await vault.read('k'), undefined);
});

test('SecretVault onDidChange filters by prefix', async () => {
  const backend = new StubBackend();
  const vault = new SecretVault(backend);
  const keys: string[] = [];
  const subscription = vault.onDidChange('datastack.session.', (key) => keys.push(key));
  await vault.write('datastack.session.a', 'x');
  await vault.write('other.key', 'y');
  subscription.dispose();
  await vault.write('datastack.session.b', 'z');
  assert.deepEqual(keys, ['datastack.session.a']);
});

test('SecretVault storeFor reads and writes one key', async () => {
  const backend = new StubBackend();
  const store = new SecretVault(backend).storeFor('datastack.session.a');
  await store.write('record');
  assert.equal(backend.values.get('datastack.session.a'), 'record');
  assert.equal(await store.read(), 'record');
  await store.delete();
  assert.equal(await store.read(), undefined);
});

/** A `vscode.Memento` stand-in that keeps what `update` stored. */
class MemoryState {
  readonly values = new Map<string, unknown>();

  get(key: string): unknown {
    return this.values.get(key);
  }

  async update(key: string, value: unknown): Promise<void> {
    if (value === undefined) {
      this.values.delete(key);
    } else {
      this.values.set(key, value);
    }
  }
}

test('SecretVault hanging write times out', async () => {
  const backend = new StubBackend();
  backend.storeMode = 'hang';
  const failures: SecretStorageError[] = [];
  const vault = new SecretVault(backend, { writeTimeoutMs: 50, onFailure: (error) => failures.push(error) });
  const started = Date.now();

  const outcome = await vault.write('datastack.session.a', 'record');

  assert.ok(Date.now() - started < 2000);
  assert.equal(outcome, 'memory');
  assert.equal(vault.persistent, false);
  assert.equal(await vault.read('datastack.session.a'), 'record');
  assert.deepEqual(
    failures.map((error) => error.failure),
    ['write-timeout'],
  );
});

test('SecretVault hanging delete times out', async () => {
  const backend = new StubBackend();
  backend.values.set('datastack.session.a', 'record');
  backend.deleteMode = 'hang';
  const failures: SecretStorageError[] = [];
  const vault = new SecretVault(backend, { writeTimeoutMs: 50, onFailure: (error) => failures.push(error) });
  const started = Date.now();

  const deleted = await vault.delete('datastack.session.a');

  assert.ok(Date.now() - started < 2000);
  assert.equal(deleted, false);
  assert.deepEqual(
    failures.map((error) => error.failure),
    ['delete-timeout'],
  );
  assert.deepEqual(vault.pendingDeletes(), ['datastack.session.a']);
});

test('SecretVault retries a failed delete', async () => {
  const backend = new StubBackend();
  const state = new MemoryState();
  backend.values.set('datastack.session.a', 'record');
  backend.deleteMode = 'reject';
  const failures: SecretStorageError[] = [];
  const logs: string[] = [];
  const vault = new SecretVault(backend, { state, onFailure: (error) => failures.push(error), log: (line) => logs.push(line) });

  assert.equal(await vault.delete('datastack.session.a'), false);
  assert.deepEqual(state.get(PENDING_DELETES_KEY), ['datastack.session.a']);
  assert.equal(failures[0]?.failure, 'delete-failed');
  await vault.retryPendingDeletes();
  assert.equal(backend.values.get('datastack.session.a'), 'record');
  assert.deepEqual(state.get(PENDING_DELETES_KEY), ['datastack.session.a']);

  // A new window with a working keyring reads the record from global state and deletes the secret.
  backend.deleteMode = 'ok';
  await new SecretVault(backend, { state }).retryPendingDeletes();

  assert.equal(backend.values.has('datastack.session.a'), false);
  assert.equal(state.get(PENDING_DELETES_KEY), undefined);
  assert.equal(failures.length, 1);
  assert.ok(logs.some((line) => line.includes('failed again')));
  assert.ok(logs.every((line) => !line.includes('record')));
});

test('SecretVault write cancels a pending delete', async () => {
  const backend = new StubBackend();
  const state = new MemoryState();
  backend.deleteMode = 'reject';
  const vault = new SecretVault(backend, { state });
  await vault.delete('datastack.session.a');
  backend.deleteMode = 'ok';

  await vault.write('datastack.session.a', 'new record');
  await vault.retryPendingDeletes();

  assert.equal(backend.values.get('datastack.session.a'), 'new record');
  assert.deepEqual(vault.pendingDeletes(), []);
});
