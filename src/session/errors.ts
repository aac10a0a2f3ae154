/** Typed errors of the VS Code side of sign-in. The UI matches them with `instanceof`. */

/** What went wrong with the OS keyring behind SecretStorage. */
export type SecretStorageFailure = 'read-timeout' | 'read-failed' | 'write-timeout' | 'write-failed' | 'delete-timeout' | 'delete-failed';

/**
 * SecretStorage could not be used: a read, write or delete timed out (a locked keyring waiting for a
 * password) or rejected (no keyring service). The message names the failure, never a key's value.
 */
export class SecretStorageError extends Error {
  constructor(
    readonly failure: SecretStorageFailure,
    options?: { cause?: unknown },
  ) {
    super(`Secret storage is unavailable (${failure}).`, options);
    this.name = 'SecretStorageError';
  }
}
