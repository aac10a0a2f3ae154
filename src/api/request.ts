/**
 * The request loop of the client: token, headers, per-try timeout, cancellation, retries of GETs, the one
 * retry after a refreshed token, error mapping and one log line per HTTP exchange.
 */
import type { Dispatcher } from 'undici';
import {
  AuthenticationError,
  type DataStackError,
  InvalidParameterError,
  InvalidResponseError,
  NetworkError,
  RequestAbortedError,
  TimeoutError,
} from './errors';
import { BodyTooLargeError, type HttpResponse, TransportFailure, exchange } from './http';
import type { ClientLogger } from './logger';
import { OPERATIONS, SCOPE_HEADER, type OperationId, buildPath, scopeOf } from './operations';
import {
  type DecodedResponse,
  type ResponseContext,
  decodeResponse,
  errorForStatus,
  parseSuccessBody,
} from './responses';
import {
  MAX_ATTEMPTS,
  MAX_RETRY_DELAY_MS,
  MAX_TOTAL_RETRY_DELAY_MS,
  RETRYABLE_NETWORK_CODES,
  RETRYABLE_STATUSES,
  backoffDelay,
  parseRetryAfter,
} from './retry';

export { SCOPE_HEADER };

/** Query parameters whose values may appear in log lines; other values are left out. */
const LOGGABLE_QUERY_PARAMETERS: ReadonlySet<string> = new Set(['path', 'format', 'limit']);

export type QueryValue = string | number | boolean | undefined;

/** The parts of one API call. */
export interface CallOptions {
  /** Path parameters, e.g. `{ cluster_id: '0101-...' }`. */
  readonly params?: Readonly<Record<string, string>>;
  /** Query parameters; `undefined` values are left out. */
  readonly query?: Readonly<Record<string, QueryValue>>;
  /** A JSON request body (POST only). */
  readonly body?: unknown;
  readonly signal?: AbortSignal;
}

/** Everything the request loop needs from the client's options. */
export interface RequestSettings {
  readonly host: string;
  readonly getToken: (signal: AbortSignal) => Promise<string>;
  readonly timeoutMs: number;
  readonly userAgent: string;
  readonly dispatcher: Dispatcher;
  readonly maxBodyBytes: number;
  readonly log: ClientLogger;
  readonly onAuthenticationFailure:
    | ((error: AuthenticationError, signal: AbortSignal) => Promise<string | undefined>)
    | undefined;
  readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  readonly random: () => number;
}

/** A successful response: its parsed JSON body (undefined when empty) and what error reports need. */
export interface CallResult {
  readonly value: unknown;
  readonly response: DecodedResponse;
}

/**
 * Runs one API call to completion and returns its parsed body.
 *
 * @throws {DataStackError} the typed error of the last try; {@link RequestAbortedError} when `signal` aborts.
 */
export async function performCall(
  settings: RequestSettings,
  operation: OperationId,
  options: CallOptions = {},
): Promise<CallResult> {
  // The caller's signal, if any. Without one the call has a signal of its own, which gives the token
  // getter a per-call key but never aborts, so nothing needs to listen to it.
  const cancel = options.signal;
  const signal = cancel ?? new AbortController().signal;
  const context: ResponseContext = { host: settings.host, operation };
  const spec = OPERATIONS[operation];
  checkPathParameters(context, options.params);
  const path = buildPath(operation, options.params) + queryString(options.query);
  const body = spec.method === 'POST' ? JSON.stringify(options.body ?? {}) : undefined;
  const label = `${spec.method} ${loggablePath(path)}`;

  let attempt = 0;
  let waitedMs = 0;
  let refreshedToken: string | undefined;
  for (;;) {
    attempt++;
    throwIfAborted(signal, context);
    const token = refreshedToken ?? (await abortable(settings.getToken(signal), cancel, context));
    const outcome = await tryOnce(settings, context, { path, body, token, cancel, label });

    if (outcome.kind === 'response' && outcome.response.status >= 200 && outcome.response.status <= 299) {
      return { value: parseSuccessBody(context, outcome.response), response: outcome.response };
    }

    const retryDelay =
      spec.method === 'GET' && attempt < MAX_ATTEMPTS ? retryDelayFor(settings, outcome, { attempt, waitedMs, label }) : undefined;
    const error = outcome.kind === 'response' ? errorForStatus(context, outcome.response, retryDelay) : outcome.error;

    if (error instanceof AuthenticationError && refreshedToken === undefined && settings.onAuthenticationFailure) {
      // A 401 means the server did not act on the request, so even a POST may be sent once more.
      refreshedToken = await abortable(settings.onAuthenticationFailure(error, signal), cancel, context);
      if (refreshedToken !== undefined) {
        settings.log.info(`${label}: retrying once with a refreshed token after HTTP 401`);
        attempt--;
        continue;
      }
      throw error;
    }
    if (retryDelay === undefined) {
      throw error;
    }
    settings.log.warn(
      `${label}: ${describeOutcome(outcome)}; retrying in ${retryDelay} ms (try ${attempt + 1} of ${MAX_ATTEMPTS})`,
    );
    waitedMs += retryDelay;
    await abortable(settings.sleep(retryDelay, signal), cancel, context);
  }
}

