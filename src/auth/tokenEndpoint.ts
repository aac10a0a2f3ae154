/**
 * Requests to the OAuth token endpoint: the authorization code exchange (RFC 6749 section 4.1.3 with the
 * PKCE verifier of RFC 7636 section 4.5) and the refresh (RFC 6749 section 6). Both are form-encoded POSTs
 * with `Accept: application/json`, sent through undici with a timeout and an optional `AbortSignal`.
 */
import type { Dispatcher } from 'undici';
import { type CertificateError, type ProxyError, RequestAbortedError } from '../api/errors';
import { BodyTooLargeError, TransportFailure, exchange, getSharedAgent } from '../api/http';
import { validateClientId, validateEndpointUrl } from './authorizeUrl';
import { TokenEndpointUnavailableError, TokenResponseError, originOf } from './errors';
import { parseTokenResponse, type TokenSet } from './tokenResponse';
import { silentLog, systemClock, type AuthLog, type Clock } from './types';

export type { TokenSet } from './tokenResponse';

/** Default time for one token request, from sending to the end of the body. */
export const DEFAULT_TOKEN_TIMEOUT_MS = 30_000;
/** Largest token response body read. */
const MAX_TOKEN_RESPONSE_BYTES = 1024 * 1024;
/** Connection errors that prove the request never reached the server, so a refresh may be sent again. */
const NOT_SENT_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/** Where and how to reach the token endpoint. */
export interface TokenEndpointConfig {
  readonly tokenUrl: string;
  readonly clientId: string;
  /** The undici dispatcher, e.g. a `ProxyAgent`; default the shared keep-alive agent. */
  readonly dispatcher?: Dispatcher;
  /** Timeout of one request; default {@link DEFAULT_TOKEN_TIMEOUT_MS}. */
  readonly timeoutMs?: number;
  readonly clock?: Clock;
  readonly log?: AuthLog;
}

/** The parameters of a code exchange. */
export interface CodeExchangeRequest {
  readonly code: string;
  /** Byte-identical to the `redirect_uri` of the authorization request. */
  readonly redirectUri: string;
  readonly codeVerifier: string;
  /** The API scopes requested, recorded as granted when the response has no `scope`. */
  readonly requestedScopes: readonly string[];
}

/** The parameters of a refresh. */
export interface RefreshRequest {
  readonly refreshToken: string;
  /** The session's scopes, recorded as granted when the response has no `scope`. */
  readonly requestedScopes: readonly string[];
}

/** Retry policy of a refresh; see {@link refreshTokens}. */
export interface RefreshRetryOptions {
  /** Total number of tries; default 3. */
  readonly attempts?: number;
  /** Delay before the first retry in milliseconds, doubled for each further one; default 1000. */
  readonly baseDelayMs?: number;
  /** Waits `ms` or rejects when `signal` aborts; default a real timer. */
  readonly sleep?: (ms: number, signal: AbortSignal | undefined) => Promise<void>;
}

/**
 * Exchanges an authorization code for tokens. The request is never retried: a code is single-use, and a
 * failure after sending (for example a timeout) may mean the server has already consumed it.
 *
 * @throws the errors of `parseTokenResponse`, {@link TokenEndpointUnavailableError} for network failures
 *   and timeouts, `ProxyError` and `CertificateError` for proxy and TLS failures, and `RequestAbortedError`
 *   when `signal` aborts.
 */
export async function exchangeAuthorizationCode(
  config: TokenEndpointConfig,
  request: CodeExchangeRequest,
  signal?: AbortSignal,
): Promise<TokenSet> {
  const form = new URLSearchParams({
    grant_type: 'authorization_code',
    code: request.code,
    redirect_uri: request.redirectUri,
    client_id: config.clientId,
    code_verifier: request.codeVerifier,
  });
  return postTokenRequest(config, 'authorization_code', form, request.requestedScopes, signal);
}

/**
 * Exchanges a refresh token for new tokens. Retries with exponential backoff only when the server
 * certainly did not act on the request (connection refused, name not resolved, HTTP 429 or 503, or
 * `temporarily_unavailable`): replaying a refresh token the server already rotated would trip its reuse
 * detection and revoke the whole token family.
 */
