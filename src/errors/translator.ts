/**
 * The localization seam of the vscode-free error core. The extension passes `vscode.l10n`; unit tests
 * and scripts use {@link ENGLISH}. Callers name the parameter `l10n` so that `l10n.t('...')` calls are
 * found by `@vscode/l10n-dev export` like any other localized string.
 */

export interface Translator {
  /** Returns `message` localized, with `{0}`, `{1}`, … replaced by `args`. */
  t(message: string, ...args: Array<string | number | boolean>): string;
}

/** The English source strings with their placeholders filled in. */
export const ENGLISH: Translator = {
  t(message, ...args) {
    return message.replace(/\{(\d+)\}/g, (placeholder, index: string) => {
      const value = args[Number(index)];
      return value === undefined ? placeholder : String(value);
    });
  },
};
