/** Shared helpers of the sign-in tests: a manual clock, stores, and a browser-like drive of the emulator. */
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { request } from 'undici';
import { buildAuthorizeUrl } from '../../src/auth/authorizeUrl';
import { LoopbackListener } from '../../src/auth/loopbackServer';
import { createPkcePair, createState } from '../../src/auth/pkce';
import { createOAuthSessionRecord, serializeSessionRecord, type OAuthSessionRecord } from '../../src/auth/sessionRecord';
import { exchangeAuthorizationCode, type TokenEndpointConfig, type TokenSet } from '../../src/auth/tokenEndpoint';
import type { Clock, SecretStore } from '../../src/auth/types';
import type { Emulator } from '../emulator/index';

export const CLIENT_ID = 'datastack-vscode';
export const AUDIENCE = 'https://api.datastack.cloud';
export const API_HOST = 'https://api.datastack.cloud';

/** A clock that moves only when a test sets or advances it. */
export class ManualClock implements Clock {
  constructor(public time = Date.now()) {}

  now(): number {
    return this.time;
  }

  advance(ms: number): void {
    this.time += ms;
  }
}

/** A secret store in one file, as two windows sharing one keyring would see it. */
export class FileSecretStore implements SecretStore {
  writes = 0;

  constructor(readonly path: string) {}

  async read(): Promise<string | undefined> {
    try {
      return await readFile(this.path, 'utf8');
    } catch {
      return undefined;
    }
  }

  async write(text: string): Promise<void> {
    this.writes++;
    await writeFile(this.path, text, 'utf8');
  }

  async delete(): Promise<void> {
    await rm(this.path, { force: true });
  }
}

export function tokenUrlOf(emulator: Emulator): string {
  return `${emulator.url}/oauth2/token`;
}

export function authorizeUrlOf(emulator: Emulator): string {
  return `${emulator.url}/oauth2/authorize`;
}

export function endpointConfig(emulator: Emulator, overrides: Partial<TokenEndpointConfig> = {}): TokenEndpointConfig {
  return { tokenUrl: tokenUrlOf(emulator), clientId: CLIENT_ID, ...overrides };
}

/** Counts the token endpoint requests in the emulator's request log. */
export function tokenRequests(emulator: Emulator): number {
  return emulator.requests.filter((entry) => entry.method === 'POST' && entry.path === '/oauth2/token').length;
}

/**
 * Follows redirects from `url` as a browser would, with GET requests, and returns every URL visited
 * with its status. Stops at a non-redirect response or after 10 hops.
 */
export async function followLikeBrowser(url: string): Promise<{ url: string; status: number; body: string }[]> {
  const visited: { url: string; status: number; body: string }[] = [];
  let current = url;
  for (let hop = 0; hop < 10; hop++) {
    const response = await request(current, { method: 'GET' });
    const body = await response.body.text();
    visited.push({ url: current, status: response.statusCode, body });
    const location = response.headers.location;
    if (response.statusCode < 300 || response.statusCode > 399 || typeof location !== 'string') {
      break;
    }
    current = new URL(location, current).toString();
  }
  return visited;
}

/** A started loopback flow with the values of its authorization request. */
export interface StartedFlow {
  readonly listener: LoopbackListener;
  readonly authorizeUrl: string;
  readonly verifier: string;
  readonly state: string;
}

/** Starts a loopback listener and builds the authorization URL for the emulator. */
export async function startEmulatorFlow(emulator: Emulator, scopes: readonly string[], timeoutMs?: number): Promise<StartedFlow> {
  const pkce = createPkcePair();
  const state = createState();
  const listener = await LoopbackListener.start({
    expectedState: state,
    authorizationHost: emulator.url,
    ...(timeoutMs !== undefined ? { timeoutMs } : {}),
  });
  const authorizeUrl = buildAuthorizeUrl({
    authorizationUrl: authorizeUrlOf(emulator),
    clientId: CLIENT_ID,
    audience: AUDIENCE,
    scopes,
    redirectUri: listener.redirectUri,
    state,
    codeChallenge: pkce.challenge,
  });
  return { listener, authorizeUrl, verifier: pkce.verifier, state };
}

/** Signs in through the emulator with `autoApprove` and returns the token set. */
export async function signIn(emulator: Emulator, scopes: readonly string[], clock?: Clock): Promise<TokenSet> {
  emulator.configure({ autoApprove: true });
  const flow = await startEmulatorFlow(emulator, scopes);
  try {
    await followLikeBrowser(flow.authorizeUrl);
    const code = await flow.listener.code;
    return await exchangeAuthorizationCode(
      endpointConfig(emulator, clock ? { clock } : {}),
      { code, redirectUri: flow.listener.redirectUri, codeVerifier: flow.verifier, requestedScopes: scopes },
    );
  } finally {
    await flow.listener.dispose();
  }
}

/** Signs in and returns the serialized OAuth record for profile `profileId`. */
export async function signInRecord(
  emulator: Emulator,
  scopes: readonly string[],
  clock?: Clock,
  profileId = 'p-1',
): Promise<OAuthSessionRecord> {
  const tokens = await signIn(emulator, scopes, clock);
  return createOAuthSessionRecord(tokens, { profileId, host: API_HOST, tokenUrl: tokenUrlOf(emulator), clientId: CLIENT_ID });
}

export function serialize(record: OAuthSessionRecord): string {
  return serializeSessionRecord(record);
}

export function lockDirIn(dir: string): string {
  return join(dir, 'locks');
}
