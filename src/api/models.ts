/**
 * Wire types of the DataStack API and their validators. Field names are snake_case as the API sends them.
 *
 * Enumerations list the values the contract defines, but every enum-typed field also accepts any other
 * string: a server newer than this client may add a state, and the UI shows it as it is.
 */
import {
  type JsonObject,
  expectObject,
  readId,
  readListOrEmpty,
  memberPath,
  readOptionalBoolean,
  readNumber,
  readOptionalNumber,
  readOptionalString,
  readString,
} from './validate';

/** A string enum that keeps unknown values (the `string & {}` keeps editor completion for known ones). */
export type OpenEnum<Known extends string> = Known | (string & {});

export const CLUSTER_STATES = ['PENDING', 'RUNNING', 'RESTARTING', 'RESIZING', 'TERMINATING', 'TERMINATED', 'ERROR'] as const;
export type ClusterState = OpenEnum<(typeof CLUSTER_STATES)[number]>;

export const RUN_STATES = ['PENDING', 'RUNNING', 'TERMINATING', 'TERMINATED', 'SKIPPED', 'INTERNAL_ERROR'] as const;
export type RunState = OpenEnum<(typeof RUN_STATES)[number]>;

export const RUN_RESULT_STATES = ['SUCCESS', 'FAILED', 'CANCELED'] as const;
export type RunResultState = OpenEnum<(typeof RUN_RESULT_STATES)[number]>;

export const NOTEBOOK_OBJECT_TYPES = ['NOTEBOOK', 'DIRECTORY'] as const;
export type NotebookObjectType = OpenEnum<(typeof NOTEBOOK_OBJECT_TYPES)[number]>;

export const NOTEBOOK_LANGUAGES = ['PYTHON', 'SQL', 'SCALA', 'R'] as const;
export type NotebookLanguage = OpenEnum<(typeof NOTEBOOK_LANGUAGES)[number]>;

export const WAREHOUSE_STATES = ['STARTING', 'RUNNING', 'STOPPING', 'STOPPED', 'DELETED'] as const;
export type WarehouseState = OpenEnum<(typeof WAREHOUSE_STATES)[number]>;

/** Returns whether `value` is one of the `known` enum values, e.g. `isKnown(CLUSTER_STATES, cluster.state)`. */
export function isKnown<Known extends string>(known: readonly Known[], value: string): value is Known {
  return (known as readonly string[]).includes(value);
}

export interface User {
  readonly id: string;
  readonly user_name: string;
  readonly display_name?: string;
  readonly email?: string;
  readonly active?: boolean;
}

export interface Workspace {
  readonly id: string;
  readonly name: string;
  readonly region?: string;
  readonly deployment_url?: string;
  /** Epoch milliseconds. */
  readonly created_at?: number;
}

export interface Cluster {
  readonly cluster_id: string;
  readonly cluster_name: string;
  readonly state: ClusterState;
  readonly state_message?: string;
  readonly node_type: string;
  readonly num_workers: number;
  readonly autotermination_minutes?: number;
  readonly creator: string;
  /** Epoch milliseconds. */
  readonly created_at: number;
}

export const SCHEDULE_PAUSE_STATUSES = ['PAUSED', 'UNPAUSED'] as const;
export type SchedulePauseStatus = OpenEnum<(typeof SCHEDULE_PAUSE_STATUSES)[number]>;

export interface JobSchedule {
  readonly quartz_cron_expression: string;
  readonly timezone_id: string;
  readonly pause_status?: SchedulePauseStatus;
}

export interface Job {
  readonly job_id: string;
  readonly name: string;
  readonly creator: string;
  /** Null for a job that only runs on demand. */
  readonly schedule: JobSchedule | null;
  /** Epoch milliseconds. */
  readonly created_at: number;
}

export interface Run {
  readonly run_id: string;
  readonly job_id: string;
  readonly state: RunState;
  /** Null until the run has finished. */
  readonly result_state: RunResultState | null;
  /** Epoch milliseconds. */
  readonly start_time?: number;
  /** Epoch milliseconds; absent (null on the wire) while the run is active. */
  readonly end_time?: number;
  readonly run_page_url?: string;
}

