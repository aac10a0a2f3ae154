/**
 * The elements of the sidebar trees. Resource nodes are mutable: a poll or an action replaces `data` and
 * fires a change for the same object, so VS Code redraws only that item.
 */
import type { Cluster, Job, NotebookObject, Run, Warehouse } from '../api/models';
import type { ListFailure } from './model/failure';

interface NodeBase {
  /** Unique in its view and stable across reloads, e.g. `warehouse:wh-analytics`; used as the TreeItem id. */
  readonly id: string;
  /** The container the node is listed in; undefined at the root. */
  readonly parent: ContainerNode | undefined;
}

export interface WarehouseNode extends NodeBase {
  readonly kind: 'warehouse';
  data: Warehouse;
}

export interface ClusterNode extends NodeBase {
  readonly kind: 'cluster';
  data: Cluster;
}

export interface JobNode extends NodeBase {
  readonly kind: 'job';
  data: Job;
}

export interface RunNode extends NodeBase {
  readonly kind: 'run';
  data: Run;
}

export interface FolderNode extends NodeBase {
  readonly kind: 'folder';
  data: NotebookObject;
}

export interface NotebookNode extends NodeBase {
  readonly kind: 'notebook';
  data: NotebookObject;
}

export type ResourceNode = WarehouseNode | ClusterNode | JobNode | RunNode | FolderNode | NotebookNode;

/** Nodes that expand to a paged list of their own. */
export type ContainerNode = JobNode | FolderNode;

/** The "Load more…" item at the end of a list with another page. */
export interface LoadMoreNode extends NodeBase {
  readonly kind: 'loadMore';
  /** Key of the list it loads, '' for the root list. */
  readonly listKey: string;
}

/** An item that stands for the whole list: empty, or failed with `failure`. */
export interface MessageNode extends NodeBase {
  readonly kind: 'empty' | 'failure';
  readonly listKey: string;
  readonly failure?: ListFailure;
  readonly error?: unknown;
}

export type TreeNode = ResourceNode | LoadMoreNode | MessageNode;

export function isResourceNode(node: unknown): node is ResourceNode {
  if (typeof node !== 'object' || node === null || !('kind' in node)) {
    return false;
  }
  const kind = (node as { kind: unknown }).kind;
  return kind === 'warehouse' || kind === 'cluster' || kind === 'job' || kind === 'run' || kind === 'folder' || kind === 'notebook';
}

/** Returns `node` when it is a resource of `kind`, for commands whose argument comes from a menu. */
export function asNode<K extends ResourceNode['kind']>(node: unknown, kind: K): Extract<ResourceNode, { kind: K }> | undefined {
  return isResourceNode(node) && node.kind === kind ? (node as Extract<ResourceNode, { kind: K }>) : undefined;
}
