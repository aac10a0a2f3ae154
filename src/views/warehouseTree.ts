/** The SQL Warehouses view. */
import * as vscode from 'vscode';
import type { DataStackClient } from '../api/client';
import type { Warehouse } from '../api/models';
import { VIEW_IDS } from './ids';
import { themeIcon } from './iconOf';
import { warehouseContextValue } from './model/contextValue';
import { stateIcon } from './model/icons';
import { warehousePages } from './model/pageFetchers';
import { isTransitional, warehouseStateClass } from './model/state';
import { warehouseTooltip } from './model/tooltip';
import type { ResourceNode, WarehouseNode } from './nodes';
import { type ListSpec, ResourceTree, type ResourceTreeDependencies } from './resourceTree';
import { markdownTooltip } from './tooltips';

export const warehouseNodeId = (id: string): string => `warehouse:${id}`;

export class WarehouseTree extends ResourceTree {
  constructor(deps: ResourceTreeDependencies) {
    super(VIEW_IDS.warehouses, deps);
  }

  protected rootList(client: DataStackClient): ListSpec<unknown> {
    const spec: ListSpec<Warehouse> = {
      fetchPage: warehousePages(client, this.pageSize),
      idOf: (warehouse) => warehouseNodeId(warehouse.id),
      createNode: (warehouse, parent): WarehouseNode => ({ kind: 'warehouse', id: warehouseNodeId(warehouse.id), parent, data: warehouse }),
      emptyLabel: vscode.l10n.t('No SQL warehouses in this workspace'),
      noun: vscode.l10n.t('SQL warehouses'),
    };
    return spec as ListSpec<unknown>;
  }

  protected override fetchLatest(node: ResourceNode, client: DataStackClient, signal: AbortSignal): Promise<Warehouse> | undefined {
    return node.kind === 'warehouse' ? client.getWarehouse(node.data.id, { signal }) : undefined;
  }

  protected override isTransitional(node: ResourceNode): boolean {
    return node.kind === 'warehouse' && isTransitional(warehouseStateClass(node.data.state));
  }

  protected resourceItem(node: ResourceNode): vscode.TreeItem {
    if (node.kind !== 'warehouse') {
      return new vscode.TreeItem(node.id);
    }
    const warehouse = node.data;
    const item = new vscode.TreeItem(warehouse.name, vscode.TreeItemCollapsibleState.None);
    item.description = warehouse.state;
    item.iconPath = themeIcon(stateIcon(warehouseStateClass(warehouse.state)));
    item.tooltip = markdownTooltip(warehouse.name, warehouseTooltip(warehouse));
    item.contextValue = warehouseContextValue(warehouse);
    return item;
  }
}
