/**
 * Registers the sidebar: the four tree views, the poller, the `datastack:` notebook documents and the
 * resource commands. Activation stays cheap: nothing here sends a request until a view is shown or a
 * command runs.
 */
import * as vscode from 'vscode';
import type { DataStackClient } from '../api/client';
import { AuthenticationError, DataStackError, MissingScopeError } from '../api/errors';
import { OPERATIONS, type OperationId } from '../api/operations';
import { registerClusterCommands } from '../commands/clusterCommands';
import type { CommandContext, SidebarTrees } from '../commands/context';
import { registerJobCommands } from '../commands/jobCommands';
import { registerNotebookCommands } from '../commands/notebookCommands';
import { describe } from '../commands/runAction';
import { registerWarehouseCommands } from '../commands/warehouseCommands';
import type { ErrorReporter, SessionService } from '../core/contracts';
import type { UserPrompts } from '../core/prompts';
import { NotebookContentProvider } from '../notebooks/notebookContentProvider';
import { NOTEBOOK_SCHEME } from '../notebooks/notebookUri';
import { ClusterTree } from './clusterTree';
import { ITEM_COMMANDS, SIGNED_IN_CONTEXT_KEY, VIEW_IDS } from './ids';
import { JobTree } from './jobTree';
import { classifyListFailure, isRetryable } from './model/failure';
import { Poller } from './model/poller';
import { type LoadMoreNode, type MessageNode, type TreeNode } from './nodes';
import { NotebookTree } from './notebookTree';
import type { ResourceTree } from './resourceTree';
import { WarehouseTree } from './warehouseTree';

export interface SidebarDependencies {
  readonly session: SessionService<DataStackClient>;
  readonly errors: ErrorReporter;
  readonly prompts: UserPrompts;
  readonly log: vscode.LogOutputChannel;
}

/** What the composition root keeps; host tests reach the trees and the poller through the test API. */
export interface Sidebar {
  readonly trees: SidebarTrees;
  readonly poller: Poller;
  readonly notebookContent: NotebookContentProvider;
  /** Resolves when every view's lists have loaded. */
  settled(): Promise<void>;
}

/** The operation that lists each view's root, for failure reports without an operation of their own. */
const LIST_OPERATIONS: Readonly<Record<string, OperationId>> = {
  [VIEW_IDS.clusters]: 'listClusters',
  [VIEW_IDS.jobs]: 'listJobs',
  [VIEW_IDS.notebooks]: 'listNotebookFolder',
  [VIEW_IDS.warehouses]: 'listWarehouses',
};

/** The GET each polled node kind sends, by the prefix of its node id. */
const POLL_OPERATIONS: Readonly<Record<string, OperationId>> = {
  warehouse: 'getWarehouse',
  cluster: 'getCluster',
  run: 'getRun',
};

function readPageSize(): number {
  return vscode.workspace.getConfiguration('datastack').get<number>('pageSize', 100);
}

export function registerSidebar(context: vscode.ExtensionContext, deps: SidebarDependencies): Sidebar {
  const poller = createPoller(deps);
  const treeDeps = { session: deps.session, poller, log: deps.log, pageSize: readPageSize };
  const trees: SidebarTrees = {
    clusters: new ClusterTree(treeDeps),
    jobs: new JobTree(treeDeps),
    notebooks: new NotebookTree(treeDeps),
    warehouses: new WarehouseTree(treeDeps),
  };
  const allTrees: ResourceTree[] = Object.values(trees);
  const views = {
    clusters: createView(trees.clusters, poller, false),
    jobs: createView(trees.jobs, poller, true),
    notebooks: createView(trees.notebooks, poller, true),
    warehouses: createView(trees.warehouses, poller, false),
  };
  const notebookContent = new NotebookContentProvider(deps.session);
  const commandContext: CommandContext = { ...deps, trees, views, notebookContent };

  context.subscriptions.push(
    { dispose: () => poller.dispose() },
    ...allTrees,
    ...Object.values(views),
    notebookContent,
    vscode.workspace.registerTextDocumentContentProvider(NOTEBOOK_SCHEME, notebookContent),
    ...registerWarehouseCommands(commandContext),
    ...registerClusterCommands(commandContext),
    ...registerJobCommands(commandContext),
    ...registerNotebookCommands(commandContext),
    vscode.commands.registerCommand(ITEM_COMMANDS.loadMore, (viewId: unknown, node: LoadMoreNode) =>
      treeOf(allTrees, viewId)?.loadMore(node),
    ),
    vscode.commands.registerCommand(ITEM_COMMANDS.resolveFailure, (viewId: unknown, node: MessageNode) =>
      resolveFailure(deps, allTrees, viewId, node),
    ),
    deps.session.onDidChangeActiveProfile((profile) => {
      poller.clear();
      notebookContent.clear();
      void vscode.commands.executeCommand('setContext', SIGNED_IN_CONTEXT_KEY, profile !== undefined);
      if (profile === undefined) {
        allTrees.forEach((tree) => tree.refresh());
      } else {
        // All four first pages load in parallel, shown or not, so every view is ready when opened.
        void Promise.all(allTrees.map((tree) => tree.reload()));
      }
    }),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration('datastack.pageSize')) {
        allTrees.forEach((tree) => tree.refresh());
      }
    }),
  );
  setSignedInContextWhenReady(deps, Object.values(views));

  return {
    trees,
    poller,
    notebookContent,
    settled: async () => {
      await Promise.all(allTrees.map((tree) => tree.settled()));
    },
  };
}