type TryOutcome =
  | { readonly kind: 'response'; readonly response: DecodedResponse }
  | { readonly kind: 'failure'; readonly error: DataStackError; readonly retryable: boolean };

interface TryInput {
  readonly path: string;
  readonly body: string | undefined;
  readonly token: string;
  /** The caller's signal; undefined when the call cannot be cancelled. */
  readonly cancel: AbortSignal | undefined;
  readonly label: string;
}

/** Sends one HTTP exchange under the per-try timeout and logs it. */
async function tryOnce(settings: RequestSettings, context: ResponseContext, input: TryInput): Promise<TryOutcome> {
  const spec = OPERATIONS[context.operation];
  const scope = scopeOf(context.operation);
  const deadline = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    deadline.abort(new Error('request timed out'));
  }, settings.timeoutMs);
  const cancel = input.cancel;
  const forwardAbort = (): void => deadline.abort(cancel?.reason);
  cancel?.addEventListener('abort', forwardAbort, { once: true });

  const started = performance.now();
  const elapsed = (): number => Math.round(performance.now() - started);
  let response: HttpResponse;
  try {
    response = await exchange({
      origin: settings.host,
      method: spec.method,
      path: input.path,
      headers: requestHeaders(settings, input, scope),
      ...(input.body !== undefined ? { body: input.body } : {}),
      signal: deadline.signal,
      dispatcher: settings.dispatcher,
      maxBodyBytes: settings.maxBodyBytes,
    });
  } catch (error) {
    const failure = classifyFailure(settings, context, error, cancel?.aborted === true, timedOut);
    if (failure.error instanceof RequestAbortedError) {
      settings.log.info(`${input.label} cancelled after ${elapsed()} ms [scope ${scope}]`);
      throw failure.error;
    }
    settings.log.warn(`${input.label} failed after ${elapsed()} ms: ${failure.error.message} [scope ${scope}]`);
    return failure;
  } finally {
    clearTimeout(timer);
    cancel?.removeEventListener('abort', forwardAbort);
  }

  const requestId = response.headers.get('x-request-id');
  settings.log.info(
    `${input.label} ${response.status} [scope ${scope}] ${elapsed()} ms${requestId ? ` request-id ${requestId}` : ''}`,
  );
  return { kind: 'response', response: decodeResponse(response) };
}

function requestHeaders(settings: RequestSettings, input: TryInput, scope: string): Record<string, string> {
  return {
    authorization: `Bearer ${input.token}`,
    [SCOPE_HEADER]: scope,
    accept: 'application/json',
    'user-agent': settings.userAgent,
    ...(input.body !== undefined ? { 'content-type': 'application/json' } : {}),
  };
}

/** Turns an exception of one exchange into the typed error it stands for. */
function classifyFailure(
  settings: RequestSettings,
  context: ResponseContext,
  error: unknown,
  cancelled: boolean,
  timedOut: boolean,
): Extract<TryOutcome, { kind: 'failure' }> {
  const { host, operation } = context;
  if (cancelled) {
    return { kind: 'failure', error: new RequestAbortedError(host, operation), retryable: false };
  }
  if (timedOut) {
    return { kind: 'failure', error: new TimeoutError(host, operation, settings.timeoutMs), retryable: false };
  }
  if (error instanceof BodyTooLargeError) {
    const problem = `the response exceeded ${Math.round(error.maxBytes / (1024 * 1024))} MB`;
    const invalid = new InvalidResponseError(host, operation, error.status, error.headers.get('content-type'), '', problem);
    return { kind: 'failure', error: invalid, retryable: false };
  }
  // Proxy and certificate failures are not retried: another try fails the same way.
  // Loaded on the first failure: the module loads the proxy dispatcher and with it undici, which
  // activation must not load.
  const { describeNetworkFailure } = require('./network/failures') as typeof import('./network/failures');
  const networkFailure = describeNetworkFailure(settings.dispatcher, context, error);
  if (networkFailure) {
    return { kind: 'failure', error: networkFailure, retryable: false };
  }
  if (error instanceof TransportFailure) {
    const retryable = error.phase === 'request' && error.code !== undefined && RETRYABLE_NETWORK_CODES.has(error.code);
    return { kind: 'failure', error: new NetworkError(host, operation, error.code, { cause: error }), retryable };
  }
  return { kind: 'failure', error: new NetworkError(host, operation, undefined, { cause: error }), retryable: false };
}

