/** Notebook commands: Open (read-only), Export…, Create Notebook, Refresh. */
import { homedir } from 'node:os';
import * as vscode from 'vscode';
import type { NotebookObject } from '../api/models';
import { decodeNotebookSource } from '../notebooks/notebookContentProvider';
import { notebookUri } from '../notebooks/notebookUri';
import { VIEW_IDS } from '../views/ids';
import { baseName, joinPath, parentPath } from '../views/model/format';
import { CREATABLE_LANGUAGES, languageInfo, newNotebookSource } from '../views/model/notebookLanguage';
import { checkNotebookFolder, checkNotebookName, normalizeFolder } from '../views/model/validation';
import { ROOT_FOLDER } from '../views/notebookTree';
import type { NotebookNode } from '../views/nodes';
import type { CommandContext } from './context';
import { inputProblemMessage } from './inputMessages';
import { runAction } from './runAction';
import { targetNode } from './target';

/** The folder Create Notebook suggests when no folder is selected. */
export const DEFAULT_NOTEBOOK_FOLDER = '/Shared';

/** Opens a notebook's source in a read-only editor with the language mode of the notebook's language. */
export async function openNotebook(context: CommandContext, notebook: NotebookObject): Promise<vscode.TextEditor | undefined> {
  const exported = await runAction(context, {
    viewId: VIEW_IDS.notebooks,
    operation: 'exportNotebook',
    resourceLabel: notebook.path,
    progressTitle: vscode.l10n.t('Opening notebook {0}…', baseName(notebook.path)),
    run: (client, signal) => client.exportNotebook(notebook.path, { signal }),
    successMessage: () => vscode.l10n.t('Opened notebook {0} (read-only)', baseName(notebook.path)),
  });
  if (exported === undefined) {
    return undefined;
  }
  const uri = notebookUri(notebook.path, exported.language);
  context.notebookContent.setSource(uri, decodeNotebookSource(exported.content));
  let document = await vscode.workspace.openTextDocument(uri);
  const languageId = languageInfo(exported.language).languageId;
  if (document.languageId !== languageId) {
    document = await vscode.languages.setTextDocumentLanguage(document, languageId);
  }
  return vscode.window.showTextDocument(document, { preview: true });
}

/** Asks where to save a notebook's source and writes it there. Returns the file written. */
export async function exportNotebook(context: CommandContext, notebook: NotebookObject): Promise<vscode.Uri | undefined> {
  const info = languageInfo(notebook.language);
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(homedir());
  const target = await context.prompts.saveDialog({
    title: vscode.l10n.t('Export Notebook {0}', baseName(notebook.path)),
    defaultUri: vscode.Uri.joinPath(folder, `${baseName(notebook.path)}${info.extension}`),
    filters: { [info.displayName]: [info.extension.slice(1)] },
    saveLabel: vscode.l10n.t('Export'),
  });
  if (target === undefined) {
    return undefined;
  }
  return runAction(context, {
    viewId: VIEW_IDS.notebooks,
    operation: 'exportNotebook',
    resourceLabel: notebook.path,
    progressTitle: vscode.l10n.t('Exporting notebook {0}…', baseName(notebook.path)),
    run: async (client, signal) => {
      const exported = await client.exportNotebook(notebook.path, { signal });
      await vscode.workspace.fs.writeFile(target, Buffer.from(exported.content, 'base64'));
      return target;
    },
    successMessage: (written) => vscode.l10n.t('Exported notebook {0} to {1}', baseName(notebook.path), written.fsPath),
  });
}

