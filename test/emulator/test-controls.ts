/** Direct state changes for tests: expire tokens, add tokens, force resource states, add many clusters. */
import { randomBytes } from 'node:crypto';

import { newClusterId } from './compute-routes';
import type { EmulatorCore } from './core';
import { clusterKey, runKey, warehouseKey } from './lifecycle';
import {
  CLUSTER_STATES,
  RUN_RESULT_STATES,
  RUN_STATES,
  WAREHOUSE_STATES,
  type Cluster,
  type ClusterState,
  type RunResultState,
} from './types';

export interface NewTokenOptions {
  scopes: string[];
  /** Default: the OAuth user of the config. */
  userId?: string;
  /** Default: never expires. */
  expiresInSeconds?: number;
  /** Default: a random `dapi-test-...` token. */
  token?: string;
}

export type ResourceStateChange =
  | { kind: 'cluster'; id: string; state: ClusterState; stateMessage?: string }
  | { kind: 'warehouse'; id: string; state: (typeof WAREHOUSE_STATES)[number] }
  | { kind: 'run'; id: number; state: (typeof RUN_STATES)[number]; resultState?: RunResultState | null };

export interface AddClustersOptions {
  /** Default `Load test cluster`; each name gets ` <n>` appended. */
  namePrefix?: string;
  /** Default `TERMINATED`. */
  state?: ClusterState;
}

/** Expires one access token, or every token when `token` is absent; returns how many were expired. */
export function expireTokens(core: EmulatorCore, token?: string): number {
  const expiredAt = core.now() - 1000;
  const records = token === undefined ? [...core.state.tokens.values()] : [core.state.tokens.get(token)];
  let count = 0;
  for (const record of records) {
    if (record !== undefined) {
      record.expires_at = expiredAt;
      count++;
    }
  }
  return count;
}

export function addToken(core: EmulatorCore, options: NewTokenOptions): string {
  const token = options.token ?? `dapi-test-${randomBytes(16).toString('hex')}`;
  core.state.tokens.set(token, {
    token,
    user_id: options.userId ?? core.config.oauthUserId,
    scopes: [...options.scopes],
    expires_at: options.expiresInSeconds === undefined ? null : core.now() + options.expiresInSeconds * 1000,
    revoked: false,
    kind: 'personal',
  });
  core.issued.add('personalAccessTokens', token);
  return token;
}

/** Sets a resource's state at once and cancels its pending lifecycle step. Throws when it does not exist. */
export function setResourceState(core: EmulatorCore, change: ResourceStateChange): void {
  const { state, scheduler } = core;
  if (change.kind === 'cluster') {
    const cluster = state.clusters.get(change.id);
    if (cluster === undefined) {
      throw new Error(`Cluster ${change.id} does not exist.`);
    }
    scheduler.cancel(clusterKey(change.id));
    cluster.state = change.state;
    cluster.state_message = change.stateMessage ?? cluster.state_message;
  } else if (change.kind === 'warehouse') {
    const warehouse = state.warehouses.get(change.id);
    if (warehouse === undefined) {
      throw new Error(`SQL warehouse ${change.id} does not exist.`);
    }
    scheduler.cancel(warehouseKey(change.id));
    warehouse.state = change.state;
  } else {
    const run = state.runs.get(change.id);
    if (run === undefined) {
      throw new Error(`Run ${change.id} does not exist.`);
    }
    scheduler.cancel(runKey(change.id));
    run.state = change.state;
    if (change.resultState !== undefined) {
      run.result_state = change.resultState;
    }
  }
}

export function addClusters(core: EmulatorCore, count: number, options: AddClustersOptions = {}): Cluster[] {
  const added: Cluster[] = [];
  for (let index = 1; index <= count; index++) {
    const cluster: Cluster = {
      cluster_id: newClusterId(core.state.nextIds.cluster++, core.now()),
      cluster_name: `${options.namePrefix ?? 'Load test cluster'} ${index}`,
      state: options.state ?? 'TERMINATED',
      state_message: '',
      node_type: 'm5.large',
      num_workers: 1 + (index % 8),
      autotermination_minutes: 30,
      creator: core.state.users.get(core.config.oauthUserId)?.email ?? core.config.oauthUserId,
      created_at: core.now(),
    };
    core.state.clusters.set(cluster.cluster_id, cluster);
    added.push(cluster);
  }
  return added;
}

/** Checks an untrusted state change (from `POST /_emulator/resources/state`); throws an `Error` saying what is wrong. */
export function parseResourceStateChange(body: Record<string, unknown>): ResourceStateChange {
  const { kind, id, state } = body;
  const statesByKind: Record<string, readonly string[]> = {
    cluster: CLUSTER_STATES,
    warehouse: WAREHOUSE_STATES,
    run: RUN_STATES,
  };
  const allowed = typeof kind === 'string' && Object.hasOwn(statesByKind, kind) ? statesByKind[kind] : undefined;
  if (allowed === undefined) {
    throw new Error('Invalid kind: use "cluster", "warehouse" or "run".');
  }
  if (!(allowed as readonly unknown[]).includes(state)) {
    throw new Error(`Invalid state for a ${kind}: use one of ${allowed.join(', ')}.`);
  }
  if (kind === 'run' ? !Number.isInteger(id) : typeof id !== 'string') {
    throw new Error(`Invalid id: a ${kind} id is ${kind === 'run' ? 'an integer' : 'a string'}.`);
  }
  const resultState = body['result_state'];
  if (resultState !== undefined && resultState !== null && !(RUN_RESULT_STATES as readonly unknown[]).includes(resultState)) {
    throw new Error(`Invalid result_state: use null or one of ${RUN_RESULT_STATES.join(', ')}.`);
  }
  const stateMessage = body['state_message'];
  if (stateMessage !== undefined && typeof stateMessage !== 'string') {
    throw new Error('Invalid state_message: expected a string.');
  }
  return {
    kind,
    id,
    state,
    ...(stateMessage === undefined ? {} : { stateMessage }),
    ...(resultState === undefined ? {} : { resultState }),
  } as ResourceStateChange;
}
