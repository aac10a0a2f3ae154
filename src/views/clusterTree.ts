/** The Clusters view. */
import * as vscode from 'vscode';
import type { DataStackClient } from '../api/client';
import type { Cluster } from '../api/models';
import { VIEW_IDS } from './ids';
import { themeIcon } from './iconOf';
import { clusterContextValue } from './model/contextValue';
import { stateIcon } from './model/icons';
import { clusterPages } from './model/pageFetchers';
import { clusterStateClass, isTransitional } from './model/state';
import { clusterTooltip } from './model/tooltip';
import type { ClusterNode, ResourceNode } from './nodes';
import { type ListSpec, ResourceTree, type ResourceTreeDependencies } from './resourceTree';
import { markdownTooltip } from './tooltips';

export const clusterNodeId = (id: string): string => `cluster:${id}`;

export class ClusterTree extends ResourceTree {
  constructor(deps: ResourceTreeDependencies) {
    super(VIEW_IDS.clusters, deps);
  }

  protected rootList(client: DataStackClient): ListSpec<unknown> {
    const spec: ListSpec<Cluster> = {
      fetchPage: clusterPages(client, this.pageSize),
      idOf: (cluster) => clusterNodeId(cluster.cluster_id),
      createNode: (cluster, parent): ClusterNode => ({ kind: 'cluster', id: clusterNodeId(cluster.cluster_id), parent, data: cluster }),
      emptyLabel: vscode.l10n.t('No clusters in this workspace'),
      noun: vscode.l10n.t('clusters'),
    };
    return spec as ListSpec<unknown>;
  }

  protected override fetchLatest(node: ResourceNode, client: DataStackClient, signal: AbortSignal): Promise<Cluster> | undefined {
    return node.kind === 'cluster' ? client.getCluster(node.data.cluster_id, { signal }) : undefined;
  }

  protected override isTransitional(node: ResourceNode): boolean {
    return node.kind === 'cluster' && isTransitional(clusterStateClass(node.data.state));
  }

  protected resourceItem(node: ResourceNode): vscode.TreeItem {
    if (node.kind !== 'cluster') {
      return new vscode.TreeItem(node.id);
    }
    const cluster = node.data;
    const item = new vscode.TreeItem(cluster.cluster_name, vscode.TreeItemCollapsibleState.None);
    item.description = cluster.state;
    item.iconPath = themeIcon(stateIcon(clusterStateClass(cluster.state)));
    item.tooltip = markdownTooltip(cluster.cluster_name, clusterTooltip(cluster));
    item.contextValue = clusterContextValue(cluster);
    return item;
  }
}
