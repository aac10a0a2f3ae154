/**
 * Builds the emulator's in-memory model from a seed file.
 *
 * Seed times are absolute epoch milliseconds taken at `captured_at`; loading shifts every time by
 * `now - captured_at`, so a run seeded as "started ten minutes ago" still reads that way today.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type {
  Cluster,
  EmulatorState,
  Job,
  NotebookObject,
  Run,
  TokenRecord,
  User,
  Warehouse,
  Workspace,
} from './types';

export const DEFAULT_SEED_PATH = join(__dirname, 'seed.json');

interface SeedToken {
  token: string;
  user_id: string;
  scopes: string[];
  expired: boolean;
}

/** The seed file's shape: contract fields, plus `run_page_url_prefix` on jobs whose runs link to a page. */
export interface SeedFile {
  captured_at: number;
  users: User[];
  workspaces: Workspace[];
  tokens: SeedToken[];
  clusters: Cluster[];
  jobs: (Job & { run_page_url_prefix?: string })[];
  runs: Run[];
  notebooks: NotebookObject[];
  warehouses: Warehouse[];
}

const SEED_ARRAYS = ['users', 'workspaces', 'tokens', 'clusters', 'jobs', 'runs', 'notebooks', 'warehouses'] as const;

/** Reads and checks the top-level shape of a seed file; throws naming the file and the missing key. */
export function loadSeed(path: string): SeedFile {
  const parsed = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  for (const key of SEED_ARRAYS) {
    if (!Array.isArray(parsed[key])) {
      throw new Error(`Seed file ${path} is invalid: "${key}" must be an array.`);
    }
  }
  if (typeof parsed['captured_at'] !== 'number') {
    throw new Error(`Seed file ${path} is invalid: "captured_at" must be epoch milliseconds.`);
  }
  return parsed as unknown as SeedFile;
}

/** Fills `state` (cleared first) from the seed, shifting seed times so that `captured_at` becomes `now`. */
export function populateState(state: EmulatorState, seed: SeedFile, now: number): void {
  const shift = (time: number): number => time + (now - seed.captured_at);
  const shiftNullable = (time: number | null): number | null => (time === null ? null : shift(time));

  clearState(state);
  for (const user of seed.users) {
    state.users.set(user.id, { ...user });
  }
  for (const workspace of seed.workspaces) {
    state.workspaces.set(workspace.id, { ...workspace, created_at: shift(workspace.created_at) });
  }
  for (const cluster of seed.clusters) {
    state.clusters.set(cluster.cluster_id, { ...cluster, created_at: shift(cluster.created_at) });
  }
  for (const { run_page_url_prefix: prefix, ...job } of seed.jobs) {
    state.jobs.set(job.job_id, { ...job, created_at: shift(job.created_at) });
    if (prefix !== undefined) {
      state.runPageUrlPrefixes.set(job.job_id, prefix);
    }
  }
  for (const run of seed.runs) {
    state.runs.set(run.run_id, { ...run, start_time: shift(run.start_time), end_time: shiftNullable(run.end_time) });
  }
  for (const object of seed.notebooks) {
    state.notebooks.set(object.path, { ...object, modified_at: shift(object.modified_at) });
  }
  for (const warehouse of seed.warehouses) {
    state.warehouses.set(warehouse.id, { ...warehouse });
  }
  for (const seedToken of seed.tokens) {
    state.tokens.set(seedToken.token, personalToken(seedToken, now));
  }

  state.nextIds = {
    cluster: seed.clusters.length + 1,
    job: Math.max(0, ...seed.jobs.map((job) => job.job_id)) + 1,
    run: Math.max(0, ...seed.runs.map((run) => run.run_id)) + 1,
    object: Math.max(0, ...seed.notebooks.map((object) => object.object_id)) + 1,
  };
}

function personalToken(seedToken: SeedToken, now: number): TokenRecord {
  return {
    token: seedToken.token,
    user_id: seedToken.user_id,
    scopes: [...seedToken.scopes],
    // An expired seed token expired one hour before the emulator started.
    expires_at: seedToken.expired ? now - 3_600_000 : null,
    revoked: false,
    kind: 'personal',
  };
}

export function createEmptyState(): EmulatorState {
  return {
    users: new Map(),
    workspaces: new Map(),
    clusters: new Map(),
    jobs: new Map(),
    runPageUrlPrefixes: new Map(),
    runs: new Map(),
    notebooks: new Map(),
    warehouses: new Map(),
    tokens: new Map(),
    nextIds: { cluster: 1, job: 1, run: 1, object: 1 },
  };
}

function clearState(state: EmulatorState): void {
  state.users.clear();
  state.workspaces.clear();
  state.clusters.clear();
  state.jobs.clear();
  state.runPageUrlPrefixes.clear();
  state.runs.clear();
  state.notebooks.clear();
  state.warehouses.clear();
  state.tokens.clear();
}

/** Returns a JSON-friendly copy of the resource state (tokens excluded). */
export function snapshotState(state: EmulatorState): Record<string, unknown> {
  return {
    users: [...state.users.values()],
    workspaces: [...state.workspaces.values()],
    clusters: [...state.clusters.values()],
    jobs: [...state.jobs.values()],
    runs: [...state.runs.values()],
    notebooks: [...state.notebooks.values()].map(({ content: _content, ...entry }) => entry),
    warehouses: [...state.warehouses.values()],
  };
}
