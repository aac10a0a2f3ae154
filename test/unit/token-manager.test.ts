import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import { AccessTokenRejectedError, SessionExpiredError, TokenEndpointUnavailableError } from '../../src/auth/errors';
import { FileLock } from '../../src/auth/fileLock';
import { parseSessionRecord, type OAuthSessionRecord, type PatSessionRecord } from '../../src/auth/sessionRecord';
import { MemorySecretStore } from '../../src/auth/storage';
import { TokenManager, type SessionExpiredEvent, type TokenManagerOptions, type TokenRefreshedEvent } from '../../src/auth/tokenManager';
import type { SecretStore } from '../../src/auth/types';
import { startEmulator, type Emulator } from '../emulator/index';
import { callOperation } from './emulator-helpers';
import { FileSecretStore, ManualClock, serialize, signInRecord, tokenRequests } from './auth-fixtures';

const SCOPES = ['read:clusters'];
const HOUR = 3600 * 1000;
const clock = new ManualClock();
let emulator: Emulator;
let tempDir: string;
const managers: TokenManager[] = [];

before(async () => {
  emulator = await startEmulator({ now: () => clock.now() });
});

after(async () => {
  await emulator.close();
});

beforeEach(async () => {
  clock.time = Date.now();
  emulator.reset();
  tempDir = await mkdtemp(join(tmpdir(), 'datastack-auth-'));
});

afterEach(async () => {
  for (const manager of managers.splice(0)) {
    manager.dispose();
  }
  await rm(tempDir, { recursive: true, force: true });
});

function createManager(store: SecretStore, options: Partial<TokenManagerOptions> = {}): TokenManager {
  const manager = new TokenManager({ store, clock, proactiveRefresh: false, retry: { sleep: async () => undefined }, ...options });
  managers.push(manager);
  return manager;
}

/** Signs in, stores the record and clears the emulator's request log. */
async function signedInStore(): Promise<{ store: MemorySecretStore; record: OAuthSessionRecord }> {
  const record = await signInRecord(emulator, SCOPES, clock);
  emulator.clearRequests();
  return { store: new MemorySecretStore(serialize(record)), record };
}

async function storedRecord(store: SecretStore): Promise<OAuthSessionRecord> {
  const parsed = parseSessionRecord(await store.read());
  if (parsed.status !== 'ok') {
    assert.fail(`stored record is ${parsed.status}`);
  }
  assert.equal(parsed.record.kind, 'oauth');
  return parsed.record as OAuthSessionRecord;
}

async function apiStatus(token: string): Promise<number> {
  return (await callOperation(emulator, 'listClusters', { token })).status;
}

