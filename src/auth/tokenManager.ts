/**
 * The access-token provider of one profile. It hands out the stored token, refreshes OAuth tokens before
 * they expire and once after a 401, and keeps concurrent callers (in this process and, through the lock,
 * in other windows) down to one refresh request.
 *
 * Expiry is re-checked against the injected clock on every call, because timers do not fire while the
 * machine sleeps. The proactive timer only spares the first call after the refresh point the wait.
 */
import type { Dispatcher } from 'undici';
import { CertificateError, ProxyError, RequestAbortedError } from '../api/errors';
import { AccessTokenRejectedError, LockTimeoutError, SessionExpiredError, TokenEndpointUnavailableError, type SessionEndReason } from './errors';
import { Emitter, type AuthEvent } from './events';
import { InProcessLock } from './fileLock';
import { isUsable, refreshBackoffMs, refreshDueAt } from './refreshPolicy';
import { refreshStoredSession, type RefreshOutcome } from './refreshSession';
import type { SessionRecord } from './sessionRecord';
import { readSessionRecord } from './storage';
import type { RefreshRetryOptions } from './tokenEndpoint';
import { silentLog, systemClock, type AuthLog, type Clock, type ExclusiveLock, type SecretStore } from './types';

/** Options of {@link TokenManager}. */
export interface TokenManagerOptions {
  /** The profile's secret record. */
  readonly store: SecretStore;
  /** The profile's API host, for errors raised before a record was read. */
  readonly host?: string;
  /** The profile id, for errors raised before a record was read. */
  readonly profileId?: string;
  /** Shared by every process that refreshes this profile, e.g. a `FileLock`; default a lock for this process only. */
  readonly lock?: ExclusiveLock;
  readonly clock?: Clock;
  /**
   * Returns the undici dispatcher of token requests, e.g. the proxy-aware one. It is called for each
   * refresh, so the dispatcher (and undici) loads only when a refresh is sent.
   */
  readonly dispatcher?: () => Dispatcher;
  /** Timeout of one token request. */
  readonly requestTimeoutMs?: number;
  readonly retry?: RefreshRetryOptions;
  /** Set a timer for the next refresh point; default true. */
  readonly proactiveRefresh?: boolean;
  /** A token issued by a forced refresh that is rejected within this time is not refreshed again; default 60 s. */
  readonly forcedRefreshGuardMs?: number;
  readonly log?: AuthLog;
}

/** Fired after the access token changed: refreshed here, or taken from storage written by another window. */
export interface TokenRefreshedEvent {
  readonly profileId: string;
  readonly host: string;
  readonly expiresAt: number | undefined;
  readonly scopes: readonly string[];
  /** True when this process sent the refresh request. */
  readonly refreshedHere: boolean;
  /** False when the refreshed tokens could not be written to storage and live in memory only. */
  readonly persisted: boolean;
}

/** Fired once when the session cannot be refreshed any more and its record was deleted. */
export interface SessionExpiredEvent {
  readonly profileId: string | undefined;
  readonly host: string;
  readonly reason: SessionEndReason;
}

export class TokenManager {
  private readonly lock: ExclusiveLock;
  private readonly clock: Clock;
  private readonly log: AuthLog;
  private readonly refreshedEmitter = new Emitter<TokenRefreshedEvent>();
  private readonly expiredEmitter = new Emitter<SessionExpiredEvent>();
  private readonly lifetime = new AbortController();
  private cached: SessionRecord | undefined;
  private inflight: Promise<SessionRecord> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private failures = 0;
  private retryNotBefore = 0;
  private lastForced: { token: string; at: number } | undefined;
  private expiredFired = false;

  /** Fired after the access token changed. */
  readonly onDidRefreshToken: AuthEvent<TokenRefreshedEvent> = this.refreshedEmitter.event;
  /** Fired once when the refresh token is rejected or missing and the session record was deleted. */
  readonly onDidExpireSession: AuthEvent<SessionExpiredEvent> = this.expiredEmitter.event;

