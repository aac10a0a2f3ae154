/**
 * The secret record of one profile, stored as versioned JSON in secret storage. It holds the credentials
 * and what is needed to refresh them; non-secret profile data (label, identity, scopes shown in the UI) is
 * kept elsewhere by the caller.
 */
import type { TokenSet } from './tokenResponse';

/** The version written by {@link serializeSessionRecord}. */
export const SESSION_RECORD_VERSION = 1;

interface SessionRecordBase {
  readonly v: typeof SESSION_RECORD_VERSION;
  readonly profileId: string;
  /** Normalized API host, e.g. `https://api.datastack.cloud`. */
  readonly host: string;
  readonly accessToken: string;
  /** Scopes the token holds (granted or learned), without `offline_access`. */
  readonly scopes: readonly string[];
}

/** A personal access token. It never expires locally and is never refreshed. */
export interface PatSessionRecord extends SessionRecordBase {
  readonly kind: 'pat';
}

/** Tokens from the OAuth authorization code flow. */
export interface OAuthSessionRecord extends SessionRecordBase {
  readonly kind: 'oauth';
  readonly refreshToken?: string;
  /** Epoch milliseconds when the access token was received. */
  readonly obtainedAt: number;
  /** Epoch milliseconds when the access token expires: `obtainedAt + expires_in`. */
  readonly expiresAt: number;
  /** The token endpoint that issued the tokens; refreshes go there. */
  readonly tokenUrl: string;
  readonly clientId: string;
}

export type SessionRecord = PatSessionRecord | OAuthSessionRecord;

/** The result of {@link parseSessionRecord}. */
export type ParsedSessionRecord =
  | { readonly status: 'ok'; readonly record: SessionRecord }
  | { readonly status: 'missing' }
  | { readonly status: 'corrupt'; readonly reason: string }
  | { readonly status: 'unsupported-version'; readonly version: unknown };

/**
 * Converts a stored record of an older version into the next version's shape. Keyed by the version it
 * reads: the migration under key 0 turns a v0 record into a v1 record. Records without a `v` member count
 * as version 0.
 */
export type SessionRecordMigration = (old: Record<string, unknown>) => Record<string, unknown>;

/**
 * Migrations for older record versions. Version 1 is the first stored version, so the default table is
 * empty; a future v2 adds the migration from v1 here.
 */
export const SESSION_RECORD_MIGRATIONS: ReadonlyMap<number, SessionRecordMigration> = new Map();

/** Serializes a record for secret storage. */
export function serializeSessionRecord(record: SessionRecord): string {
  return JSON.stringify(record);
}

/**
 * Parses a stored record. Never throws: an absent or empty value is `missing`, unparsable JSON or a wrong
 * shape is `corrupt`, and a version that is newer than {@link SESSION_RECORD_VERSION} or has no migration is
 * `unsupported-version`. Each of them means signed out. The reasons name fields, never their values.
 */
export function parseSessionRecord(
  text: string | undefined,
  migrations: ReadonlyMap<number, SessionRecordMigration> = SESSION_RECORD_MIGRATIONS,
): ParsedSessionRecord {
  if (text === undefined || text === '') {
    return { status: 'missing' };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { status: 'corrupt', reason: 'the record is not JSON' };
  }
  if (!isObject(json)) {
    return { status: 'corrupt', reason: 'the record is not a JSON object' };
  }

  let current: Record<string, unknown> = json;
  for (let guard = 0; guard <= SESSION_RECORD_VERSION; guard++) {
    const version = current.v === undefined ? 0 : current.v;
    if (version === SESSION_RECORD_VERSION) {
      return validateV1(current);
    }
    const migration = typeof version === 'number' ? migrations.get(version) : undefined;
    if (migration === undefined) {
      return { status: 'unsupported-version', version };
    }
    try {
      current = migration(current);
    } catch {
      return { status: 'corrupt', reason: `the migration from version ${version} failed` };
    }
    if (current.v === version) {
      return { status: 'corrupt', reason: `the migration from version ${version} did not change the version` };
    }
  }
  return { status: 'unsupported-version', version: current.v };
}

function validateV1(json: Record<string, unknown>): ParsedSessionRecord {
  const corrupt = (field: string): ParsedSessionRecord => ({ status: 'corrupt', reason: `${field} is missing or invalid` });

  for (const field of ['profileId', 'host', 'accessToken'] as const) {
    if (!isNonEmptyString(json[field])) {
      return corrupt(field);
    }
  }
  const scopes = json.scopes;
  if (!Array.isArray(scopes) || !scopes.every(isNonEmptyString)) {
    return corrupt('scopes');
  }
  const base = {
    v: SESSION_RECORD_VERSION,
    profileId: json.profileId as string,
    host: json.host as string,
    accessToken: json.accessToken as string,
    scopes: [...scopes],
  } as const;

  if (json.kind === 'pat') {
    return { status: 'ok', record: { ...base, kind: 'pat' } };
  }
  if (json.kind !== 'oauth') {
    return corrupt('kind');
  }
  for (const field of ['tokenUrl', 'clientId'] as const) {
    if (!isNonEmptyString(json[field])) {
      return corrupt(field);
    }
  }
  for (const field of ['obtainedAt', 'expiresAt'] as const) {
    if (typeof json[field] !== 'number' || !Number.isFinite(json[field])) {
      return corrupt(field);
    }
  }
  if (json.refreshToken !== undefined && !isNonEmptyString(json.refreshToken)) {
    return corrupt('refreshToken');
  }
  const record: OAuthSessionRecord = {
    ...base,
    kind: 'oauth',
    obtainedAt: json.obtainedAt as number,
    expiresAt: json.expiresAt as number,
    tokenUrl: json.tokenUrl as string,
    clientId: json.clientId as string,
    ...(json.refreshToken !== undefined ? { refreshToken: json.refreshToken as string } : {}),
  };
  return { status: 'ok', record };
}

function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value !== '';
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Where an OAuth session came from, for {@link createOAuthSessionRecord}. */
export interface OAuthSessionOrigin {
  readonly profileId: string;
  readonly host: string;
  readonly tokenUrl: string;
  readonly clientId: string;
}

/** Builds the record of a fresh OAuth sign-in from its token set. */
export function createOAuthSessionRecord(tokens: TokenSet, origin: OAuthSessionOrigin): OAuthSessionRecord {
  return {
    v: SESSION_RECORD_VERSION,
    kind: 'oauth',
    profileId: origin.profileId,
    host: origin.host,
    accessToken: tokens.accessToken,
    scopes: [...tokens.scopes],
    obtainedAt: tokens.obtainedAt,
    expiresAt: tokens.expiresAt,
    tokenUrl: origin.tokenUrl,
    clientId: origin.clientId,
    ...(tokens.refreshToken !== undefined ? { refreshToken: tokens.refreshToken } : {}),
  };
}
