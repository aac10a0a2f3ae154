/** The saved profiles and the active profile id, in global state (no secrets). */
import type * as vscode from 'vscode';
import type { Profile } from '../core/contracts';
import { type ProfileList, parseProfileList, serializeProfiles } from './profileRecords';

/** The global state key of the profile list; the suffix is the version of its shape. */
export const PROFILES_STATE_KEY = 'datastack.profiles.v1';

/** The secret storage key of a profile's session record. */
export function secretKeyOf(profileId: string): string {
  return `${SECRET_KEY_PREFIX}${profileId}`;
}

/** The prefix of every secret storage key this extension writes. */
export const SECRET_KEY_PREFIX = 'datastack.session.';

export class ProfileStore {
  constructor(
    private readonly state: vscode.Memento,
    private readonly log: Pick<vscode.LogOutputChannel, 'warn'>,
  ) {}

  /** Reads the list; malformed entries are skipped with one log line. */
  read(): ProfileList {
    const { list, problems } = parseProfileList(this.state.get<unknown>(PROFILES_STATE_KEY));
    if (problems > 0) {
      this.log.warn(`[auth] skipped ${problems} unreadable saved profile entr${problems === 1 ? 'y' : 'ies'}`);
    }
    return list;
  }

  async write(list: ProfileList): Promise<void> {
    await this.state.update(PROFILES_STATE_KEY, serializeProfiles(list));
  }

  find(profileId: string): Profile | undefined {
    return this.read().profiles.find((profile) => profile.id === profileId);
  }
}
