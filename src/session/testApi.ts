/**
 * The sign-in part of the test API that `activate()` returns in extension-test mode. Host tests use it to
 * reach the session service, replace the clock, follow the SSO authorization URL themselves instead of
 * opening a browser, and shorten the callback timeout.
 */
import type * as vscode from 'vscode';
import type { Clock } from '../auth/types';
import { secretKeyOf } from './profileStore';
import type { DataStackAuthenticationProvider } from './authProvider';
import type { SessionModule } from './index';
import type { PendingSsoAttempt } from './ssoFlow';
import type { DataStackSessionService } from './sessionService';
import type { ScopeStore } from './scopeStore';
import type { SsoSeams } from './signInFlows';
import type { SecretBackend } from './secretVault';
import type { WarningPresenter } from './storageNotice';

export interface SessionTestApi {
  readonly service: DataStackSessionService;
  readonly scopes: ScopeStore;
  /** The registered `datastack` authentication provider, for the calls that would show a modal prompt. */
  readonly provider: DataStackAuthenticationProvider;
  /** Replaces the clock of token expiry and refresh; `undefined` restores the system clock. */
  setClock(clock: Clock | undefined): void;
  /** Mutable: `openBrowser` receives the authorization URL, `callbackTimeoutMs` bounds the wait. */
  readonly sso: SsoSeams;
  /** The SSO attempt in progress, e.g. to paste a redirect URL or to cancel it. */
  pendingSso(): PendingSsoAttempt | undefined;
  /** Restores the default `sso` seams (the real browser, the 5-minute timeout). */
  resetSso(): void;
  /** Reads a profile's record straight from SecretStorage, bypassing the vault. */
  storedSecret(profileId: string): Promise<string | undefined>;
  /** Writes (or with undefined, deletes) a record straight in SecretStorage, as another window would. */
  writeSecretDirectly(profileId: string, text: string | undefined): Promise<void>;
  /** Every key and value of the extension's global state, to search it for secrets. */
  globalState(): Record<string, unknown>;
  /** Writes (or with undefined, deletes) one key of the extension's global state, as an older version would. */
  writeGlobalStateDirectly(key: string, value: unknown): Promise<void>;
  /** Every key and value of the extension's workspace state, to search it for secrets. */
  workspaceState(): Record<string, unknown>;
  /** The folder of the extension's log files (the "DataStack" channel writes there). */
  readonly logUri: vscode.Uri;
  /** The "DataStack" log channel, to read its level and write a marker line. */
  readonly log: vscode.LogOutputChannel;
  /**
   * Makes the session's secret vault use `backend` (undefined restores `context.secrets`), and forgets
   * earlier storage failures and values kept in memory, as a new window would.
   */
  useSecretBackend(backend: SecretBackend | undefined): void;
  /** The real `context.secrets`, for a test backend that delegates to it. */
  readonly secretStorage: vscode.SecretStorage;
  /** Mutable: `present` shows the secret storage notifications; tests replace it to read them. */
  readonly storageNotices: { present: WarningPresenter };
  /** Restores the default storage notification presenter. */
  resetStorageNotices(): void;
  /** The status bar item of the active profile. */
  readonly statusBarItem: vscode.StatusBarItem;
  /** The number of SecretStorage reads the session's vault made so far. */
  secretReads(): number;
}

export function createSessionTestApi(module: SessionModule, context: vscode.ExtensionContext): SessionTestApi {
  const defaults = { ...module.sso };
  const defaultNotices = { ...module.storageNotices };
  return {
    service: module.service,
    scopes: module.scopes,
    provider: module.provider,
    setClock: (clock) => {
      module.clock.current = clock ?? { now: () => Date.now() };
    },
    sso: module.sso,
    pendingSso: () => module.flows.pendingSso,
    resetSso: () => {
      Object.assign(module.sso, defaults);
    },
    storedSecret: async (profileId) => context.secrets.get(secretKeyOf(profileId)),
    writeSecretDirectly: async (profileId, text) => {
      await (text === undefined ? context.secrets.delete(secretKeyOf(profileId)) : context.secrets.store(secretKeyOf(profileId), text));
    },
    globalState: () => Object.fromEntries(context.globalState.keys().map((key) => [key, context.globalState.get<unknown>(key)])),
    writeGlobalStateDirectly: async (key, value) => {
      await context.globalState.update(key, value);
    },
    workspaceState: () =>
      Object.fromEntries(context.workspaceState.keys().map((key) => [key, context.workspaceState.get<unknown>(key)])),
    logUri: context.logUri,
    log: module.log,
    useSecretBackend: (backend) => module.vault.replaceBackend(backend ?? context.secrets),
    secretStorage: context.secrets,
    storageNotices: module.storageNotices,
    resetStorageNotices: () => {
      Object.assign(module.storageNotices, defaultNotices);
    },
    statusBarItem: module.statusBarItem,
    secretReads: () => module.vault.reads,
  };
}
