/**
 * Queued faults. Each fault matches requests by optional method and path prefix and applies to the
 * next `count` of them (default 1); the first matching fault in queue order wins.
 * Requests under `/_emulator/` are never faulted.
 */

export type FaultAction =
  /** Delays the request, then handles it normally. */
  | { kind: 'latency'; ms: number }
  /** 429 `RATE_LIMITED` with `Retry-After: <retryAfterSeconds>`. */
  | { kind: 'rate-limit'; retryAfterSeconds: number }
  /** A 5xx status with the `INTERNAL_ERROR` body. */
  | { kind: 'server-error'; status: number }
  /** 200 with `Content-Type: application/json` and a body that is not JSON. */
  | { kind: 'malformed-json' }
  /** The real response with its body cut in half (Content-Length matches the cut body). */
  | { kind: 'truncated-json' }
  /** Destroys the socket without a response. */
  | { kind: 'drop' }
  /** An HTML page, as a proxy or captive portal would send, with `status` (default 502). */
  | { kind: 'html'; status?: number }
  /** An RFC 6749 error body `{error, error_description}` with `status` (default 400). */
  | { kind: 'oauth-error'; error: string; status?: number };

export interface FaultMatch {
  /** HTTP method, e.g. `GET`; absent matches every method. */
  method?: string;
  /** Path prefix, e.g. `/v1/clusters`; absent matches every path. */
  path?: string;
  /** How many matching requests the fault applies to; default 1. */
  count?: number;
}

export type FaultSpec = FaultAction & FaultMatch;

interface QueuedFault {
  spec: FaultSpec;
  remaining: number;
}

export class FaultQueue {
  private queue: QueuedFault[] = [];

  add(spec: FaultSpec): void {
    this.queue.push({ spec, remaining: spec.count ?? 1 });
  }

  /** Removes one use of the first fault matching the request and returns it. */
  take(method: string, pathname: string): FaultAction | undefined {
    const index = this.queue.findIndex(
      ({ spec }) =>
        (spec.method === undefined || spec.method.toUpperCase() === method) &&
        (spec.path === undefined || pathname.startsWith(spec.path)),
    );
    const entry = this.queue[index];
    if (entry === undefined) {
      return undefined;
    }
    entry.remaining--;
    if (entry.remaining <= 0) {
      this.queue.splice(index, 1);
    }
    return entry.spec;
  }

  clear(): void {
    this.queue = [];
  }

  list(): { spec: FaultSpec; remaining: number }[] {
    return this.queue.map(({ spec, remaining }) => ({ spec, remaining }));
  }
}

const FAULT_KINDS = [
  'latency',
  'rate-limit',
  'server-error',
  'malformed-json',
  'truncated-json',
  'drop',
  'html',
  'oauth-error',
] as const;

/** Checks an untrusted fault description (from `POST /_emulator/faults`); throws an `Error` saying what is wrong. */
export function parseFaultSpec(value: unknown): FaultSpec {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error('A fault must be a JSON object with a "kind".');
  }
  const fault = value as Record<string, unknown>;
  const kind = fault['kind'];
  if (!(FAULT_KINDS as readonly unknown[]).includes(kind)) {
    throw new Error(`Unknown fault kind ${JSON.stringify(kind)}; use one of ${FAULT_KINDS.join(', ')}.`);
  }
  requireOptional(fault, 'method', (item) => typeof item === 'string', 'a string');
  requireOptional(fault, 'path', (item) => typeof item === 'string' && item.startsWith('/'), 'a path starting with /');
  requireOptional(fault, 'count', (item) => Number.isInteger(item) && (item as number) > 0, 'a positive integer');
  const isWholeNumber = (item: unknown): boolean => Number.isInteger(item) && (item as number) >= 0;
  if (kind === 'latency') {
    requireField(fault, 'ms', isWholeNumber, 'a non-negative integer');
  } else if (kind === 'rate-limit') {
    requireField(fault, 'retryAfterSeconds', isWholeNumber, 'a non-negative integer');
  } else if (kind === 'server-error') {
    requireField(fault, 'status', (item) => Number.isInteger(item) && (item as number) >= 500 && (item as number) <= 599, 'a 5xx status');
  } else if (kind === 'html' || kind === 'oauth-error') {
    requireOptional(fault, 'status', (item) => Number.isInteger(item) && (item as number) >= 200 && (item as number) <= 599, 'an HTTP status');
  }
  if (kind === 'oauth-error') {
    requireField(fault, 'error', (item) => typeof item === 'string' && item !== '', 'an OAuth error code');
  }
  return fault as unknown as FaultSpec;
}

function requireField(fault: Record<string, unknown>, key: string, check: (item: unknown) => boolean, expected: string): void {
  if (!check(fault[key])) {
    throw new Error(`Invalid fault field "${key}": expected ${expected}.`);
  }
}

function requireOptional(fault: Record<string, unknown>, key: string, check: (item: unknown) => boolean, expected: string): void {
  if (fault[key] !== undefined) {
    requireField(fault, key, check, expected);
  }
}
