import * as vscode from 'vscode';
import { closeSharedAgent } from './api/http';
import { PromptsHolder } from './core/prompts';
import { createSessionModule } from './session';
import { type SessionTestApi, createSessionTestApi } from './session/testApi';
import { type ReporterSeams, type ScopeAwareErrorReporter, createErrorReporter } from './errors';
import { createScopeObserver, registerScopeUi } from './scopes';
import type { MissingScopeContextKeys } from './scopes/contextKeys';
import { type Sidebar, registerSidebar } from './views/sidebar';

/**
 * What `activate()` returns in extension-test mode only (`context.extensionMode === Test`), for host tests:
 * - `prompts`: the dialog seam; set `prompts.current` to scripted answers.
 * - `session`: the session service, the scope store, `setClock`, the SSO seams (`openBrowser` to follow
 *   the authorization URL without a browser, `callbackTimeoutMs`) and the pending SSO attempt.
 */
export interface ExtensionTestApi {
  readonly prompts: PromptsHolder;
  readonly session: SessionTestApi;
  /** The sidebar's trees, poller and notebook documents. */
  readonly sidebar: Sidebar;
  /** The error reporter, its mutable seams (notifier, `openExternal`) and the missing-scope context keys. */
  readonly errors: {
    readonly reporter: ScopeAwareErrorReporter;
    readonly seams: ReporterSeams;
    readonly contextKeys: MissingScopeContextKeys;
  };
  /** Milliseconds this `activate()` call took, measured with `performance.now()`, for the benchmark. */
  readonly activateMs: number;
}

/** Composition root: creates the log channel and registers everything else; makes no network request. */
export function activate(context: vscode.ExtensionContext): ExtensionTestApi | undefined {
  const started = performance.now();
  const log = vscode.window.createOutputChannel('DataStack', { log: true });
  context.subscriptions.push(log);
  context.subscriptions.push(vscode.commands.registerCommand('datastack.showLog', () => log.show(true)));
  const prompts = new PromptsHolder();
  // The observer is created per client, after `session` exists: each call teaches the scope store.
  const session = createSessionModule(context, log, prompts, {
    observeClient: (profile) => createScopeObserver(session.scopes, profile),
  });
  const { reporter, seams } = createErrorReporter(context, { session: session.service, scopes: session.scopes, log });
  const scopeUi = registerScopeUi(context, { session: session.service, scopes: session.scopes, prompts, log });
  const sidebar = registerSidebar(context, { session: session.service, errors: reporter, prompts, log });

  if (context.extensionMode === vscode.ExtensionMode.Test) {
    const activateMs = performance.now() - started;
    return {
      prompts,
      session: createSessionTestApi(session, context),
      sidebar,
      errors: { reporter, seams, contextKeys: scopeUi.contextKeys },
      activateMs,
    };
  }
  return undefined;
}

/**
 * Closes the shared keep-alive agent, the default of clients and token requests given no dispatcher.
 * Everything else, the proxy-aware dispatcher included, is disposed through `context.subscriptions`.
 */
export async function deactivate(): Promise<void> {
  await closeSharedAgent();
}