describe('token manager', () => {
  test('fresh token is returned without refresh', async () => {
    const { store, record } = await signedInStore();
    const manager = createManager(store);
    assert.equal(await manager.getAccessToken(), record.accessToken);
    assert.equal(tokenRequests(emulator), 0);
  });

  test('20 concurrent calls at expiry refresh once', async () => {
    const { store, record } = await signedInStore();
    const manager = createManager(store);
    const refreshed: TokenRefreshedEvent[] = [];
    manager.onDidRefreshToken((event) => refreshed.push(event));
    clock.advance(HOUR);

    const tokens = await Promise.all(Array.from({ length: 20 }, () => manager.getAccessToken()));

    assert.equal(tokenRequests(emulator), 1);
    assert.equal(new Set(tokens).size, 1);
    assert.notEqual(tokens[0], record.accessToken);
    assert.equal(await apiStatus(tokens[0] as string), 200);
    assert.equal(refreshed.length, 1);
    assert.equal(refreshed[0]?.refreshedHere, true);
    assert.equal(refreshed[0]?.persisted, true);
  });

  test('refresh point is at two thirds of an hour token', async () => {
    const { store, record } = await signedInStore();
    const manager = createManager(store);
    clock.advance(39 * 60_000);
    assert.equal(await manager.getAccessToken(), record.accessToken);
    clock.advance(2 * 60_000);
    assert.notEqual(await manager.getAccessToken(), record.accessToken);
    assert.equal(tokenRequests(emulator), 1);
  });

  test('short token refreshes before expiry', async () => {
    emulator.configure({ accessTokenLifetimeSeconds: 60 });
    const { store, record } = await signedInStore();
    const manager = createManager(store);
    clock.advance(29_000);
    assert.equal(await manager.getAccessToken(), record.accessToken);
    clock.advance(2_000);
    const next = await manager.getAccessToken();
    assert.notEqual(next, record.accessToken);
    assert.equal(await apiStatus(record.accessToken), 200, 'the old token had not expired at the refresh');
    assert.equal(tokenRequests(emulator), 1);
  });

  test('clock past expiry refreshes on next call', async () => {
    const { store, record } = await signedInStore();
    const manager = createManager(store);
    assert.equal(await manager.getAccessToken(), record.accessToken);
    clock.advance(5 * HOUR);
    const token = await manager.getAccessToken();
    assert.notEqual(token, record.accessToken);
    assert.equal(await apiStatus(token), 200);
  });

  test('rotated refresh token is stored before use', async () => {
    const { record } = await signedInStore();
    const memory = new MemorySecretStore(serialize(record));
    let releaseWrite!: () => void;
    const writeGate = new Promise<void>((resolve) => (releaseWrite = resolve));
    let written: string | undefined;
    const gated: SecretStore = {
      read: () => memory.read(),
      delete: () => memory.delete(),
      write: async (text) => {
        written = text;
        await writeGate;
        await memory.write(text);
      },
    };
    const manager = createManager(gated);
    clock.advance(HOUR);
    let resolved = false;
    const pending = manager.getAccessToken().then((token) => {
      resolved = true;
      return token;
    });
    while (written === undefined) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(resolved, false, 'the new token must not be used before the write finished');
    releaseWrite();
    const token = await pending;
    const stored = await storedRecord(memory);
    assert.equal(stored.accessToken, token);
    assert.notEqual(stored.refreshToken, record.refreshToken);
  });

  test('without rotation the old refresh token is kept', async () => {
    emulator.configure({ refreshTokenRotation: false });
    const { store, record } = await signedInStore();
    const manager = createManager(store);
    clock.advance(HOUR);
    const token = await manager.getAccessToken();
    const stored = await storedRecord(store);
    assert.equal(stored.accessToken, token);
    assert.equal(stored.refreshToken, record.refreshToken);
  });

  test('storage write failure keeps tokens in memory', async () => {
    const { record } = await signedInStore();
    const memory = new MemorySecretStore(serialize(record));
    const failing: SecretStore = {
      read: () => memory.read(),
      delete: () => memory.delete(),
      write: async () => {
        throw new Error('no keyring');
      },
    };
    const manager = createManager(failing);
    const events: TokenRefreshedEvent[] = [];
    manager.onDidRefreshToken((event) => events.push(event));
    clock.advance(HOUR);
    const token = await manager.getAccessToken();
    assert.equal(await apiStatus(token), 200);
    assert.equal(events[0]?.persisted, false);
    assert.equal(await manager.getAccessToken(), token);
  });

  test('503 during refresh keeps the session', async () => {
    const { store, record } = await signedInStore();
    const manager = createManager(store);
    const expired: SessionExpiredEvent[] = [];
    manager.onDidExpireSession((event) => expired.push(event));
    emulator.injectFault({ kind: 'server-error', status: 503, path: '/oauth2/token', count: 100 });

    clock.advance(45 * 60_000);
    assert.equal(await manager.getAccessToken(), record.accessToken, 'a usable token is kept while refresh fails');
    clock.advance(HOUR);
    await assert.rejects(manager.getAccessToken(), TokenEndpointUnavailableError);
    assert.equal(expired.length, 0);
    assert.equal((await storedRecord(store)).refreshToken, record.refreshToken);

    emulator.clearFaults();
    const token = await manager.getAccessToken();
    assert.notEqual(token, record.accessToken);
    assert.equal(await apiStatus(token), 200);
  });

  test('failed refresh backs off while the token is usable', async () => {
    const { store, record } = await signedInStore();
    const manager = createManager(store, { retry: { attempts: 1 } });
    emulator.injectFault({ kind: 'server-error', status: 502, path: '/oauth2/token', count: 100 });
    clock.advance(45 * 60_000);
    assert.equal(await manager.getAccessToken(), record.accessToken);
    assert.equal(await manager.getAccessToken(), record.accessToken);
    assert.equal(tokenRequests(emulator), 1);
    clock.advance(10_000);
    await manager.getAccessToken();
    assert.equal(tokenRequests(emulator), 2);
  });

  test('rejected refresh token ends the session once', async () => {
    const { store, record } = await signedInStore();
    await fetch(`${emulator.url}/oauth2/revoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: record.refreshToken as string, client_id: 'datastack-vscode' }),
    });
    emulator.clearRequests();
    const manager = createManager(store);
    const expired: SessionExpiredEvent[] = [];
    manager.onDidExpireSession((event) => expired.push(event));
    clock.advance(HOUR);

    await assert.rejects(manager.getAccessToken(), (error: unknown) => error instanceof SessionExpiredError && error.reason === 'refresh-token-rejected');
    await assert.rejects(manager.getAccessToken(), (error: unknown) => error instanceof SessionExpiredError && error.reason === 'missing');
    assert.equal(expired.length, 1);
    assert.equal(expired[0]?.profileId, record.profileId);
    assert.equal(await store.read(), undefined);
    assert.equal(tokenRequests(emulator), 1, 'no refresh loop');
  });

  test('invalid_grant retries once with a newer stored token', async () => {
    const stale = await signInRecord(emulator, SCOPES, clock);
    const fresh = await signInRecord(emulator, SCOPES, clock);
    const staleText = serialize({ ...stale, refreshToken: 'dsrt_revoked-or-unknown' });
    emulator.clearRequests();
    // The first load and the read under the lock see the stale record; a sign-in elsewhere then stores a new one.
    let reads = 0;
    const memory = new MemorySecretStore(serialize(fresh));
    const store: SecretStore = {
      read: async () => (++reads <= 2 ? staleText : memory.read()),
      write: (text) => memory.write(text),
      delete: () => memory.delete(),
    };
    const manager = createManager(store);
    clock.advance(HOUR);
    const token = await manager.getAccessToken();
    assert.equal(tokenRequests(emulator), 2);
    assert.equal(await apiStatus(token), 200);
    assert.notEqual((await storedRecord(memory)).refreshToken, fresh.refreshToken);
  });

  test('reuse detection revokes the family', async () => {
    const { record } = await signedInStore();
    const windowA = createManager(new MemorySecretStore(serialize(record)));
    const windowB = createManager(new MemorySecretStore(serialize(record)));
    clock.advance(HOUR);
    const tokenA = await windowA.getAccessToken();
    assert.equal(await apiStatus(tokenA), 200);
    // Window B has its own copy and no shared lock, so it replays the retired refresh token.
    await assert.rejects(windowB.getAccessToken(), SessionExpiredError);
    assert.equal(await apiStatus(tokenA), 401, 'the replay revoked the whole family');
  });

  test('401 forces one refresh', async () => {
    const { store, record } = await signedInStore();
    const manager = createManager(store);
    const token = await manager.refreshAfterUnauthorized(undefined, record.accessToken);
    assert.notEqual(token, record.accessToken);
    assert.equal(tokenRequests(emulator), 1);
    await assert.rejects(manager.refreshAfterUnauthorized(undefined, token), AccessTokenRejectedError);
    assert.equal(tokenRequests(emulator), 1, 'a token rejected right after a forced refresh is not refreshed again');
  });

  test('401 with an outdated token returns the current one', async () => {
    const { store, record } = await signedInStore();
    const manager = createManager(store);
    const first = await manager.refreshAfterUnauthorized(undefined, record.accessToken);
    const again = await manager.refreshAfterUnauthorized(undefined, record.accessToken);
    assert.equal(again, first);
    assert.equal(tokenRequests(emulator), 1);
  });

  test('concurrent 401s refresh once', async () => {
    const { store, record } = await signedInStore();
    const manager = createManager(store);
    const tokens = await Promise.all(Array.from({ length: 10 }, () => manager.refreshAfterUnauthorized(undefined, record.accessToken)));
    assert.equal(new Set(tokens).size, 1);
    assert.equal(tokenRequests(emulator), 1);
  });

  test('personal access token is never refreshed', async () => {
    const pat: PatSessionRecord = { v: 1, kind: 'pat', profileId: 'p', host: 'https://api.datastack.cloud', accessToken: 'dapi-demo-admin', scopes: [] };
    const manager = createManager(new MemorySecretStore(JSON.stringify(pat)));
    clock.advance(100 * HOUR);
    assert.equal(await manager.getAccessToken(), 'dapi-demo-admin');
    await assert.rejects(manager.refreshAfterUnauthorized(), (error: unknown) => error instanceof AccessTokenRejectedError && error.kind === 'pat');
    assert.equal(tokenRequests(emulator), 0);
  });

  test('missing record is signed out', async () => {
    const manager = createManager(new MemorySecretStore(), { host: 'https://api.datastack.cloud', profileId: 'p-9' });
    await assert.rejects(
      manager.getAccessToken(),
      (error: unknown) => error instanceof SessionExpiredError && error.reason === 'missing' && error.profileId === 'p-9',
    );
    assert.equal(await manager.peek(), undefined);
  });

  test('clock two hours off still works', async () => {
    clock.time = Date.now() - 2 * HOUR;
    const { store, record } = await signedInStore();
    const manager = createManager(store);
    assert.equal(await manager.getAccessToken(), record.accessToken);
    clock.advance(HOUR);
    assert.equal(await apiStatus(await manager.getAccessToken()), 200);
    assert.equal(tokenRequests(emulator), 1);
  });

  test('abort stops the wait but not the refresh', async () => {
    const { store, record } = await signedInStore();
    const manager = createManager(store);
    emulator.injectFault({ kind: 'latency', ms: 300, path: '/oauth2/token' });
    clock.advance(HOUR);
    const controller = new AbortController();
    const aborted = manager.getAccessToken(controller.signal);
    const other = manager.getAccessToken();
    controller.abort();
    await assert.rejects(aborted, /cancelled/);
    const token = await other;
    assert.notEqual(token, record.accessToken);
    assert.equal(tokenRequests(emulator), 1);
  });

  test('proactive timer refreshes by itself', async () => {
    emulator.configure({ accessTokenLifetimeSeconds: 2 });
    const record = await signInRecord(emulator, SCOPES);
    emulator.clearRequests();
    const manager = new TokenManager({ store: new MemorySecretStore(serialize(record)), proactiveRefresh: true });
    managers.push(manager);
    const refreshed = new Promise<TokenRefreshedEvent>((resolve) => manager.onDidRefreshToken(resolve));
    clock.time = Date.now();
    // Emulator and manager use real time here; the refresh point of a 2 s token is after 1 s.
    assert.equal(await manager.getAccessToken(), record.accessToken);
    const event = await Promise.race([refreshed, new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 3000))]);
    assert.ok(event, 'no refresh within 3 s');
    assert.equal(tokenRequests(emulator), 1);
  });
});

describe('token manager across windows', () => {
  test('two windows sharing storage refresh once', async () => {
    const record = await signInRecord(emulator, SCOPES, clock);
    emulator.clearRequests();
    const path = join(tempDir, 'secret.json');
    const seed = new FileSecretStore(path);
    await seed.write(serialize(record));
    const lockDir = join(tempDir, 'locks');
    const windowA = createManager(new FileSecretStore(path), { lock: new FileLock({ dir: lockDir, name: 'p-1' }) });
    const windowB = createManager(new FileSecretStore(path), { lock: new FileLock({ dir: lockDir, name: 'p-1' }) });
    assert.equal(await windowA.getAccessToken(), record.accessToken);
    assert.equal(await windowB.getAccessToken(), record.accessToken);

    clock.advance(HOUR);
    const results = await Promise.all([
      ...Array.from({ length: 10 }, () => windowA.getAccessToken()),
      ...Array.from({ length: 10 }, () => windowB.getAccessToken()),
    ]);

    assert.equal(tokenRequests(emulator), 1);
    assert.equal(new Set(results).size, 1);
    assert.equal(await apiStatus(results[0] as string), 200);
    const stored = await storedRecord(seed);
    assert.equal(stored.accessToken, results[0]);

    clock.advance(HOUR);
    const [nextA, nextB] = await Promise.all([windowA.getAccessToken(), windowB.getAccessToken()]);
    assert.equal(nextA, nextB);
    assert.equal(tokenRequests(emulator), 2, 'the rotated token keeps working for both windows');
    assert.equal(await apiStatus(nextA), 200);
  });

  test('window with a stale cache adopts the stored token', async () => {
    const record = await signInRecord(emulator, SCOPES, clock);
    emulator.clearRequests();
    const path = join(tempDir, 'secret.json');
    await new FileSecretStore(path).write(serialize(record));
    const lockDir = join(tempDir, 'locks');
    const windowA = createManager(new FileSecretStore(path), { lock: new FileLock({ dir: lockDir, name: 'p-1' }) });
    const windowB = createManager(new FileSecretStore(path), { lock: new FileLock({ dir: lockDir, name: 'p-1' }) });
    await windowB.getAccessToken();

    clock.advance(HOUR);
    const tokenA = await windowA.getAccessToken();
    const events: TokenRefreshedEvent[] = [];
    windowB.onDidRefreshToken((event) => events.push(event));
    const tokenB = await windowB.getAccessToken();

    assert.equal(tokenB, tokenA);
    assert.equal(tokenRequests(emulator), 1);
    assert.equal(events[0]?.refreshedHere, false);
  });
});