/** Asks the folder, name and language of a new notebook, with `folder` suggested. */
async function askNewNotebook(
  context: CommandContext,
  suggestedFolder: string,
): Promise<{ path: string; language: (typeof CREATABLE_LANGUAGES)[number] } | undefined> {
  const title = vscode.l10n.t('Create Notebook');
  const folderMessage = (value: string) => inputProblemMessage(checkNotebookFolder(value), vscode.l10n.t('folder'));
  const folder = await context.prompts.inputBox({
    title: `${title} (1/3)`,
    prompt: vscode.l10n.t('Folder, e.g. /Shared'),
    value: suggestedFolder,
    ignoreFocusOut: true,
    validateInput: folderMessage,
  });
  if (folder === undefined || reject(folderMessage(folder))) {
    return undefined;
  }
  const nameMessage = (value: string) => inputProblemMessage(checkNotebookName(value), vscode.l10n.t('notebook name'));
  const name = await context.prompts.inputBox({
    title: `${title} (2/3)`,
    prompt: vscode.l10n.t('Notebook name'),
    ignoreFocusOut: true,
    validateInput: nameMessage,
  });
  if (name === undefined || reject(nameMessage(name))) {
    return undefined;
  }
  const picks = CREATABLE_LANGUAGES.map((language) => ({ label: languageInfo(language).displayName, language }));
  const picked = await context.prompts.quickPick(picks, { title: `${title} (3/3)`, placeHolder: vscode.l10n.t('Language') });
  if (picked === undefined) {
    return undefined;
  }
  return { path: joinPath(normalizeFolder(folder), name.trim()), language: picked.language };
}

/** Shows an input problem that slipped past `validateInput` (scripted prompts skip it); true when there was one. */
function reject(problem: string | undefined): boolean {
  if (problem !== undefined) {
    void vscode.window.showErrorMessage(problem);
    return true;
  }
  return false;
}

export async function createNotebook(context: CommandContext, suggestedFolder: string): Promise<string | undefined> {
  if (context.session.getClient() === undefined) {
    void vscode.window.showWarningMessage(vscode.l10n.t('Sign in to DataStack first.'));
    return undefined;
  }
  const answer = await askNewNotebook(context, suggestedFolder);
  if (answer === undefined) {
    return undefined;
  }
  const created = await runAction(context, {
    viewId: VIEW_IDS.notebooks,
    operation: 'createNotebook',
    resourceLabel: answer.path,
    progressTitle: vscode.l10n.t('Creating notebook {0}…', answer.path),
    run: async (client, signal) => {
      const content = Buffer.from(newNotebookSource(answer.language), 'utf8').toString('base64');
      await client.createNotebook({ path: answer.path, language: answer.language, content, overwrite: false }, { signal });
      return answer.path;
    },
    successMessage: (path) => vscode.l10n.t('Created notebook {0}', path),
  });
  if (created !== undefined) {
    const folder = parentPath(created);
    const tree = context.trees.notebooks;
    tree.reloadChildren(folder === ROOT_FOLDER ? undefined : tree.findFolder(folder));
  }
  return created;
}

function suggestedFolderOf(argument: unknown, context: CommandContext): string {
  const folder = targetNode(argument, context.views.notebooks, 'folder');
  if (folder !== undefined) {
    return folder.data.path;
  }
  const notebook: NotebookNode | undefined = targetNode(argument, context.views.notebooks, 'notebook');
  return notebook !== undefined ? parentPath(notebook.data.path) : DEFAULT_NOTEBOOK_FOLDER;
}

export function registerNotebookCommands(context: CommandContext): vscode.Disposable[] {
  const view = context.views.notebooks;
  return [
    vscode.commands.registerCommand('datastack.notebook.open', async (argument: unknown) => {
      const node = targetNode(argument, view, 'notebook');
      if (node !== undefined) {
        await openNotebook(context, node.data);
      }
    }),
    vscode.commands.registerCommand('datastack.notebook.export', async (argument: unknown) => {
      const node = targetNode(argument, view, 'notebook');
      if (node !== undefined) {
        await exportNotebook(context, node.data);
      }
    }),
    vscode.commands.registerCommand('datastack.notebook.create', (argument: unknown) =>
      createNotebook(context, suggestedFolderOf(argument, context)),
    ),
    // reload(), not refresh(): the first page's request starts now, while VS Code requests the root.
    vscode.commands.registerCommand('datastack.notebooks.refresh', () => context.trees.notebooks.reload()),
  ];
}
