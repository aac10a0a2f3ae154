/**
 * Wiring of the scope-aware UI for the composition root: the missing-scope context keys, the locked
 * twins of the scoped actions and "DataStack: Show Scopes".
 */
import * as vscode from 'vscode';
import type { ScopeRegistry } from '../core/contracts';
import type { UserPrompts } from '../core/prompts';
import { type ContextKeySession, MissingScopeContextKeys } from './contextKeys';
import { SCOPED_ACTION_COMMANDS, lockedCommandId } from './lockedCommands';
import { showScopes } from './showScopes';

export { createScopeObserver } from './scopeObserver';

export interface ScopeUiDependencies {
  readonly session: ContextKeySession & { ready(): Promise<void> };
  readonly scopes: ScopeRegistry;
  readonly prompts: UserPrompts;
  readonly log: vscode.LogOutputChannel;
}

export interface ScopeUi {
  readonly contextKeys: MissingScopeContextKeys;
}

/** Registers the scope-aware UI; everything is disposed through `context.subscriptions`. */
export function registerScopeUi(context: vscode.ExtensionContext, deps: ScopeUiDependencies): ScopeUi {
  const contextKeys = new MissingScopeContextKeys(deps.session, deps.scopes, deps.log);
  context.subscriptions.push(
    contextKeys,
    vscode.commands.registerCommand('datastack.showScopes', () => showScopes(deps.session, deps.scopes, deps.prompts)),
    // The locked twin is the same action; its scope check fails it at once and shows the notification.
    ...SCOPED_ACTION_COMMANDS.map(({ command }) =>
      vscode.commands.registerCommand(lockedCommandId(command), (...args: unknown[]) => vscode.commands.executeCommand(command, ...args)),
    ),
  );
  // The active profile comes from the saved profile list, so the keys need no secret read (no `ready()`).
  void contextKeys.update();
  return { contextKeys };
}

