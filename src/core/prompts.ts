/**
 * The seam between commands and VS Code's dialogs. Commands ask through `UserPrompts`; the extension uses
 * `vscodePrompts`, and host tests swap in scripted answers through the test API, because code-server's
 * extension-test mode refuses every modal dialog and a host test cannot type into a quick input.
 */
import * as vscode from 'vscode';

export interface UserPrompts {
  /** Shows an input box; resolves to undefined when the user dismisses it. */
  inputBox(options: vscode.InputBoxOptions): Promise<string | undefined>;
  /** Shows a quick pick of items; resolves to undefined when dismissed. */
  quickPick<T extends vscode.QuickPickItem>(items: readonly T[], options: vscode.QuickPickOptions): Promise<T | undefined>;
  /** Asks a modal yes/no question; resolves to true only when the user picks `confirmLabel`. */
  confirm(message: string, detail: string, confirmLabel: string): Promise<boolean>;
  /** Shows a save dialog; resolves to undefined when dismissed. */
  saveDialog(options: vscode.SaveDialogOptions): Promise<vscode.Uri | undefined>;
}

export const vscodePrompts: UserPrompts = {
  async inputBox(options) {
    return vscode.window.showInputBox(options);
  },
  async quickPick(items, options) {
    return vscode.window.showQuickPick(items, options);
  },
  async confirm(message, detail, confirmLabel) {
    const choice = await vscode.window.showWarningMessage(message, { modal: true, detail }, confirmLabel);
    return choice === confirmLabel;
  },
  async saveDialog(options) {
    return vscode.window.showSaveDialog(options);
  },
};

/** A mutable holder so the test API can replace the prompts after activation. */
export class PromptsHolder implements UserPrompts {
  current: UserPrompts = vscodePrompts;

  inputBox(options: vscode.InputBoxOptions): Promise<string | undefined> {
    return this.current.inputBox(options);
  }
  quickPick<T extends vscode.QuickPickItem>(items: readonly T[], options: vscode.QuickPickOptions): Promise<T | undefined> {
    return this.current.quickPick(items, options);
  }
  confirm(message: string, detail: string, confirmLabel: string): Promise<boolean> {
    return this.current.confirm(message, detail, confirmLabel);
  }
  saveDialog(options: vscode.SaveDialogOptions): Promise<vscode.Uri | undefined> {
    return this.current.saveDialog(options);
  }
}
