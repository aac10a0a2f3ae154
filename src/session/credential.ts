/**
 * The credentials of one signed-in profile, as the API client and the authentication provider use them:
 * a PAT that is sent as it is, or OAuth tokens that the sign-in core's token manager refreshes.
 */
import type { SessionRecord } from '../auth/sessionRecord';
import type { ProfileKind } from '../core/contracts';

export interface Credential {
  readonly kind: ProfileKind;
  /** The record last read or written; its access token may be stale for OAuth. */
  readonly record: SessionRecord;
  /** Returns an access token to send, refreshing OAuth tokens first when due. */
  accessToken(signal?: AbortSignal): Promise<string>;
  /**
   * Called after the API answered 401 to `rejectedToken`. OAuth refreshes once and returns the new token;
   * a PAT returns undefined because refreshing cannot fix it.
   */
  recover(rejectedToken: string | undefined, signal: AbortSignal): Promise<string | undefined>;
  /** Takes a record another window stored; returns whether it differs from the one held. */
  adopt(record: SessionRecord): boolean;
  dispose(): void;
}

/** A personal access token: never refreshed, never expires locally. */
export class PatCredential implements Credential {
  readonly kind = 'pat';

  constructor(private current: SessionRecord) {}

  get record(): SessionRecord {
    return this.current;
  }

  async accessToken(): Promise<string> {
    return this.current.accessToken;
  }

  async recover(): Promise<string | undefined> {
    return undefined;
  }

  adopt(record: SessionRecord): boolean {
    const changed = JSON.stringify(record) !== JSON.stringify(this.current);
    this.current = record;
    return changed;
  }

  dispose(): void {
    // Nothing to stop.
  }
}
