/**
 * Best-effort token revocation (RFC 7009) at sign-out. The revocation endpoint is the token URL with its
 * last path segment `token` replaced by `revoke`, as the DataStack authorization server serves it. A
 * failure is logged and never blocks the sign-out.
 */
import type { Dispatcher } from 'undici';
import { exchange } from '../api/http';
import type { OAuthSessionRecord } from '../auth/sessionRecord';
import type { AuthLog } from '../auth/types';

/** Time a revocation may take before sign-out goes on without it. */
const REVOKE_TIMEOUT_MS = 5_000;

/** Returns the revocation URL for a token URL, or undefined when its path does not end in `/token`. */
export function revocationUrlFor(tokenUrl: string): URL | undefined {
  const url = new URL(tokenUrl);
  if (!/\/token$/.test(url.pathname)) {
    return undefined;
  }
  url.pathname = url.pathname.replace(/\/token$/, '/revoke');
  return url;
}

/**
 * Revokes the refresh token (which ends its whole sign-in), or the access token when there is none.
 * `dispatcher` is the one of every other token request, so revocation follows the same proxy settings.
 */
export async function revokeTokens(record: OAuthSessionRecord, log: AuthLog, dispatcher: Dispatcher): Promise<void> {
  const url = revocationUrlFor(record.tokenUrl);
  if (url === undefined) {
    log.info('[auth] no revocation endpoint known for this sign-in; tokens expire on their own');
    return;
  }
  const form = new URLSearchParams({
    token: record.refreshToken ?? record.accessToken,
    token_type_hint: record.refreshToken !== undefined ? 'refresh_token' : 'access_token',
    client_id: record.clientId,
  });
  try {
    const response = await exchange({
      origin: url.origin,
      method: 'POST',
      path: url.pathname + url.search,
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: form.toString(),
      signal: AbortSignal.timeout(REVOKE_TIMEOUT_MS),
      dispatcher,
      maxBodyBytes: 64 * 1024,
    });
    log.info(`[auth] revocation at ${url.origin}: HTTP ${response.status}`);
  } catch (error) {
    log.warn(`[auth] revocation at ${url.origin} failed; signed out locally anyway: ${error instanceof Error ? error.name : 'error'}`);
  }
}
