/**
 * One refresh of a stored OAuth session, run while the caller holds the cross-window lock. It re-reads the
 * record first, because another window may have refreshed (and rotated) it in the meantime, and writes the
 * result back before the new access token is used.
 */
import type { Dispatcher } from 'undici';
import { InvalidGrantError, SessionExpiredError, type SessionEndReason } from './errors';
import { isUsable, refreshDueAt } from './refreshPolicy';
import { serializeSessionRecord, type OAuthSessionRecord, type SessionRecord } from './sessionRecord';
import { readSessionRecord } from './storage';
import { refreshTokens, type RefreshRetryOptions, type TokenSet } from './tokenEndpoint';
import type { AuthLog, Clock, SecretStore } from './types';

/** Dependencies of {@link refreshStoredSession}. */
export interface RefreshContext {
  readonly store: SecretStore;
  readonly clock: Clock;
  readonly log: AuthLog;
  readonly dispatcher: Dispatcher | undefined;
  readonly requestTimeoutMs: number | undefined;
  readonly retry: RefreshRetryOptions | undefined;
  readonly signal: AbortSignal;
}

/** The trigger of a refresh and the token the caller holds. */
export interface RefreshMode {
  /** Refresh even though the stored token is not due (after a 401). */
  readonly force: boolean;
  /** The access token the caller holds; a different, usable stored token is taken instead of refreshing. */
  readonly heldToken: string | undefined;
}

export type RefreshOutcome =
  /** The token endpoint issued new tokens. `persisted` is false when writing them to storage failed. */
  | { readonly kind: 'refreshed'; readonly record: OAuthSessionRecord; readonly persisted: boolean }
  /** Storage already held a newer usable token, e.g. from another window; no request was sent. */
  | { readonly kind: 'adopted'; readonly record: SessionRecord }
  /** The session is over: its record was deleted (unless missing already). Fire "session expired". */
  | { readonly kind: 'ended'; readonly error: SessionExpiredError };

/** Refreshes the stored session, or adopts a newer stored token, or ends the session. */
export async function refreshStoredSession(context: RefreshContext, mode: RefreshMode, host: string): Promise<RefreshOutcome> {
  const parsed = await readSessionRecord(context.store, context.log);
  if (parsed.status !== 'ok') {
    return { kind: 'ended', error: new SessionExpiredError(host, undefined, parsed.status) };
  }
  const stored = parsed.record;
  const now = context.clock.now();
  if (stored.kind === 'pat' || stored.accessToken !== mode.heldToken) {
    const newer = stored.kind === 'pat' || (mode.force ? isUsable(stored, now) : now < refreshDueAt(stored));
    if (newer) {
      context.log.info(`[session] ${stored.profileId}: using the token another window stored`);
      return { kind: 'adopted', record: stored };
    }
  }
  if (stored.refreshToken === undefined) {
    if (!mode.force && isUsable(stored, now)) {
      return { kind: 'adopted', record: stored };
    }
    return endSession(context, stored, 'no-refresh-token');
  }

  let tokens: TokenSet;
  try {
    tokens = await requestRefresh(context, stored, stored.refreshToken);
  } catch (error) {
    if (!(error instanceof InvalidGrantError)) {
      throw error;
    }
    const retried = await retryWithRotatedToken(context, stored);
    if (retried === undefined) {
      return endSession(context, stored, 'refresh-token-rejected');
    }
    tokens = retried;
  }

  const record: OAuthSessionRecord = {
    ...stored,
    accessToken: tokens.accessToken,
    obtainedAt: tokens.obtainedAt,
    expiresAt: tokens.expiresAt,
    scopes: [...tokens.scopes],
    // Without a new refresh token the server did not rotate, so the old one stays valid (RFC 6749 section 6).
    ...(tokens.refreshToken !== undefined ? { refreshToken: tokens.refreshToken } : {}),
  };
  let persisted = true;
  try {
    await context.store.write(serializeSessionRecord(record));
  } catch (error) {
    persisted = false;
    context.log.error(`[session] ${stored.profileId}: could not store the refreshed tokens, keeping them in memory: ${(error as Error).message}`);
  }
  context.log.info(`[session] ${stored.profileId}: token refreshed${tokens.refreshToken !== undefined ? ' (refresh token rotated)' : ''}`);
  return { kind: 'refreshed', record, persisted };
}

function requestRefresh(context: RefreshContext, record: OAuthSessionRecord, refreshToken: string): Promise<TokenSet> {
  return refreshTokens(
    {
      tokenUrl: record.tokenUrl,
      clientId: record.clientId,
      clock: context.clock,
      log: context.log,
      ...(context.dispatcher !== undefined ? { dispatcher: context.dispatcher } : {}),
      ...(context.requestTimeoutMs !== undefined ? { timeoutMs: context.requestTimeoutMs } : {}),
    },
    { refreshToken, requestedScopes: record.scopes },
    context.signal,
    context.retry,
  );
}

/**
 * After `invalid_grant`, re-reads storage: a writer that did not take the lock (a sign-in in another window)
 * may have stored a different refresh token. Retries once with it; returns undefined when there is none or
 * it is rejected too.
 */
async function retryWithRotatedToken(context: RefreshContext, used: OAuthSessionRecord): Promise<TokenSet | undefined> {
  const again = await readSessionRecord(context.store, context.log);
  if (again.status !== 'ok' || again.record.kind !== 'oauth') {
    return undefined;
  }
  const rotated = again.record.refreshToken;
  if (rotated === undefined || rotated === used.refreshToken) {
    return undefined;
  }
  context.log.warn(`[session] ${used.profileId}: refresh token rejected, retrying once with the newer stored one`);
  try {
    return await requestRefresh(context, again.record, rotated);
  } catch (error) {
    if (error instanceof InvalidGrantError) {
      return undefined;
    }
    throw error;
  }
}

async function endSession(context: RefreshContext, record: OAuthSessionRecord, reason: SessionEndReason): Promise<RefreshOutcome> {
  context.log.warn(`[session] ${record.profileId}: session ended (${reason}), deleting its stored record`);
  await context.store.delete().catch((error: unknown) => {
    context.log.error(`[session] ${record.profileId}: could not delete the ended session record: ${(error as Error).message}`);
  });
  return { kind: 'ended', error: new SessionExpiredError(record.host, record.profileId, reason) };
}