export interface NotebookObject {
  readonly path: string;
  readonly object_type: NotebookObjectType;
  /** Set for notebooks only. */
  readonly language?: NotebookLanguage;
  readonly object_id: string;
  /** Epoch milliseconds. */
  readonly modified_at?: number;
}

export interface ExportedNotebook {
  /** The notebook source, base64-encoded. */
  readonly content: string;
  readonly language: NotebookLanguage;
}

export interface Warehouse {
  readonly id: string;
  readonly name: string;
  readonly state: WarehouseState;
  readonly cluster_size: string;
  readonly num_clusters: number;
  readonly auto_stop_mins: number;
  readonly creator: string;
}

/**
 * A parsed model while its parser adds the optional members. The parsers build each object once and add
 * an optional member only when it has a value, with no spread and no intermediate object, because a list
 * parses thousands of items per page.
 */
type Building<T> = { -readonly [Key in keyof T]: T[Key] };

/** One page of a list operation. */
export interface Page<Item> {
  readonly items: readonly Item[];
  /** The token of the next page; absent on the last page. */
  readonly next_page_token?: string;
}

export function parseUser(value: unknown, path = 'user'): User {
  const object = expectObject(value, path);
  const displayName = readOptionalString(object, 'display_name', path);
  const email = readOptionalString(object, 'email', path);
  const active = readOptionalBoolean(object, 'active', path);
  const user: Building<User> = {
    id: readId(object, 'id', path),
    user_name: readString(object, 'user_name', path),
  };
  if (displayName !== undefined) {
    user.display_name = displayName;
  }
  if (email !== undefined) {
    user.email = email;
  }
  if (active !== undefined) {
    user.active = active;
  }
  return user;
}

export function parseWorkspace(value: unknown, path = 'workspace'): Workspace {
  const object = expectObject(value, path);
  const region = readOptionalString(object, 'region', path);
  const deploymentUrl = readOptionalString(object, 'deployment_url', path);
  const createdAt = readOptionalNumber(object, 'created_at', path);
  const workspace: Building<Workspace> = {
    id: readId(object, 'id', path),
    name: readString(object, 'name', path),
  };
  if (region !== undefined) {
    workspace.region = region;
  }
  if (deploymentUrl !== undefined) {
    workspace.deployment_url = deploymentUrl;
  }
  if (createdAt !== undefined) {
    workspace.created_at = createdAt;
  }
  return workspace;
}

export function parseCluster(value: unknown, path = 'cluster'): Cluster {
  const object = expectObject(value, path);
  const stateMessage = readOptionalString(object, 'state_message', path);
  const autoterminationMinutes = readOptionalNumber(object, 'autotermination_minutes', path);
  const cluster: Building<Cluster> = {
    cluster_id: readId(object, 'cluster_id', path),
    cluster_name: readString(object, 'cluster_name', path),
    state: readString(object, 'state', path),
    node_type: readString(object, 'node_type', path),
    num_workers: readNumber(object, 'num_workers', path),
    creator: readString(object, 'creator', path),
    created_at: readNumber(object, 'created_at', path),
  };
  if (stateMessage !== undefined) {
    cluster.state_message = stateMessage;
  }
  if (autoterminationMinutes !== undefined) {
    cluster.autotermination_minutes = autoterminationMinutes;
  }
  return cluster;
}

export function parseJob(value: unknown, path = 'job'): Job {
  const object = expectObject(value, path);
  return {
    job_id: readId(object, 'job_id', path),
    name: readString(object, 'name', path),
    creator: readString(object, 'creator', path),
    schedule: parseSchedule(object['schedule'], memberPath(path, 'schedule')),
    created_at: readNumber(object, 'created_at', path),
  };
}

/** Parses a job schedule; an absent or null schedule is null. */
function parseSchedule(value: unknown, path: string): JobSchedule | null {
  if (value === undefined || value === null) {
    return null;
  }
  const object = expectObject(value, path);
  const pauseStatus = readOptionalString(object, 'pause_status', path);
  const schedule: Building<JobSchedule> = {
    quartz_cron_expression: readString(object, 'quartz_cron_expression', path),
    timezone_id: readString(object, 'timezone_id', path),
  };
  if (pauseStatus !== undefined) {
    schedule.pause_status = pauseStatus;
  }
  return schedule;
}

