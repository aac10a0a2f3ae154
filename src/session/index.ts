/**
 * Wiring of sign-in for the composition root: the vault, the stores, the flows, the session service,
 * the authentication provider, the status bar item and the commands.
 */
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { Dispatcher } from 'undici';
import { DataStackClient, type DataStackClientOptions, type OperationObserver } from '../api/client';
import { type CallbackPages, loadCallbackPages } from '../auth/callbackPages';
import { FileLock } from '../auth/fileLock';
import { type Clock, systemClock } from '../auth/types';
import type { Profile } from '../core/contracts';
import type { PromptsHolder } from '../core/prompts';
import { SharedDispatcher } from '../core/sharedDispatcher';
import { AUTH_PROVIDER_ID, DataStackAuthenticationProvider } from './authProvider';
import { registerSessionCommands } from './commands';
import { type Credential, PatCredential } from './credential';
import { OAuthCredential } from './oauthCredential';
import { revokeTokens } from './revoke';
import { secretKeyOf } from './profileStore';
import { ScopeStore } from './scopeStore';
import { SecretVault } from './secretVault';
import { DataStackSessionService } from './sessionService';
import { readSessionSettings } from './settings';
import { DataStackSignInFlows, type SsoSeams } from './signInFlows';
import { createSessionStatusBar } from './statusBar';
import { type WarningPresenter, showStorageNotice, showWarning } from './storageNotice';

export { DataStackSessionService } from './sessionService';
export { ScopeStore } from './scopeStore';
export type { SsoSeams } from './signInFlows';

/** A clock that tests can replace after activation; every time read of sign-in goes through it. */
export class ClockHolder implements Clock {
  current: Clock = systemClock;

  now(): number {
    return this.current.now();
  }
}

/** The parts of sign-in that the composition root keeps and the test API exposes. */
export interface SessionModule {
  readonly service: DataStackSessionService;
  readonly scopes: ScopeStore;
  readonly flows: DataStackSignInFlows;
  readonly clock: ClockHolder;
  readonly sso: SsoSeams;
  /** The dispatcher of every API and token request, built on first use. */
  readonly network: SharedDispatcher;
  readonly provider: DataStackAuthenticationProvider;
  /** The secret storage guard; host tests swap its backend for a failing keyring. */
  readonly vault: SecretVault;
  /** Mutable: `present` shows the secret storage notifications. */
  readonly storageNotices: { present: WarningPresenter };
  readonly statusBarItem: vscode.StatusBarItem;
  readonly log: vscode.LogOutputChannel;
}

/** What other parts of the extension add to sign-in. */
export interface SessionHooks {
  /** Returns the call hooks of a profile's API client, e.g. to learn its scopes from the server's answers. */
  readonly observeClient?: (profile: Profile) => OperationObserver;
}

/** Creates and registers sign-in; everything is disposed through `context.subscriptions`. */
export function createSessionModule(
  context: vscode.ExtensionContext,
  log: vscode.LogOutputChannel,
  prompts: PromptsHolder,
  hooks: SessionHooks = {},
): SessionModule {
  const clock = new ClockHolder();
  const network = new SharedDispatcher({ log });
  const dispatcher = (): Dispatcher => network.get();

  const settings = readSessionSettings(log);
  const userAgent = `datastack-vscode/${String(context.extension.packageJSON.version)}`;
  const sso: SsoSeams = {
    openBrowser: async (url) => vscode.env.openExternal(vscode.Uri.parse(url)),
    callbackTimeoutMs: undefined,
  };
  let service: DataStackSessionService | undefined;
  let statusBar: ReturnType<typeof createSessionStatusBar> | undefined;
  const storageNotices = { present: showWarning };
  const vault = new SecretVault(context.secrets, {
    onFailure: (error) => {
      // A failed write turns the sign-in into a window-only one after the sign-in's events fired.
      statusBar?.update();
      void showStorageNotice(error, async () => service?.reload(), log, storageNotices.present);
    },
    state: context.globalState,
    log: (message) => log.info(message),
  });
  const scopes = new ScopeStore(context.globalState, log);
  let pages: Promise<CallbackPages | undefined> | undefined;
  const flows = new DataStackSignInFlows({
    prompts,
    log,
    clock,
    settings,
    userAgent,
    dispatcher,
    seams: sso,
    pages: () => (pages ??= loadCallbackPages(join(context.extensionUri.fsPath, 'media')).catch(() => undefined)),
  });
  service = new DataStackSessionService({
    globalState: context.globalState,
    vault,
    log,
    scopes,
    flows,
    defaultSsoScopes: () => settings.ssoScopes(),
    revoke: (record) => revokeTokens(record, log, dispatcher()),
    createCredential: (record, events) =>
      record.kind === 'pat'
        ? new PatCredential(record)
        : new OAuthCredential(
            record,
            {
              store: vault.storeFor(secretKeyOf(record.profileId)),
              lock: new FileLock({ dir: context.globalStorageUri.fsPath, name: `session-${record.profileId}`, log }),
              clock,
              log,
              dispatcher,
            },
            events,
          ),
    createClient: (profile, credential) =>
      createClient(
        profile,
        credential,
        { userAgent, timeoutMs: settings.requestTimeoutMs(), log, dispatcher: dispatcher() },
        hooks.observeClient?.(profile),
      ),
  });
  const provider = new DataStackAuthenticationProvider(service, scopes, log);
  statusBar = createSessionStatusBar(service, vault);
  context.subscriptions.push(
    network,
    service,
    scopes,
    flows,
    provider,
    vscode.authentication.registerAuthenticationProvider(AUTH_PROVIDER_ID, 'DataStack', provider, { supportsMultipleAccounts: true }),
    statusBar,
    registerSessionCommands({ service, flows, prompts, log }),
  );
  // No `service.ready()` here: activation reads only the profile list; records are read on first need.
  return { service, scopes, flows, clock, sso, network, provider, vault, storageNotices, statusBarItem: statusBar.item, log };
}

/**
 * Creates the API client of a profile. The token sent with each call is remembered per call (by its
 * abort signal), so that a 401 refreshes only when the rejected token is still the current one.
 */
function createClient(
  profile: Profile,
  credential: () => Promise<Credential>,
  options: Pick<DataStackClientOptions, 'userAgent' | 'timeoutMs' | 'log' | 'dispatcher'>,
  observer: OperationObserver | undefined,
): DataStackClient {
  const sent = new WeakMap<AbortSignal, string>();
  return new DataStackClient({
    ...options,
    host: profile.host,
    getToken: async (signal) => {
      const token = await (await credential()).accessToken(signal);
      sent.set(signal, token);
      return token;
    },
    onAuthenticationFailure: async (_error, signal) => (await credential()).recover(sent.get(signal), signal),
    ...(observer !== undefined ? { observer } : {}),
  });
}