  constructor(private readonly options: TokenManagerOptions) {
    this.lock = options.lock ?? new InProcessLock();
    this.clock = options.clock ?? systemClock;
    this.log = options.log ?? silentLog;
  }

  /**
   * Returns a token to send now, refreshing an OAuth token that reached its refresh point. When that refresh
   * fails because the token endpoint, the proxy or its certificate failed, the current token is returned while
   * it is still usable.
   *
   * @throws {SessionExpiredError} when there is no usable session.
   * @throws {TokenEndpointUnavailableError} when a needed refresh failed and the token has expired.
   * @throws {ProxyError} or {CertificateError} when a needed refresh failed so and the token has expired.
   * @throws {RequestAbortedError} when `signal` aborts.
   */
  async getAccessToken(signal?: AbortSignal): Promise<string> {
    const record = await this.load();
    if (record.kind === 'pat') {
      return record.accessToken;
    }
    const now = this.clock.now();
    if (now < refreshDueAt(record) || (now < this.retryNotBefore && isUsable(record, now))) {
      this.schedule(record);
      return record.accessToken;
    }
    try {
      return (await this.refresh(false, record.accessToken, signal)).accessToken;
    } catch (error) {
      // A proxy or certificate failure may be fixed in the settings while the current token still works.
      const transient =
        error instanceof TokenEndpointUnavailableError ||
        error instanceof LockTimeoutError ||
        error instanceof ProxyError ||
        error instanceof CertificateError;
      if (transient && isUsable(record, this.clock.now())) {
        this.log.warn(`[session] ${record.profileId}: refresh failed, using the current token until it expires: ${error.message}`);
        return record.accessToken;
      }
      throw error;
    }
  }

  /**
   * Refreshes once after the API returned 401, whatever the local expiry says, and returns the new token.
   * `rejectedToken` is the token that was sent; when another caller already replaced it, the newer token is
   * returned without a request.
   *
   * @throws {AccessTokenRejectedError} for a personal access token, or when the rejected token came from a
   *   forced refresh moments ago (so a server that rejects every token cannot cause a refresh loop).
   * @throws the errors of {@link getAccessToken}.
   */
  async refreshAfterUnauthorized(signal?: AbortSignal, rejectedToken?: string): Promise<string> {
    const record = await this.load();
    if (record.kind === 'pat') {
      throw new AccessTokenRejectedError(record.host, record.profileId, 'pat');
    }
    const now = this.clock.now();
    const rejected = rejectedToken ?? record.accessToken;
    if (rejected !== record.accessToken && isUsable(record, now)) {
      return record.accessToken;
    }
    const guardMs = this.options.forcedRefreshGuardMs ?? 60_000;
    if (this.lastForced?.token === rejected && now - this.lastForced.at < guardMs) {
      this.log.warn(`[session] ${record.profileId}: the freshly refreshed token was rejected too; not refreshing again`);
      throw new AccessTokenRejectedError(record.host, record.profileId, 'oauth');
    }
    const refreshed = await this.refresh(true, rejected, signal);
    this.lastForced = { token: refreshed.accessToken, at: this.clock.now() };
    return refreshed.accessToken;
  }

  /** Returns the current record (reading storage when nothing is cached), or undefined when signed out. */
  async peek(): Promise<SessionRecord | undefined> {
    try {
      return await this.load();
    } catch (error) {
      if (error instanceof SessionExpiredError) {
        return undefined;
      }
      throw error;
    }
  }

  /** Drops the cached record so the next call re-reads storage, e.g. after `secrets.onDidChange`. */
  reload(): void {
    this.cached = undefined;
    this.expiredFired = false;
  }

  /** Stops the timer, cancels a refresh in progress and removes the listeners. */
  dispose(): void {
    this.lifetime.abort();
    clearTimeout(this.timer);
    this.refreshedEmitter.dispose();
    this.expiredEmitter.dispose();
  }

