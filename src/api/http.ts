/**
 * One HTTP exchange over undici: sends a request and reads the whole response body as bytes, with a size
 * cap. Timeouts, retries and error mapping are the caller's job (see `request.ts`).
 */
import type { Agent, Dispatcher } from 'undici';
import type { HttpMethod } from './operations';

/**
 * Loads undici on first use. It is most of the extension's code (a separate bundle, dist/undici.js, in
 * the build), and activation sends no request, so it must not load at activation.
 */
function undici(): typeof import('undici') {
  return require('undici') as typeof import('undici');
}

/** The largest response body the client reads: 10 MB. */
export const MAX_RESPONSE_BYTES = 10 * 1024 * 1024;

let sharedAgent: Agent | undefined;

/** Returns the process-wide keep-alive agent, creating it on first use. */
export function getSharedAgent(): Agent {
  sharedAgent ??= new (undici().Agent)({ keepAliveTimeout: 10_000, keepAliveMaxTimeout: 60_000 });
  return sharedAgent;
}

/** Closes the shared agent and its idle connections; the next request creates a new one. */
export async function closeSharedAgent(): Promise<void> {
  const agent = sharedAgent;
  sharedAgent = undefined;
  await agent?.close();
}

export interface HttpRequest {
  /** A normalized origin such as `https://api.datastack.cloud`. */
  readonly origin: string;
  readonly method: HttpMethod;
  /** The path with its query string. */
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
  readonly signal: AbortSignal;
  readonly dispatcher: Dispatcher;
  readonly maxBodyBytes: number;
}

export interface HttpResponse {
  readonly status: number;
  /** Response headers with lowercase names; a repeated header keeps its values joined by `, `. */
  readonly headers: ReadonlyMap<string, string>;
  readonly body: Buffer;
}

/** The stage at which an exchange failed without a usable response. */
export type TransportPhase = 'request' | 'body';

/**
 * The exchange failed below HTTP: the connection was refused, reset or dropped, or the name did not resolve.
 * `phase` records whether any response header had arrived, because only failures before a response are retried.
 */
export class TransportFailure extends Error {
  constructor(
    readonly phase: TransportPhase,
    /** The system or undici error code, e.g. `ECONNREFUSED` or `UND_ERR_SOCKET`. */
    readonly code: string | undefined,
    options: { cause: unknown },
  ) {
    super(`HTTP exchange failed during the ${phase}${code ? ` (${code})` : ''}`, options);
    this.name = 'TransportFailure';
  }
}

/** The response body was larger than the cap; the body stream has been destroyed. */
export class BodyTooLargeError extends Error {
  constructor(
    readonly status: number,
    readonly headers: ReadonlyMap<string, string>,
    readonly maxBytes: number,
  ) {
    super(`The response body exceeded ${maxBytes} bytes`);
    this.name = 'BodyTooLargeError';
  }
}

/**
 * Sends one request and reads the response body.
 *
 * @throws {TransportFailure} when the exchange fails at the socket level.
 * @throws {BodyTooLargeError} when the body exceeds `maxBodyBytes`.
 * Rejects with whatever undici raises when `signal` aborts; the caller checks its own signals.
 */
export async function exchange(input: HttpRequest): Promise<HttpResponse> {
  let response: Dispatcher.ResponseData;
  try {
    response = await undici().request(new URL(input.path, input.origin), {
      method: input.method,
      headers: input.headers,
      body: input.body ?? null,
      signal: input.signal,
      dispatcher: input.dispatcher,
    });
  } catch (error) {
    throw toTransportFailure('request', error, input.signal);
  }

  const headers = flattenHeaders(response.headers);
  const declaredLength = Number(headers.get('content-length'));
  if (Number.isFinite(declaredLength) && declaredLength > input.maxBodyBytes) {
    response.body.destroy();
    throw new BodyTooLargeError(response.statusCode, headers, input.maxBodyBytes);
  }

  let body: Buffer;
  try {
    body = await readBody(response.body, input.maxBodyBytes);
  } catch (error) {
    if (error === BODY_TOO_LARGE) {
      throw new BodyTooLargeError(response.statusCode, headers, input.maxBodyBytes);
    }
    throw toTransportFailure('body', error, input.signal);
  }
  return { status: response.statusCode, headers, body };
}

/** The rejection reason of {@link readBody} when the body exceeds its cap. */
const BODY_TOO_LARGE = Symbol('body too large');

/**
 * Reads a response body into one buffer, copying the chunks once at the end. Past `maxBytes` it destroys
 * the stream and rejects with {@link BODY_TOO_LARGE}. It listens for stream events rather than iterating
 * with `for await`, which costs a promise per chunk and an iterator per response.
 */
function readBody(stream: Dispatcher.ResponseData['body'], maxBytes: number): Promise<Buffer> {
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const stop = (): void => {
      stream.off('data', onData);
      stream.off('end', onEnd);
      stream.off('error', onError);
      stream.off('close', onClose);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > maxBytes) {
        stop();
        // undici's body stream emits an AbortError when destroyed, which is expected here.
        stream.on('error', () => undefined);
        stream.destroy();
        reject(BODY_TOO_LARGE);
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => {
      stop();
      resolve(Buffer.concat(chunks, size));
    };
    const onError = (error: unknown): void => {
      stop();
      reject(error);
    };
    // A stream destroyed without an error (its 'close' before 'end') ends the body early.
    const onClose = (): void => {
      stop();
      reject(Object.assign(new Error('the response body stream closed before the body ended'), { code: 'ERR_STREAM_PREMATURE_CLOSE' }));
    };
    stream.on('data', onData);
    stream.once('end', onEnd);
    stream.once('error', onError);
    stream.once('close', onClose);
  });
}

/** Wraps a socket-level error; an error caused by the abort signal passes through unchanged. */
function toTransportFailure(phase: TransportPhase, error: unknown, signal: AbortSignal): unknown {
  if (signal.aborted) {
    return error;
  }
  return new TransportFailure(phase, findErrorCode(error), { cause: error });
}

/**
 * Returns the most specific error code in an error's cause chain. A system code (`ECONNRESET`) wins over
 * undici's wrapper code (`UND_ERR_SOCKET`) because it names the cause.
 */
export function findErrorCode(error: unknown): string | undefined {
  let fallback: string | undefined;
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') {
      if (/^E[A-Z]+$/.test(code)) {
        return code;
      }
      fallback ??= code;
    }
    current = (current as { cause?: unknown }).cause;
  }
  return fallback;
}

function flattenHeaders(headers: Record<string, string | string[] | undefined>): Map<string, string> {
  const result = new Map<string, string>();
  for (const name in headers) {
    const value = headers[name];
    if (value !== undefined) {
      result.set(name.toLowerCase(), Array.isArray(value) ? value.join(', ') : value);
    }
  }
  return result;
}
