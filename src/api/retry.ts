/**
 * The retry policy of the client: which failures of a GET are retried, and how long to wait before the
 * next try. POSTs are never retried by this policy.
 */

/** Tries per request, the first one included. */
export const MAX_ATTEMPTS = 3;

/**
 * The maximum single wait before a retry, in milliseconds. When `Retry-After` requests more, the request
 * fails at once with the requested delay instead of keeping the caller waiting.
 */
export const MAX_RETRY_DELAY_MS = 30_000;

/** The maximum total wait across all retries of one request, in milliseconds. */
export const MAX_TOTAL_RETRY_DELAY_MS = 30_000;

/** The first backoff delay when the server sends no `Retry-After`; it doubles with each try. */
export const BACKOFF_BASE_MS = 250;

/** Statuses after which a GET is tried again. */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([429, 502, 503, 504]);

/** Socket errors before any response after which a GET is tried again. */
export const RETRYABLE_NETWORK_CODES: ReadonlySet<string> = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'UND_ERR_SOCKET',
]);

/**
 * Parses a `Retry-After` value (delta seconds or an HTTP date) into the requested delay in milliseconds,
 * which may exceed {@link MAX_RETRY_DELAY_MS}. Returns undefined when the header is absent or unreadable.
 */
export function parseRetryAfter(value: string | undefined, now: number = Date.now()): number | undefined {
  if (value === undefined) {
    return undefined;
  }
  const trimmed = value.trim();
  let delayMs: number;
  if (/^\d+$/.test(trimmed)) {
    delayMs = Number(trimmed) * 1000;
  } else {
    // HTTP dates end in "GMT" (RFC 9110 section 5.6.7); Date.parse alone would also accept "-1" or "1.5".
    const date = /GMT$/.test(trimmed) ? Date.parse(trimmed) : Number.NaN;
    if (Number.isNaN(date)) {
      return undefined;
    }
    delayMs = Math.max(0, date - now);
  }
  return delayMs;
}

/**
 * Returns the backoff delay after the `failedAttempt`-th try (1-based): the exponential step
 * `BACKOFF_BASE_MS * 2^(failedAttempt - 1)` with "equal jitter", so half of it is fixed and half random.
 */
export function backoffDelay(failedAttempt: number, random: () => number): number {
  const step = BACKOFF_BASE_MS * 2 ** (failedAttempt - 1);
  return Math.min(MAX_RETRY_DELAY_MS, Math.round(step / 2 + random() * (step / 2)));
}

/** Waits `ms` milliseconds; rejects with the signal's reason as soon as `signal` aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
