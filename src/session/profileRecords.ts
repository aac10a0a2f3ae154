/**
 * The non-secret profile list as stored in global state: `{ v: 1, activeId, profiles }`. Parsing never
 * throws, so a damaged entry signs that profile out instead of breaking activation.
 */
import type { Profile, ProfileKind } from '../core/contracts';

/** The version of the stored shape written by {@link serializeProfiles}. */
export const PROFILES_VERSION = 1;

export interface ProfileList {
  readonly activeId: string | undefined;
  readonly profiles: readonly Profile[];
}

export const EMPTY_PROFILE_LIST: ProfileList = { activeId: undefined, profiles: [] };

function isKind(value: unknown): value is ProfileKind {
  return value === 'pat' || value === 'oauth';
}

function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function parseProfile(value: unknown): Profile | undefined {
  if (typeof value !== 'object' || value === null) {
    return undefined;
  }
  const record = value as Record<string, unknown>;
  const id = optionalString(record.id);
  const host = optionalString(record.host);
  const label = optionalString(record.label);
  if (id === undefined || host === undefined || label === undefined || !isKind(record.kind)) {
    return undefined;
  }
  return { id, host, kind: record.kind, label, identity: optionalString(record.identity) };
}

/**
 * Parses the stored list. Returns the empty list for anything but version 1, skips malformed or duplicate
 * profiles, and drops an active id that names no profile. `problems` counts what was skipped.
 */
export function parseProfileList(value: unknown): { list: ProfileList; problems: number } {
  if (value === undefined) {
    return { list: EMPTY_PROFILE_LIST, problems: 0 };
  }
  if (typeof value !== 'object' || value === null || (value as { v?: unknown }).v !== PROFILES_VERSION) {
    return { list: EMPTY_PROFILE_LIST, problems: 1 };
  }
  const record = value as { activeId?: unknown; profiles?: unknown };
  const entries = Array.isArray(record.profiles) ? record.profiles : [];
  const profiles: Profile[] = [];
  let problems = Array.isArray(record.profiles) ? 0 : 1;
  for (const entry of entries) {
    const profile = parseProfile(entry);
    if (profile === undefined || profiles.some((known) => known.id === profile.id)) {
      problems++;
      continue;
    }
    profiles.push(profile);
  }
  const activeId = optionalString(record.activeId);
  const active = profiles.some((profile) => profile.id === activeId) ? activeId : undefined;
  return { list: { activeId: active, profiles }, problems };
}

/** Returns the stored shape of a list. */
export function serializeProfiles(list: ProfileList): unknown {
  return {
    v: PROFILES_VERSION,
    activeId: list.activeId,
    profiles: list.profiles.map((profile) => ({
      id: profile.id,
      host: profile.host,
      kind: profile.kind,
      label: profile.label,
      identity: profile.identity,
    })),
  };
}

/** Returns the list with `profile` added, or replacing the profile with the same id, and made active. */
export function withActiveProfile(list: ProfileList, profile: Profile): ProfileList {
  const index = list.profiles.findIndex((known) => known.id === profile.id);
  const profiles = [...list.profiles];
  if (index >= 0) {
    profiles[index] = profile;
  } else {
    profiles.push(profile);
  }
  return { activeId: profile.id, profiles };
}

/**
 * Returns the list without a profile. When it was active, the first remaining profile becomes active,
 * so signing out of one sign-in falls back to another instead of leaving the views empty.
 */
export function withoutProfile(list: ProfileList, profileId: string): ProfileList {
  const profiles = list.profiles.filter((profile) => profile.id !== profileId);
  const activeId = list.activeId === profileId ? profiles[0]?.id : list.activeId;
  return { activeId, profiles };
}

/** Returns whether two lists hold the same profiles (same fields, same order) and the same active id. */
export function sameProfileList(a: ProfileList, b: ProfileList): boolean {
  return JSON.stringify(serializeProfiles(a)) === JSON.stringify(serializeProfiles(b));
}
