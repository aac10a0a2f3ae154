/**
 * The base of the four sidebar trees: paged lists per container (the root, a job, a folder), "Load more…",
 * empty and failure items, view-local progress, per-item refresh and polling of transitional items.
 *
 * A failure is kept in the list it happened in, so one view's 403 or outage leaves the other views alone.
 */
import * as vscode from 'vscode';
import type { DataStackClient } from '../api/client';
import type { SessionService } from '../core/contracts';
import { ITEM_COMMANDS } from './ids';
import { classifyListFailure, isRetryable } from './model/failure';
import { failureContextValue } from './model/contextValue';
import { Pager, type PageFetcher } from './model/pager';
import type { PollOutcome, Poller } from './model/poller';
import { RecentUpdates } from './model/recentUpdates';
import { failureText } from './failureText';
import type { ContainerNode, LoadMoreNode, MessageNode, ResourceNode, TreeNode } from './nodes';

/** The fetcher, node factory and labels of one list. */
export interface ListSpec<Item> {
  readonly fetchPage: PageFetcher<Item>;
  /** Returns the node id of an item, e.g. `warehouse:wh-1`. */
  readonly idOf: (item: Item) => string;
  readonly createNode: (item: Item, parent: ContainerNode | undefined) => ResourceNode;
  /** The label of the item shown when the list is empty. */
  readonly emptyLabel: string;
  /** The plural noun of the list for failure messages, e.g. "SQL warehouses". */
  readonly noun: string;
}

interface ListState {
  readonly key: string;
  readonly parent: ContainerNode | undefined;
  readonly spec: ListSpec<unknown>;
  readonly pager: Pager<unknown>;
  readonly nodes: Map<string, ResourceNode>;
  loading: Promise<void> | undefined;
}

export interface ResourceTreeDependencies {
  readonly session: SessionService<DataStackClient>;
  readonly poller: Poller;
  readonly log: vscode.LogOutputChannel;
  /** The `datastack.pageSize` setting, read when a list opens. */
  readonly pageSize: () => number;
}

/** Key of the root list in {@link ResourceTree.lists}. */
export const ROOT_LIST_KEY = '';

