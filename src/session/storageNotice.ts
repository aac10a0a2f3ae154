/** The notification for a SecretStorage failure: what happened, what it means, and what to do. */
import * as vscode from 'vscode';
import type { SecretStorageError } from './errors';

const KEYRING_HELP_URL = 'https://code.visualstudio.com/docs/configure/settings-sync#_troubleshooting-keychain-issues';

/** Shows a warning notification and returns the button chosen; host tests replace it to read the message. */
export type WarningPresenter = (message: string, ...buttons: string[]) => PromiseLike<string | undefined>;

export const showWarning: WarningPresenter = (message, ...buttons) => vscode.window.showWarningMessage(message, ...buttons);

export async function showStorageNotice(
  error: SecretStorageError,
  retry: () => Promise<void>,
  log: vscode.LogOutputChannel,
  present: WarningPresenter = showWarning,
): Promise<void> {
  log.error(`[auth] ${error.message}${error.cause instanceof Error ? ` ${error.cause.message}` : ''}`);
  const fix =
    process.platform === 'linux'
      ? vscode.l10n.t('Install and unlock gnome-keyring (or another Secret Service), or start VS Code with --password-store=basic.')
      : vscode.l10n.t('Unlock the OS keychain and check that VS Code may use it.');
  let message: string;
  switch (error.failure) {
    case 'write-failed':
      message = vscode.l10n.t('DataStack could not save your sign-in in the OS keyring, so it lasts only until this window closes. {0}', fix);
      break;
    case 'write-timeout':
      message = vscode.l10n.t(
        'The OS keyring did not respond in time (it may be locked), so your DataStack sign-in lasts only until this window closes. {0}',
        fix,
      );
      break;
    case 'delete-failed':
    case 'delete-timeout':
      message = vscode.l10n.t(
        'DataStack could not delete a saved sign-in from the OS keyring, so its token stays there for now. DataStack tries again when VS Code starts and at your next sign-in. {0}',
        fix,
      );
      break;
    case 'read-timeout':
      message = vscode.l10n.t('The OS keyring did not respond in time (it may be locked), so DataStack starts signed out. {0}', fix);
      break;
    case 'read-failed':
      message = vscode.l10n.t('DataStack could not read your saved sign-in from the OS keyring, so it starts signed out. {0}', fix);
      break;
  }
  const learnMore = vscode.l10n.t('Learn More');
  const retryLabel = vscode.l10n.t('Retry');
  const writeFailure = error.failure === 'write-failed' || error.failure === 'write-timeout';
  const buttons = writeFailure ? [learnMore] : [retryLabel, learnMore];
  const choice = await present(message, ...buttons);
  if (choice === learnMore) {
    await vscode.env.openExternal(vscode.Uri.parse(KEYRING_HELP_URL));
  } else if (choice === retryLabel) {
    await retry();
  }
}
