/**
 * `POST /oauth2/token` (authorization_code and refresh_token grants, RFC 6749 sections 4.1.3 and 6)
 * and `POST /oauth2/revoke` (RFC 7009). Errors are RFC 6749 section 5.2 JSON bodies.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

import type { EmulatorCore } from './core';
import { jsonResponse, type EmulatorResponse } from './http';
import { randomToken, repeatedParameters } from './oauth-params';
import type { HttpCall } from './server';

/** RFC 7636 section 4.1: 43 to 128 unreserved characters. */
const CODE_VERIFIER_PATTERN = /^[A-Za-z0-9._~-]{43,128}$/;
const NO_STORE = { 'cache-control': 'no-store', pragma: 'no-cache' };

class OAuthError extends Error {
  constructor(
    readonly error: string,
    description: string,
    readonly status = 400,
  ) {
    super(description);
  }
}

function oauthErrorResponse(error: OAuthError): EmulatorResponse {
  return jsonResponse(error.status, { error: error.error, error_description: error.message }, NO_STORE);
}

/** Returns base64url(SHA-256(verifier)), the S256 code challenge. */
export function s256Challenge(verifier: string): string {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}

function equalConstantTime(left: string, right: string): boolean {
  const a = Buffer.from(left);
  const b = Buffer.from(right);
  return a.length === b.length && timingSafeEqual(a, b);
}

function required(form: URLSearchParams, name: string): string {
  const value = form.get(name);
  if (value === null || value === '') {
    throw new OAuthError('invalid_request', `The ${name} parameter is missing.`);
  }
  return value;
}

/** Parses a form body and checks the client; throws {@link OAuthError}. */
async function readForm(core: EmulatorCore, call: HttpCall): Promise<{ form: URLSearchParams; clientId: string }> {
  const contentType = call.request.headers['content-type'] ?? '';
  if (!contentType.toLowerCase().startsWith('application/x-www-form-urlencoded')) {
    throw new OAuthError('invalid_request', 'The body must be application/x-www-form-urlencoded.');
  }
  const form = new URLSearchParams(await call.readBody());
  const repeated = repeatedParameters(form);
  if (repeated.length > 0) {
    throw new OAuthError('invalid_request', `Parameters given more than once: ${repeated.join(', ')}.`);
  }
  const clientId = form.get('client_id');
  if (clientId === null || !core.config.clientIds.includes(clientId)) {
    throw new OAuthError('invalid_client', 'The client_id is missing or unknown.', 401);
  }
  return { form, clientId };
}

/** Issues an access token (and a refresh token when `withRefreshToken`) in a token family. */
function issueTokens(
  core: EmulatorCore,
  grant: { clientId: string; scopes: string[]; userId: string; familyId: string },
  withRefreshToken: boolean,
): Record<string, unknown> {
  const family = core.oauth.family(grant.familyId);
  const accessToken = randomToken('dsat_');
  const lifetime = core.config.accessTokenLifetimeSeconds;
  core.state.tokens.set(accessToken, {
    token: accessToken,
    user_id: grant.userId,
    scopes: [...grant.scopes],
    expires_at: core.now() + lifetime * 1000,
    revoked: false,
    kind: 'oauth',
    family_id: grant.familyId,
  });
  family.accessTokens.add(accessToken);
  core.issued.add('accessTokens', accessToken);
  const body: Record<string, unknown> = {
    access_token: accessToken,
    token_type: 'Bearer',
    expires_in: lifetime,
    scope: grant.scopes.join(' '),
  };
  if (withRefreshToken) {
    const refreshToken = randomToken('dsrt_');
    core.oauth.refreshTokens.set(refreshToken, { token: refreshToken, ...grant, used: false });
    family.refreshTokens.add(refreshToken);
    core.issued.add('refreshTokens', refreshToken);
    body['refresh_token'] = refreshToken;
  }
  return body;
}

