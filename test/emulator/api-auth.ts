/**
 * Token and scope checks of API requests. The token is checked before the scope, so a request with a
 * bad token and a bad scope header gets 401.
 */
import type { IncomingHttpHeaders } from 'node:http';

import { SCOPE_HEADER, scopesCover, type Scope } from '../../src/api/operations';
import type { EmulatorCore } from './core';
import { ApiError } from './http';
import type { TokenRecord } from './types';

export { SCOPE_HEADER };

function unauthenticated(message: string): ApiError {
  return new ApiError('UNAUTHENTICATED', message, {}, {
    'www-authenticate': 'Bearer realm="datastack", error="invalid_token"',
  });
}

/**
 * Returns the valid token record of the request's `Authorization: Bearer` header.
 * Throws 401 when the header is missing or malformed, the token is unknown, revoked or expired,
 * or the query string carries `access_token` (tokens in URLs are rejected, never accepted).
 */
export function authenticate(core: EmulatorCore, headers: IncomingHttpHeaders, query: URLSearchParams): TokenRecord {
  if (query.has('access_token')) {
    throw unauthenticated('Tokens in the query string are rejected; send them in the Authorization header.');
  }
  const header = headers.authorization;
  if (header === undefined) {
    throw unauthenticated('The Authorization header is missing.');
  }
  const match = /^Bearer ([\x21-\x7e]+)$/i.exec(header);
  if (match === null) {
    throw unauthenticated('The Authorization header must be "Bearer <token>".');
  }
  const record = core.state.tokens.get(match[1] as string);
  if (record === undefined || record.revoked) {
    throw unauthenticated('The token is invalid or has been revoked.');
  }
  if (record.expires_at !== null && record.expires_at <= core.now()) {
    throw unauthenticated('The token has expired.');
  }
  return record;
}

/** Throws 403 unless the scope header names exactly `required` and the token holds it (or `all-apis`). */
export function authorizeScope(token: TokenRecord, headers: IncomingHttpHeaders, required: Scope): void {
  const header = headers[SCOPE_HEADER];
  let problem: string | undefined;
  if (header === undefined) {
    problem = `The ${SCOPE_HEADER} header is missing; this operation requires scope ${required}.`;
  } else if (header !== required) {
    problem = `The ${SCOPE_HEADER} header names another scope than ${required}, which this operation requires.`;
  } else if (!scopesCover(token.scopes, required)) {
    problem = `The token does not hold scope ${required}, which this operation requires.`;
  }
  if (problem !== undefined) {
    throw new ApiError('PERMISSION_DENIED', problem, { required_scope: required }, {
      'www-authenticate': `Bearer realm="datastack", error="insufficient_scope", scope="${required}"`,
    });
  }
}
