/**
 * The status bar item of the active profile: its identity (or host) and, when the keyring failed, that
 * the sign-in lasts only for this window. It opens the session menu; signed out, it starts sign-in.
 */
import * as vscode from 'vscode';
import type { DataStackSessionService } from './sessionService';
import type { SecretVault } from './secretVault';

export const SESSION_MENU_COMMAND = 'datastack.session.menu';

/**
 * Creates the item; the returned `item` lets host tests read its text, and `update` redraws it, e.g. when
 * a secret write failed after the sign-in's events had fired.
 */
export function createSessionStatusBar(
  service: DataStackSessionService,
  vault: SecretVault,
): vscode.Disposable & { readonly item: vscode.StatusBarItem; readonly update: () => void } {
  const item = vscode.window.createStatusBarItem('datastack.session', vscode.StatusBarAlignment.Left, 50);
  item.name = vscode.l10n.t('DataStack Sign-In');
  const update = (): void => {
    const profile = service.activeProfile;
    if (profile === undefined) {
      item.text = `$(account) ${vscode.l10n.t('DataStack: Sign In')}`;
      item.tooltip = vscode.l10n.t('Sign in to DataStack');
      item.command = 'datastack.signIn';
    } else {
      const host = new URL(profile.host).host;
      const windowOnly = vault.persistent ? '' : ` ${vscode.l10n.t('(this window only)')}`;
      item.text = `$(account) ${profile.identity ?? host}${windowOnly}`;
      item.tooltip = vault.persistent
        ? vscode.l10n.t('DataStack: {0} on {1}', profile.label, host)
        : vscode.l10n.t('DataStack: {0} on {1}. The OS keyring is unavailable, so this sign-in is not saved.', profile.label, host);
      item.command = SESSION_MENU_COMMAND;
    }
    item.show();
  };
  update();
  const subscriptions = [service.onDidChangeActiveProfile(update), service.onDidChangeSessions(update)];
  const disposable = vscode.Disposable.from(item, ...subscriptions);
  return { item, update, dispose: () => disposable.dispose() };
}
