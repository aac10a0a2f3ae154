/**
 * The common path of every resource action: sign-in check, optional confirmation, progress on the view and
 * in the status bar, a brief success message, and failures handed to the error reporter with a retry.
 */
import * as vscode from 'vscode';
import type { DataStackClient } from '../api/client';
import { RequestAbortedError } from '../api/errors';
import type { OperationId } from '../api/operations';
import type { CommandContext } from './context';

/** How long a success message stays in the status bar, in milliseconds. */
export const STATUS_MESSAGE_MS = 5000;

export interface ActionOptions<T> {
  readonly viewId: string;
  readonly operation: OperationId;
  /** The resource's display name, for the progress title and the error message. */
  readonly resourceLabel: string;
  /** Progress title, e.g. "Starting SQL warehouse Analytics…". */
  readonly progressTitle: string;
  readonly run: (client: DataStackClient, signal: AbortSignal) => Promise<T>;
  /** The status bar text after success, e.g. "Started SQL warehouse Analytics". */
  readonly successMessage: (result: T) => string;
  /**
   * Shows the result in the views, e.g. a warehouse as STARTING, polled until it settles. It is part of
   * the action, so a retry (the Retry button, or the run after a granted scope) shows its result too.
   */
  readonly onSuccess?: (result: T) => void | Promise<void>;
}

/**
 * Runs an action and returns its result, or undefined when the user is signed out or the action failed
 * (the error reporter has the failure then).
 */
export async function runAction<T>(context: CommandContext, options: ActionOptions<T>): Promise<T | undefined> {
  const client = context.session.getClient();
  if (client === undefined) {
    void vscode.window.showWarningMessage(vscode.l10n.t('Sign in to DataStack first.'));
    return undefined;
  }
  const controller = new AbortController();
  let result: T;
  try {
    result = await vscode.window.withProgress({ location: { viewId: options.viewId } }, () =>
      vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: options.progressTitle }, () =>
        options.run(client, controller.signal),
      ),
    );
  } catch (error) {
    if (error instanceof RequestAbortedError || error instanceof vscode.CancellationError) {
      return undefined;
    }
    context.log.warn(`[commands] ${options.operation} failed for "${options.resourceLabel}": ${describe(error)}`);
    // Not awaited: a notification stays open until the user dismisses it, and the command is done.
    void context.errors
      .report(error, {
        operation: options.operation,
        resourceLabel: options.resourceLabel,
        retry: () => runAction(context, options),
        userInitiated: true,
      })
      .catch((reportError: unknown) => context.log.error(`[commands] error reporter failed: ${describe(reportError)}`));
    return undefined;
  }
  vscode.window.setStatusBarMessage(options.successMessage(result), STATUS_MESSAGE_MS);
  context.log.info(`[commands] ${options.operation} succeeded for "${options.resourceLabel}"`);
  try {
    await options.onSuccess?.(result);
  } catch (error) {
    // The request succeeded, so this is no failure of the action to report with a Retry.
    context.log.error(`[commands] showing the result of ${options.operation} for "${options.resourceLabel}" failed: ${describe(error)}`);
  }
  return result;
}

/** Asks before a destructive action unless `datastack.confirmDestructiveActions` is false. */
export async function confirmDestructive(context: CommandContext, message: string, detail: string, confirmLabel: string): Promise<boolean> {
  const confirm = vscode.workspace.getConfiguration('datastack').get<boolean>('confirmDestructiveActions', true);
  if (!confirm) {
    return true;
  }
  return context.prompts.confirm(message, detail, confirmLabel);
}

/** Copies an id to the clipboard and confirms it in the status bar. */
export async function copyId(id: string, what: string): Promise<void> {
  await vscode.env.clipboard.writeText(id);
  vscode.window.setStatusBarMessage(vscode.l10n.t('Copied {0} ID {1}', what, id), STATUS_MESSAGE_MS);
}

export function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
