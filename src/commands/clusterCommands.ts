/** Cluster commands: Start, Terminate, Create, Copy ID, Refresh. */
import * as vscode from 'vscode';
import { VIEW_IDS } from '../views/ids';
import { OPTIMISTIC_STATES } from '../views/model/state';
import type { ClusterNode } from '../views/nodes';
import type { CommandContext } from './context';
import { createCluster } from './createCluster';
import { confirmDestructive, copyId, runAction } from './runAction';
import { targetNode } from './target';

export async function startCluster(context: CommandContext, node: ClusterNode): Promise<void> {
  const name = node.data.cluster_name;
  await runAction(context, {
    viewId: VIEW_IDS.clusters,
    operation: 'startCluster',
    resourceLabel: name,
    progressTitle: vscode.l10n.t('Starting cluster {0}…', name),
    run: async (client, signal) => {
      await client.startCluster(node.data.cluster_id, { signal });
      return true;
    },
    successMessage: () => vscode.l10n.t('Starting cluster {0}', name),
    onSuccess: () => context.trees.clusters.update(node, { ...node.data, state: OPTIMISTIC_STATES.startCluster }),
  });
}

export async function terminateCluster(context: CommandContext, node: ClusterNode): Promise<void> {
  const name = node.data.cluster_name;
  const confirmed = await confirmDestructive(
    context,
    vscode.l10n.t('Terminate cluster "{0}"?', name),
    vscode.l10n.t('Running commands and notebooks attached to it stop. You can start it again later.'),
    vscode.l10n.t('Terminate'),
  );
  if (!confirmed) {
    return;
  }
  await runAction(context, {
    viewId: VIEW_IDS.clusters,
    operation: 'terminateCluster',
    resourceLabel: name,
    progressTitle: vscode.l10n.t('Terminating cluster {0}…', name),
    run: async (client, signal) => {
      await client.terminateCluster(node.data.cluster_id, { signal });
      return true;
    },
    successMessage: () => vscode.l10n.t('Terminating cluster {0}', name),
    onSuccess: () => context.trees.clusters.update(node, { ...node.data, state: OPTIMISTIC_STATES.terminateCluster }),
  });
}

export function registerClusterCommands(context: CommandContext): vscode.Disposable[] {
  const view = context.views.clusters;
  return [
    vscode.commands.registerCommand('datastack.cluster.start', async (argument: unknown) => {
      const node = targetNode(argument, view, 'cluster');
      if (node !== undefined) {
        await startCluster(context, node);
      }
    }),
    vscode.commands.registerCommand('datastack.cluster.terminate', async (argument: unknown) => {
      const node = targetNode(argument, view, 'cluster');
      if (node !== undefined) {
        await terminateCluster(context, node);
      }
    }),
    vscode.commands.registerCommand('datastack.cluster.create', () => createCluster(context)),
    vscode.commands.registerCommand('datastack.cluster.copyId', async (argument: unknown) => {
      const node = targetNode(argument, view, 'cluster');
      if (node !== undefined) {
        await copyId(node.data.cluster_id, vscode.l10n.t('cluster'));
      }
    }),
    // reload(), not refresh(): the first page's request starts now, while VS Code requests the root.
    vscode.commands.registerCommand('datastack.clusters.refresh', () => context.trees.clusters.reload()),
  ];
}
