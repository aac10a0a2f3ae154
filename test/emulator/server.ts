/**
 * The request handler: assigns a request id, applies latency and queued faults, routes to the API,
 * the OAuth endpoints or the test controls, writes the response and logs the request (control requests
 * under `/_emulator/` are not logged).
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';

import { SCOPE_HEADER } from '../../src/api/operations';
import { handleApiRequest, operationOf } from './api-routes';
import type { EmulatorCore } from './core';
import type { FaultAction } from './faults';
import { ApiError, htmlResponse, jsonResponse, readBody, type EmulatorResponse } from './http';
import { redactParameters, type RequestLogEntry } from './request-log';

/** A request as the routes see it. */
export interface HttpCall {
  method: string;
  pathname: string;
  query: URLSearchParams;
  request: IncomingMessage;
  /** Reads the body once; later calls return the same text. */
  readBody: () => Promise<string>;
}

export type Router = (call: HttpCall) => Promise<EmulatorResponse>;

export interface Routes {
  oauth: Router;
  controls: Router;
}

export const CONTROLS_PREFIX = '/_emulator';

function faultResponse(fault: FaultAction): EmulatorResponse | undefined {
  switch (fault.kind) {
    case 'rate-limit':
      return new ApiError('RATE_LIMITED', 'Too many requests; retry after the Retry-After delay.', {}, {
        'retry-after': String(fault.retryAfterSeconds),
      }).toResponse();
    case 'server-error':
      return new ApiError('INTERNAL_ERROR', 'The server failed (injected fault).', {}, {}, fault.status).toResponse();
    case 'malformed-json':
      return { status: 200, headers: { 'content-type': 'application/json' }, body: "{ unquoted: 'not json', }" };
    case 'html': {
      const status = fault.status ?? 502;
      return htmlResponse(status, `<!DOCTYPE html><html><head><title>${status}</title></head><body><h1>Proxy error</h1><p>The upstream server did not respond.</p></body></html>`);
    }
    case 'oauth-error':
      return jsonResponse(fault.status ?? 400, { error: fault.error, error_description: 'Injected fault.' }, {
        'cache-control': 'no-store',
      });
    default:
      return undefined;
  }
}

function truncate(response: EmulatorResponse): EmulatorResponse {
  const bytes = Buffer.from(response.body, 'utf8');
  return { ...response, body: bytes.subarray(0, Math.floor(bytes.length / 2)).toString('utf8') };
}

async function route(core: EmulatorCore, routes: Routes, call: HttpCall): Promise<EmulatorResponse> {
  if (call.pathname.startsWith('/v1/')) {
    return handleApiRequest(core, { ...call, headers: call.request.headers });
  }
  if (call.pathname.startsWith('/oauth2/')) {
    return routes.oauth(call);
  }
  return new ApiError('NOT_FOUND', `Nothing is served at ${call.pathname}.`).toResponse();
}

function writeResponse(response: ServerResponse, result: EmulatorResponse, requestId: string): void {
  const body = Buffer.from(result.body, 'utf8');
  response.writeHead(result.status, {
    ...result.headers,
    'x-request-id': requestId,
    'content-length': String(body.length),
  });
  response.end(body);
}

async function handle(core: EmulatorCore, routes: Routes, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const requestId = randomUUID();
  const method = request.method ?? 'GET';
  let url: URL;
  try {
    url = new URL(request.url ?? '/', 'http://emulator.invalid');
  } catch {
    writeResponse(response, new ApiError('INVALID_PARAMETER_VALUE', 'The request URL is invalid.').toResponse(), requestId);
    return;
  }
  let bodyPromise: Promise<string> | undefined;
  const call: HttpCall = {
    method,
    pathname: url.pathname,
    query: url.searchParams,
    request,
    readBody: () => (bodyPromise ??= readBody(request)),
  };
  const entry = startLogEntry(core, call, requestId);

  const isControl = url.pathname === CONTROLS_PREFIX || url.pathname.startsWith(`${CONTROLS_PREFIX}/`);
  const fault = isControl ? undefined : core.faults.take(method, url.pathname);
  entry.fault = fault?.kind ?? null;
  if (!isControl) {
    const latency = core.config.latencyMs + (fault?.kind === 'latency' ? fault.ms : 0);
    if (latency > 0) {
      await delay(latency, undefined, { ref: false });
    }
  }
  if (fault?.kind === 'drop') {
    request.socket.destroy();
    core.log.add(entry);
    return;
  }

  let result: EmulatorResponse;
  try {
    result = (fault && faultResponse(fault)) ?? (isControl ? await routes.controls(call) : await route(core, routes, call));
  } catch (error) {
    result = error instanceof ApiError ? error.toResponse() : internalError(error);
  }
  if (fault?.kind === 'truncated-json') {
    result = truncate(result);
  }
  if (entry.grantType === null && url.pathname === '/oauth2/token' && bodyPromise !== undefined) {
    entry.grantType = new URLSearchParams(await bodyPromise.catch(() => '')).get('grant_type');
  }
  entry.status = result.status;
  if (!isControl) {
    core.log.add(entry);
  }
  writeResponse(response, result, requestId);
}

function internalError(error: unknown): EmulatorResponse {
  console.error('DataStack emulator: a request failed:', error);
  return new ApiError('INTERNAL_ERROR', 'The emulator failed to handle the request.').toResponse();
}

function startLogEntry(core: EmulatorCore, call: HttpCall, requestId: string): RequestLogEntry {
  const scope = call.request.headers[SCOPE_HEADER];
  return {
    time: new Date(core.now()).toISOString(),
    method: call.method,
    path: call.pathname,
    query: redactParameters(call.query),
    scope: typeof scope === 'string' ? scope : null,
    hasAuthorization: call.request.headers.authorization !== undefined,
    userAgent: call.request.headers['user-agent'] ?? null,
    operation: call.pathname.startsWith('/v1/') ? (operationOf(call.method, call.pathname) ?? null) : null,
    grantType: null,
    status: null,
    fault: null,
    requestId,
  };
}

/** Returns the `node:http` request listener shared by every listening address. */
export function createRequestListener(core: EmulatorCore, routes: Routes): RequestListener {
  return (request, response) => {
    handle(core, routes, request, response).catch((error: unknown) => {
      if (!response.headersSent) {
        writeResponse(response, internalError(error), randomUUID());
      }
    });
  };
}
