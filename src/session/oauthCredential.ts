/** OAuth credentials of one profile, refreshed by the sign-in core's {@link TokenManager}. */
import { AccessTokenRejectedError, SessionExpiredError } from '../auth/errors';
import type { SessionRecord } from '../auth/sessionRecord';
import { TokenManager, type TokenManagerOptions } from '../auth/tokenManager';
import type { Credential } from './credential';
import type { CredentialEvents } from './sessionService';

export class OAuthCredential implements Credential {
  readonly kind = 'oauth';
  private readonly manager: TokenManager;
  private current: SessionRecord;

  constructor(record: SessionRecord, options: TokenManagerOptions, events: CredentialEvents) {
    this.current = record;
    this.manager = new TokenManager({ ...options, host: record.host, profileId: record.profileId });
    this.manager.onDidRefreshToken(() => {
      void this.manager.peek().then((latest) => {
        if (latest !== undefined && this.take(latest)) {
          events.refreshed();
        }
      });
    });
    this.manager.onDidExpireSession((event) => {
      events.ended(new SessionExpiredError(event.host, event.profileId, event.reason));
    });
  }

  get record(): SessionRecord {
    return this.current;
  }

  accessToken(signal?: AbortSignal): Promise<string> {
    return this.manager.getAccessToken(signal);
  }

  async recover(rejectedToken: string | undefined, signal: AbortSignal): Promise<string | undefined> {
    try {
      return await this.manager.refreshAfterUnauthorized(signal, rejectedToken);
    } catch (error) {
      // A token rejected right after a forced refresh: let the 401 through instead of looping.
      if (error instanceof AccessTokenRejectedError) {
        return undefined;
      }
      throw error;
    }
  }

  adopt(record: SessionRecord): boolean {
    this.manager.reload();
    return this.take(record);
  }

  dispose(): void {
    this.manager.dispose();
  }

  /** Keeps `record` as the current one; returns whether its tokens differ from those held. */
  private take(record: SessionRecord): boolean {
    const changed =
      record.accessToken !== this.current.accessToken || JSON.stringify(record.scopes) !== JSON.stringify(this.current.scopes);
    this.current = record;
    return changed;
  }
}
