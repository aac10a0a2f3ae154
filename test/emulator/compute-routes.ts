/** Handlers of the cluster and SQL warehouse operations. */
import { param, creatorOf, requireInteger, requireString, type ApiHandler, type ApiRequest } from './api-request';
import { invalidParameter, invalidState, notFound } from './http';
import { pageBody, paginate } from './pagination';
import type { Cluster, ClusterState, Warehouse, WarehouseState } from './types';

/** Cluster states from which `start` is allowed. */
const STARTABLE_CLUSTER_STATES: readonly ClusterState[] = ['TERMINATED', 'ERROR'];
/** Cluster states from which `terminate` is allowed. */
const TERMINABLE_CLUSTER_STATES: readonly ClusterState[] = ['PENDING', 'RUNNING', 'RESTARTING', 'RESIZING', 'ERROR'];
const STARTABLE_WAREHOUSE_STATES: readonly WarehouseState[] = ['STOPPED'];
const STOPPABLE_WAREHOUSE_STATES: readonly WarehouseState[] = ['STARTING', 'RUNNING'];

function findCluster(request: ApiRequest): Cluster {
  const id = param(request, 'cluster_id');
  const cluster = request.core.state.clusters.get(id);
  if (cluster === undefined) {
    throw notFound(`Cluster ${id} does not exist.`);
  }
  return cluster;
}

function findWarehouse(request: ApiRequest): Warehouse {
  const id = param(request, 'id');
  const warehouse = request.core.state.warehouses.get(id);
  if (warehouse === undefined) {
    throw notFound(`SQL warehouse ${id} does not exist.`);
  }
  return warehouse;
}

/** Returns a new cluster id in the `MMDD-HHMMSS-suffix` shape of the seeded ones. */
export function newClusterId(sequence: number, now: number): string {
  const iso = new Date(now).toISOString();
  const date = iso.slice(5, 7) + iso.slice(8, 10);
  const time = iso.slice(11, 13) + iso.slice(14, 16) + iso.slice(17, 19);
  return `${date}-${time}-new${String(sequence).padStart(5, '0')}`;
}

const createCluster: ApiHandler = (request) => {
  const { body, core } = request;
  const clusterName = requireString(body, 'cluster_name', 100);
  const nodeType = requireString(body, 'node_type', 100);
  const numWorkers = requireInteger(body, 'num_workers', 0, 1000);
  const autoterminationMinutes = requireInteger(body, 'autotermination_minutes', 0, 10_000);
  if (autoterminationMinutes !== 0 && autoterminationMinutes < 10) {
    throw invalidParameter('Invalid autotermination_minutes: use 0 (never) or from 10 to 10000.');
  }
  const cluster: Cluster = {
    cluster_id: newClusterId(core.state.nextIds.cluster++, core.now()),
    cluster_name: clusterName,
    state: 'PENDING',
    state_message: '',
    node_type: nodeType,
    num_workers: numWorkers,
    autotermination_minutes: autoterminationMinutes,
    creator: creatorOf(request),
    created_at: core.now(),
  };
  core.state.clusters.set(cluster.cluster_id, cluster);
  core.scheduler.startCluster(cluster);
  return { cluster_id: cluster.cluster_id };
};

const startCluster: ApiHandler = (request) => {
  const cluster = findCluster(request);
  if (!STARTABLE_CLUSTER_STATES.includes(cluster.state)) {
    throw invalidState(`Cluster ${cluster.cluster_id} is ${cluster.state}; only a TERMINATED or ERROR cluster can start.`);
  }
  request.core.scheduler.startCluster(cluster);
  return {};
};

const terminateCluster: ApiHandler = (request) => {
  const cluster = findCluster(request);
  if (!TERMINABLE_CLUSTER_STATES.includes(cluster.state)) {
    throw invalidState(`Cluster ${cluster.cluster_id} is ${cluster.state} and cannot be terminated.`);
  }
  request.core.scheduler.terminateCluster(cluster);
  return {};
};

const startWarehouse: ApiHandler = (request) => {
  const warehouse = findWarehouse(request);
  if (!STARTABLE_WAREHOUSE_STATES.includes(warehouse.state)) {
    throw invalidState(`SQL warehouse ${warehouse.id} is ${warehouse.state}; only a STOPPED warehouse can start.`);
  }
  request.core.scheduler.startWarehouse(warehouse);
  return {};
};

const stopWarehouse: ApiHandler = (request) => {
  const warehouse = findWarehouse(request);
  if (!STOPPABLE_WAREHOUSE_STATES.includes(warehouse.state)) {
    throw invalidState(`SQL warehouse ${warehouse.id} is ${warehouse.state}; only a STARTING or RUNNING warehouse can stop.`);
  }
  request.core.scheduler.stopWarehouse(warehouse);
  return {};
};

export const COMPUTE_HANDLERS = {
  listClusters: (request: ApiRequest) =>
    pageBody('clusters', paginate([...request.core.state.clusters.values()], request.query, 'clusters', '')),
  getCluster: (request: ApiRequest) => findCluster(request),
  createCluster,
  startCluster,
  terminateCluster,
  listWarehouses: (request: ApiRequest) =>
    pageBody('warehouses', paginate([...request.core.state.warehouses.values()], request.query, 'warehouses', '')),
  getWarehouse: (request: ApiRequest) => findWarehouse(request),
  startWarehouse,
  stopWarehouse,
} satisfies Record<string, ApiHandler>;
