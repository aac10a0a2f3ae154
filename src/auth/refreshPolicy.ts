/**
 * When an OAuth access token is refreshed and until when it is still used. Times are epoch milliseconds
 * from the injected clock; the token itself is opaque.
 */

/** Refresh at the latest this long before expiry. */
export const REFRESH_BEFORE_EXPIRY_MS = 5 * 60_000;
/** Stop using a token this long before its expiry, to allow for transit time; capped at a tenth of the lifetime. */
export const EXPIRY_MARGIN_MS = 10_000;

/** The timing fields of a token. */
export interface TokenTimes {
  readonly obtainedAt: number;
  readonly expiresAt: number;
}

/**
 * Returns when a refresh is due: at 2/3 of the lifetime or 5 minutes before expiry, whichever is earlier.
 *
 * NOTE: for lifetimes under 10 minutes, "5 minutes before expiry" falls before half the lifetime or even
 * before the token was received. The result is then half the lifetime, so short-lived tokens are refreshed
 * once per half lifetime instead of on every call.
 */
export function refreshDueAt(times: TokenTimes): number {
  const lifetime = Math.max(0, times.expiresAt - times.obtainedAt);
  const atTwoThirds = times.obtainedAt + (lifetime * 2) / 3;
  const beforeExpiry = times.expiresAt - REFRESH_BEFORE_EXPIRY_MS;
  return Math.max(times.obtainedAt + lifetime / 2, Math.min(atTwoThirds, beforeExpiry));
}

/** Returns whether a token may still be sent at `now`. */
export function isUsable(times: TokenTimes, now: number): boolean {
  const lifetime = Math.max(0, times.expiresAt - times.obtainedAt);
  return now < times.expiresAt - Math.min(EXPIRY_MARGIN_MS, lifetime / 10);
}

/** Returns the wait after the `failures`-th failed refresh in a row: 5 s doubling up to 5 minutes. */
export function refreshBackoffMs(failures: number): number {
  return Math.min(5 * 60_000, 5_000 * 2 ** Math.max(0, failures - 1));
}
