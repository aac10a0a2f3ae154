/**
 * A minimal error reporter used until the real one is wired in: it logs the failure and shows one plain
 * message with a Show Log button.
 *
 * TODO: the scope-aware error handler replaces this through the composition root; it adds the scope,
 * profile and fix buttons, and collapses repeated failures.
 */
import * as vscode from 'vscode';
import { DataStackError, MissingScopeError } from '../api/errors';
import type { ActionContext, ErrorReporter } from '../core/contracts';

export class FallbackErrorReporter implements ErrorReporter {
  constructor(private readonly log: vscode.LogOutputChannel) {}

  async report(error: unknown, context: ActionContext): Promise<void> {
    const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    this.log.error(`[errors] ${context.operation} failed${context.resourceLabel ? ` for "${context.resourceLabel}"` : ''}: ${detail}`);
    const showLog = vscode.l10n.t('Show Log');
    const message =
      error instanceof MissingScopeError
        ? vscode.l10n.t('This action needs the {0} scope, which your DataStack sign-in does not have.', error.requiredScope)
        : error instanceof DataStackError
          ? vscode.l10n.t('The DataStack action {0} failed on {1}.', context.operation, error.host)
          : vscode.l10n.t('The DataStack action {0} failed.', context.operation);
    const choice = await vscode.window.showErrorMessage(message, showLog);
    if (choice === showLog) {
      this.log.show(true);
    }
  }
}
