/**
 * How the sidebar classifies resource states: the class that picks an icon and colour, whether the state
 * is transitional (and so polled), and what actions the state allows. The action rules mirror the API's:
 * a request from any other state fails with 409 `INVALID_STATE`.
 *
 * States are open enums: a state this table does not know is shown as it is, with the `unknown` class.
 */
import type { Cluster, Run, Warehouse } from '../../api/models';

/** The kinds of resource a tree item can show. */
export type ResourceKind = 'warehouse' | 'cluster' | 'job' | 'run' | 'folder' | 'notebook';

/**
 * Visual class of a state. `transitional` states are polled until they settle; the others are final or
 * stable until the user acts.
 */
export type StateClass =
  | 'running'
  | 'stopped'
  | 'transitional'
  | 'error'
  | 'deleted'
  | 'succeeded'
  | 'failed'
  | 'canceled'
  | 'skipped'
  | 'unknown';

const WAREHOUSE_CLASSES: Readonly<Record<string, StateClass>> = {
  RUNNING: 'running',
  STOPPED: 'stopped',
  STARTING: 'transitional',
  STOPPING: 'transitional',
  DELETED: 'deleted',
};

const CLUSTER_CLASSES: Readonly<Record<string, StateClass>> = {
  RUNNING: 'running',
  TERMINATED: 'stopped',
  PENDING: 'transitional',
  RESTARTING: 'transitional',
  RESIZING: 'transitional',
  TERMINATING: 'transitional',
  ERROR: 'error',
};

const RUN_RESULT_CLASSES: Readonly<Record<string, StateClass>> = {
  SUCCESS: 'succeeded',
  FAILED: 'failed',
  CANCELED: 'canceled',
};

const RUN_STATE_CLASSES: Readonly<Record<string, StateClass>> = {
  PENDING: 'transitional',
  RUNNING: 'transitional',
  TERMINATING: 'transitional',
  SKIPPED: 'skipped',
  INTERNAL_ERROR: 'error',
};

function lookup(table: Readonly<Record<string, StateClass>>, state: string): StateClass {
  return Object.hasOwn(table, state) ? (table[state] as StateClass) : 'unknown';
}

export function warehouseStateClass(state: string): StateClass {
  return lookup(WAREHOUSE_CLASSES, state);
}

export function clusterStateClass(state: string): StateClass {
  return lookup(CLUSTER_CLASSES, state);
}

/** Classifies a run: a TERMINATED run takes the class of its result; an unknown result is `unknown`. */
export function runStateClass(run: Pick<Run, 'state' | 'result_state'>): StateClass {
  if (run.state === 'TERMINATED') {
    return run.result_state === null ? 'unknown' : lookup(RUN_RESULT_CLASSES, run.result_state);
  }
  return lookup(RUN_STATE_CLASSES, run.state);
}

/** Returns whether a state class is polled: only transitional states change without a user action. */
export function isTransitional(stateClass: StateClass): boolean {
  return stateClass === 'transitional';
}

export function canStartWarehouse(warehouse: Pick<Warehouse, 'state'>): boolean {
  return warehouse.state === 'STOPPED';
}

export function canStopWarehouse(warehouse: Pick<Warehouse, 'state'>): boolean {
  return warehouse.state === 'STARTING' || warehouse.state === 'RUNNING';
}

export function canStartCluster(cluster: Pick<Cluster, 'state'>): boolean {
  return cluster.state === 'TERMINATED' || cluster.state === 'ERROR';
}

const TERMINABLE_CLUSTER_STATES: readonly string[] = ['PENDING', 'RUNNING', 'RESTARTING', 'RESIZING', 'ERROR'];

export function canTerminateCluster(cluster: Pick<Cluster, 'state'>): boolean {
  return TERMINABLE_CLUSTER_STATES.includes(cluster.state);
}

export function canCancelRun(run: Pick<Run, 'state'>): boolean {
  return run.state === 'PENDING' || run.state === 'RUNNING';
}

/** The state an item shows at once after an action, before the first poll confirms it. */
export const OPTIMISTIC_STATES = {
  startWarehouse: 'STARTING',
  stopWarehouse: 'STOPPING',
  startCluster: 'PENDING',
  terminateCluster: 'TERMINATING',
  cancelRun: 'TERMINATING',
} as const;