/** The state of the request loop that a retry decision depends on. */
interface RetryState {
  /** The 1-based number of the try that just failed. */
  readonly attempt: number;
  /** The time already spent waiting between earlier tries, in milliseconds. */
  readonly waitedMs: number;
  readonly label: string;
}

/**
 * Returns how long to wait before the next try, or undefined when the outcome is not retryable, when
 * `Retry-After` requests more than {@link MAX_RETRY_DELAY_MS}, or when the wait would take the total
 * past {@link MAX_TOTAL_RETRY_DELAY_MS}.
 */
function retryDelayFor(settings: RequestSettings, outcome: TryOutcome, state: RetryState): number | undefined {
  let delayMs: number;
  if (outcome.kind === 'failure') {
    if (!outcome.retryable) {
      return undefined;
    }
    delayMs = backoffDelay(state.attempt, settings.random);
  } else {
    if (!RETRYABLE_STATUSES.has(outcome.response.status)) {
      return undefined;
    }
    const requestedMs = parseRetryAfter(outcome.response.headers.get('retry-after'));
    if (requestedMs !== undefined && requestedMs > MAX_RETRY_DELAY_MS) {
      settings.log.warn(
        `${state.label}: ${describeOutcome(outcome)} requests a wait of ${requestedMs} ms, more than ${MAX_RETRY_DELAY_MS} ms; not retrying`,
      );
      return undefined;
    }
    delayMs = requestedMs ?? backoffDelay(state.attempt, settings.random);
  }
  if (state.waitedMs + delayMs > MAX_TOTAL_RETRY_DELAY_MS) {
    settings.log.warn(
      `${state.label}: ${describeOutcome(outcome)}; not retrying, because waiting ${delayMs} ms more would exceed ${MAX_TOTAL_RETRY_DELAY_MS} ms in total`,
    );
    return undefined;
  }
  return delayMs;
}

function describeOutcome(outcome: TryOutcome): string {
  if (outcome.kind === 'response') {
    return `HTTP ${outcome.response.status}`;
  }
  return outcome.error instanceof NetworkError ? `network error ${outcome.error.code ?? 'unknown'}` : outcome.error.name;
}

function throwIfAborted(signal: AbortSignal, context: ResponseContext): void {
  if (signal.aborted) {
    throw new RequestAbortedError(context.host, context.operation);
  }
}

/**
 * Settles like `promise`, but with {@link RequestAbortedError} as soon as `signal` aborts, even when the
 * promise itself ignores the signal (a test's sleep seam or a token getter). Without a signal it returns
 * `promise` itself.
 */
function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined, context: ResponseContext): Promise<T> {
  if (signal === undefined) {
    return promise;
  }
  return new Promise<T>((resolve, reject) => {
    const aborted = (): RequestAbortedError => new RequestAbortedError(context.host, context.operation);
    const onAbort = (): void => reject(aborted());
    if (signal.aborted) {
      onAbort();
    } else {
      signal.addEventListener('abort', onAbort, { once: true });
    }
    // Both handlers also keep a promise that loses to the abort from becoming an unhandled rejection.
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(signal.aborted ? aborted() : error);
      },
    );
  });
}

/**
 * Rejects `.` and `..` as path parameters: URL parsing would resolve them (encoded or not) and send the
 * request to another path.
 */
function checkPathParameters(context: ResponseContext, params: CallOptions['params']): void {
  if (params === undefined) {
    return;
  }
  for (const [name, value] of Object.entries(params)) {
    if (/^(\.|%2e){1,2}$/i.test(value)) {
      throw new InvalidParameterError(context.host, context.operation, `the path parameter ${name} must not be "${value}"`);
    }
  }
}

function queryString(query: CallOptions['query']): string {
  if (query === undefined) {
    return '';
  }
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined) {
      search.append(name, String(value));
    }
  }
  const text = search.toString();
  return text === '' ? '' : `?${text}`;
}

/** Returns a request path for logs: query values outside {@link LOGGABLE_QUERY_PARAMETERS} become `…`. */
export function loggablePath(path: string): string {
  const [pathname, search] = path.split('?', 2) as [string, string | undefined];
  if (search === undefined) {
    return pathname;
  }
  const parts = [...new URLSearchParams(search)].map(([name, value]) =>
    LOGGABLE_QUERY_PARAMETERS.has(name) ? `${name}=${value}` : `${name}=…`,
  );
  return `${pathname}?${parts.join('&')}`;
}
