/**
 * Read-only documents of notebook sources under the `datastack:` scheme. VS Code opens documents of a
 * `TextDocumentContentProvider` read-only, so users cannot edit a notebook by accident.
 */
import * as vscode from 'vscode';
import type { DataStackClient } from '../api/client';
import type { SessionService } from '../core/contracts';
import { parseNotebookUri } from './notebookUri';

/** Decodes the base64 `content` of an exported notebook as UTF-8 text. */
export function decodeNotebookSource(base64: string): string {
  return Buffer.from(base64, 'base64').toString('utf8');
}

export class NotebookContentProvider implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changeEmitter.event;
  /** Sources fetched by the Open command, so opening does not export the notebook twice. */
  private readonly sources = new Map<string, string>();

  constructor(private readonly session: SessionService<DataStackClient>) {}

  /** Stores a source fetched elsewhere and fires a change so open editors of `uri` show it. */
  setSource(uri: vscode.Uri, source: string): void {
    this.sources.set(uri.toString(), source);
    this.changeEmitter.fire(uri);
  }

  async provideTextDocumentContent(uri: vscode.Uri, token: vscode.CancellationToken): Promise<string> {
    const cached = this.sources.get(uri.toString());
    if (cached !== undefined) {
      return cached;
    }
    const target = parseNotebookUri(uri);
    const client = this.session.getClient();
    if (target === undefined || client === undefined) {
      throw new Error(vscode.l10n.t('Sign in to DataStack to read {0}.', uri.path));
    }
    const controller = new AbortController();
    const subscription = token.onCancellationRequested(() => controller.abort());
    try {
      const exported = await client.exportNotebook(target.path, { signal: controller.signal });
      const source = decodeNotebookSource(exported.content);
      this.sources.set(uri.toString(), source);
      return source;
    } finally {
      subscription.dispose();
    }
  }

  /** Forgets every cached source, e.g. after a profile switch. */
  clear(): void {
    this.sources.clear();
  }

  dispose(): void {
    this.sources.clear();
    this.changeEmitter.dispose();
  }
}
