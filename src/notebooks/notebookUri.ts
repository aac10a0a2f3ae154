/**
 * `datastack:` URIs of read-only notebook documents. The URI path is the notebook path plus the language's
 * file extension, so the editor tab and the file icon theme show the language; the exact notebook path
 * travels in the query, because a notebook name may itself end with `.py`.
 */
import * as vscode from 'vscode';
import { languageInfo } from '../views/model/notebookLanguage';

export const NOTEBOOK_SCHEME = 'datastack';

export function notebookUri(path: string, language: string | undefined): vscode.Uri {
  const query = new URLSearchParams({ path });
  if (language !== undefined) {
    query.set('language', language);
  }
  return vscode.Uri.from({ scheme: NOTEBOOK_SCHEME, path: `${path}${languageInfo(language).extension}`, query: query.toString() });
}

/** Returns the notebook path and language of a `datastack:` URI, or undefined for another URI. */
export function parseNotebookUri(uri: vscode.Uri): { readonly path: string; readonly language: string | undefined } | undefined {
  if (uri.scheme !== NOTEBOOK_SCHEME) {
    return undefined;
  }
  const query = new URLSearchParams(uri.query);
  const path = query.get('path');
  return path === null ? undefined : { path, language: query.get('language') ?? undefined };
}
