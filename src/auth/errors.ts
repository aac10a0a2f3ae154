/**
 * Typed errors of the sign-in core (OAuth 2.0 authorization code flow, code exchange and refresh). Each
 * carries the data the UI needs; the UI matches them with `instanceof`. `host` is the origin of the
 * authorization server endpoint involved. No error here contains a token, code, verifier or state value:
 * server texts are passed through `redactSecrets` before they are stored.
 */
import { DataStackError } from '../api/errors';

/** Returns the origin of a URL for error messages, or the input itself when it does not parse. */
export function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
}

/** A configured OAuth value (setting) is not acceptable, e.g. an `http:` authorization URL. */
export class InvalidOAuthSettingError extends DataStackError {
  constructor(
    /** The setting key without the `datastack.oauth.` prefix, e.g. `authorizationUrl`. */
    readonly setting: string,
    readonly value: string,
    /** Reason for the rejection, as an English sentence fragment. */
    readonly reason: string,
  ) {
    super(`Invalid OAuth setting ${setting} "${value}": ${reason}.`, originOf(value), undefined);
  }
}

/** The error parameters of an RFC 6749 error response (section 4.1.2.1 and 5.2). */
export interface OAuthErrorDetails {
  /** The RFC 6749 error code, e.g. `access_denied`, `invalid_grant`. */
  readonly code: string;
  /** The server's `error_description`, redacted, when present. */
  readonly description: string | undefined;
  /** The server's `error_uri`, when present. */
  readonly uri: string | undefined;
}

/** Human descriptions of the authorization endpoint error codes of RFC 6749 section 4.1.2.1. */
const AUTHORIZATION_ERROR_TEXT: Readonly<Record<string, string>> = {
  access_denied: 'the sign-in was declined or cancelled',
  invalid_request: 'the sign-in request was invalid',
  unauthorized_client: 'this client is not allowed to use the authorization code flow',
  unsupported_response_type: 'the authorization server does not support the authorization code flow',
  invalid_scope: 'a requested scope is invalid or unknown',
  server_error: 'the authorization server failed',
  temporarily_unavailable: 'the authorization server is temporarily unavailable',
};

/** Returns a human description of an authorization endpoint error code. */
export function describeAuthorizationError(code: string): string {
  return AUTHORIZATION_ERROR_TEXT[code] ?? `the authorization server returned the error ${code}`;
}

/** The authorization server redirected back with `error=...` other than `access_denied`. */
export class AuthorizationServerError extends DataStackError {
  constructor(
    host: string,
    readonly details: OAuthErrorDetails,
  ) {
    super(
      `Sign-in failed at ${host}: ${describeAuthorizationError(details.code)} (${details.code}).`,
      host,
      undefined,
    );
  }
}

/** The user declined consent: the authorization server redirected back with `error=access_denied`. */
export class AuthorizationDeniedError extends AuthorizationServerError {}

/** No usable callback arrived before the flow timed out. */
export class AuthorizationTimeoutError extends DataStackError {
  constructor(
    host: string,
    readonly timeoutMs: number,
  ) {
    super(`Sign-in at ${host} timed out after ${Math.round(timeoutMs / 1000)} s without a callback.`, host, undefined);
  }
}

/** The sign-in flow was cancelled through its `AbortSignal` or disposed. */
export class AuthorizationCancelledError extends DataStackError {
  constructor(host: string) {
    super(`Sign-in at ${host} was cancelled.`, host, undefined);
  }
}

/** A pasted redirect URL cannot complete the flow; the flow keeps waiting. */
export class InvalidCallbackUrlError extends DataStackError {
  constructor(
    host: string,
    /** Reason for the rejection, as an English sentence fragment. */
    readonly reason: string,
  ) {
    super(`The pasted redirect URL cannot complete the sign-in: ${reason}.`, host, undefined);
  }
}

