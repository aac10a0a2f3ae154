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
  /** The folder of the extension's log files (the "DataStack" channel writes there). */
  readonly logUri: vscode.Uri;
}

export function createSessionTestApi(module: SessionModule, context: vscode.ExtensionContext): SessionTestApi {
  const defaults = { ...module.sso };
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
    logUri: context.logUri,
  };
}