function createView(tree: ResourceTree, poller: Poller, showCollapseAll: boolean): vscode.TreeView<TreeNode> {
  const view = vscode.window.createTreeView(tree.viewId, { treeDataProvider: tree, showCollapseAll });
  poller.setViewVisible(tree.viewId, view.visible);
  const subscription = view.onDidChangeVisibility((event) => poller.setViewVisible(tree.viewId, event.visible));
  const dispose = view.dispose.bind(view);
  view.dispose = () => {
    subscription.dispose();
    dispose();
  };
  return view;
}

function createPoller(deps: SidebarDependencies): Poller {
  let poller: Poller | undefined;
  poller = new Poller({
    onError: (key, error, dropped) => {
      deps.log.warn(`[views] polling ${key} failed${dropped ? '; stopped polling it' : ''}: ${describe(error)}`);
      // Polling cannot fix a missing scope or an expired sign-in: stop and tell the user once.
      if (error instanceof MissingScopeError || error instanceof AuthenticationError) {
        poller?.untrack(key);
        const operation = error.operation ?? POLL_OPERATIONS[key.slice(0, key.indexOf(':'))] ?? 'getWarehouse';
        void deps.errors.report(error, { operation }).catch((reportError: unknown) => {
          deps.log.error(`[views] error reporter failed: ${describe(reportError)}`);
        });
      }
    },
  });
  return poller;
}

/** Sets the signed-in context key once the session has read its profiles, on the first shown view. */
function setSignedInContextWhenReady(deps: SidebarDependencies, views: readonly vscode.TreeView<TreeNode>[]): void {
  let started = false;
  const start = (): void => {
    if (started) {
      return;
    }
    started = true;
    void deps.session.ready().then(
      () => vscode.commands.executeCommand('setContext', SIGNED_IN_CONTEXT_KEY, deps.session.activeProfile !== undefined),
      (error: unknown) => deps.log.warn(`[views] reading profiles failed: ${describe(error)}`),
    );
  };
  if (views.some((view) => view.visible)) {
    start();
    return;
  }
  for (const view of views) {
    const subscription = view.onDidChangeVisibility((event) => {
      if (event.visible) {
        subscription.dispose();
        start();
      }
    });
  }
}

function treeOf(trees: readonly ResourceTree[], viewId: unknown): ResourceTree | undefined {
  return trees.find((tree) => tree.viewId === viewId);
}

/** Retries an outage; hands a missing scope or an expired sign-in to the error reporter, whose buttons fix it. */
async function resolveFailure(deps: SidebarDependencies, trees: readonly ResourceTree[], viewId: unknown, node: MessageNode): Promise<void> {
  const tree = treeOf(trees, viewId);
  if (tree === undefined) {
    return;
  }
  const failure = node.failure ?? classifyListFailure(node.error);
  if (isRetryable(failure)) {
    await tree.retry(node.listKey);
    return;
  }
  const operation: OperationId =
    node.error instanceof DataStackError && node.error.operation !== undefined && node.error.operation in OPERATIONS
      ? node.error.operation
      : (LIST_OPERATIONS[tree.viewId] ?? 'listClusters');
  // Not awaited: the notification stays open until dismissed, and the click is handled.
  void deps.errors.report(node.error, { operation, retry: () => tree.retry(node.listKey) }).catch((error: unknown) => {
    deps.log.error(`[views] error reporter failed: ${describe(error)}`);
  });
}
