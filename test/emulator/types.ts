/**
 * Resource and token records of the DataStack emulator. Field names follow the API contract in
 * docs/api.md (snake_case); times are epoch milliseconds.
 */

export const CLUSTER_STATES = [
  'PENDING',
  'RUNNING',
  'RESTARTING',
  'RESIZING',
  'TERMINATING',
  'TERMINATED',
  'ERROR',
] as const;
export type ClusterState = (typeof CLUSTER_STATES)[number];

export const RUN_STATES = ['PENDING', 'RUNNING', 'TERMINATING', 'TERMINATED', 'SKIPPED', 'INTERNAL_ERROR'] as const;
export type RunState = (typeof RUN_STATES)[number];

export const RUN_RESULT_STATES = ['SUCCESS', 'FAILED', 'CANCELED'] as const;
export type RunResultState = (typeof RUN_RESULT_STATES)[number];

export const WAREHOUSE_STATES = ['STARTING', 'RUNNING', 'STOPPING', 'STOPPED', 'DELETED'] as const;
export type WarehouseState = (typeof WAREHOUSE_STATES)[number];

export const NOTEBOOK_LANGUAGES = ['PYTHON', 'SQL', 'SCALA', 'R'] as const;
export type NotebookLanguage = (typeof NOTEBOOK_LANGUAGES)[number];

export interface User {
  id: string;
  user_name: string;
  display_name: string;
  email: string;
  active: boolean;
}

export interface Workspace {
  id: string;
  name: string;
  region: string;
  deployment_url: string;
  created_at: number;
}

export interface Cluster {
  cluster_id: string;
  cluster_name: string;
  state: ClusterState;
  state_message: string;
  node_type: string;
  num_workers: number;
  autotermination_minutes: number;
  creator: string;
  created_at: number;
}

export interface JobSchedule {
  quartz_cron_expression: string;
  timezone_id: string;
  pause_status: 'PAUSED' | 'UNPAUSED';
}

export interface Job {
  job_id: number;
  name: string;
  creator: string;
  schedule: JobSchedule | null;
  created_at: number;
}

export interface Run {
  run_id: number;
  job_id: number;
  state: RunState;
  result_state: RunResultState | null;
  start_time: number;
  end_time: number | null;
  run_page_url: string | null;
}

/** One entry of the notebook tree; `content` (base64) is kept for notebooks and never listed. */
export interface NotebookObject {
  path: string;
  object_type: 'NOTEBOOK' | 'DIRECTORY';
  language?: NotebookLanguage;
  object_id: number;
  modified_at: number;
  content?: string;
}

export interface Warehouse {
  id: string;
  name: string;
  state: WarehouseState;
  cluster_size: string;
  num_clusters: number;
  auto_stop_mins: number;
  creator: string;
}

/** An API token: a seeded personal access token or an access token issued by the OAuth endpoints. */
export interface TokenRecord {
  token: string;
  user_id: string;
  scopes: string[];
  /** Epoch milliseconds; `null` never expires. */
  expires_at: number | null;
  revoked: boolean;
  kind: 'personal' | 'oauth';
  /** The refresh-token family an OAuth access token belongs to. */
  family_id?: string;
}

/** The emulator's in-memory model. Maps keep insertion order, which is the list order. */
export interface EmulatorState {
  users: Map<string, User>;
  workspaces: Map<string, Workspace>;
  clusters: Map<string, Cluster>;
  jobs: Map<number, Job>;
  /** Per job, the prefix its runs' `run_page_url` starts with, or absent for runs without one. */
  runPageUrlPrefixes: Map<number, string>;
  runs: Map<number, Run>;
  notebooks: Map<string, NotebookObject>;
  warehouses: Map<string, Warehouse>;
  tokens: Map<string, TokenRecord>;
  nextIds: { cluster: number; job: number; run: number; object: number };
}
