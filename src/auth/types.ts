/**
 * Seams of the sign-in core. The VS Code side passes implementations backed by `context.secrets`, its log
 * channel and `context.globalStorageUri`; tests pass in-memory or file-backed ones and a controllable clock.
 */

/** Source of the current time in epoch milliseconds. */
export interface Clock {
  now(): number;
}

/** The wall clock. */
export const systemClock: Clock = { now: () => Date.now() };

/** Source of cryptographically secure random bytes, e.g. `crypto.randomBytes`. */
export type RandomBytes = (size: number) => Uint8Array;

/**
 * Storage of one secret record (one profile). `read` resolves `undefined` when nothing is stored. The VS
 * Code side wraps `context.secrets.get/store/delete` for one key.
 */
export interface SecretStore {
  read(): Promise<string | undefined>;
  write(text: string): Promise<void>;
  delete(): Promise<void>;
}

/** An exclusive lock shared by every process that refreshes the same session. */
export interface ExclusiveLock {
  /** Waits for the lock and resolves a function that releases it. */
  acquire(signal?: AbortSignal): Promise<() => Promise<void>>;
}

/**
 * Log sink. `vscode.LogOutputChannel` satisfies it. Callers of this interface never pass tokens, codes,
 * verifiers, state values or callback query strings.
 */
export interface AuthLog {
  trace(message: string): void;
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** A log that drops everything. */
export const silentLog: AuthLog = {
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

/** Handle returned by event subscriptions; it has the shape of `vscode.Disposable`. */
export interface Subscription {
  dispose(): void;
}