export async function refreshTokens(
  config: TokenEndpointConfig,
  request: RefreshRequest,
  signal?: AbortSignal,
  retry: RefreshRetryOptions = {},
): Promise<TokenSet> {
  const form = new URLSearchParams({
    grant_type: 'refresh_token',
    refresh_token: request.refreshToken,
    client_id: config.clientId,
  });
  const attempts = Math.max(1, retry.attempts ?? 3);
  const sleep = retry.sleep ?? sleepWithSignal;
  const log = config.log ?? silentLog;

  for (let attempt = 1; ; attempt++) {
    try {
      return await postTokenRequest(config, 'refresh_token', form, request.requestedScopes, signal);
    } catch (error) {
      if (attempt >= attempts || !isSafeToRetry(error)) {
        throw error;
      }
      const delay = (retry.baseDelayMs ?? 1000) * 2 ** (attempt - 1);
      log.warn(`[token] refresh failed (${(error as Error).message}); retrying in ${delay} ms (try ${attempt + 1} of ${attempts})`);
      try {
        await sleep(delay, signal);
      } catch (sleepError) {
        if (signal?.aborted) {
          throw new RequestAbortedError(originOf(config.tokenUrl), undefined);
        }
        throw sleepError;
      }
    }
  }
}

/** Returns whether a failed refresh certainly did not reach the server's token logic. */
function isSafeToRetry(error: unknown): boolean {
  if (!(error instanceof TokenEndpointUnavailableError)) {
    return false;
  }
  if (error.reason === 'network') {
    return error.code !== undefined && NOT_SENT_CODES.has(error.code);
  }
  return error.reason === 'status' && (error.status === 429 || error.status === 503 || error.code === 'temporarily_unavailable');
}

async function postTokenRequest(
  config: TokenEndpointConfig,
  grantType: string,
  form: URLSearchParams,
  requestedScopes: readonly string[],
  signal: AbortSignal | undefined,
): Promise<TokenSet> {
  const url = validateEndpointUrl('tokenUrl', config.tokenUrl);
  validateClientId(config.clientId);
  const host = url.origin;
  const clock = config.clock ?? systemClock;
  const log = config.log ?? silentLog;
  const timeoutMs = config.timeoutMs ?? DEFAULT_TOKEN_TIMEOUT_MS;

  if (signal?.aborted) {
    throw new RequestAbortedError(host, undefined);
  }
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  timer.unref();
  const onAbort = (): void => controller.abort();
  signal?.addEventListener('abort', onAbort, { once: true });

  const dispatcher = config.dispatcher ?? getSharedAgent();
  const started = clock.now();
  try {
    const response = await exchange({
      origin: host,
      method: 'POST',
      path: url.pathname + url.search,
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: form.toString(),
      signal: controller.signal,
      dispatcher,
      maxBodyBytes: MAX_TOKEN_RESPONSE_BYTES,
    });
    const receivedAt = clock.now();
    log.info(`[token] POST ${host}${url.pathname} grant_type=${grantType}: HTTP ${response.status} in ${receivedAt - started} ms`);
    return parseTokenResponse({ host, requestedScopes, receivedAt }, response.status, response.headers.get('content-type'), response.body);
  } catch (error) {
    if (signal?.aborted) {
      throw new RequestAbortedError(host, undefined);
    }
    if (timedOut) {
      log.warn(`[token] POST ${host}${url.pathname} grant_type=${grantType}: timed out after ${timeoutMs} ms`);
      throw new TokenEndpointUnavailableError(host, 'timeout', undefined, undefined, `no response within ${timeoutMs} ms`);
    }
    // Proxy and certificate failures are not retried (see `isSafeToRetry`): another try fails the same way.
    const networkFailure = describeTokenNetworkFailure(dispatcher, host, error);
    if (networkFailure) {
      log.warn(`[token] POST ${host}${url.pathname} grant_type=${grantType}: ${networkFailure.name} ${networkFailure.message}`);
      throw networkFailure;
    }
    if (error instanceof TransportFailure) {
      log.warn(`[token] POST ${host}${url.pathname} grant_type=${grantType}: network error ${error.code ?? 'unknown'}`);
      throw new TokenEndpointUnavailableError(host, 'network', undefined, error.code, undefined, { cause: error });
    }
    if (error instanceof BodyTooLargeError) {
      throw new TokenResponseError(host, error.status, error.headers.get('content-type'), '', `the response exceeded ${error.maxBytes} bytes`);
    }
    throw error;
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
  }
}

/**
 * Returns the {@link ProxyError} or {@link CertificateError} that a failed token request stands for. The
 * module is loaded on the first failure because it loads undici, which activation must not load.
 */
function describeTokenNetworkFailure(dispatcher: Dispatcher, host: string, error: unknown): ProxyError | CertificateError | undefined {
  const { describeNetworkFailure } = require('../api/network/failures') as typeof import('../api/network/failures');
  return describeNetworkFailure(dispatcher, { host, operation: undefined }, error);
}

/** Waits `ms` milliseconds; rejects with the signal's reason when it aborts first. */
function sleepWithSignal(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
