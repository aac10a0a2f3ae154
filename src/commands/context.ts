/** What every resource command needs: the session, the dialogs seam, the error reporter and the trees. */
import type * as vscode from 'vscode';
import type { DataStackClient } from '../api/client';
import type { ErrorReporter, SessionService } from '../core/contracts';
import type { UserPrompts } from '../core/prompts';
import type { NotebookContentProvider } from '../notebooks/notebookContentProvider';
import type { ClusterTree } from '../views/clusterTree';
import type { JobTree } from '../views/jobTree';
import type { TreeNode } from '../views/nodes';
import type { NotebookTree } from '../views/notebookTree';
import type { WarehouseTree } from '../views/warehouseTree';

export interface SidebarTrees {
  readonly clusters: ClusterTree;
  readonly jobs: JobTree;
  readonly notebooks: NotebookTree;
  readonly warehouses: WarehouseTree;
}

export interface CommandContext {
  readonly session: SessionService<DataStackClient>;
  readonly prompts: UserPrompts;
  readonly errors: ErrorReporter;
  readonly log: vscode.LogOutputChannel;
  readonly trees: SidebarTrees;
  readonly views: { readonly [Key in keyof SidebarTrees]: vscode.TreeView<TreeNode> };
  readonly notebookContent: NotebookContentProvider;
}
