/**
 * The UI's names of each API operation: a phrase that starts an error message ("Stopping SQL warehouse
 * "Analytics"") and an action name for lists ("Stop a SQL warehouse"). This is UI wording only, so no
 * scope is spelled here.
 */
import type { OperationId } from '../api/operations';
import type { Translator } from './translator';

type Phrase = (l10n: Translator, resource: string | undefined) => string;

/** The subject of an error sentence, with the resource's display name when the caller knows it. */
const PHRASES = {
  getCurrentUser: (l10n) => l10n.t('Reading your DataStack user'),
  listUsers: (l10n) => l10n.t('Listing users'),
  listWorkspaces: (l10n) => l10n.t('Listing workspaces'),
  getWorkspace: (l10n, name) => (name === undefined ? l10n.t('Reading a workspace') : l10n.t('Reading workspace "{0}"', name)),
  listClusters: (l10n) => l10n.t('Listing clusters'),
  getCluster: (l10n, name) => (name === undefined ? l10n.t('Reading a cluster') : l10n.t('Reading cluster "{0}"', name)),
  createCluster: (l10n, name) => (name === undefined ? l10n.t('Creating a cluster') : l10n.t('Creating cluster "{0}"', name)),
  startCluster: (l10n, name) => (name === undefined ? l10n.t('Starting a cluster') : l10n.t('Starting cluster "{0}"', name)),
  terminateCluster: (l10n, name) =>
    name === undefined ? l10n.t('Terminating a cluster') : l10n.t('Terminating cluster "{0}"', name),
  listJobs: (l10n) => l10n.t('Listing jobs'),
  getJob: (l10n, name) => (name === undefined ? l10n.t('Reading a job') : l10n.t('Reading job "{0}"', name)),
  listRuns: (l10n, name) => (name === undefined ? l10n.t('Listing job runs') : l10n.t('Listing the runs of job "{0}"', name)),
  getRun: (l10n, name) => (name === undefined ? l10n.t('Reading a job run') : l10n.t('Reading run "{0}"', name)),
  runJobNow: (l10n, name) => (name === undefined ? l10n.t('Running a job') : l10n.t('Running job "{0}"', name)),
  cancelRun: (l10n, name) => (name === undefined ? l10n.t('Cancelling a job run') : l10n.t('Cancelling run "{0}"', name)),
  listNotebookFolder: (l10n, name) =>
    name === undefined ? l10n.t('Listing notebooks') : l10n.t('Listing notebook folder "{0}"', name),
  exportNotebook: (l10n, name) => (name === undefined ? l10n.t('Reading a notebook') : l10n.t('Reading notebook "{0}"', name)),
  createNotebook: (l10n, name) => (name === undefined ? l10n.t('Creating a notebook') : l10n.t('Creating notebook "{0}"', name)),
  listWarehouses: (l10n) => l10n.t('Listing SQL warehouses'),
  getWarehouse: (l10n, name) => (name === undefined ? l10n.t('Reading a SQL warehouse') : l10n.t('Reading SQL warehouse "{0}"', name)),
  startWarehouse: (l10n, name) =>
    name === undefined ? l10n.t('Starting a SQL warehouse') : l10n.t('Starting SQL warehouse "{0}"', name),
  stopWarehouse: (l10n, name) => (name === undefined ? l10n.t('Stopping a SQL warehouse') : l10n.t('Stopping SQL warehouse "{0}"', name)),
} as const satisfies Record<OperationId, Phrase>;

/** The name of each operation as an action a user can take, e.g. in "DataStack: Show Scopes". */
const ACTION_NAMES = {
  getCurrentUser: (l10n) => l10n.t('Show who is signed in'),
  listUsers: (l10n) => l10n.t('List users'),
  listWorkspaces: (l10n) => l10n.t('List workspaces'),
  getWorkspace: (l10n) => l10n.t('Read a workspace'),
  listClusters: (l10n) => l10n.t('List clusters'),
  getCluster: (l10n) => l10n.t('Refresh a cluster'),
  createCluster: (l10n) => l10n.t('Create a cluster'),
  startCluster: (l10n) => l10n.t('Start a cluster'),
  terminateCluster: (l10n) => l10n.t('Terminate a cluster'),
  listJobs: (l10n) => l10n.t('List jobs'),
  getJob: (l10n) => l10n.t('Read a job'),
  listRuns: (l10n) => l10n.t('List the runs of a job'),
  getRun: (l10n) => l10n.t('Refresh a job run'),
  runJobNow: (l10n) => l10n.t('Run a job now'),
  cancelRun: (l10n) => l10n.t('Cancel a job run'),
  listNotebookFolder: (l10n) => l10n.t('List notebooks'),
  exportNotebook: (l10n) => l10n.t('Open or export a notebook'),
  createNotebook: (l10n) => l10n.t('Create a notebook'),
  listWarehouses: (l10n) => l10n.t('List SQL warehouses'),
  getWarehouse: (l10n) => l10n.t('Refresh a SQL warehouse'),
  startWarehouse: (l10n) => l10n.t('Start a SQL warehouse'),
  stopWarehouse: (l10n) => l10n.t('Stop a SQL warehouse'),
} as const satisfies Record<OperationId, (l10n: Translator) => string>;

/** Returns the subject of an error sentence for an operation, e.g. `Stopping SQL warehouse "Analytics"`. */
export function actionPhrase(l10n: Translator, operation: OperationId, resourceLabel: string | undefined): string {
  return PHRASES[operation](l10n, resourceLabel);
}

/** Returns the name of an operation as a user action, e.g. `Stop a SQL warehouse`. */
export function actionName(l10n: Translator, operation: OperationId): string {
  return ACTION_NAMES[operation](l10n);
}
