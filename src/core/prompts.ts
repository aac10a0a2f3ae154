/**
 * The seam between commands and VS Code's dialogs. Commands ask through `UserPrompts`; the extension uses
 * `vscodePrompts`, and host tests swap in scripted answers through the test API, because code-server's
 * extension-test mode refuses every modal dialog and a host test cannot type into a quick input.
 */
import * as vscode from 'vscode';

/** What the accept check of {@link UserPrompts.validatedInputBox} decided about the entered value. */
export type InputCheckOutcome<R> = { readonly error: string } | { readonly result: R };

export interface UserPrompts {
  /** Shows an input box; resolves to undefined when the user dismisses it. */
  inputBox(options: vscode.InputBoxOptions): Promise<string | undefined>;
  /** Shows a quick pick of items; resolves to undefined when dismissed. */
  quickPick<T extends vscode.QuickPickItem>(items: readonly T[], options: vscode.QuickPickOptions): Promise<T | undefined>;
  /** Asks a modal yes/no question; resolves to true only when the user picks `confirmLabel`. */
  confirm(message: string, detail: string, confirmLabel: string): Promise<boolean>;
  /** Shows a save dialog; resolves to undefined when dismissed. */
  saveDialog(options: vscode.SaveDialogOptions): Promise<vscode.Uri | undefined>;
  /**
   * Shows an input box whose accept runs the async `check` while the box shows a busy indicator. An
   * `error` outcome keeps the box open with the value and the message; a `result` closes it and resolves
   * to the result. Resolves to undefined when dismissed; a `check` that throws closes the box and rejects.
   * Optional so that scripted prompts may omit it: `PromptsHolder` then asks again through `inputBox`.
   */
  validatedInputBox?<R>(
    options: vscode.InputBoxOptions,
    check: (value: string) => Promise<InputCheckOutcome<R>>,
  ): Promise<R | undefined>;
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
  validatedInputBox(options, check) {
    return showValidatedInputBox(options, check);
  },
};

/** Implements {@link UserPrompts.validatedInputBox} with `vscode.window.createInputBox`. */
function showValidatedInputBox<R>(
  options: vscode.InputBoxOptions,
  check: (value: string) => Promise<InputCheckOutcome<R>>,
): Promise<R | undefined> {
  const box = vscode.window.createInputBox();
  box.title = options.title;
  box.prompt = options.prompt;
  box.placeholder = options.placeHolder;
  box.password = options.password ?? false;
  box.ignoreFocusOut = options.ignoreFocusOut ?? false;
  box.value = options.value ?? '';
  return new Promise<R | undefined>((resolve, reject) => {
    let settled = false;
    const finish = (action: () => void): void => {
      if (!settled) {
        settled = true;
        action();
        box.hide();
      }
    };
    const validateSync = async (value: string): Promise<string | undefined> => {
      const message = await options.validateInput?.(value);
      return typeof message === 'string' ? message : (message?.message ?? undefined);
    };
    box.onDidChangeValue(async (value) => {
      box.validationMessage = await validateSync(value);
    });
    box.onDidAccept(async () => {
      if (box.busy || (await validateSync(box.value)) !== undefined) {
        return;
      }
      box.busy = true;
      box.enabled = false;
      try {
        const outcome = await check(box.value);
        if ('result' in outcome) {
          finish(() => resolve(outcome.result));
          return;
        }
        box.validationMessage = { message: outcome.error, severity: vscode.InputBoxValidationSeverity.Error };
      } catch (error) {
        finish(() => reject(error));
      } finally {
        box.busy = false;
        box.enabled = true;
      }
    });
    box.onDidHide(() => {
      finish(() => resolve(undefined));
      box.dispose();
    });
    box.show();
  });
}

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
  async validatedInputBox<R>(
    options: vscode.InputBoxOptions,
    check: (value: string) => Promise<InputCheckOutcome<R>>,
  ): Promise<R | undefined> {
    if (this.current.validatedInputBox) {
      return this.current.validatedInputBox(options, check);
    }
    // Scripted prompts without the method: ask again, showing the check's message as the prompt.
    let prompt = options.prompt;
    for (;;) {
      const value = await this.current.inputBox({ ...options, prompt });
      if (value === undefined) {
        return undefined;
      }
      const outcome = await check(value);
      if ('result' in outcome) {
        return outcome.result;
      }
      prompt = outcome.error;
    }
  }
}
