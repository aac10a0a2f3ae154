/**
 * Notebook languages: the editor language mode and file extension of each; the file extension also picks
 * the tree item's icon from the file icon theme. An unknown language opens as plain text with `.txt`.
 */
import type { NotebookLanguage } from '../../api/models';

export interface LanguageInfo {
  /** VS Code language id, e.g. `python`. */
  readonly languageId: string;
  /** File extension with the dot, e.g. `.py`. */
  readonly extension: string;
  /** The language name users know, e.g. `Python`; not localized because it is a product name. */
  readonly displayName: string;
}

const LANGUAGES: Readonly<Record<string, LanguageInfo>> = {
  PYTHON: { languageId: 'python', extension: '.py', displayName: 'Python' },
  SQL: { languageId: 'sql', extension: '.sql', displayName: 'SQL' },
  SCALA: { languageId: 'scala', extension: '.scala', displayName: 'Scala' },
  R: { languageId: 'r', extension: '.r', displayName: 'R' },
};

const UNKNOWN_LANGUAGE: LanguageInfo = {
  languageId: 'plaintext',
  extension: '.txt',
  displayName: 'Unknown',
};

export function languageInfo(language: NotebookLanguage | undefined): LanguageInfo {
  if (language === undefined || !Object.hasOwn(LANGUAGES, language)) {
    return UNKNOWN_LANGUAGE;
  }
  return LANGUAGES[language] as LanguageInfo;
}

/** Returns the product name of a language, the server's value for an unknown one, or '' when absent. */
export function languageLabel(language: NotebookLanguage | undefined): string {
  if (language === undefined) {
    return '';
  }
  return Object.hasOwn(LANGUAGES, language) ? (LANGUAGES[language] as LanguageInfo).displayName : language;
}

/** The languages a new notebook can have, in the order the picker shows them. */
export const CREATABLE_LANGUAGES = ['PYTHON', 'SQL', 'SCALA', 'R'] as const;

/** The first line of a new notebook, a comment in the notebook's language. */
export function newNotebookSource(language: (typeof CREATABLE_LANGUAGES)[number]): string {
  return language === 'SQL' ? '-- DataStack notebook\n' : language === 'SCALA' ? '// DataStack notebook\n' : '# DataStack notebook\n';
}
