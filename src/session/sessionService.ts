/**
 * The session service: the saved profiles, their credentials, the active profile and a client for it.
 *
 * Non-secret profile data lives in global state, credentials only in SecretStorage as the versioned
 * session record of `src/auth/sessionRecord.ts`, one key per profile. The profile list is read when the
 * service is created, and a profile's record on first need (`ready()` for the active profile, a client's
 * first token, the authentication provider), so that activation reads no secret. Other windows write the same
 * storage. So when one of our secret keys changes, this window re-reads the key and fires events only for
 * what really changed. For its own changes, this window fires the events directly.
 */
import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import type { DataStackClient } from '../api/client';
import { InvalidHostError } from '../api/errors';
import type { Scope } from '../api/operations';
import { SessionExpiredError } from '../auth/errors';
import { type SessionRecord, serializeSessionRecord } from '../auth/sessionRecord';
import type { Profile, ProfileKind, SessionService } from '../core/contracts';
import type { Credential } from './credential';
import { ProfileCredentials } from './profileCredentials';
import { type ProfileList, withActiveProfile, withoutProfile } from './profileRecords';
import { ProfileStore, SECRET_KEY_PREFIX, secretKeyOf } from './profileStore';
import { type SignInStorage, readProfileRecord, writeSignIn } from './signInStorage';
import type { NewSession, SessionChange, SessionServiceDependencies } from './sessionTypes';

export type { CredentialEvents, NewSession, SessionChange, SessionServiceDependencies, SignInFlows } from './sessionTypes';

/** Returns the label the UI shows for a profile, e.g. `ada@example.com (SSO)`. */
export function profileLabel(kind: ProfileKind, identity: string | undefined, host: string): string {
  const who = identity ?? new URL(host).host;
  return kind === 'oauth' ? vscode.l10n.t('{0} (SSO)', who) : vscode.l10n.t('{0} (token)', who);
}

export class DataStackSessionService implements SessionService<DataStackClient>, vscode.Disposable {
  private readonly activeEmitter = new vscode.EventEmitter<Profile | undefined>();
  private readonly sessionsEmitter = new vscode.EventEmitter<SessionChange>();
  readonly onDidChangeActiveProfile = this.activeEmitter.event;
  /** Fires for changes made in this window and, after re-reading storage, in other windows. */
  readonly onDidChangeSessions = this.sessionsEmitter.event;

  private readonly store: ProfileStore;
  private readonly storage: SignInStorage;
  private readonly credentials: ProfileCredentials;
  private list: ProfileList;
  private cachedClient: { readonly profile: Profile; readonly client: DataStackClient } | undefined;
  private loading: Promise<void> | undefined;
  private readonly subscriptions: vscode.Disposable[] = [];
  /** Profiles whose client could not be created, so the failure is reported only once. */
  private readonly unusableReported = new Set<string>();
  /** Profiles whose record this window is writing; their change events are this window's own. */
  private readonly saving = new Set<string>();

  constructor(private readonly dependencies: SessionServiceDependencies) {
    this.store = new ProfileStore(dependencies.globalState, dependencies.log);
    this.list = this.store.read();
    this.storage = { store: this.store, vault: dependencies.vault, log: dependencies.log };
    this.credentials = new ProfileCredentials(
      this.storage,
      (record) => this.newCredential(record),
      (profileId) => this.list.profiles.some((profile) => profile.id === profileId),
    );
    const subscription = dependencies.vault.onDidChange(SECRET_KEY_PREFIX, (key) => {
      void this.syncKey(key);
    });
    this.subscriptions.push(new vscode.Disposable(() => subscription.dispose()));
  }

  /**
   * The signed-in profiles, in the order they were added. A profile whose record was not read yet counts as
   * signed in; one whose read failed does not.
   */
  get profiles(): readonly Profile[] {
    return this.list.profiles.filter((profile) => !this.credentials.readFailed(profile.id));
  }

  get activeProfile(): Profile | undefined {
    const id = this.list.activeId;
    return this.profiles.find((profile) => profile.id === id);
  }

  /**
   * Resolves once the active profile's record was read, or the profiles without a readable record were
   * signed out. Each read is time-bounded, so this never hangs.
   */
  ready(): Promise<void> {
    this.loading ??= this.loadActive().finally(() => {
      this.loading = undefined;
    });
    return this.loading;
  }

