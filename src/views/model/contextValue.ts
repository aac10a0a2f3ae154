/**
 * Faceted `contextValue` strings for tree items: `datastack:<kind>` followed by `;key=value` facets and
 * `;capability` flags, e.g. `datastack:warehouse;state=stopped;canStart`. Menus in `package.json` match
 * them with `viewItem =~ /^datastack:warehouse;.*;canStart(;|$)/`, so an action shows only where the API
 * allows it.
 */
import type { Cluster, NotebookObject, Run, Warehouse } from '../../api/models';
import {
  canCancelRun,
  canStartCluster,
  canStartWarehouse,
  canStopWarehouse,
  canTerminateCluster,
} from './state';

export type ItemKind = 'warehouse' | 'cluster' | 'job' | 'run' | 'folder' | 'notebook' | 'loadMore' | 'failure' | 'empty';

export interface ContextFacets {
  readonly kind: ItemKind;
  /** Facets with a value, e.g. `{ state: 'STOPPED' }`; values are lowercased and cleaned. */
  readonly values?: Readonly<Record<string, string>>;
  /** Flags such as `canStart`, in the order given. */
  readonly capabilities?: readonly string[];
}

/** Lowercases a facet value and replaces anything outside `[a-z0-9_-]`, so a server value cannot break a menu regex. */
export function cleanFacetValue(value: string): string {
  return value.toLowerCase().replace(/[^a-z0-9_-]/g, '_');
}

export function buildContextValue(facets: ContextFacets): string {
  const parts = [`datastack:${facets.kind}`];
  for (const [key, value] of Object.entries(facets.values ?? {})) {
    parts.push(`${key}=${cleanFacetValue(value)}`);
  }
  parts.push(...(facets.capabilities ?? []));
  return parts.join(';');
}

function flags(entries: readonly (readonly [string, boolean])[]): string[] {
  return entries.filter(([, enabled]) => enabled).map(([name]) => name);
}

export function warehouseContextValue(warehouse: Pick<Warehouse, 'state'>): string {
  return buildContextValue({
    kind: 'warehouse',
    values: { state: warehouse.state },
    capabilities: flags([
      ['canStart', canStartWarehouse(warehouse)],
      ['canStop', canStopWarehouse(warehouse)],
    ]),
  });
}

export function clusterContextValue(cluster: Pick<Cluster, 'state'>): string {
  return buildContextValue({
    kind: 'cluster',
    values: { state: cluster.state },
    capabilities: flags([
      ['canStart', canStartCluster(cluster)],
      ['canTerminate', canTerminateCluster(cluster)],
    ]),
  });
}

export function jobContextValue(): string {
  return buildContextValue({ kind: 'job', capabilities: ['canRunNow'] });
}

export function runContextValue(run: Pick<Run, 'state' | 'run_page_url'>): string {
  return buildContextValue({
    kind: 'run',
    values: { state: run.state },
    capabilities: flags([
      ['canCancel', canCancelRun(run)],
      ['hasRunPage', run.run_page_url !== undefined && run.run_page_url !== ''],
    ]),
  });
}

export function notebookObjectContextValue(object: Pick<NotebookObject, 'object_type' | 'language'>): string {
  if (object.object_type === 'DIRECTORY') {
    return buildContextValue({ kind: 'folder', capabilities: ['canCreateNotebook'] });
  }
  return buildContextValue({
    kind: 'notebook',
    values: object.language === undefined ? {} : { language: object.language },
    capabilities: ['canOpen', 'canExport'],
  });
}

/** Builds the contextValue of a failure item; `canRetry` shows the inline Retry action. */
export function failureContextValue(canRetry: boolean): string {
  return buildContextValue({ kind: 'failure', capabilities: canRetry ? ['canRetry'] : [] });
}
