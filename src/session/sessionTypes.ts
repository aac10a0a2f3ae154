/** The types the session service shares with the flows, the credentials and the provider. */
import type * as vscode from 'vscode';
import type { DataStackClient } from '../api/client';
import type { Scope } from '../api/operations';
import type { SessionExpiredError } from '../auth/errors';
import type { OAuthSessionRecord, SessionRecord } from '../auth/sessionRecord';
import type { Profile, ProfileKind } from '../core/contracts';
import type { Credential } from './credential';
import type { ScopeStore } from './scopeStore';
import type { SecretVault } from './secretVault';

/** Profiles added, changed (refreshed, same id) and removed by one change. */
export interface SessionChange {
  readonly added: readonly Profile[];
  readonly changed: readonly Profile[];
  readonly removed: readonly Profile[];
}

/** What a credential reports to the service. */
export interface CredentialEvents {
  /** New tokens were obtained (in this window) or adopted (from another window). */
  readonly refreshed: () => void;
  /** The refresh token was rejected or the record is gone: the session is over. */
  readonly ended: (error: SessionExpiredError) => void;
}

/** A finished sign-in, ready to be saved. */
export interface NewSession {
  readonly host: string;
  readonly kind: ProfileKind;
  readonly identity: string | undefined;
  /** Builds the record for the profile id the service chose. */
  readonly record: (profileId: string) => SessionRecord;
  readonly held: readonly Scope[];
  readonly missing: readonly Scope[];
  /** OAuth: the granted scopes replace everything known about the profile. */
  readonly granted?: readonly string[];
}

/** The dialogs and flows that produce a {@link NewSession}; see `signInFlows.ts`. */
export interface SignInFlows {
  token(options: { readonly host?: string; readonly replacing?: Profile }): Promise<NewSession | undefined>;
  sso(options: { readonly host?: string; readonly scopes: readonly Scope[]; readonly replacing?: Profile }): Promise<NewSession | undefined>;
}

export interface SessionServiceDependencies {
  readonly globalState: vscode.Memento;
  readonly vault: SecretVault;
  readonly log: vscode.LogOutputChannel;
  readonly scopes: ScopeStore;
  readonly flows: SignInFlows;
  /** Creates the credential of a record, with callbacks for a refresh and for the session's end. */
  readonly createCredential: (record: SessionRecord, events: CredentialEvents) => Credential;
  /**
   * Creates a client for a profile whose tokens come from `credential`, which reads the profile's record on
   * its first call when it was not read yet.
   */
  readonly createClient: (profile: Profile, credential: () => Promise<Credential>) => DataStackClient;
  /** Revokes the tokens of an OAuth record at sign-out; must not throw. */
  readonly revoke: (record: OAuthSessionRecord) => Promise<void>;
  /** The scopes an SSO sign-in requests besides the profile's own, from `datastack.oauth.scopes`. */
  readonly defaultSsoScopes: () => readonly Scope[];
}
