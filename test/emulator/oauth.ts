/**
 * The OAuth 2.0 authorization server (RFC 6749 authorization code grant with PKCE, RFC 7636):
 * `GET /oauth2/authorize`, the consent decision, and the token and revocation endpoints.
 *
 * Until the client and the redirect URI are validated, errors are shown as a page and never redirected,
 * so the endpoint cannot send a browser to an arbitrary URL.
 */
import { randomBytes } from 'node:crypto';
import { isIPv4 } from 'node:net';

import { SCOPES } from '../../src/api/operations';
import { consentPage, errorPage } from './consent-page';
import type { EmulatorCore } from './core';
import { redirectResponse, type EmulatorResponse } from './http';
import { randomToken, repeatedParameters } from './oauth-params';
import { handleRevoke, handleToken } from './oauth-token';
import type { PendingAuthorization } from './oauth-store';
import type { HttpCall, Router } from './server';

/** Requested by clients that want a refresh token; accepted and ignored, because every grant gets one. */
export const OFFLINE_ACCESS = 'offline_access';
/** How long the consent page stays answerable. */
const PENDING_LIFETIME_MS = 10 * 60_000;
/** A S256 challenge is base64url of a SHA-256 digest: 43 characters. */
const CODE_CHALLENGE_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** Returns whether `uri` is `http://<loopback IP literal>[:port]/callback` with no query, fragment or user info. */
export function isValidRedirectUri(uri: string): boolean {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return false;
  }
  const host = url.hostname;
  const loopback = host === '[::1]' || (isIPv4(host) && host.startsWith('127.'));
  return (
    url.protocol === 'http:' &&
    loopback &&
    url.pathname === '/callback' &&
    url.search === '' &&
    url.hash === '' &&
    url.username === '' &&
    url.password === '' &&
    !uri.includes('#')
  );
}

function callbackRedirect(core: EmulatorCore, pending: Pick<PendingAuthorization, 'redirectUri' | 'state'>, values: Record<string, string>): EmulatorResponse {
  const url = new URL(pending.redirectUri);
  for (const [key, value] of Object.entries(values)) {
    url.searchParams.set(key, value);
  }
  const mode = core.config.callbackState;
  if (pending.state !== null && mode === 'echo') {
    url.searchParams.set('state', pending.state);
  } else if (pending.state !== null && mode === 'altered') {
    url.searchParams.set('state', `${pending.state}-altered`);
  }
  return redirectResponse(url.toString());
}

/** Returns the problem with the authorize request as `[error, description]`, or `undefined` when it is valid. */
function findRequestProblem(core: EmulatorCore, query: URLSearchParams): [string, string] | undefined {
  const repeated = repeatedParameters(query);
  if (repeated.length > 0) {
    return ['invalid_request', `Parameters given more than once: ${repeated.join(', ')}.`];
  }
  if (query.get('response_type') !== 'code') {
    return ['unsupported_response_type', 'response_type must be "code".'];
  }
  if (query.get('code_challenge_method') !== 'S256') {
    return ['invalid_request', 'code_challenge_method must be "S256"; "plain" and missing methods are rejected.'];
  }
  if (!CODE_CHALLENGE_PATTERN.test(query.get('code_challenge') ?? '')) {
    return ['invalid_request', 'code_challenge must be the base64url SHA-256 of the code verifier (43 characters).'];
  }
  const scopes = (query.get('scope') ?? '').split(' ').filter((scope) => scope !== '');
  if (scopes.length === 0) {
    return ['invalid_scope', 'The scope parameter is missing or empty.'];
  }
  const unknown = scopes.filter((scope) => scope !== OFFLINE_ACCESS && !(SCOPES as readonly string[]).includes(scope));
  if (unknown.length > 0) {
    return ['invalid_scope', `Unknown scopes: ${unknown.join(', ')}.`];
  }
  if (query.get('audience') !== core.config.audience) {
    return ['invalid_request', `audience must be ${core.config.audience}.`];
  }
  return undefined;
}

