/**
 * The `datastack` authentication provider: DataStack sign-ins in VS Code's Accounts menu, and sessions
 * for other extensions through `vscode.authentication.getSession('datastack', scopes)`. One profile is
 * one account and one session, whose id is the profile id; a refresh keeps the id and fires `changed`.
 */
import * as vscode from 'vscode';
import { SessionExpiredError } from '../auth/errors';
import type { Profile } from '../core/contracts';
import { coversRequest, parseScopeRequest } from './scopeRequest';
import type { ScopeStore } from './scopeStore';
import type { DataStackSessionService, SessionChange } from './sessionService';

export const AUTH_PROVIDER_ID = 'datastack';

export class DataStackAuthenticationProvider implements vscode.AuthenticationProvider, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<vscode.AuthenticationProviderAuthenticationSessionsChangeEvent>();
  readonly onDidChangeSessions = this.emitter.event;
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly service: DataStackSessionService,
    private readonly scopes: ScopeStore,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.subscription = service.onDidChangeSessions((change) => this.forward(change));
  }

  /** Returns the sessions whose scopes cover `scopes` (all sessions when undefined), refreshing tokens that are due. */
  async getSessions(
    scopes: readonly string[] | undefined,
    options?: vscode.AuthenticationProviderSessionOptions,
  ): Promise<vscode.AuthenticationSession[]> {
    await this.service.loadAll();
    const sessions: vscode.AuthenticationSession[] = [];
    for (const profile of this.service.profiles) {
      if (options?.account !== undefined && options.account.id !== profile.id) {
        continue;
      }
      const held = this.heldScopes(profile);
      if (scopes !== undefined && !coversRequest(held, scopes)) {
        continue;
      }
      const session = await this.sessionOf(profile);
      if (session !== undefined) {
        sessions.push(session);
      }
    }
    this.log.debug(`[auth] getSessions(${scopes?.join(' ') ?? 'all'}): ${sessions.length} session(s)`);
    return sessions;
  }

  /**
   * Runs SSO for the requested scopes. With an account (or an SSO profile for the configured host), the
   * profile's known scopes are requested too, so the new token keeps what the old one could do.
   */
  async createSession(scopes: readonly string[], options?: vscode.AuthenticationProviderSessionOptions): Promise<vscode.AuthenticationSession> {
    const request = parseScopeRequest(scopes);
    if (request.unknown.length > 0) {
      throw new Error(vscode.l10n.t('Unknown DataStack scope: {0}.', request.unknown.join(', ')));
    }
    await this.service.ready();
    const account = options?.account;
    const existing = this.service.profiles.find(
      (profile) => profile.kind === 'oauth' && (account === undefined ? profile.id === this.service.activeProfile?.id : profile.id === account.id),
    );
    const profile = await this.service.signInWithSso({
      additionalScopes: request.scopes,
      ...(existing !== undefined ? { profileId: existing.id } : {}),
    });
    if (profile === undefined) {
      throw new vscode.CancellationError();
    }
    const session = await this.sessionOf(profile);
    if (session === undefined) {
      throw new Error(vscode.l10n.t('The DataStack sign-in ended before its session could be used.'));
    }
    return session;
  }

  async removeSession(sessionId: string): Promise<void> {
    await this.service.signOut(sessionId);
  }

  dispose(): void {
    this.subscription.dispose();
    this.emitter.dispose();
  }

  private heldScopes(profile: Profile): Set<string> {
    const credential = this.service.credentialOf(profile.id);
    return new Set<string>([...(credential?.record.scopes ?? []), ...this.scopes.held(profile.id)]);
  }

  private async sessionOf(profile: Profile): Promise<vscode.AuthenticationSession | undefined> {
    const credential = this.service.credentialOf(profile.id);
    if (credential === undefined) {
      return undefined;
    }
    try {
      const accessToken = await credential.accessToken();
      return this.snapshot(profile, accessToken);
    } catch (error) {
      if (error instanceof SessionExpiredError) {
        return undefined;
      }
      throw error;
    }
  }

  private snapshot(profile: Profile, accessToken: string): vscode.AuthenticationSession {
    return {
      id: profile.id,
      accessToken,
      account: { id: profile.id, label: profile.label },
      scopes: [...this.heldScopes(profile)],
    };
  }

  private forward(change: SessionChange): void {
    const toSession = (profile: Profile): vscode.AuthenticationSession =>
      this.snapshot(profile, this.service.credentialOf(profile.id)?.record.accessToken ?? '');
    this.emitter.fire({
      added: change.added.map(toSession),
      changed: change.changed.map(toSession),
      removed: change.removed.map(toSession),
    });
  }
}