/** The token endpoint returned a response that is not a valid token response. `excerpt` is redacted. */
export class TokenResponseError extends DataStackError {
  constructor(
    host: string,
    readonly status: number,
    readonly contentType: string | undefined,
    /** At most the first 200 characters of the body, redacted. */
    readonly excerpt: string,
    /** Description of the problem, e.g. "the response was not JSON". */
    readonly problem: string,
  ) {
    super(`Invalid response from the token endpoint at ${host} (HTTP ${status}): ${problem}.`, host, undefined);
  }
}

/** The token endpoint returned an RFC 6749 section 5.2 error response. */
export class TokenEndpointError extends DataStackError {
  constructor(
    host: string,
    readonly status: number,
    readonly details: OAuthErrorDetails,
    message?: string,
  ) {
    super(
      message ??
        `The token endpoint at ${host} rejected the request with ${details.code} (HTTP ${status})` +
          `${details.description ? `: ${details.description}` : ''}.`,
      host,
      undefined,
    );
  }
}

/** `invalid_grant`: the code or refresh token is invalid, expired, revoked or was already used. Sign in again. */
export class InvalidGrantError extends TokenEndpointError {}

/** `invalid_client`, `unauthorized_client`, `unsupported_grant_type`: the OAuth settings are wrong. No retry. */
export class OAuthConfigurationError extends TokenEndpointError {}

/** `invalid_scope`: a requested scope is invalid, unknown or not allowed for this client. */
export class InvalidScopeError extends TokenEndpointError {}

/** Reason the token endpoint returned no usable response. */
export type UnavailableReason = 'status' | 'network' | 'timeout';

/**
 * The token endpoint could not be used right now: HTTP 5xx, `temporarily_unavailable`, a network failure
 * or a timeout. A refresh keeps the session after this error.
 */
export class TokenEndpointUnavailableError extends DataStackError {
  constructor(
    host: string,
    readonly reason: UnavailableReason,
    /** The HTTP status, for `reason === 'status'`. */
    readonly status: number | undefined,
    /** A system error code such as `ECONNREFUSED`, or the OAuth error code, when known. */
    readonly code: string | undefined,
    /** Description of the response, e.g. "the response was not JSON", when known. */
    readonly problem: string | undefined,
    options?: { cause?: unknown },
  ) {
    super(
      `The token endpoint at ${host} is unavailable (${describeUnavailable(reason, status, code)})` +
        `${problem ? `: ${problem}` : ''}.`,
      host,
      undefined,
      options,
    );
  }
}

function describeUnavailable(reason: UnavailableReason, status: number | undefined, code: string | undefined): string {
  switch (reason) {
    case 'status':
      return `HTTP ${status ?? 'error'}${code ? `, ${code}` : ''}`;
    case 'network':
      return code ? `network error ${code}` : 'network error';
    case 'timeout':
      return 'timed out';
  }
}

/** Why a session cannot provide a token any more. */
export type SessionEndReason =
  | 'missing'
  | 'corrupt'
  | 'unsupported-version'
  | 'refresh-token-rejected'
  | 'no-refresh-token';

/** The session has no usable credentials: signed out, unreadable record, or a rejected refresh token. */
export class SessionExpiredError extends DataStackError {
  constructor(
    host: string,
    readonly profileId: string | undefined,
    readonly reason: SessionEndReason,
  ) {
    super(`The DataStack session${profileId ? ` ${profileId}` : ''} for ${host} ended (${reason}).`, host, undefined);
  }
}

/**
 * The API rejected a token that a forced refresh had just issued, or a personal access token. A further
 * refresh would not help, so the caller should ask the user to sign in again.
 */
export class AccessTokenRejectedError extends DataStackError {
  constructor(
    host: string,
    readonly profileId: string,
    readonly kind: 'oauth' | 'pat',
  ) {
    super(`DataStack at ${host} rejected the ${kind === 'pat' ? 'personal access token' : 'refreshed access token'}.`, host, undefined);
  }
}

/** The cross-process refresh lock could not be taken in time. */
export class LockTimeoutError extends DataStackError {
  constructor(
    readonly lockPath: string,
    readonly timeoutMs: number,
  ) {
    super(`Timed out after ${Math.round(timeoutMs / 1000)} s waiting for the lock ${lockPath}.`, lockPath, undefined);
  }
}