  /** Reads the profile list and the active profile's record again, e.g. after the user unlocked the keyring. */
  async reload(): Promise<void> {
    await this.loading?.catch(() => undefined);
    const before = this.activeProfile;
    this.credentials.clear();
    this.cachedClient = undefined;
    this.list = this.store.read();
    // The listed active profile is announced at once, like at activation; its record is read next.
    const listed = this.activeProfile;
    this.loading = this.loadActive(listed).finally(() => {
      this.loading = undefined;
    });
    if (before !== listed) {
      this.activeEmitter.fire(listed);
    }
    await this.loading;
  }

  /** Reads the record of every saved profile not read yet, e.g. to list them all as sessions. */
  async loadAll(): Promise<void> {
    await this.ready();
    await Promise.all(this.profiles.filter((profile) => !this.credentials.has(profile.id)).map((profile) => this.loadRecord(profile.id)));
  }

  /** Returns the credential of a signed-in profile. */
  credentialOf(profileId: string): Credential | undefined {
    return this.credentials.get(profileId);
  }

  getClient(): DataStackClient | undefined {
    const profile = this.activeProfile;
    if (profile === undefined) {
      return undefined;
    }
    if (this.cachedClient?.profile !== profile) {
      let client: DataStackClient;
      try {
        client = this.dependencies.createClient(profile, () => this.requireCredential(profile));
      } catch (error) {
        // A saved profile whose host the client rejects (saved by an older version) must not break
        // every view that asks for a client. It is reported once and treated as signed out.
        this.reportUnusableProfile(profile, error);
        return undefined;
      }
      this.cachedClient = { profile, client };
    }
    return this.cachedClient.client;
  }

  async signInWithToken(options: { readonly host?: string; readonly replaceProfileId?: string } = {}): Promise<Profile | undefined> {
    await this.ready();
    const replacing = options.replaceProfileId === undefined ? undefined : this.store.find(options.replaceProfileId);
    const session = await this.dependencies.flows.token({
      ...(options.host !== undefined ? { host: options.host } : {}),
      ...(replacing !== undefined ? { replacing } : {}),
    });
    return session === undefined ? undefined : this.save(session, replacing?.id);
  }

  async signInWithSso(
    options: { readonly host?: string; readonly additionalScopes?: readonly Scope[]; readonly profileId?: string } = {},
  ): Promise<Profile | undefined> {
    await this.ready();
    const replacing = options.profileId === undefined ? undefined : this.profiles.find((profile) => profile.id === options.profileId);
    const scopes = new Set<Scope>(this.dependencies.defaultSsoScopes());
    for (const scope of replacing === undefined ? [] : this.dependencies.scopes.held(replacing.id)) {
      scopes.add(scope);
    }
    for (const scope of options.additionalScopes ?? []) {
      scopes.add(scope);
    }
    const host = options.host ?? replacing?.host;
    const session = await this.dependencies.flows.sso({
      scopes: [...scopes],
      ...(host !== undefined ? { host } : {}),
      ...(replacing !== undefined ? { replacing } : {}),
    });
    return session === undefined ? undefined : this.save(session, replacing?.id);
  }

  /** Makes a signed-in profile the active one. */
  async switchProfile(profileId: string): Promise<void> {
    const profile = this.profiles.find((known) => known.id === profileId);
    if (profile === undefined || this.list.activeId === profileId) {
      return;
    }
    await this.loadRecord(profileId);
    if (!this.credentials.has(profileId)) {
      this.dependencies.log.warn(`[auth] profile ${profileId} has no readable saved sign-in; not switching to it`);
      void vscode.window.showWarningMessage(
        vscode.l10n.t('The saved DataStack sign-in "{0}" could not be read. Sign in again.', profile.label),
      );
      return;
    }
    this.list = { ...this.list, activeId: profileId };
    await this.store.write(this.list);
    this.dependencies.log.info(`[auth] switched to profile ${profileId}`);
    this.activeEmitter.fire(profile);
  }

