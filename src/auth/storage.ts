/**
 * Secret store helpers: an in-memory store (tests, and a session that cannot be persisted), a time bound
 * for stores that may never respond (a locked OS keyring), and reading a record with the signed-out rules.
 */
import { DataStackError } from '../api/errors';
import { parseSessionRecord, type ParsedSessionRecord } from './sessionRecord';
import { silentLog, type AuthLog, type SecretStore } from './types';

/** A {@link SecretStore} in memory. */
export class MemorySecretStore implements SecretStore {
  constructor(private value: string | undefined = undefined) {}

  async read(): Promise<string | undefined> {
    return this.value;
  }

  async write(text: string): Promise<void> {
    this.value = text;
  }

  async delete(): Promise<void> {
    this.value = undefined;
  }
}

/** A secret storage operation did not finish in time. */
export class SecretStorageTimeoutError extends DataStackError {
  constructor(
    readonly storageOperation: 'read' | 'write' | 'delete',
    readonly timeoutMs: number,
  ) {
    super(`Secret storage did not finish the ${storageOperation} within ${Math.round(timeoutMs / 1000)} s.`, '', undefined);
  }
}

/**
 * Wraps a store so that each operation rejects with {@link SecretStorageTimeoutError} after `timeoutMs`.
 * The underlying operation is not cancelled and may still finish later.
 */
export function withStorageTimeout(store: SecretStore, timeoutMs: number): SecretStore {
  const bounded = <T>(operation: 'read' | 'write' | 'delete', run: () => Promise<T>): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => reject(new SecretStorageTimeoutError(operation, timeoutMs)), timeoutMs);
      run().then(
        (value) => {
          clearTimeout(timer);
          resolve(value);
        },
        (error: unknown) => {
          clearTimeout(timer);
          reject(error);
        },
      );
    });
  return {
    read: () => bounded('read', () => store.read()),
    write: (text) => bounded('write', () => store.write(text)),
    delete: () => bounded('delete', () => store.delete()),
  };
}

/**
 * Reads and parses the record of a store. A corrupt or unsupported-version record is deleted (best effort)
 * and logged once, so that it reads as signed out from then on. Rejects only when `store.read` rejects.
 */
export async function readSessionRecord(store: SecretStore, log: AuthLog = silentLog): Promise<ParsedSessionRecord> {
  const parsed = parseSessionRecord(await store.read());
  if (parsed.status === 'corrupt' || parsed.status === 'unsupported-version') {
    const reason = parsed.status === 'corrupt' ? parsed.reason : `unsupported version ${JSON.stringify(parsed.version)}`;
    log.warn(`[session] deleting the unreadable session record and treating it as signed out: ${reason}`);
    await store.delete().catch((error: unknown) => {
      log.error(`[session] could not delete the unreadable session record: ${(error as Error).message}`);
    });
  }
  return parsed;
}
