/** SQL warehouse commands: Start, Stop, Copy ID, Refresh. */
import * as vscode from 'vscode';
import { OPTIMISTIC_STATES } from '../views/model/state';
import type { WarehouseNode } from '../views/nodes';
import { VIEW_IDS } from '../views/ids';
import type { CommandContext } from './context';
import { confirmDestructive, copyId, runAction } from './runAction';
import { targetNode } from './target';

export async function startWarehouse(context: CommandContext, node: WarehouseNode): Promise<void> {
  const name = node.data.name;
  await runAction(context, {
    viewId: VIEW_IDS.warehouses,
    operation: 'startWarehouse',
    resourceLabel: name,
    progressTitle: vscode.l10n.t('Starting SQL warehouse {0}…', name),
    run: async (client, signal) => {
      await client.startWarehouse(node.data.id, { signal });
      return true;
    },
    successMessage: () => vscode.l10n.t('Starting SQL warehouse {0}', name),
    onSuccess: () => context.trees.warehouses.update(node, { ...node.data, state: OPTIMISTIC_STATES.startWarehouse }),
  });
}

export async function stopWarehouse(context: CommandContext, node: WarehouseNode): Promise<void> {
  const name = node.data.name;
  const confirmed = await confirmDestructive(
    context,
    vscode.l10n.t('Stop SQL warehouse "{0}"?', name),
    vscode.l10n.t('Queries running on it are cancelled.'),
    vscode.l10n.t('Stop'),
  );
  if (!confirmed) {
    return;
  }
  await runAction(context, {
    viewId: VIEW_IDS.warehouses,
    operation: 'stopWarehouse',
    resourceLabel: name,
    progressTitle: vscode.l10n.t('Stopping SQL warehouse {0}…', name),
    run: async (client, signal) => {
      await client.stopWarehouse(node.data.id, { signal });
      return true;
    },
    successMessage: () => vscode.l10n.t('Stopping SQL warehouse {0}', name),
    onSuccess: () => context.trees.warehouses.update(node, { ...node.data, state: OPTIMISTIC_STATES.stopWarehouse }),
  });
}

export function registerWarehouseCommands(context: CommandContext): vscode.Disposable[] {
  const view = context.views.warehouses;
  return [
    vscode.commands.registerCommand('datastack.warehouse.start', async (argument: unknown) => {
      const node = targetNode(argument, view, 'warehouse');
      if (node !== undefined) {
        await startWarehouse(context, node);
      }
    }),
    vscode.commands.registerCommand('datastack.warehouse.stop', async (argument: unknown) => {
      const node = targetNode(argument, view, 'warehouse');
      if (node !== undefined) {
        await stopWarehouse(context, node);
      }
    }),
    vscode.commands.registerCommand('datastack.warehouse.copyId', async (argument: unknown) => {
      const node = targetNode(argument, view, 'warehouse');
      if (node !== undefined) {
        await copyId(node.data.id, vscode.l10n.t('SQL warehouse'));
      }
    }),
    // reload(), not refresh(): the first page's request starts now, while VS Code requests the root.
    vscode.commands.registerCommand('datastack.warehouses.refresh', () => context.trees.warehouses.reload()),
  ];
}