export abstract class ResourceTree implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly changeEmitter = new vscode.EventEmitter<TreeNode | undefined>();
  readonly onDidChangeTreeData = this.changeEmitter.event;
  private readonly lists = new Map<string, ListState>();
  /** Data actions set, kept across reloads so a list response requested earlier does not undo it. */
  private readonly recentUpdates = new RecentUpdates<ResourceNode['data']>();

  constructor(
    readonly viewId: string,
    protected readonly deps: ResourceTreeDependencies,
  ) {}

  /** The spec of the root list. */
  protected abstract rootList(client: DataStackClient): ListSpec<unknown>;

  /** Returns the spec of a container's children; undefined for leaves. */
  protected childList(_node: ContainerNode, _client: DataStackClient): ListSpec<unknown> | undefined {
    return undefined;
  }

  protected abstract resourceItem(node: ResourceNode): vscode.TreeItem;

  /** Fetches the current data of a pollable node; undefined when the kind is never polled. */
  protected fetchLatest(
    _node: ResourceNode,
    _client: DataStackClient,
    _signal: AbortSignal,
  ): Promise<ResourceNode['data']> | undefined {
    return undefined;
  }

  /** Returns whether the node is in a transitional state, and so polled. */
  protected isTransitional(_node: ResourceNode): boolean {
    return false;
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    switch (node.kind) {
      case 'loadMore':
        return this.loadMoreItem(node);
      case 'empty':
        return this.emptyItem(node);
      case 'failure':
        return this.failureItem(node);
      default: {
        const item = this.resourceItem(node);
        item.id = node.id;
        return item;
      }
    }
  }

  getParent(node: TreeNode): TreeNode | undefined {
    return node.parent;
  }

  async getChildren(element?: TreeNode): Promise<TreeNode[]> {
    if (element === undefined) {
      await this.deps.session.ready();
    } else if (element.kind !== 'job' && element.kind !== 'folder') {
      return [];
    }
    const list = this.listFor(element);
    if (list === undefined) {
      return [];
    }
    if (list.pager.status === 'idle' && list.loading === undefined) {
      list.loading = this.loadPage(list);
    }
    await list.loading;
    return this.render(list);
  }

  /** Drops every loaded list and polled item and redraws; the visible lists load again. */
  refresh(): void {
    this.reset();
    this.changeEmitter.fire(undefined);
  }

  /**
   * Drops everything and starts loading the root list at once, without waiting for VS Code to ask, so
   * all views load their first pages in parallel after a sign-in. Resolves when the first page settled.
   */
  reload(): Promise<void> {
    this.reset();
    const list = this.listFor(undefined);
    if (list !== undefined) {
      list.loading = this.loadPage(list);
    }
    this.changeEmitter.fire(undefined);
    return list?.loading ?? Promise.resolve();
  }

  /** Loads the next page of the list a "Load more…" item ends. */
  async loadMore(node: LoadMoreNode): Promise<void> {
    const list = this.lists.get(node.listKey);
    if (list === undefined || list.loading !== undefined) {
      return;
    }
    list.loading = this.loadPage(list);
    await list.loading;
    this.changeEmitter.fire(list.parent);
  }

  /** Loads a failed list again, e.g. from the failure item's Retry. */
  async retry(listKey: string): Promise<void> {
    const list = this.lists.get(listKey);
    if (list === undefined || list.loading !== undefined) {
      return;
    }
    list.loading = this.loadPage(list);
    this.changeEmitter.fire(list.parent);
    await list.loading;
  }

  /** Forgets a container's children (or the root list) and redraws it, so its first page loads again. */
  reloadChildren(container: ContainerNode | undefined): void {
    const key = container?.id ?? ROOT_LIST_KEY;
    this.disposeList(key);
    this.changeEmitter.fire(container);
  }

  /**
   * Replaces the data of the item with `node`'s id, redraws only that item and polls it while it is
   * transitional. The node may be from before a reload: the item shown now is updated, and while its list
   * is loading, the load applies the data when it ends.
   */
  update(node: ResourceNode, data: ResourceNode['data']): void {
    this.recentUpdates.record(node.id, data);
    const live = this.findNode(node.id);
    if (live === undefined) {
      return;
    }
    live.data = data as never;
    const list = this.lists.get(live.parent?.id ?? ROOT_LIST_KEY);
    list?.pager.replace((item) => list.spec.idOf(item) === live.id, data);
    this.changeEmitter.fire(live);
    this.trackIfTransitional(live);
  }

  /** Fetches one node's current data and redraws it; the only request is that item's GET. */
  async refreshNode(node: ResourceNode, signal?: AbortSignal): Promise<void> {
    const client = this.deps.session.getClient();
    if (client === undefined) {
      return;
    }
    const request = this.fetchLatest(node, client, signal ?? new AbortController().signal);
    if (request !== undefined) {
      this.update(node, await request);
    }
  }

  /** Adds an item an action created to the end of the root list and redraws the root. */
  addRootItem(item: unknown): ResourceNode | undefined {
    const list = this.lists.get(ROOT_LIST_KEY);
    if (list === undefined || list.pager.status !== 'loaded') {
      // The list was not shown yet or failed: its next load includes the item.
      this.changeEmitter.fire(undefined);
      return undefined;
    }
    list.pager.add(item, 'end');
    const node = this.nodeFor(list, item);
    this.changeEmitter.fire(undefined);
    this.trackIfTransitional(node);
    return node;
  }

  /** Returns the nodes shown for a list, for commands and tests; `key` is a container id or '' for the root. */
  loadedNodes(key: string = ROOT_LIST_KEY): ResourceNode[] {
    const list = this.lists.get(key);
    return list === undefined ? [] : list.pager.items.map((item) => this.nodeFor(list, item));
  }

  /** Finds a loaded node by its id in any list. */
  findNode(id: string): ResourceNode | undefined {
    for (const list of this.lists.values()) {
      const node = list.nodes.get(id);
      if (node !== undefined) {
        return node;
      }
    }
    return undefined;
  }

  /** Resolves when no list of this view is loading. */
  async settled(): Promise<void> {
    for (;;) {
      const pending = [...this.lists.values()].map((list) => list.loading).filter((loading) => loading !== undefined);
      if (pending.length === 0) {
        return;
      }
      await Promise.all(pending);
    }
  }

  dispose(): void {
    this.reset();
    this.changeEmitter.dispose();
  }

  protected get pageSize(): number {
    return this.deps.pageSize();
  }

  private reset(): void {
    for (const key of [...this.lists.keys()]) {
      this.disposeList(key);
    }
    this.deps.poller.clear(this.viewId);
  }

  private disposeList(key: string): void {
    const list = this.lists.get(key);
    if (list === undefined) {
      return;
    }
    list.pager.dispose();
    for (const node of list.nodes.values()) {
      this.deps.poller.untrack(node.id);
    }
    this.lists.delete(key);
    // Lists under this one (a folder's sub-folders) belong to nodes that are gone now.
    for (const other of [...this.lists.values()]) {
      if (other.parent !== undefined && list.nodes.get(other.parent.id) === other.parent) {
        this.disposeList(other.key);
      }
    }
  }

  private listFor(container: ContainerNode | undefined): ListState | undefined {
    const key = container?.id ?? ROOT_LIST_KEY;
    const existing = this.lists.get(key);
    if (existing !== undefined) {
      return existing;
    }
    const client = this.deps.session.getClient();
    if (client === undefined) {
      return undefined;
    }
    const spec = container === undefined ? this.rootList(client) : this.childList(container, client);
    if (spec === undefined) {
      return undefined;
    }
    const list: ListState = {
      key,
      parent: container,
      spec,
      pager: new Pager(spec.fetchPage, spec.idOf),
      nodes: new Map(),
      loading: undefined,
    };
    this.lists.set(key, list);
    return list;
  }

  private async loadPage(list: ListState): Promise<void> {
    const started = Date.now();
    const updatesMark = this.recentUpdates.mark();
    try {
      await vscode.window.withProgress({ location: { viewId: this.viewId } }, () => list.pager.loadNext());
      this.deps.log.debug(`[views] ${this.viewId} loaded ${list.pager.items.length} items of "${list.key || '/'}" in ${Date.now() - started} ms`);
    } catch (error) {
      if (classifyListFailure(error).kind !== 'cancelled') {
        const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
        this.deps.log.warn(`[views] ${this.viewId} failed to list "${list.key || '/'}": ${detail}`);
      }
    } finally {
      list.loading = undefined;
    }
    if (this.lists.get(list.key) !== list) {
      return;
    }
    for (const item of [...list.pager.items]) {
      const id = list.spec.idOf(item);
      const newer = this.recentUpdates.newerThan(id, updatesMark);
      if (newer !== undefined) {
        list.pager.replace((loaded) => list.spec.idOf(loaded) === id, newer);
      }
      this.trackIfTransitional(this.nodeFor(list, newer ?? item));
    }
  }

  private render(list: ListState): TreeNode[] {
    if (this.lists.get(list.key) !== list) {
      return [];
    }
    const nodes: TreeNode[] = list.pager.items.map((item) => this.nodeFor(list, item));
    if (list.pager.status === 'failed') {
      const error = list.pager.error;
      const failure = classifyListFailure(error);
      nodes.push({ kind: 'failure', id: `failure:${this.viewId}:${list.key}`, parent: list.parent, listKey: list.key, failure, error });
    } else if (list.pager.hasMore && list.pager.status === 'loaded') {
      nodes.push({ kind: 'loadMore', id: `loadMore:${this.viewId}:${list.key}`, parent: list.parent, listKey: list.key });
    } else if (nodes.length === 0 && list.pager.status === 'loaded') {
      nodes.push({ kind: 'empty', id: `empty:${this.viewId}:${list.key}`, parent: list.parent, listKey: list.key });
    }
    return nodes;
  }

  /** Returns the node of an item, reusing the existing object so VS Code keeps its selection and expansion. */
  private nodeFor(list: ListState, item: unknown): ResourceNode {
    const id = list.spec.idOf(item);
    const existing = list.nodes.get(id);
    if (existing !== undefined) {
      existing.data = item as never;
      return existing;
    }
    const node = list.spec.createNode(item, list.parent);
    list.nodes.set(id, node);
    return node;
  }

  private trackIfTransitional(node: ResourceNode): void {
    if (!this.isTransitional(node)) {
      this.deps.poller.untrack(node.id);
      return;
    }
    if (!this.deps.poller.isTracking(node.id)) {
      this.deps.poller.track(this.viewId, node.id, (signal) => this.poll(node, signal));
    }
  }

  private async poll(node: ResourceNode, signal: AbortSignal): Promise<PollOutcome> {
    const client = this.deps.session.getClient();
    const request = client === undefined ? undefined : this.fetchLatest(node, client, signal);
    if (request === undefined || this.findNode(node.id) !== node) {
      return 'settled';
    }
    const data = await request;
    node.data = data as never;
    const list = this.lists.get(node.parent?.id ?? ROOT_LIST_KEY);
    list?.pager.replace((item) => list.spec.idOf(item) === node.id, data);
    this.changeEmitter.fire(node);
    return this.isTransitional(node) ? 'pending' : 'settled';
  }

  private loadMoreItem(node: LoadMoreNode): vscode.TreeItem {
    const item = new vscode.TreeItem(vscode.l10n.t('Load more…'));
    item.id = node.id;
    item.iconPath = new vscode.ThemeIcon('ellipsis');
    item.contextValue = 'datastack:loadMore';
    item.command = { command: ITEM_COMMANDS.loadMore, title: vscode.l10n.t('Load More'), arguments: [this.viewId, node] };
    return item;
  }

  private emptyItem(node: MessageNode): vscode.TreeItem {
    const list = this.lists.get(node.listKey);
    const item = new vscode.TreeItem(list?.spec.emptyLabel ?? vscode.l10n.t('Nothing here'));
    item.id = node.id;
    item.contextValue = 'datastack:empty';
    return item;
  }

  private failureItem(node: MessageNode): vscode.TreeItem {
    const failure = node.failure ?? { kind: 'unexpected' };
    const noun = this.lists.get(node.listKey)?.spec.noun ?? '';
    const text = failureText(failure, noun);
    const item = new vscode.TreeItem(text.label);
    item.id = node.id;
    item.description = text.description;
    item.tooltip = text.tooltip;
    item.iconPath = new vscode.ThemeIcon(
      failure.kind === 'missingScope' ? 'lock' : 'warning',
      new vscode.ThemeColor('list.warningForeground'),
    );
    item.contextValue = failureContextValue(isRetryable(failure));
    item.command = { command: ITEM_COMMANDS.resolveFailure, title: text.description, arguments: [this.viewId, node] };
    return item;
  }
}
