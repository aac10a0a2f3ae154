/**
 * Interfaces shared by the sign-in, sidebar and error-reporting parts of the extension. Each part
 * implements or consumes these, so the composition root in `extension.ts` can wire them together and
 * host tests can reach them through the test API.
 */
import type * as vscode from 'vscode';
import type { OperationId, Scope } from '../api/operations';

export type ProfileKind = 'pat' | 'oauth';

/** One sign-in: non-secret data only. Secrets live in SecretStorage, keyed by `id`. */
export interface Profile {
  readonly id: string;
  /** Normalised API host, e.g. `https://api.datastack.cloud`. */
  readonly host: string;
  readonly kind: ProfileKind;
  /** Display label in the UI, e.g. `ada@example.com (SSO)`. */
  readonly label: string;
  /** The user name or e-mail, when the server returned it. */
  readonly identity: string | undefined;
}

export type ScopeStatus = 'held' | 'missing' | 'unknown';

/** Known status of each scope of each profile, kept with the profile across restarts. */
export interface ScopeRegistry {
  readonly onDidChange: vscode.Event<string>;
  status(profileId: string, scope: Scope): ScopeStatus;
  record(profileId: string, scope: Scope, status: Exclude<ScopeStatus, 'unknown'>): void;
}

/** The action a command was running when it failed, so the error message can name it and retry it. */
export interface ActionContext {
  readonly operation: OperationId;
  /** The resource's display name, e.g. `Analytics`. */
  readonly resourceLabel?: string;
  /** Runs the action again; offered as "Retry" and run once after a successful incremental consent. */
  readonly retry?: () => Promise<unknown>;
  /**
   * True when the user just started the action, e.g. clicked it. Its failure is then always shown, never
   * collapsed into an earlier notification; failures of views and polling leave this unset.
   */
  readonly userInitiated?: boolean;
}

/** Turns any failure into one notification with the actions that fix it. */
export interface ErrorReporter {
  report(error: unknown, context: ActionContext): Promise<void>;
}

/**
 * The active sign-in and a client for it. Implemented by the sign-in part; the views and commands
 * consume it. `Client` is `DataStackClient` from `src/api/client.ts`.
 */
export interface SessionService<Client> {
  readonly onDidChangeActiveProfile: vscode.Event<Profile | undefined>;
  readonly activeProfile: Profile | undefined;
  /**
   * Resolves once the active profile's stored sign-in has been read (time-bounded), so views know whether
   * to show welcome content. `activeProfile` is known before, from the non-secret profile list.
   */
  ready(): Promise<void>;
  /** A client for the active profile with tokens refreshed as needed; undefined when signed out. */
  getClient(): Client | undefined;
  signInWithToken(options?: { readonly host?: string; readonly replaceProfileId?: string }): Promise<Profile | undefined>;
  signInWithSso(options?: {
    readonly host?: string;
    readonly additionalScopes?: readonly Scope[];
    readonly profileId?: string;
  }): Promise<Profile | undefined>;
}
