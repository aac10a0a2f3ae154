/** Shared helpers of the emulator tests: API calls over real HTTP, PKCE pairs and authorize URLs. */
import { createHash, randomBytes } from 'node:crypto';

import { buildPath, OPERATIONS, type OperationId } from '../../src/api/operations';
import type { Emulator } from '../emulator/index';

export interface CallOptions {
  /** `null` sends no Authorization header. */
  token?: string | null;
  /** `null` sends no scope header; default the operation's scope. */
  scope?: string | null;
  params?: Record<string, string>;
  query?: Record<string, string>;
  body?: unknown;
}

export interface CallResult {
  status: number;
  headers: Headers;
  json: Record<string, unknown>;
}

/** Calls an API operation of the emulator with fetch and parses the JSON body. */
export async function callOperation(
  emulator: Emulator,
  operation: OperationId,
  options: CallOptions = {},
): Promise<CallResult> {
  const spec = OPERATIONS[operation];
  const url = new URL(buildPath(operation, options.params), emulator.url);
  for (const [key, value] of Object.entries(options.query ?? {})) {
    url.searchParams.set(key, value);
  }
  const headers: Record<string, string> = {};
  const token = options.token === undefined ? 'dapi-demo-admin' : options.token;
  if (token !== null) {
    headers['authorization'] = `Bearer ${token}`;
  }
  const scope = options.scope === undefined ? spec.scope : options.scope;
  if (scope !== null) {
    headers['x-datastack-scope'] = scope;
  }
  const init: RequestInit = { method: spec.method, headers };
  if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    init.body = JSON.stringify(options.body);
  }
  const response = await fetch(url, init);
  const text = await response.text();
  return { status: response.status, headers: response.headers, json: JSON.parse(text) as Record<string, unknown> };
}

/** Posts JSON to an `/_emulator/` control and returns the parsed reply. */
export async function control(emulator: Emulator, method: string, path: string, body?: unknown): Promise<CallResult> {
  const response = await fetch(new URL(path, emulator.url), {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, headers: response.headers, json: (await response.json()) as Record<string, unknown> };
}

export interface PkcePair {
  verifier: string;
  challenge: string;
}

export function pkcePair(): PkcePair {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

export const REDIRECT_URI = 'http://127.0.0.1:53682/callback';

/** Builds an authorize URL with valid defaults; `overrides` replace or (with `null`) remove parameters. */
export function authorizeUrl(
  base: string,
  challenge: string,
  overrides: Record<string, string | null> = {},
): URL {
  const url = new URL('/oauth2/authorize', base);
  const parameters: Record<string, string | null> = {
    response_type: 'code',
    client_id: 'datastack-vscode',
    redirect_uri: REDIRECT_URI,
    scope: `${OPERATIONS.listClusters.scope} ${OPERATIONS.listWarehouses.scope} offline_access`,
    audience: 'https://api.datastack.cloud',
    state: 'state-1234567890',
    code_challenge: challenge,
    code_challenge_method: 'S256',
    ...overrides,
  };
  for (const [key, value] of Object.entries(parameters)) {
    if (value !== null) {
      url.searchParams.set(key, value);
    }
  }
  return url;
}

/** Reads the hidden `request_id` of a consent page. */
export function consentRequestId(html: string): string {
  const match = /name="request_id" value="([^"]+)"/.exec(html);
  if (match === null) {
    throw new Error('The consent page has no request_id field.');
  }
  return match[1] as string;
}

/** Runs authorize and the decision; returns the redirect Location as a URL. */
export async function authorizeAndDecide(
  emulator: Emulator,
  url: URL,
  decision: 'approve' | 'deny' = 'approve',
): Promise<URL> {
  const page = await fetch(url, { redirect: 'manual' });
  if (page.status === 302) {
    return new URL(page.headers.get('location') as string);
  }
  const html = await page.text();
  const response = await fetch(new URL('/oauth2/authorize/decision', emulator.url), {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ request_id: consentRequestId(html), decision }).toString(),
  });
  const location = response.headers.get('location');
  if (response.status !== 302 || location === null) {
    throw new Error(`The decision returned ${response.status} without a redirect.`);
  }
  return new URL(location);
}

/** Posts a form to the token endpoint and returns status and parsed JSON. */
export async function tokenRequest(
  emulator: Emulator,
  form: Record<string, string>,
): Promise<{ status: number; headers: Headers; json: Record<string, unknown> }> {
  const response = await fetch(new URL('/oauth2/token', emulator.url), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: new URLSearchParams(form).toString(),
  });
  return { status: response.status, headers: response.headers, json: (await response.json()) as Record<string, unknown> };
}

/** Signs in through authorize, consent and code exchange; returns the token response. */
export async function signIn(
  emulator: Emulator,
  overrides: Record<string, string | null> = {},
): Promise<Record<string, unknown>> {
  const pair = pkcePair();
  const location = await authorizeAndDecide(emulator, authorizeUrl(emulator.url, pair.challenge, overrides));
  const result = await tokenRequest(emulator, {
    grant_type: 'authorization_code',
    code: location.searchParams.get('code') ?? '',
    redirect_uri: overrides['redirect_uri'] ?? REDIRECT_URI,
    client_id: 'datastack-vscode',
    code_verifier: pair.verifier,
  });
  if (result.status !== 200) {
    throw new Error(`The code exchange returned ${result.status}: ${JSON.stringify(result.json)}`);
  }
  return result.json;
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `read` until it returns `expected` or `timeoutMs` passes; returns the last value. */
export async function waitFor<T>(read: () => T | Promise<T>, expected: T, timeoutMs = 2000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (value !== expected && Date.now() < deadline) {
    await sleep(10);
    value = await read();
  }
  return value;
}
