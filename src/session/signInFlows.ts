/**
 * The sign-in flows behind the session service: the PAT dialog and the SSO attempt, each turned into a
 * {@link NewSession}. Only one SSO attempt runs at a time: starting another cancels the pending one, so a
 * callback can only ever complete the newest attempt (each attempt has its own state and listener).
 */
import type { Dispatcher } from 'undici';
import * as vscode from 'vscode';
import { DataStackClient } from '../api/client';
import { AuthenticationError, MissingScopeError } from '../api/errors';
import { normalizeHost } from '../api/host';
import { type Scope, scopeOf, scopesCover } from '../api/operations';
import type { CallbackPages } from '../auth/callbackPages';
import { createOAuthSessionRecord, SESSION_RECORD_VERSION } from '../auth/sessionRecord';
import type { TokenSet } from '../auth/tokenEndpoint';
import type { Clock } from '../auth/types';
import type { Profile } from '../core/contracts';
import type { PromptsHolder } from '../core/prompts';
import { askHost, askToken } from './patSignIn';
import type { NewSession, SignInFlows } from './sessionService';
import { type OAuthSettings, type PendingSsoAttempt, runSsoFlow } from './ssoFlow';
import type { SessionSettings } from './settings';

export interface SignInFlowDependencies {
  readonly prompts: PromptsHolder;
  readonly log: vscode.LogOutputChannel;
  readonly clock: Clock;
  readonly settings: SessionSettings;
  readonly userAgent: string;
  /** Returns the dispatcher of the token check, the code exchange and the identity request. */
  readonly dispatcher: () => Dispatcher;
  /** Test seams, replaced through the test API. */
  readonly seams: SsoSeams;
  readonly pages: () => Promise<CallbackPages | undefined>;
}

/** What host tests replace to drive the SSO flow themselves. */
export interface SsoSeams {
  /** Opens the authorization URL; default `vscode.env.openExternal`. */
  openBrowser: (url: string) => Promise<boolean>;
  /** Callback timeout in milliseconds; undefined uses the listener's 5-minute default. */
  callbackTimeoutMs: number | undefined;
}

export class DataStackSignInFlows implements SignInFlows, vscode.Disposable {
  private pending: PendingSsoAttempt | undefined;

  constructor(private readonly dependencies: SignInFlowDependencies) {}

  /** The SSO attempt in progress, for "Copy Link" and "Paste Redirect URL". */
  get pendingSso(): PendingSsoAttempt | undefined {
    return this.pending;
  }

  async token(options: { readonly host?: string; readonly replacing?: Profile }): Promise<NewSession | undefined> {
    const { prompts, log, settings, userAgent } = this.dependencies;
    const host = options.replacing?.host ?? (await askHost(prompts, options.host ?? settings.host()));
    if (host === undefined) {
      return undefined;
    }
    const checked = await askToken(
      { prompts, log, userAgent, timeoutMs: settings.requestTimeoutMs(), dispatcher: this.dependencies.dispatcher() },
      host,
    );
    if (checked === undefined) {
      return undefined;
    }
    return {
      host: checked.host,
      kind: 'pat',
      identity: checked.identity,
      held: checked.held,
      missing: checked.missing,
      record: (profileId) => ({
        v: SESSION_RECORD_VERSION,
        kind: 'pat',
        profileId,
        host: checked.host,
        accessToken: checked.token,
        scopes: [...checked.held],
      }),
    };
  }

  async sso(options: { readonly host?: string; readonly scopes: readonly Scope[]; readonly replacing?: Profile }): Promise<NewSession> {
    const { settings, log } = this.dependencies;
    // Checked before the browser opens, so that no tokens are issued for a host the client would reject.
    // An InvalidHostError is reported as an invalid datastack.host setting.
    const host = normalizeHost(options.host ?? settings.host());
    const oauth: OAuthSettings = settings.oauth();
    this.pending?.cancel();
    let own: PendingSsoAttempt | undefined;
    const tokens = await runSsoFlow(
      {
        prompts: this.dependencies.prompts,
        log,
        clock: this.dependencies.clock,
        openBrowser: (url) => this.dependencies.seams.openBrowser(url),
        dispatcher: this.dependencies.dispatcher(),
        callbackTimeoutMs: this.dependencies.seams.callbackTimeoutMs,
        pages: await this.dependencies.pages(),
      },
      oauth,
      options.scopes,
      (attempt) => {
        // A cancelled attempt ends after the next one started; it must not clear the next one.
        if (attempt !== undefined) {
          own = attempt;
          this.pending = attempt;
        } else if (this.pending === own) {
          this.pending = undefined;
        }
      },
    );
    const missingRequested = options.scopes.filter((scope) => !scopesCover(tokens.scopes, scope));
    if (missingRequested.length > 0) {
      log.warn(`[auth] the authorization server granted fewer scopes than requested; missing: ${missingRequested.join(' ')}`);
    }
    const identity = await this.fetchIdentity(host, tokens);
    return {
      host,
      kind: 'oauth',
      identity: identity.identity,
      held: identity.held,
      missing: identity.missing,
      granted: tokens.scopes,
      record: (profileId) => createOAuthSessionRecord(tokens, { profileId, host, tokenUrl: oauth.tokenUrl, clientId: oauth.clientId }),
    };
  }

  dispose(): void {
    this.pending?.cancel();
  }

  /** Asks the API who signed in; a token without `read:users` leaves the identity unknown. */
  private async fetchIdentity(host: string, tokens: TokenSet): Promise<{ identity: string | undefined; held: Scope[]; missing: Scope[] }> {
    const scope = scopeOf('getCurrentUser');
    if (!scopesCover(tokens.scopes, scope)) {
      return { identity: undefined, held: [], missing: [] };
    }
    try {
      const client = new DataStackClient({
        host,
        getToken: async () => tokens.accessToken,
        userAgent: this.dependencies.userAgent,
        timeoutMs: this.dependencies.settings.requestTimeoutMs(),
        log: this.dependencies.log,
        dispatcher: this.dependencies.dispatcher(),
      });
      const user = await client.getCurrentUser();
      return { identity: user.email ?? user.user_name, held: [scope], missing: [] };
    } catch (error) {
      if (error instanceof MissingScopeError) {
        return { identity: undefined, held: [], missing: [scope] };
      }
      const why = error instanceof AuthenticationError ? 'the new token was rejected' : (error as Error).message;
      this.dependencies.log.warn(`[auth] could not read the signed-in user: ${why}`);
      return { identity: undefined, held: [], missing: [] };
    }
  }
}
