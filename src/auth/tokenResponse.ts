/**
 * Strict parsing of token endpoint responses (RFC 6749 section 5.1 and 5.2) into a {@link TokenSet} or a
 * typed error. Access tokens are opaque: expiry comes from the local receipt time plus `expires_in`.
 */
import { redactSecrets } from '../api/redact';
import { OFFLINE_ACCESS_SCOPE } from './authorizeUrl';
import {
  InvalidGrantError,
  InvalidScopeError,
  OAuthConfigurationError,
  TokenEndpointError,
  TokenEndpointUnavailableError,
  TokenResponseError,
  type OAuthErrorDetails,
} from './errors';

/** Tokens from one successful token response. */
export interface TokenSet {
  readonly accessToken: string;
  /** The refresh token when the response contained one. */
  readonly refreshToken: string | undefined;
  /** Epoch milliseconds at which the response was received. */
  readonly obtainedAt: number;
  /** `obtainedAt + expires_in`, in epoch milliseconds. */
  readonly expiresAt: number;
  /**
   * The granted API scopes: the response's `scope` when present, otherwise the requested ones
   * (RFC 6749 section 5.1). `offline_access` is left out.
   */
  readonly scopes: readonly string[];
}

/** What the parser needs besides the response. */
export interface ParseContext {
  /** Origin of the token endpoint, for error messages. */
  readonly host: string;
  readonly requestedScopes: readonly string[];
  /** Local receipt time in epoch milliseconds. */
  readonly receivedAt: number;
}

/** Longest excerpt of a body kept in an error, in characters. */
const EXCERPT_LENGTH = 200;

/** Returns a redacted, single-line excerpt of a response body. */
export function bodyExcerpt(text: string): string {
  const clipped = text.length > EXCERPT_LENGTH ? `${text.slice(0, EXCERPT_LENGTH)}…` : text;
  return redactSecrets(clipped.replace(/\s+/g, ' ').trim());
}

/**
 * Turns a token endpoint response into a {@link TokenSet}, or throws the typed error it stands for.
 *
 * @throws {TokenResponseError} for a 2xx or 4xx response that is not the expected JSON.
 * @throws {TokenEndpointError} (or a subclass) for an RFC 6749 error response.
 * @throws {TokenEndpointUnavailableError} for 429, 5xx and `temporarily_unavailable`.
 */
export function parseTokenResponse(
  context: ParseContext,
  status: number,
  contentType: string | undefined,
  body: Buffer,
): TokenSet {
  const text = body.toString('utf8');
  let json: unknown;
  let isJson = true;
  try {
    json = JSON.parse(text);
  } catch {
    isJson = false;
  }

  if (status >= 200 && status <= 299) {
    if (!isJson) {
      throw new TokenResponseError(context.host, status, contentType, bodyExcerpt(text), 'the response was not JSON');
    }
    return readTokenSet(context, status, contentType, text, json);
  }

  const details = isJson ? readErrorDetails(json) : undefined;
  if (details !== undefined) {
    throw errorForCode(context.host, status, details);
  }
  const problem = isJson ? 'the error response has no error code' : 'the response was not JSON';
  if (status === 429 || status >= 500) {
    throw new TokenEndpointUnavailableError(context.host, 'status', status, undefined, problem);
  }
  throw new TokenResponseError(context.host, status, contentType, bodyExcerpt(text), problem);
}

/** Maps an RFC 6749 section 5.2 error code to its error class. */
export function errorForCode(host: string, status: number, details: OAuthErrorDetails): Error {
  switch (details.code) {
    case 'invalid_grant':
      return new InvalidGrantError(host, status, details);
    case 'invalid_client':
    case 'unauthorized_client':
    case 'unsupported_grant_type':
      return new OAuthConfigurationError(host, status, details);
    case 'invalid_scope':
      return new InvalidScopeError(host, status, details);
    case 'temporarily_unavailable':
    case 'server_error':
      return new TokenEndpointUnavailableError(host, 'status', status, details.code, details.description);
    default:
      if (status === 429 || status >= 500) {
        return new TokenEndpointUnavailableError(host, 'status', status, details.code, details.description);
      }
      return new TokenEndpointError(host, status, details);
  }
}

function readErrorDetails(json: unknown): OAuthErrorDetails | undefined {
  if (!isObject(json) || typeof json.error !== 'string' || json.error === '') {
    return undefined;
  }
  const description = typeof json.error_description === 'string' ? bodyExcerpt(json.error_description) : undefined;
  const uri = typeof json.error_uri === 'string' && /^https:\/\/\S{1,500}$/.test(json.error_uri) ? json.error_uri : undefined;
  return { code: json.error.slice(0, 100), description, uri };
}

function readTokenSet(context: ParseContext, status: number, contentType: string | undefined, text: string, json: unknown): TokenSet {
  const invalid = (problem: string): TokenResponseError =>
    new TokenResponseError(context.host, status, contentType, bodyExcerpt(text), problem);

  if (!isObject(json)) {
    throw invalid('the response is not a JSON object');
  }
  const { access_token: accessToken, token_type: tokenType, expires_in: expiresIn } = json;
  if (typeof accessToken !== 'string' || accessToken === '') {
    throw invalid('access_token is missing or empty');
  }
  if (typeof tokenType !== 'string' || tokenType.toLowerCase() !== 'bearer') {
    throw invalid(`token_type is ${typeof tokenType === 'string' ? `"${tokenType.slice(0, 40)}"` : 'missing'}, expected Bearer`);
  }
  if (typeof expiresIn !== 'number' || !Number.isFinite(expiresIn) || expiresIn <= 0) {
    throw invalid('expires_in is missing or not a positive number');
  }
  const refreshToken = json.refresh_token;
  if (refreshToken !== undefined && (typeof refreshToken !== 'string' || refreshToken === '')) {
    throw invalid('refresh_token is not a non-empty string');
  }
  if (json.scope !== undefined && typeof json.scope !== 'string') {
    throw invalid('scope is not a string');
  }

  const granted = typeof json.scope === 'string' ? json.scope.split(' ') : context.requestedScopes;
  const scopes = [...new Set(granted)].filter((scope) => scope !== '' && scope !== OFFLINE_ACCESS_SCOPE);
  return {
    accessToken,
    refreshToken,
    obtainedAt: context.receivedAt,
    expiresAt: context.receivedAt + expiresIn * 1000,
    scopes,
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
