/**
 * The seam between the error reporter and VS Code's notifications. The extension uses
 * {@link vscodeNotifier}; host tests swap in one that records what was shown and picks a button, because
 * a test cannot click a notification of the workbench.
 */
import * as vscode from 'vscode';

export interface Notifier {
  /** Shows a notification; resolves to the button picked, or undefined when it was dismissed. */
  show(severity: 'warning' | 'error', message: string, buttons: readonly string[]): Promise<string | undefined>;
}

export const vscodeNotifier: Notifier = {
  async show(severity, message, buttons) {
    return severity === 'error'
      ? vscode.window.showErrorMessage(message, ...buttons)
      : vscode.window.showWarningMessage(message, ...buttons);
  },
};

/** The seams of the error reporter, mutable so the test API can replace them after activation. */
export interface ReporterSeams {
  notifier: Notifier;
  /** Opens a web page; `vscode.env.openExternal` by default. */
  openExternal: (uri: vscode.Uri) => Thenable<boolean>;
}

export function defaultReporterSeams(): ReporterSeams {
  return { notifier: vscodeNotifier, openExternal: (uri) => vscode.env.openExternal(uri) };
}
