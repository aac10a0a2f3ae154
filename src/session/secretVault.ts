/**
 * A guard around VS Code's SecretStorage. Reads are bounded by a timeout, because a locked keyring can
 * leave `get` pending forever. A write that throws (no keyring service) keeps the value in memory for this
 * window, and `persistent` turns false so the UI can say the sign-in lasts only until the window closes.
 *
 * The backend interface is the subset of `vscode.SecretStorage` used here, so this file needs no `vscode`
 * import and is unit-tested with a stub.
 */
import type { SecretStore } from '../auth/types';
import { SecretStorageError } from './errors';

/** The part of `vscode.SecretStorage` the vault uses. */
export interface SecretBackend {
  get(key: string): PromiseLike<string | undefined>;
  store(key: string, value: string): PromiseLike<void>;
  delete(key: string): PromiseLike<void>;
  onDidChange(listener: (event: { readonly key: string }) => unknown): { dispose(): unknown };
}

/** Default bound of one SecretStorage read, in milliseconds. */
export const DEFAULT_READ_TIMEOUT_MS = 5_000;

export interface SecretVaultOptions {
  readonly readTimeoutMs?: number;
  /** Called once per failure kind with the error, for one log line and one notification. */
  readonly onFailure?: (error: SecretStorageError) => void;
}

export class SecretVault {
  /** Values whose `store` failed; they live until the window closes. */
  private readonly memory = new Map<string, string>();
  private readonly reported = new Set<string>();
  private readonly readTimeoutMs: number;
  private writeFailed = false;

  constructor(
    private backend: SecretBackend,
    private readonly options: SecretVaultOptions = {},
  ) {
    this.readTimeoutMs = options.readTimeoutMs ?? DEFAULT_READ_TIMEOUT_MS;
  }

  /** False once a write failed: sign-ins made since then last only for this window. */
  get persistent(): boolean {
    return !this.writeFailed;
  }

  /**
   * Reads a secret, preferring a value kept in memory after a failed write.
   *
   * @throws {SecretStorageError} `read-timeout` or `read-failed`.
   */
  async read(key: string): Promise<string | undefined> {
    const kept = this.memory.get(key);
    if (kept !== undefined) {
      return kept;
    }
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new SecretStorageError('read-timeout')), this.readTimeoutMs);
    });
    try {
      return await Promise.race([Promise.resolve(this.backend.get(key)), timeout]);
    } catch (error) {
      const failure = error instanceof SecretStorageError ? error : new SecretStorageError('read-failed', { cause: error });
      this.report(failure);
      throw failure;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Stores a secret. Returns `memory` when the backend threw and the value is kept for this window only. */
  async write(key: string, value: string): Promise<'stored' | 'memory'> {
    try {
      await this.backend.store(key, value);
      this.memory.delete(key);
      return 'stored';
    } catch (error) {
      this.writeFailed = true;
      this.memory.set(key, value);
      this.report(new SecretStorageError('write-failed', { cause: error }));
      return 'memory';
    }
  }

  /** Deletes a secret from memory and the backend. A failing backend delete is reported, never thrown. */
  async delete(key: string): Promise<void> {
    this.memory.delete(key);
    try {
      await this.backend.delete(key);
    } catch (error) {
      this.report(new SecretStorageError('write-failed', { cause: error }));
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
      delete: () => this.delete(key),
    };
  }

  private report(error: SecretStorageError): void {
    if (this.reported.has(error.failure)) {
      return;
    }
    this.reported.add(error.failure);
    this.options.onFailure?.(error);
  }
}
