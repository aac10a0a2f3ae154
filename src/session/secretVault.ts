/**
 * A guard around VS Code's SecretStorage. Reads, writes and deletes are bounded by timeouts, because a
 * locked keyring can leave a call pending forever. A write that fails (no keyring service) or times out
 * keeps the value in memory for this window, and `persistent` turns false so the UI can say the sign-in
 * lasts only until the window closes. The key of a failed delete is recorded in non-secret state and
 * deleted again by {@link SecretVault.retryPendingDeletes}, so a token is not left in the keyring.
 *
 * The backend interface is the subset of `vscode.SecretStorage` used here, so this file needs no `vscode`
 * import and is unit-tested with a stub.
 */
import type { SecretStore } from '../auth/types';
import { SecretStorageError, type SecretStorageFailure } from './errors';

/** The part of `vscode.SecretStorage` the vault uses. */
export interface SecretBackend {
  get(key: string): PromiseLike<string | undefined>;
  store(key: string, value: string): PromiseLike<void>;
  delete(key: string): PromiseLike<void>;
  onDidChange(listener: (event: { readonly key: string }) => unknown): { dispose(): unknown };
}

/** Default bound of one SecretStorage read, in milliseconds. */
export const DEFAULT_READ_TIMEOUT_MS = 5_000;

/**
 * Default bound of one SecretStorage write or delete, in milliseconds. It is longer than the read bound
 * because a sign-in waits for it anyway, and the keyring may be asking the user to unlock it.
 */
export const DEFAULT_WRITE_TIMEOUT_MS = 10_000;

/** The global state key of the secret keys whose delete failed. It contains keys only, never values. */
export const PENDING_DELETES_KEY = 'datastack.pendingSecretDeletes.v1';

/** The part of `vscode.Memento` (global state) that records the keys of failed deletes. */
export interface KeyValueState {
  get(key: string): unknown;
  update(key: string, value: unknown): PromiseLike<void>;
}

export interface SecretVaultOptions {
  readonly readTimeoutMs?: number;
  readonly writeTimeoutMs?: number;
  /** The store of the keys of failed deletes, shared by all windows; without it they last for this window only. */
  readonly state?: KeyValueState;
  /** Receives one line per retried delete, for the log. */
  readonly log?: (message: string) => void;
  /** Called once per failure kind with the error, for one log line and one notification. */
  readonly onFailure?: (error: SecretStorageError) => void;
}

export class SecretVault {
  /** Values whose `store` failed, kept until the window closes, and values held while their write waits. */
  private readonly memory = new Map<string, string>();
  private readonly reported = new Set<string>();
  private readonly readTimeoutMs: number;
  private readonly writeTimeoutMs: number;
  /** The keys of failed deletes this window recorded, also kept when writing them to `state` failed. */
  private pendingInWindow: readonly string[] = [];
  private writeFailed = false;
  private backendReads = 0;

  constructor(
    private backend: SecretBackend,
    private readonly options: SecretVaultOptions = {},
  ) {
    this.readTimeoutMs = options.readTimeoutMs ?? DEFAULT_READ_TIMEOUT_MS;
    this.writeTimeoutMs = options.writeTimeoutMs ?? DEFAULT_WRITE_TIMEOUT_MS;
  }

  /** False once a write failed: sign-ins made since then last only for this window. */
  get persistent(): boolean {
    return !this.writeFailed;
  }

  /** The number of reads that reached the backend, e.g. for a test that activation reads no secret. */
  get reads(): number {
    return this.backendReads;
  }

  /**
   * Reads a secret, preferring a value kept in memory after a failed write or by {@link holdInMemory}.
   *
   * @throws {SecretStorageError} `read-timeout` or `read-failed`.
   */
  async read(key: string): Promise<string | undefined> {
    const kept = this.memory.get(key);
    if (kept !== undefined) {
      return kept;
    }
    this.backendReads++;
    try {
      return await bounded(this.backend.get(key), this.readTimeoutMs, 'read-timeout', 'read-failed');
    } catch (error) {
      this.report(error as SecretStorageError);
      throw error;
    }
  }

  /**
   * Keeps `value` for reads of `key` in this window until a write of the key succeeds or it is deleted,
   * e.g. while its write waits for another save to finish.
   */
  holdInMemory(key: string, value: string): void {
    this.memory.set(key, value);
  }

  /**
   * Stores a secret. Returns `memory` when the backend failed or timed out and the value is kept for this
   * window only.
   */
  async write(key: string, value: string): Promise<'stored' | 'memory'> {
    try {
      await bounded(this.backend.store(key, value), this.writeTimeoutMs, 'write-timeout', 'write-failed');
    } catch (error) {
      this.writeFailed = true;
      this.memory.set(key, value);
      this.report(error as SecretStorageError);
      return 'memory';
    }
    this.memory.delete(key);
    // A new secret under a key whose old delete failed must not be deleted by a later retry.
    await this.forgetPendingDelete(key);
    return 'stored';
  }

