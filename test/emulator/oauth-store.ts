/**
 * OAuth records: pending authorization requests (between the consent page and the decision),
 * authorization codes, refresh tokens and token families.
 *
 * A family is every token that descends from one authorization code. Reusing a retired refresh token
 * or a used code revokes the whole family, access tokens included.
 */
import type { EmulatorState } from './types';

export interface PendingAuthorization {
  id: string;
  clientId: string;
  redirectUri: string;
  scopes: string[];
  codeChallenge: string;
  state: string | null;
  createdAt: number;
}

export interface AuthorizationCode {
  code: string;
  clientId: string;
  redirectUri: string;
  scopes: string[];
  codeChallenge: string;
  userId: string;
  expiresAt: number;
  used: boolean;
  familyId: string;
}

export interface RefreshTokenRecord {
  token: string;
  familyId: string;
  clientId: string;
  scopes: string[];
  userId: string;
  /** Set once the token has been exchanged under rotation; a second use revokes the family. */
  used: boolean;
}

export interface TokenFamily {
  id: string;
  revoked: boolean;
  accessTokens: Set<string>;
  refreshTokens: Set<string>;
}

export class OAuthStore {
  readonly pending = new Map<string, PendingAuthorization>();
  readonly codes = new Map<string, AuthorizationCode>();
  readonly refreshTokens = new Map<string, RefreshTokenRecord>();
  readonly families = new Map<string, TokenFamily>();

  clear(): void {
    this.pending.clear();
    this.codes.clear();
    this.refreshTokens.clear();
    this.families.clear();
  }

  family(id: string): TokenFamily {
    let family = this.families.get(id);
    if (family === undefined) {
      family = { id, revoked: false, accessTokens: new Set(), refreshTokens: new Set() };
      this.families.set(id, family);
    }
    return family;
  }

  /** Revokes every access and refresh token of a family. */
  revokeFamily(state: EmulatorState, familyId: string): void {
    const family = this.family(familyId);
    family.revoked = true;
    for (const token of family.accessTokens) {
      const record = state.tokens.get(token);
      if (record !== undefined) {
        record.revoked = true;
      }
    }
  }
}
