/** The Notebooks view: the workspace folder tree, one folder listed at a time when it is expanded. */
import * as vscode from 'vscode';
import type { DataStackClient } from '../api/client';
import type { NotebookObject } from '../api/models';
import { ITEM_COMMANDS, VIEW_IDS } from './ids';
import { notebookObjectContextValue } from './model/contextValue';
import { baseName } from './model/format';
import { notebookUri } from '../notebooks/notebookUri';
import { languageInfo } from './model/notebookLanguage';
import { notebookFolderPages } from './model/pageFetchers';
import { notebookObjectTooltip } from './model/tooltip';
import type { ContainerNode, FolderNode, NotebookNode, ResourceNode } from './nodes';
import { type ListSpec, ResourceTree, type ResourceTreeDependencies } from './resourceTree';
import { markdownTooltip } from './tooltips';

export const notebookNodeId = (path: string): string => `notebook:${path}`;

/** The folder the view lists at its root. */
export const ROOT_FOLDER = '/';

export class NotebookTree extends ResourceTree {
  constructor(deps: ResourceTreeDependencies) {
    super(VIEW_IDS.notebooks, deps);
  }

  protected rootList(client: DataStackClient): ListSpec<unknown> {
    return this.folderList(client, ROOT_FOLDER);
  }

  protected override childList(node: ContainerNode, client: DataStackClient): ListSpec<unknown> | undefined {
    return node.kind === 'folder' ? this.folderList(client, node.data.path) : undefined;
  }

  /** Finds the loaded folder node of `path`; undefined for the root and for folders not loaded yet. */
  findFolder(path: string): FolderNode | undefined {
    const node = this.findNode(notebookNodeId(path));
    return node?.kind === 'folder' ? node : undefined;
  }

  protected resourceItem(node: ResourceNode): vscode.TreeItem {
    if (node.kind === 'folder') {
      const item = new vscode.TreeItem(baseName(node.data.path), vscode.TreeItemCollapsibleState.Collapsed);
      item.iconPath = vscode.ThemeIcon.Folder;
      item.tooltip = markdownTooltip(node.data.path, notebookObjectTooltip(node.data));
      item.contextValue = notebookObjectContextValue(node.data);
      return item;
    }
    if (node.kind === 'notebook') {
      return notebookItem(node);
    }
    return new vscode.TreeItem(node.id);
  }

  private folderList(client: DataStackClient, folder: string): ListSpec<unknown> {
    const spec: ListSpec<NotebookObject> = {
      fetchPage: notebookFolderPages(client, folder, this.pageSize),
      idOf: (object) => notebookNodeId(object.path),
      createNode: (object, parent): FolderNode | NotebookNode =>
        object.object_type === 'DIRECTORY'
          ? { kind: 'folder', id: notebookNodeId(object.path), parent, data: object }
          : { kind: 'notebook', id: notebookNodeId(object.path), parent, data: object },
      emptyLabel: folder === ROOT_FOLDER ? vscode.l10n.t('No notebooks in this workspace') : vscode.l10n.t('Empty folder'),
      noun: vscode.l10n.t('notebooks'),
    };
    return spec as ListSpec<unknown>;
  }
}

function notebookItem(node: NotebookNode): vscode.TreeItem {
  const info = languageInfo(node.data.language);
  const item = new vscode.TreeItem(baseName(node.data.path), vscode.TreeItemCollapsibleState.None);
  item.description = info.displayName;
  // The file icon theme picks the language's icon from the extension of `resourceUri`.
  item.resourceUri = notebookUri(node.data.path, node.data.language);
  item.iconPath = vscode.ThemeIcon.File;
  item.tooltip = markdownTooltip(node.data.path, notebookObjectTooltip(node.data));
  item.contextValue = notebookObjectContextValue(node.data);
  item.command = { command: ITEM_COMMANDS.openNotebook, title: vscode.l10n.t('Open Notebook'), arguments: [node] };
  return item;
}
