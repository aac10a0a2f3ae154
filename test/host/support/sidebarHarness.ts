// Helpers of the sidebar host suites: sign-in through the token flow, prompts that also answer
// confirmations and save dialogs, and readers of the emulator's state and request log.
import * as vscode from 'vscode';
import type { ExtensionTestApi } from '../../../src/extension';
import type { ResourceNode, TreeNode } from '../../../src/views/nodes';
import type { ResourceTree } from '../../../src/views/resourceTree';
import { emulatorUrl } from './env';
import { ScriptedPrompts, emulatorControl } from './sessionHarness';

/** Scripted prompts that also answer `confirm` and `saveDialog` from queues and record the questions. */
export class SidebarPrompts extends ScriptedPrompts {
  readonly confirmAnswers: boolean[] = [];
  readonly confirmations: { message: string; detail: string; confirmLabel: string }[] = [];
  readonly saveAnswers: (vscode.Uri | undefined)[] = [];

  override async confirm(message = '', detail = '', confirmLabel = ''): Promise<boolean> {
    this.confirmations.push({ message, detail, confirmLabel });
    return this.confirmAnswers.shift() ?? false;
  }

  override async saveDialog(): Promise<vscode.Uri | undefined> {
    return this.saveAnswers.shift();
  }
}

/**
 * Signs in with a demo token through the real token flow and waits until the four views' first pages
 * are loaded. Host suites sign in only through this function.
 */
export async function signInForSidebar(api: ExtensionTestApi, prompts: ScriptedPrompts, token: string): Promise<void> {
  prompts.inputs.push(emulatorUrl());
  prompts.validatedInputs.push(token);
  await vscode.commands.executeCommand('datastack.signInWithToken');
  if (api.session.service.activeProfile === undefined) {
    throw new Error(`sign-in with ${token} left no active profile`);
  }
  await waitForLists(api);
}

/** Waits until no view is loading, including loads that a profile change started just now. */
export async function waitForLists(api: ExtensionTestApi): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 0));
  await api.sidebar.settled();
}

/** Loads a tree's root (as VS Code would when the view is shown) and returns the resource nodes. */
export async function rootNodes(tree: ResourceTree): Promise<TreeNode[]> {
  return tree.getChildren();
}

export function resourceNode<K extends ResourceNode['kind']>(tree: ResourceTree, id: string, kind: K): Extract<ResourceNode, { kind: K }> {
  const node = tree.findNode(id);
  if (node === undefined || node.kind !== kind) {
    throw new Error(`no ${kind} node ${id} in ${tree.viewId}`);
  }
  return node as Extract<ResourceNode, { kind: K }>;
}

export interface ApiRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  scope: string | null;
  operation: string | null;
  status: number | null;
}

/** The emulator's request log, API requests only. */
export async function apiRequests(): Promise<ApiRequest[]> {
  const log = (await emulatorControl('GET', 'requests')) as { requests: ApiRequest[] };
  return log.requests.filter((entry) => entry.path.startsWith('/v1/'));
}

export async function clearRequests(): Promise<void> {
  await emulatorControl('DELETE', 'requests');
}

/** A JSON copy of the emulator's resources. */
export async function emulatorState(): Promise<{
  warehouses: { id: string; state: string }[];
  clusters: { cluster_id: string; cluster_name: string; state: string; node_type: string; num_workers: number; autotermination_minutes: number }[];
  runs: { run_id: number; job_id: number; state: string; result_state: string | null }[];
  notebooks: { path: string; language?: string; object_type: string }[];
}> {
  return (await emulatorControl('GET', 'state')) as never;
}

export async function configureEmulator(patch: Record<string, unknown>): Promise<void> {
  await emulatorControl('POST', 'config', patch);
}