export function parseRun(value: unknown, path = 'run'): Run {
  const object = expectObject(value, path);
  const startTime = readOptionalNumber(object, 'start_time', path);
  const endTime = readOptionalNumber(object, 'end_time', path);
  const runPageUrl = readOptionalString(object, 'run_page_url', path);
  const run: Building<Run> = {
    run_id: readId(object, 'run_id', path),
    job_id: readId(object, 'job_id', path),
    state: readString(object, 'state', path),
    result_state: readOptionalString(object, 'result_state', path) ?? null,
  };
  if (startTime !== undefined) {
    run.start_time = startTime;
  }
  if (endTime !== undefined) {
    run.end_time = endTime;
  }
  if (runPageUrl !== undefined) {
    run.run_page_url = runPageUrl;
  }
  return run;
}

export function parseNotebookObject(value: unknown, path = 'object'): NotebookObject {
  const object = expectObject(value, path);
  const language = readOptionalString(object, 'language', path);
  const modifiedAt = readOptionalNumber(object, 'modified_at', path);
  const notebookObject: Building<NotebookObject> = {
    path: readString(object, 'path', path),
    object_type: readString(object, 'object_type', path),
    object_id: readId(object, 'object_id', path),
  };
  if (language !== undefined) {
    notebookObject.language = language;
  }
  if (modifiedAt !== undefined) {
    notebookObject.modified_at = modifiedAt;
  }
  return notebookObject;
}

export function parseExportedNotebook(value: unknown, path = 'notebook'): ExportedNotebook {
  const object = expectObject(value, path);
  return {
    content: readString(object, 'content', path),
    language: readString(object, 'language', path),
  };
}

export function parseWarehouse(value: unknown, path = 'warehouse'): Warehouse {
  const object = expectObject(value, path);
  return {
    id: readId(object, 'id', path),
    name: readString(object, 'name', path),
    state: readString(object, 'state', path),
    cluster_size: readString(object, 'cluster_size', path),
    num_clusters: readNumber(object, 'num_clusters', path),
    auto_stop_mins: readNumber(object, 'auto_stop_mins', path),
    creator: readString(object, 'creator', path),
  };
}

/**
 * Returns a parser for one page of a list response whose items sit in the member `key`
 * (e.g. `clusters`). A missing item list is an empty page.
 */
export function pageParser<Item>(
  key: string,
  parseItem: (value: unknown, path: string) => Item,
): (value: unknown) => Page<Item> {
  return (value) => {
    const object = expectObject(value, 'response');
    const items = readListOrEmpty(object, key, '', parseItem);
    return withNextPageToken(object, items);
  };
}

function withNextPageToken<Item>(object: JsonObject, items: Item[]): Page<Item> {
  const token = readOptionalString(object, 'next_page_token', '');
  return token !== undefined && token !== '' ? { items, next_page_token: token } : { items };
}

/** Response of `runJobNow`: the run it started. */
export interface RunNowResult {
  readonly run_id: string;
}

export function parseRunNowResult(value: unknown): RunNowResult {
  const object = expectObject(value, 'response');
  return { run_id: readId(object, 'run_id', '') };
}

/** Response of `createCluster`. */
export interface CreateClusterResult {
  readonly cluster_id: string;
}

export function parseCreateClusterResult(value: unknown): CreateClusterResult {
  const object = expectObject(value, 'response');
  return { cluster_id: readId(object, 'cluster_id', '') };
}

/** Request body of `createCluster`. */
export interface CreateClusterRequest {
  readonly cluster_name: string;
  readonly node_type: string;
  readonly num_workers: number;
  readonly autotermination_minutes: number;
}

/** Request body of `createNotebook`. */
export interface CreateNotebookRequest {
  readonly path: string;
  readonly language: NotebookLanguage;
  /** The notebook source, base64-encoded. */
  readonly content: string;
  readonly overwrite: boolean;
}
