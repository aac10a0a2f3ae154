/**
 * Read-only documents of notebook sources under the `datastack:` scheme. VS Code opens documents of a
 * `TextDocumentContentProvider` read-only, so users cannot edit a notebook by accident. On sign-out and
 * on a switch to another profile, their editors are closed, so no notebook stays visible to a user who
 * is no longer signed in with the account that read it.
 */
import * as vscode from 'vscode';
import type { DataStackClient } from '../api/client';
import type { SessionService } from '../core/contracts';
import { NOTEBOOK_SCHEME, parseNotebookUri } from './notebookUri';

/** Decodes the base64 `content` of an exported notebook as UTF-8 text. */
export function decodeNotebookSource(base64: string): string {
  return Buffer.from(base64, 'base64').toString('utf8');
}

export class NotebookContentProvider implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changeEmitter.event;
  /** Sources fetched by the Open command, so opening does not export the notebook twice. */
  private readonly sources = new Map<string, string>();

  /** The profile whose sources are cached and shown; undefined while signed out. */
  private profileId: string | undefined;
  private readonly profileSubscription: vscode.Disposable;

  constructor(private readonly session: SessionService<DataStackClient>) {
    this.profileId = session.activeProfile?.id;
    this.profileSubscription = session.onDidChangeActiveProfile((profile) => {
      // A new sign-in of the same profile, e.g. to grant a scope, keeps the editors open, and so does the
      // first profile after start, whose restored editors belong to it.
      const previous = this.profileId;
      this.profileId = profile?.id;
      if (previous !== undefined && profile?.id !== previous) {
        void this.closeEditors();
      }
    });
  }

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

  /** Forgets every cached source and closes the editor tabs of `datastack:` documents. */
  async closeEditors(): Promise<void> {
    this.sources.clear();
    const tabs = vscode.window.tabGroups.all
      .flatMap((group) => group.tabs)
      .filter((tab) => tab.input instanceof vscode.TabInputText && tab.input.uri.scheme === NOTEBOOK_SCHEME);
    if (tabs.length > 0) {
      await vscode.window.tabGroups.close(tabs, true);
    }
  }

  dispose(): void {
    this.profileSubscription.dispose();
    this.sources.clear();
    this.changeEmitter.dispose();
  }
}