  /**
   * Signs a profile out completely: stops its refresh timer and pending work, deletes its secret record,
   * forgets its scopes and fires `removed`. With `revoke`, OAuth tokens are then revoked at the server,
   * best effort and without waiting: the sign-out succeeds even when revocation fails.
   */
  async signOut(profileId: string, options: { readonly revoke: boolean } = { revoke: true }): Promise<Profile | undefined> {
    const profile = this.list.profiles.find((known) => known.id === profileId);
    if (profile === undefined) {
      return undefined;
    }
    const wasActive = this.list.activeId === profileId;
    if (options.revoke && !this.credentials.has(profileId)) {
      // The record was not read yet, and revoking needs its tokens.
      await this.loadRecord(profileId);
    }
    const record = this.credentials.get(profileId)?.record;
    this.forgetCredential(profileId);
    this.list = withoutProfile(this.list, profileId);
    await this.store.write(this.list);
    // A failed delete is recorded by the vault, reported to the user and retried at the next load or sign-in.
    const deleted = await this.dependencies.vault.delete(secretKeyOf(profileId));
    this.dependencies.scopes.forget(profileId);
    this.dependencies.log.info(
      `[auth] signed out of profile ${profileId} (${profile.kind}, ${profile.host})${deleted ? '' : '; deleting its secret failed and is retried later'}`,
    );
    if (options.revoke && record?.kind === 'oauth') {
      void this.dependencies.revoke(record);
    }
    this.sessionsEmitter.fire({ added: [], changed: [], removed: [profile] });
    if (wasActive) {
      this.activeEmitter.fire(this.activeProfile);
    }
    return profile;
  }

  dispose(): void {
    this.credentials.clear();
    vscode.Disposable.from(...this.subscriptions, this.activeEmitter, this.sessionsEmitter).dispose();
  }

  /** Ends a session whose refresh token was rejected: like sign-out, plus one "Sign In Again" notification. */
  async endExpiredSession(profileId: string, error: SessionExpiredError): Promise<void> {
    const profile = await this.signOut(profileId, { revoke: false });
    if (profile === undefined) {
      return;
    }
    this.dependencies.log.warn(`[auth] ${error.message}`);
    const again = vscode.l10n.t('Sign In Again');
    const choice = await vscode.window.showWarningMessage(
      vscode.l10n.t('Your DataStack sign-in {0} for {1} has expired.', profile.label, profile.host),
      again,
    );
    if (choice === again) {
      await (profile.kind === 'oauth' ? this.signInWithSso({ host: profile.host }) : this.signInWithToken({ host: profile.host }));
    }
  }

  private async save(session: NewSession, replaceId: string | undefined): Promise<Profile> {
    const id = replaceId ?? randomUUID();
    const record = session.record(id);
    const profile: Profile = {
      id,
      host: session.host,
      kind: session.kind,
      identity: session.identity,
      label: profileLabel(session.kind, session.identity, session.host),
    };
    const existed = this.profiles.some((known) => known.id === id);
    this.forgetCredential(id);
    this.list = withActiveProfile(this.list, profile);
    // The views start loading with the new profile while its record is written, so the record must be
    // readable from the vault before the write finishes.
    this.dependencies.vault.holdInMemory(secretKeyOf(id), serializeSessionRecord(record));
    const credential = this.credentials.keep(record);
    this.saving.add(id);
    const persisted = writeSignIn(this.storage, profile, record, {
      list: () => this.list,
      isCurrent: () => this.credentials.get(id) === credential,
    }).finally(() => {
      this.saving.delete(id);
    });
    if (session.granted !== undefined) {
      this.dependencies.scopes.recordGrant(id, session.granted);
    }
    for (const scope of session.held) {
      this.dependencies.scopes.record(id, scope, 'held');
    }
    for (const scope of session.missing) {
      this.dependencies.scopes.record(id, scope, 'missing');
    }
    this.dependencies.log.info(`[auth] signed in: profile ${id} (${profile.kind}, ${profile.host}, scopes ${record.scopes.join(' ') || 'none known'})`);
    this.sessionsEmitter.fire(existed ? { added: [], changed: [profile], removed: [] } : { added: [profile], changed: [], removed: [] });
    this.activeEmitter.fire(profile);
    await persisted;
    void this.dependencies.vault.retryPendingDeletes();
    return profile;
  }

  private reportUnusableProfile(profile: Profile, error: unknown): void {
    if (this.unusableReported.has(profile.id)) {
      return;
    }
    this.unusableReported.add(profile.id);
    const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    this.dependencies.log.error(`[auth] the saved profile ${profile.id} cannot be used: ${detail}`);
    const message =
      error instanceof InvalidHostError
        ? vscode.l10n.t('The saved DataStack sign-in "{0}" cannot be used because its host is invalid: {1}. Sign out of it and sign in again.', profile.label, error.reason)
        : vscode.l10n.t('The saved DataStack sign-in "{0}" cannot be used. The log has the details.', profile.label);
    void vscode.window.showErrorMessage(message);
  }

  private newCredential(record: SessionRecord): Credential {
    const profileId = record.profileId;
    return this.dependencies.createCredential(record, {
      refreshed: () => {
        const profile = this.profiles.find((known) => known.id === profileId);
        const record = this.credentials.get(profileId)?.record;
        if (record?.kind === 'oauth') {
          this.dependencies.scopes.recordGrant(profileId, record.scopes);
        }
        if (profile !== undefined) {
          this.sessionsEmitter.fire({ added: [], changed: [profile], removed: [] });
        }
      },
      ended: (error) => void this.endExpiredSession(profileId, error),
    });
  }

