/** Resolves the tree item a command acts on: the menu's argument, else the view's selection. */
import type * as vscode from 'vscode';
import { type ResourceNode, type TreeNode, asNode } from '../views/nodes';

export function targetNode<K extends ResourceNode['kind']>(
  argument: unknown,
  view: vscode.TreeView<TreeNode>,
  kind: K,
): Extract<ResourceNode, { kind: K }> | undefined {
  return asNode(argument, kind) ?? asNode(view.selection[0], kind);
}
