/**
 * Sorts a failed list load into what the view's failure item shows and what clicking it does. Matching is
 * by error class, never by message text.
 */
import {
  AuthenticationError,
  InvalidResponseError,
  MissingScopeError,
  NetworkError,
  RateLimitedError,
  RedirectError,
  RequestAbortedError,
  ServerError,
  TimeoutError,
} from '../../api/errors';

export type ListFailure =
  /** 403: the sign-in lacks the scope; the fix is a new sign-in or token with the scope. */
  | { readonly kind: 'missingScope'; readonly scope: string }
  /** 401: the token expired or was revoked; the fix is to sign in again. */
  | { readonly kind: 'signInExpired'; readonly host: string }
  /** Connection refused, DNS failure or timeout; Retry may help. */
  | { readonly kind: 'unreachable'; readonly host: string }
  | { readonly kind: 'rateLimited'; readonly host: string; readonly retryAfterMs: number }
  | { readonly kind: 'serverError'; readonly host: string; readonly status: number }
  | { readonly kind: 'invalidResponse'; readonly host: string }
  /** 3xx: the host sent the request elsewhere, so the `datastack.host` setting is probably wrong. */
  | { readonly kind: 'redirected'; readonly host: string; readonly targetOrigin: string | undefined }
  /** The load was cancelled, e.g. by a refresh or a sign-out; the view shows nothing for it. */
  | { readonly kind: 'cancelled' }
  | { readonly kind: 'unexpected' };

export function classifyListFailure(error: unknown): ListFailure {
  if (error instanceof MissingScopeError) {
    return { kind: 'missingScope', scope: error.requiredScope };
  }
  if (error instanceof AuthenticationError) {
    return { kind: 'signInExpired', host: error.host };
  }
  if (error instanceof NetworkError || error instanceof TimeoutError) {
    return { kind: 'unreachable', host: error.host };
  }
  if (error instanceof RateLimitedError) {
    return { kind: 'rateLimited', host: error.host, retryAfterMs: error.retryAfterMs };
  }
  if (error instanceof ServerError) {
    return { kind: 'serverError', host: error.host, status: error.status };
  }
  if (error instanceof RedirectError) {
    return { kind: 'redirected', host: error.host, targetOrigin: error.targetOrigin };
  }
  if (error instanceof InvalidResponseError) {
    return { kind: 'invalidResponse', host: error.host };
  }
  if (error instanceof RequestAbortedError || (error instanceof Error && error.name === 'AbortError')) {
    return { kind: 'cancelled' };
  }
  return { kind: 'unexpected' };
}

/**
 * Returns whether the failure may go away on its own, so the item offers Retry rather than a fix such as
 * a new sign-in or a change of the `datastack.host` setting.
 */
export function isRetryable(failure: ListFailure): boolean {
  return (
    failure.kind !== 'missingScope' &&
    failure.kind !== 'signInExpired' &&
    failure.kind !== 'redirected' &&
    failure.kind !== 'cancelled'
  );
}