function exchangeCode(core: EmulatorCore, form: URLSearchParams, clientId: string): Record<string, unknown> {
  const code = required(form, 'code');
  const redirectUri = required(form, 'redirect_uri');
  const verifier = required(form, 'code_verifier');
  core.issued.add('verifiers', verifier);

  const record = core.oauth.codes.get(code);
  if (record === undefined) {
    throw new OAuthError('invalid_grant', 'The authorization code is invalid.');
  }
  if (record.used) {
    // RFC 6749 section 4.1.2: a code used twice revokes what was issued from it.
    core.oauth.revokeFamily(core.state, record.familyId);
    throw new OAuthError('invalid_grant', 'The authorization code was already used; its tokens are revoked.');
  }

  // Any presentation uses the code up, so a failed attempt cannot be retried with other values.
  record.used = true;
  if (core.now() >= record.expiresAt) {
    throw new OAuthError('invalid_grant', 'The authorization code has expired.');
  }
  if (record.clientId !== clientId) {
    throw new OAuthError('invalid_grant', 'The authorization code was issued to another client.');
  }
  if (record.redirectUri !== redirectUri) {
    throw new OAuthError('invalid_grant', 'The redirect_uri differs from the one of the authorization request.');
  }
  if (!CODE_VERIFIER_PATTERN.test(verifier)) {
    throw new OAuthError('invalid_request', 'The code_verifier must be 43 to 128 unreserved characters.');
  }
  if (!equalConstantTime(s256Challenge(verifier), record.codeChallenge)) {
    throw new OAuthError('invalid_grant', 'The code_verifier does not match the code_challenge.');
  }

  return issueTokens(core, { clientId, scopes: record.scopes, userId: record.userId, familyId: record.familyId }, true);
}

function refresh(core: EmulatorCore, form: URLSearchParams, clientId: string): Record<string, unknown> {
  const token = required(form, 'refresh_token');
  const record = core.oauth.refreshTokens.get(token);
  if (record === undefined || core.oauth.family(record.familyId).revoked) {
    throw new OAuthError('invalid_grant', 'The refresh token is invalid or revoked.');
  }
  if (record.clientId !== clientId) {
    throw new OAuthError('invalid_grant', 'The refresh token was issued to another client.');
  }
  if (record.used) {
    core.oauth.revokeFamily(core.state, record.familyId);
    throw new OAuthError('invalid_grant', 'The refresh token was already used; every token of its sign-in is revoked.');
  }
  const requested = (form.get('scope') ?? '').split(' ').filter((scope) => scope !== '');
  const extra = requested.filter((scope) => !record.scopes.includes(scope));
  if (extra.length > 0) {
    throw new OAuthError('invalid_scope', `The refresh token was not granted: ${extra.join(', ')}.`);
  }
  const rotate = core.config.refreshTokenRotation;
  if (rotate) {
    record.used = true;
  }
  const scopes = requested.length > 0 ? requested : record.scopes;
  return issueTokens(core, { clientId, scopes, userId: record.userId, familyId: record.familyId }, rotate);
}

export async function handleToken(core: EmulatorCore, call: HttpCall): Promise<EmulatorResponse> {
  try {
    const { form, clientId } = await readForm(core, call);
    const grantType = required(form, 'grant_type');
    if (grantType === 'authorization_code') {
      return jsonResponse(200, exchangeCode(core, form, clientId), NO_STORE);
    }
    if (grantType === 'refresh_token') {
      return jsonResponse(200, refresh(core, form, clientId), NO_STORE);
    }
    throw new OAuthError('unsupported_grant_type', `The grant_type "${grantType}" is not supported.`);
  } catch (error) {
    if (error instanceof OAuthError) {
      return oauthErrorResponse(error);
    }
    throw error;
  }
}

/**
 * RFC 7009 revocation: a refresh token revokes its whole family, an OAuth access token only itself.
 * Unknown tokens also get 200, as section 2.2 requires. Personal access tokens are not revoked here.
 */
export async function handleRevoke(core: EmulatorCore, call: HttpCall): Promise<EmulatorResponse> {
  if (!core.config.revocationAvailable) {
    return jsonResponse(503, { error: 'temporarily_unavailable', error_description: 'Revocation is down (emulator setting).' }, NO_STORE);
  }
  try {
    const { form } = await readForm(core, call);
    const token = required(form, 'token');
    const refreshToken = core.oauth.refreshTokens.get(token);
    if (refreshToken !== undefined) {
      core.oauth.revokeFamily(core.state, refreshToken.familyId);
    }
    const accessToken = core.state.tokens.get(token);
    if (accessToken?.kind === 'oauth') {
      accessToken.revoked = true;
    }
    return { status: 200, headers: NO_STORE, body: '' };
  } catch (error) {
    if (error instanceof OAuthError) {
      return oauthErrorResponse(error);
    }
    throw error;
  }
}
