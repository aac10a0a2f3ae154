/**
 * Validation of the configured OAuth endpoints and construction of the authorization request URL
 * (RFC 6749 section 4.1.1 with PKCE, RFC 7636 section 4.3). The URL is built from configuration only,
 * never from anything a callback or a server response contains.
 */
import { isLoopbackHostname } from '../api/host';
import { InvalidOAuthSettingError } from './errors';

/**
 * The scope that makes the authorization server issue a refresh token. It is added to every authorization
 * request and is not recorded among a session's scopes, which list API scopes only.
 */
export const OFFLINE_ACCESS_SCOPE = 'offline_access';

/** The parameters of one authorization request. */
export interface AuthorizeRequest {
  /** The configured authorization endpoint, e.g. `https://accounts.datastack.cloud/oauth2/authorize`. */
  readonly authorizationUrl: string;
  readonly clientId: string;
  /** The API the token is for, e.g. `https://api.datastack.cloud`. */
  readonly audience: string;
  /** API scopes to request; `offline_access` is added. */
  readonly scopes: readonly string[];
  /** The loopback redirect URI, byte-identical to the one sent with the code exchange. */
  readonly redirectUri: string;
  readonly state: string;
  /** The S256 code challenge. */
  readonly codeChallenge: string;
}

/**
 * Validates a configured OAuth endpoint URL and returns it parsed. Accepts `https:` URLs, and `http:` URLs
 * whose host is a loopback address (for local test servers). Rejects user info and fragments.
 *
 * @throws {InvalidOAuthSettingError} naming the setting and the reason.
 */
export function validateEndpointUrl(setting: string, value: string): URL {
  const trimmed = value.trim();
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    throw new InvalidOAuthSettingError(setting, value, 'the value is not a valid absolute URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new InvalidOAuthSettingError(setting, value, `the scheme ${url.protocol} is not supported, use https://`);
  }
  if (url.protocol === 'http:' && !isLoopbackHostname(url.hostname)) {
    throw new InvalidOAuthSettingError(setting, value, 'the scheme must be https unless the host is a loopback address');
  }
  if (url.username !== '' || url.password !== '') {
    throw new InvalidOAuthSettingError(setting, value, 'the URL must not contain a user name or password');
  }
  if (url.hash !== '') {
    throw new InvalidOAuthSettingError(setting, value, 'the URL must not contain a fragment');
  }
  return url;
}

/**
 * Validates the client id setting: non-empty, without whitespace or control characters.
 *
 * @throws {InvalidOAuthSettingError}
 */
export function validateClientId(value: string): string {
  if (value === '' || /[\s\x00-\x1f\x7f]/.test(value)) {
    throw new InvalidOAuthSettingError('clientId', value, 'the client id must be non-empty and contain no whitespace');
  }
  return value;
}

/**
 * Validates a list of scope tokens (RFC 6749 section 3.3: printable ASCII without space, quote or backslash).
 *
 * @throws {InvalidOAuthSettingError}
 */
export function validateScopes(scopes: readonly string[]): readonly string[] {
  for (const scope of scopes) {
    if (!/^[\x21\x23-\x5b\x5d-\x7e]+$/.test(scope)) {
      throw new InvalidOAuthSettingError('scopes', scope, 'a scope must be a non-empty token without spaces or quotes');
    }
  }
  return scopes;
}

/** Returns the scopes to request: the given ones without duplicates, followed by `offline_access`. */
export function withOfflineAccess(scopes: readonly string[]): string[] {
  const result = [...new Set(scopes)].filter((scope) => scope !== OFFLINE_ACCESS_SCOPE);
  result.push(OFFLINE_ACCESS_SCOPE);
  return result;
}

/**
 * Builds the authorization request URL: `response_type=code`, `client_id`, `redirect_uri`, `scope` (with
 * `offline_access`), `audience`, `state`, `code_challenge` and `code_challenge_method=S256`. Query
 * parameters already in the configured URL are kept unless they have one of these names.
 *
 * @throws {InvalidOAuthSettingError} when the authorization URL, client id or scopes are invalid.
 */
export function buildAuthorizeUrl(request: AuthorizeRequest): string {
  const url = validateEndpointUrl('authorizationUrl', request.authorizationUrl);
  validateClientId(request.clientId);
  validateScopes(request.scopes);

  const params = url.searchParams;
  params.set('response_type', 'code');
  params.set('client_id', request.clientId);
  params.set('redirect_uri', request.redirectUri);
  params.set('scope', withOfflineAccess(request.scopes).join(' '));
  params.set('audience', request.audience);
  params.set('state', request.state);
  params.set('code_challenge', request.codeChallenge);
  params.set('code_challenge_method', 'S256');
  return url.toString();
}