  private forgetCredential(profileId: string): void {
    this.credentials.forget(profileId);
    if (this.cachedClient?.profile.id === profileId) {
      this.cachedClient = undefined;
    }
  }

  /**
   * Reads the active profile's record. A profile without a readable record is signed out and the next
   * one becomes active; one whose read failed stays saved but counts as signed out. Fires the change of
   * the active profile relative to `before`.
   */
  private async loadActive(before = this.activeProfile): Promise<void> {
    // Not awaited: a hung keyring must not hold up the loading of profiles.
    void this.dependencies.vault.retryPendingDeletes();
    for (;;) {
      const active = this.activeProfile;
      if (active === undefined) {
        const next = this.profiles[0];
        if (next === undefined) {
          break;
        }
        this.list = { ...this.list, activeId: next.id };
        continue;
      }
      if (this.credentials.has(active.id)) {
        break;
      }
      await this.loadRecord(active.id);
    }
    if (before !== this.activeProfile) {
      this.activeEmitter.fire(this.activeProfile);
    }
  }

  /** Reads a profile's record and keeps its credential; a profile whose record is gone is signed out. */
  private async loadRecord(profileId: string): Promise<void> {
    const known = this.credentials.has(profileId);
    const outcome = await this.credentials.load(profileId);
    if (!known) {
      this.dependencies.log.info(`[auth] read the saved sign-in of profile ${profileId}: ${outcome}`);
    }
    if (outcome === 'missing' && this.list.profiles.some((profile) => profile.id === profileId)) {
      this.list = withoutProfile(this.list, profileId);
      this.dependencies.log.info(`[auth] profile ${profileId} has no saved record; it is signed out`);
      await this.store.write(this.list);
    }
  }

  /** Returns the credential of a profile, reading its record first when needed; for a client's token getter. */
  private async requireCredential(profile: Profile): Promise<Credential> {
    if (!this.credentials.has(profile.id)) {
      await (profile.id === this.list.activeId ? this.ready() : this.loadRecord(profile.id));
    }
    const credential = this.credentials.get(profile.id);
    if (credential === undefined) {
      throw new SessionExpiredError(profile.host, profile.id, 'missing');
    }
    return credential;
  }

  /** Follows a secret change from this or another window: re-reads the key and fires only real changes. */
  private async syncKey(key: string): Promise<void> {
    await this.ready();
    const profileId = key.slice(SECRET_KEY_PREFIX.length);
    if (this.saving.has(profileId)) {
      return;
    }
    const record = await readProfileRecord(this.storage, profileId);
    if (this.saving.has(profileId)) {
      return;
    }
    if (record === 'storage-failed') {
      return;
    }
    const credential = this.credentials.get(profileId);
    const listed = this.list.profiles.some((known) => known.id === profileId);
    if (record === undefined) {
      if (credential !== undefined || listed) {
        this.dependencies.log.info(`[auth] profile ${profileId} was signed out in another window`);
        await this.signOut(profileId, { revoke: false });
      }
      return;
    }
    if (credential !== undefined) {
      if (credential.adopt(record)) {
        const profile = this.profiles.find((known) => known.id === profileId);
        if (profile !== undefined) {
          this.sessionsEmitter.fire({ added: [], changed: [profile], removed: [] });
        }
      }
      return;
    }
    if (listed && !this.credentials.readFailed(profileId)) {
      // A saved profile whose record this window had not read yet: it was already listed as signed in.
      this.credentials.keep(record);
      return;
    }
    // A sign-in from another window: its profile list entry was written before the secret.
    const profile = this.store.find(profileId);
    if (profile === undefined) {
      this.dependencies.log.warn(`[auth] a sign-in from another window has no saved profile yet: ${profileId}`);
      return;
    }
    const before = this.activeProfile;
    this.credentials.forget(profileId);
    this.list = {
      activeId: before?.id ?? profileId,
      profiles: [...this.list.profiles.filter((known) => known.id !== profileId), profile],
    };
    this.credentials.keep(record);
    this.dependencies.log.info(`[auth] profile ${profileId} was signed in from another window`);
    this.sessionsEmitter.fire({ added: [profile], changed: [], removed: [] });
    if (before === undefined) {
      this.activeEmitter.fire(this.activeProfile);
    }
  }
}
