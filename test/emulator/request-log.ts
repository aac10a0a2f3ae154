/**
 * The log of requests the emulator received. It stores no credential: no `Authorization` header, and the
 * values of secret query and form parameters are replaced by `[redacted]`.
 */

/** Query and form parameters whose values are never logged. */
export const SECRET_PARAMETERS: readonly string[] = [
  'code',
  'state',
  'code_verifier',
  'refresh_token',
  'access_token',
  'token',
  'request_id',
];

export interface RequestLogEntry {
  /** ISO 8601 time the request arrived, from the emulator's clock. */
  time: string;
  method: string;
  /** The path without the query string. */
  path: string;
  /** Query parameters, with secret values redacted. */
  query: Record<string, string>;
  /** The `x-datastack-scope` header, or `null` when absent. */
  scope: string | null;
  /** Whether an `Authorization` header was present; its value is never logged. */
  hasAuthorization: boolean;
  userAgent: string | null;
  /** The matched API operation id, e.g. `listClusters`, or `null`. */
  operation: string | null;
  /** For `POST /oauth2/token`, the `grant_type` form value. */
  grantType: string | null;
  /** Response status, or `null` when the connection was dropped on purpose. */
  status: number | null;
  /** The kind of injected fault that handled the request, or `null`. */
  fault: string | null;
  /** The `x-request-id` response header. */
  requestId: string;
}

export function redactParameters(parameters: URLSearchParams): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [key, value] of parameters) {
    result[key] = SECRET_PARAMETERS.includes(key) ? '[redacted]' : value;
  }
  return result;
}

/** The request log, bounded so that a long benchmark cannot exhaust memory. */
export class RequestLog {
  /** Entries beyond this count drop the oldest ones. */
  static readonly MAX_ENTRIES = 50_000;

  readonly entries: RequestLogEntry[] = [];

  add(entry: RequestLogEntry): void {
    this.entries.push(entry);
    if (this.entries.length > RequestLog.MAX_ENTRIES) {
      this.entries.splice(0, this.entries.length - RequestLog.MAX_ENTRIES);
    }
  }

  clear(): void {
    this.entries.length = 0;
  }
}
