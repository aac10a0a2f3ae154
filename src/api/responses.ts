/**
 * Turns an HTTP response into a value or a typed error: strict UTF-8 decoding, JSON parsing, and the
 * mapping of error statuses to the classes of `errors.ts`.
 */
import { parseBearerChallenge } from './challenge';
import {
  AuthenticationError,
  type DataStackError,
  InvalidParameterError,
  InvalidResponseError,
  InvalidStateError,
  MissingScopeError,
  NotFoundError,
  RateLimitedError,
  RedirectError,
  ServerError,
} from './errors';
import type { HttpResponse } from './http';
import { type OperationId, type Scope, isScope, scopeOf } from './operations';
import { redactSecrets } from './redact';
import { parseRetryAfter } from './retry';

/** The maximum length of the body excerpt an error carries, in characters. */
export const EXCERPT_LENGTH = 200;

/** The host and operation of a response, for error construction. */
export interface ResponseContext {
  readonly host: string;
  readonly operation: OperationId;
}

/** A response with its body decoded as strict UTF-8. */
export interface DecodedResponse {
  readonly status: number;
  readonly headers: ReadonlyMap<string, string>;
  readonly contentType: string | undefined;
  /** The body text, or undefined when it is not valid UTF-8. */
  readonly text: string | undefined;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

export function decodeResponse(response: HttpResponse): DecodedResponse {
  let text: string | undefined;
  try {
    text = strictUtf8.decode(response.body);
  } catch {
    text = undefined;
  }
  return {
    status: response.status,
    headers: response.headers,
    contentType: response.headers.get('content-type'),
    text,
  };
}

/** Returns the first {@link EXCERPT_LENGTH} characters of a body with token-like values removed. */
export function excerptOf(text: string | undefined): string {
  if (text === undefined) {
    return '';
  }
  // Redact before cutting as well as after, so a token cut in half at the limit is still caught.
  return redactSecrets(redactSecrets(text.slice(0, EXCERPT_LENGTH * 2)).slice(0, EXCERPT_LENGTH));
}

/** Builds an {@link InvalidResponseError} for a decoded response. */
export function invalidResponse(
  context: ResponseContext,
  response: Pick<DecodedResponse, 'status' | 'contentType' | 'text'>,
  problem: string,
): InvalidResponseError {
  return new InvalidResponseError(
    context.host,
    context.operation,
    response.status,
    response.contentType,
    excerptOf(response.text),
    problem,
  );
}

/** Returns whether a `Content-Type` value names JSON (`application/json` or a `+json` type). */
export function isJsonContentType(contentType: string | undefined): boolean {
  if (contentType === undefined) {
    return false;
  }
  // The type the API sends on every JSON response, checked before the general parse below.
  if (contentType === 'application/json' || contentType === 'application/json; charset=utf-8') {
    return true;
  }
  const mediaType = (contentType.split(';')[0] as string).trim().toLowerCase();
  return mediaType === 'application/json' || /^application\/[a-z0-9.+-]+\+json$/.test(mediaType);
}

/**
 * Parses the JSON body of a successful response. An empty body is `undefined`.
 *
 * @throws {InvalidResponseError} when the body is not UTF-8, not labelled as JSON or not valid JSON.
 */
export function parseSuccessBody(context: ResponseContext, response: DecodedResponse): unknown {
  if (response.text === undefined) {
    throw invalidResponse(context, response, 'the response body is not valid UTF-8');
  }
  if (response.text.trim() === '') {
    return undefined;
  }
  if (!isJsonContentType(response.contentType)) {
    throw invalidResponse(
      context,
      response,
      `the response is not JSON (content type ${response.contentType ?? 'missing'})`,
    );
  }
  try {
    return JSON.parse(response.text) as unknown;
  } catch (error) {
    const detail = error instanceof SyntaxError ? `: ${redactSecrets(error.message)}` : '';
    throw invalidResponse(context, response, `the response body is not valid JSON${detail}`);
  }
}

/** The `{error_code, message, required_scope}` members of an error body, when it has them. */
interface ErrorBody {
  readonly errorCode?: string;
  readonly message?: string;
  readonly requiredScope?: string;
}

function readErrorBody(response: DecodedResponse): ErrorBody {
  if (response.text === undefined || response.text.trim() === '') {
    return {};
  }
  let value: unknown;
  try {
    value = JSON.parse(response.text);
  } catch {
    return {};
  }
  if (typeof value !== 'object' || value === null) {
    return {};
  }
  const record = value as Record<string, unknown>;
  const pick = (key: string): string | undefined => {
    const member = record[key];
    return typeof member === 'string' && member !== '' ? member : undefined;
  };
  const errorCode = pick('error_code');
  const message = pick('message');
  const requiredScope = pick('required_scope');
  return {
    ...(errorCode !== undefined ? { errorCode } : {}),
    ...(message !== undefined ? { message: redactSecrets(message) } : {}),
    ...(requiredScope !== undefined ? { requiredScope } : {}),
  };
}

/**
 * Returns the scope a 403 names, accepting only scopes listed in `SCOPES`. It tries the body's
 * `required_scope`, then the challenge's `scope` (a space-separated list, where the operation's own scope
 * wins), then the scope of the operation. Other server text never reaches a message or a button.
 */
function requiredScopeOf(operation: OperationId, bodyScope: string | undefined, challengeScope: string | undefined): Scope {
  if (isScope(bodyScope)) {
    return bodyScope;
  }
  const operationScope = scopeOf(operation);
  const challenged = (challengeScope ?? '').split(' ').filter(isScope);
  if (challenged.includes(operationScope)) {
    return operationScope;
  }
  return challenged[0] ?? operationScope;
}

/**
 * Returns the origin a `Location` header points to, resolved against `host` when it is relative. Only the
 * origin is kept, because the path or query of a redirect target may carry secrets.
 */
function redirectOrigin(location: string | undefined, host: string): string | undefined {
  if (location === undefined || location.trim() === '') {
    return undefined;
  }
  let target: URL;
  try {
    target = new URL(location.trim(), host);
  } catch {
    return undefined;
  }
  return target.origin === 'null' ? undefined : redactSecrets(target.origin);
}

/**
 * Maps a response with a status outside 2xx to the error the caller raises.
 * `retryDelayMs` is the delay the 429 carried or the client computed, for {@link RateLimitedError}.
 */
export function errorForStatus(
  context: ResponseContext,
  response: DecodedResponse,
  retryDelayMs?: number,
): DataStackError {
  const { host, operation } = context;
  const body = readErrorBody(response);
  const status = response.status;

  switch (status) {
    case 400:
      return new InvalidParameterError(host, operation, body.message);
    case 401:
      return new AuthenticationError(
        host,
        operation,
        parseBearerChallenge(response.headers.get('www-authenticate')),
        body.message,
      );
    case 403: {
      const challenge = parseBearerChallenge(response.headers.get('www-authenticate'));
      return new MissingScopeError(host, operation, requiredScopeOf(operation, body.requiredScope, challenge.scope), body.message);
    }
    case 404:
      return new NotFoundError(host, operation, body.message);
    case 409:
      return new InvalidStateError(host, operation, body.message);
    case 429:
      return new RateLimitedError(
        host,
        operation,
        retryDelayMs ?? parseRetryAfter(response.headers.get('retry-after')) ?? 0,
      );
    default:
      if (status >= 300 && status <= 399) {
        return new RedirectError(host, operation, status, redirectOrigin(response.headers.get('location'), host));
      }
      if (status >= 500 && status <= 599) {
        return new ServerError(host, operation, status, body.message);
      }
      return invalidResponse(context, response, `unexpected HTTP status ${status}`);
  }
}
