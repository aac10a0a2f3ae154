/**
 * Response values and body parsing shared by the emulator's routes. Routes return an
 * {@link EmulatorResponse} instead of writing to the socket, so fault injection can alter or cut it.
 */
import type { IncomingMessage } from 'node:http';

export interface EmulatorResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** The largest request body the emulator reads; a bigger one is rejected with 400. */
export const MAX_BODY_BYTES = 1_048_576;

export function jsonResponse(status: number, value: unknown, headers: Record<string, string> = {}): EmulatorResponse {
  return {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
    body: JSON.stringify(value),
  };
}

export function htmlResponse(status: number, html: string, headers: Record<string, string> = {}): EmulatorResponse {
  return { status, headers: { 'content-type': 'text/html; charset=utf-8', ...headers }, body: html };
}

export function redirectResponse(location: string): EmulatorResponse {
  return { status: 302, headers: { location, 'cache-control': 'no-store' }, body: '' };
}

/** The API error codes of the contract. */
export type ApiErrorCode =
  | 'UNAUTHENTICATED'
  | 'PERMISSION_DENIED'
  | 'NOT_FOUND'
  | 'INVALID_STATE'
  | 'INVALID_PARAMETER_VALUE'
  | 'RATE_LIMITED'
  | 'INTERNAL_ERROR';

const STATUS_OF: Record<ApiErrorCode, number> = {
  UNAUTHENTICATED: 401,
  PERMISSION_DENIED: 403,
  NOT_FOUND: 404,
  INVALID_STATE: 409,
  INVALID_PARAMETER_VALUE: 400,
  RATE_LIMITED: 429,
  INTERNAL_ERROR: 500,
};

/** An error a route throws; the server turns it into the contract's `{error_code, message}` body. */
export class ApiError extends Error {
  constructor(
    readonly errorCode: ApiErrorCode,
    message: string,
    readonly extraBody: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
    readonly status: number = STATUS_OF[errorCode],
  ) {
    super(message);
    this.name = 'ApiError';
  }

  toResponse(): EmulatorResponse {
    return jsonResponse(this.status, { error_code: this.errorCode, message: this.message, ...this.extraBody }, this.headers);
  }
}

export function invalidParameter(message: string): ApiError {
  return new ApiError('INVALID_PARAMETER_VALUE', message);
}

export function notFound(message: string): ApiError {
  return new ApiError('NOT_FOUND', message);
}

export function invalidState(message: string): ApiError {
  return new ApiError('INVALID_STATE', message);
}

/** Reads the whole request body as text; throws an {@link ApiError} when it exceeds {@link MAX_BODY_BYTES}. */
export async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY_BYTES) {
      throw invalidParameter(`The request body is larger than ${MAX_BODY_BYTES} bytes.`);
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Parses a JSON object body; an empty body is `{}`. Throws 400 for anything that is not a JSON object. */
export function parseJsonObject(text: string): Record<string, unknown> {
  if (text.trim() === '') {
    return {};
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw invalidParameter('The request body is not valid JSON.');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalidParameter('The request body must be a JSON object.');
  }
  return value as Record<string, unknown>;
}

/** Escapes text for HTML element content and double-quoted attribute values. */
export function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}