  /**
   * Deletes a secret from memory and the backend. Returns false when the backend failed or timed out: the
   * failure is reported, never thrown, and the key is recorded for {@link retryPendingDeletes}.
   */
  async delete(key: string): Promise<boolean> {
    this.memory.delete(key);
    try {
      await bounded(this.backend.delete(key), this.writeTimeoutMs, 'delete-timeout', 'delete-failed');
    } catch (error) {
      this.report(error as SecretStorageError);
      await this.setPendingDeletes([...this.pendingDeletes().filter((pending) => pending !== key), key]);
      return false;
    }
    await this.forgetPendingDelete(key);
    return true;
  }

  /** Returns the keys whose delete failed and has not succeeded on a retry yet. */
  pendingDeletes(): readonly string[] {
    if (this.options.state === undefined) {
      return this.pendingInWindow;
    }
    const value = this.options.state.get(PENDING_DELETES_KEY);
    const stored = Array.isArray(value) ? value.filter((key): key is string => typeof key === 'string') : [];
    return [...new Set([...stored, ...this.pendingInWindow])];
  }

  /**
   * Deletes again every secret whose earlier delete failed, e.g. at activation and sign-in. A key that
   * fails again stays recorded. Never throws and reports nothing, because the first failure was reported.
   */
  async retryPendingDeletes(): Promise<void> {
    for (const key of this.pendingDeletes()) {
      try {
        await bounded(this.backend.delete(key), this.writeTimeoutMs, 'delete-timeout', 'delete-failed');
      } catch (error) {
        this.options.log?.(`[auth] deleting the orphaned secret ${key} failed again: ${(error as Error).message}`);
        continue;
      }
      await this.forgetPendingDelete(key);
      this.options.log?.(`[auth] deleted the orphaned secret ${key} on retry`);
    }
  }

  /**
   * Replaces the backend and forgets earlier failures and the values kept in memory, as a new window
   * would. Host tests use it to inject a failing keyring. Subscriptions made before stay on the old backend.
   */
  replaceBackend(backend: SecretBackend): void {
    this.backend = backend;
    this.memory.clear();
    this.reported.clear();
    this.writeFailed = false;
  }

  /** Subscribes to changes of keys that start with `prefix`, made in this window or another one. */
  onDidChange(prefix: string, listener: (key: string) => void): { dispose(): unknown } {
    return this.backend.onDidChange((event) => {
      if (event.key.startsWith(prefix)) {
        listener(event.key);
      }
    });
  }

  /** Returns the one-key view the sign-in core's token manager reads and writes. */
  storeFor(key: string): SecretStore {
    return {
      read: () => this.read(key),
      write: async (text) => {
        await this.write(key, text);
      },
      delete: async () => {
        await this.delete(key);
      },
    };
  }

  private async forgetPendingDelete(key: string): Promise<void> {
    const pending = this.pendingDeletes();
    if (pending.includes(key)) {
      await this.setPendingDeletes(pending.filter((known) => known !== key));
    }
  }

  /** Records the keys; a failing global state keeps them for this window only and is logged, never thrown. */
  private async setPendingDeletes(keys: readonly string[]): Promise<void> {
    this.pendingInWindow = keys;
    if (this.options.state === undefined) {
      return;
    }
    try {
      await this.options.state.update(PENDING_DELETES_KEY, keys.length === 0 ? undefined : keys);
    } catch (error) {
      this.options.log?.(`[auth] recording ${keys.length} secret key(s) to delete later failed: ${String(error)}`);
    }
  }

  private report(error: SecretStorageError): void {
    if (this.reported.has(error.failure)) {
      return;
    }
    this.reported.add(error.failure);
    this.options.onFailure?.(error);
  }
}

/**
 * Settles like `operation`, or rejects with a {@link SecretStorageError} of `timeoutFailure` after
 * `timeoutMs`. A rejection of `operation` becomes one of `rejectFailure` with the original as its cause.
 */
async function bounded<T>(
  operation: PromiseLike<T>,
  timeoutMs: number,
  timeoutFailure: SecretStorageFailure,
  rejectFailure: SecretStorageFailure,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new SecretStorageError(timeoutFailure)), timeoutMs);
  });
  const settled = Promise.resolve(operation);
  // A late rejection after the timeout won must not become an unhandled rejection.
  settled.catch(() => undefined);
  try {
    return await Promise.race([settled, timeout]);
  } catch (error) {
    throw error instanceof SecretStorageError ? error : new SecretStorageError(rejectFailure, { cause: error });
  } finally {
    clearTimeout(timer);
  }
}