  private hostForErrors(): string {
    return this.cached?.host ?? this.options.host ?? '';
  }

  private async load(): Promise<SessionRecord> {
    if (this.cached !== undefined) {
      return this.cached;
    }
    const parsed = await readSessionRecord(this.options.store, this.log);
    if (parsed.status !== 'ok') {
      throw new SessionExpiredError(this.options.host ?? '', this.options.profileId, parsed.status);
    }
    this.cached = parsed.record;
    return parsed.record;
  }

  /** Joins the refresh in progress or starts one; the caller's signal only stops its own wait. */
  private refresh(force: boolean, heldToken: string, signal: AbortSignal | undefined): Promise<SessionRecord> {
    this.inflight ??= this.refreshUnderLock(force, heldToken).finally(() => {
      this.inflight = undefined;
    });
    return abortable(this.inflight, signal, this.hostForErrors());
  }

  private async refreshUnderLock(force: boolean, heldToken: string): Promise<SessionRecord> {
    const release = await this.lock.acquire(this.lifetime.signal);
    let outcome: RefreshOutcome;
    try {
      outcome = await refreshStoredSession(
        {
          store: this.options.store,
          clock: this.clock,
          log: this.log,
          dispatcher: this.options.dispatcher?.(),
          requestTimeoutMs: this.options.requestTimeoutMs,
          retry: this.options.retry,
          signal: this.lifetime.signal,
        },
        { force, heldToken },
        this.hostForErrors(),
      );
    } catch (error) {
      this.failures++;
      this.retryNotBefore = this.clock.now() + refreshBackoffMs(this.failures);
      throw error;
    } finally {
      await release();
    }
    return this.apply(outcome);
  }

  private apply(outcome: RefreshOutcome): SessionRecord {
    if (outcome.kind === 'ended') {
      this.cached = undefined;
      clearTimeout(this.timer);
      if (!this.expiredFired) {
        this.expiredFired = true;
        const { host, profileId, reason } = outcome.error;
        this.expiredEmitter.fire({ host, profileId, reason });
      }
      throw outcome.error;
    }
    this.failures = 0;
    this.retryNotBefore = 0;
    const record = outcome.record;
    this.cached = record;
    this.schedule(record);
    this.refreshedEmitter.fire({
      profileId: record.profileId,
      host: record.host,
      expiresAt: record.kind === 'oauth' ? record.expiresAt : undefined,
      scopes: record.scopes,
      refreshedHere: outcome.kind === 'refreshed',
      persisted: outcome.kind === 'refreshed' ? outcome.persisted : true,
    });
    return record;
  }

  /** Sets the proactive timer for the record's refresh point (unref'd, so it never keeps Node alive). */
  private schedule(record: SessionRecord): void {
    if (this.options.proactiveRefresh === false || record.kind !== 'oauth' || this.lifetime.signal.aborted) {
      return;
    }
    clearTimeout(this.timer);
    const delay = Math.max(this.retryNotBefore, refreshDueAt(record)) - this.clock.now();
    // setTimeout fires at once for delays above 2^31 - 1 ms; such tokens are checked again on use.
    if (delay > 0 && delay < 2 ** 31 - 1) {
      this.timer = setTimeout(() => {
        this.getAccessToken().catch((error: unknown) => {
          this.log.warn(`[session] ${record.profileId}: proactive refresh failed: ${(error as Error).message}`);
        });
      }, delay);
      this.timer.unref();
    }
  }
}

/** Races a promise against a signal; rejects with {@link RequestAbortedError} when the signal aborts first. */
function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined, host: string): Promise<T> {
  if (signal === undefined) {
    return promise;
  }
  if (signal.aborted) {
    return Promise.reject(new RequestAbortedError(host, undefined));
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(new RequestAbortedError(host, undefined));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
