/**
 * What is known about each scope of each profile, as plain data kept in global state. A scope is `held`
 * when a token response granted it or the server answered a call needing it with 2xx, `missing` when the
 * grant left it out or the server answered 403 naming it, and `unknown` otherwise.
 */
import { ALL_APIS_SCOPE, SCOPES, type Scope, isScope } from '../api/operations';
import type { ScopeStatus } from '../core/contracts';

/** Known scope states of one profile. Scopes not listed are unknown. */
export type ProfileScopes = Readonly<Partial<Record<Scope, Exclude<ScopeStatus, 'unknown'>>>>;

/** Known scope states of every profile, keyed by profile id. */
export type ScopeTable = Readonly<Record<string, ProfileScopes>>;

/** Returns the status of one scope; `all-apis` held makes every scope held. */
export function statusIn(table: ScopeTable, profileId: string, scope: Scope): ScopeStatus {
  const known = table[profileId];
  if (known === undefined) {
    return 'unknown';
  }
  if (known[ALL_APIS_SCOPE] === 'held') {
    return 'held';
  }
  return known[scope] ?? 'unknown';
}

/** Returns a table with one scope recorded, or the same table when nothing changes. */
export function withRecorded(
  table: ScopeTable,
  profileId: string,
  scope: Scope,
  status: Exclude<ScopeStatus, 'unknown'>,
): ScopeTable {
  const known = table[profileId] ?? {};
  if (known[scope] === status) {
    return table;
  }
  return { ...table, [profileId]: { ...known, [scope]: status } };
}

/**
 * Returns a table where a profile's scopes are exactly those of an OAuth grant: granted ones held, every
 * other scope missing (the token cannot hold what was not granted).
 */
export function withGrant(table: ScopeTable, profileId: string, granted: readonly string[]): ScopeTable {
  const known: Partial<Record<Scope, Exclude<ScopeStatus, 'unknown'>>> = {};
  for (const scope of SCOPES) {
    known[scope] = granted.includes(scope) ? 'held' : 'missing';
  }
  return { ...table, [profileId]: known };
}

/** Returns a table without the profile, or the same table when it had no entry. */
export function withoutProfile(table: ScopeTable, profileId: string): ScopeTable {
  if (!(profileId in table)) {
    return table;
  }
  const rest: Record<string, ProfileScopes> = { ...table };
  delete rest[profileId];
  return rest;
}

/** Returns the scopes recorded as held for a profile, in {@link SCOPES} order. */
export function heldScopes(table: ScopeTable, profileId: string): Scope[] {
  const known = table[profileId] ?? {};
  return SCOPES.filter((scope) => known[scope] === 'held');
}

/**
 * Parses the stored table, dropping anything malformed: unknown scopes, unknown states and non-object
 * entries. Never throws, so a damaged entry costs what was known, not the activation.
 */
export function parseScopeTable(value: unknown): ScopeTable {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return {};
  }
  const table: Record<string, ProfileScopes> = {};
  for (const [profileId, entry] of Object.entries(value)) {
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
      continue;
    }
    const known: Partial<Record<Scope, Exclude<ScopeStatus, 'unknown'>>> = {};
    for (const [scope, status] of Object.entries(entry as Record<string, unknown>)) {
      if (isScope(scope) && (status === 'held' || status === 'missing')) {
        known[scope] = status;
      }
    }
    table[profileId] = known;
  }
  return table;
}
