/** Typed errors of the VS Code side of sign-in. The UI matches them with `instanceof`. */

/** What went wrong with the OS keyring behind SecretStorage. */
export type SecretStorageFailure = 'read-timeout' | 'read-failed' | 'write-failed';

/**
 * SecretStorage could not be used: a read timed out (a locked keyring waiting for a password), a read
 * rejected, or a write threw (no keyring service). The message names the key's purpose, never its value.
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