function requestedScopes(query: URLSearchParams): string[] {
  const scopes = (query.get('scope') ?? '').split(' ').filter((scope) => scope !== '' && scope !== OFFLINE_ACCESS);
  return [...new Set(scopes)];
}

function approve(core: EmulatorCore, pending: PendingAuthorization): EmulatorResponse {
  const code = randomToken('dsac_');
  core.issued.add('codes', code);
  core.oauth.codes.set(code, {
    code,
    clientId: pending.clientId,
    redirectUri: pending.redirectUri,
    scopes: core.config.grantScopes ?? pending.scopes,
    codeChallenge: pending.codeChallenge,
    userId: core.config.oauthUserId,
    expiresAt: core.now() + core.config.authorizationCodeLifetimeSeconds * 1000,
    used: false,
    familyId: randomBytes(12).toString('hex'),
  });
  return callbackRedirect(core, pending, { code });
}

function handleAuthorize(core: EmulatorCore, call: HttpCall): EmulatorResponse {
  const { query } = call;
  const clientId = query.getAll('client_id');
  if (clientId.length !== 1 || !core.config.clientIds.includes(clientId[0] as string)) {
    return errorPage(400, 'invalid_client', 'The client_id is missing or unknown, so the sign-in cannot continue.');
  }
  const redirectUri = query.getAll('redirect_uri');
  if (redirectUri.length !== 1 || !isValidRedirectUri(redirectUri[0] as string)) {
    return errorPage(400, 'invalid_request', 'The redirect_uri must be http://<loopback IP>:<port>/callback.');
  }

  const state = query.get('state');
  if (state !== null) {
    core.issued.add('states', state);
  }
  const problem = findRequestProblem(core, query);
  if (problem !== undefined) {
    return callbackRedirect(core, { redirectUri: redirectUri[0] as string, state }, { error: problem[0], error_description: problem[1] });
  }

  const pending: PendingAuthorization = {
    id: randomToken('dsar_'),
    clientId: clientId[0] as string,
    redirectUri: redirectUri[0] as string,
    scopes: requestedScopes(query),
    codeChallenge: query.get('code_challenge') as string,
    state,
    createdAt: core.now(),
  };
  if (core.config.authorizeError !== null) {
    return callbackRedirect(core, pending, { error: core.config.authorizeError, error_description: 'Injected authorization error.' });
  }
  if (core.config.autoApprove) {
    return approve(core, pending);
  }

  core.oauth.pending.set(pending.id, pending);
  const user = core.state.users.get(core.config.oauthUserId);
  return consentPage({
    requestId: pending.id,
    clientId: pending.clientId,
    scopes: pending.scopes,
    redirectUri: pending.redirectUri,
    userName: user?.email ?? core.config.oauthUserId,
  });
}

async function handleDecision(core: EmulatorCore, call: HttpCall): Promise<EmulatorResponse> {
  const form = new URLSearchParams(await call.readBody());
  const pending = core.oauth.pending.get(form.get('request_id') ?? '');
  if (pending === undefined || core.now() - pending.createdAt > PENDING_LIFETIME_MS) {
    return errorPage(400, 'invalid_request', 'This sign-in request is unknown, expired or already answered. Start the sign-in again.');
  }
  core.oauth.pending.delete(pending.id);
  const decision = form.get('decision');
  if (decision === 'approve') {
    return approve(core, pending);
  }
  if (decision === 'deny') {
    return callbackRedirect(core, pending, { error: 'access_denied', error_description: 'The user denied the request.' });
  }
  return errorPage(400, 'invalid_request', 'The decision must be "approve" or "deny".');
}

export function createOAuthRouter(core: EmulatorCore): Router {
  return async (call) => {
    const route = `${call.method} ${call.pathname}`;
    switch (route) {
      case 'GET /oauth2/authorize':
        return handleAuthorize(core, call);
      case 'POST /oauth2/authorize/decision':
        return handleDecision(core, call);
      case 'POST /oauth2/token':
        return handleToken(core, call);
      case 'POST /oauth2/revoke':
        return handleRevoke(core, call);
      default:
        return errorPage(404, 'not_found', `Nothing is served at ${call.method} ${call.pathname}.`);
    }
  };
}
