/**
 * The DataStack API operation table: every operation's HTTP method, path template and required scope.
 *
 * This is the only file that spells a scope string. The client, the commands, the views, the emulator
 * and the tests all read scopes from here, so a scope change is made in one place.
 */

/** The request header that names the scope an operation is made under; the server checks it against the operation. */
export const SCOPE_HEADER = 'x-datastack-scope';

/** Every scope a DataStack token can hold. `all-apis` (OAuth only) holds every other scope. */
export const SCOPES = [
  'read:clusters',
  'manage:clusters',
  'read:jobs',
  'manage:jobs',
  'read:notebooks',
  'manage:notebooks',
  'read:sql',
  'manage:sql',
  'read:users',
  'read:workspaces',
  'manage:workspaces',
  'all-apis',
] as const;

export type Scope = (typeof SCOPES)[number];

/** The scope that holds every other scope. */
export const ALL_APIS_SCOPE: Scope = 'all-apis';

export type HttpMethod = 'GET' | 'POST';

export interface OperationSpec {
  readonly method: HttpMethod;
  /** Path template under the API host; `{name}` marks a path parameter. */
  readonly path: string;
  readonly scope: Scope;
  /** English summary for docs and logs; the UI has its own localized wording. */
  readonly summary: string;
}

/** The API contract, in the order of docs/api.md. */
export const OPERATIONS = {
  getCurrentUser: { method: 'GET', path: '/v1/users/me', scope: 'read:users', summary: 'Get the current user' },
  listUsers: { method: 'GET', path: '/v1/users', scope: 'read:users', summary: 'List users' },
  listWorkspaces: { method: 'GET', path: '/v1/workspaces', scope: 'read:workspaces', summary: 'List workspaces' },
  getWorkspace: { method: 'GET', path: '/v1/workspaces/{id}', scope: 'read:workspaces', summary: 'Get a workspace' },
  listClusters: { method: 'GET', path: '/v1/clusters', scope: 'read:clusters', summary: 'List clusters' },
  getCluster: { method: 'GET', path: '/v1/clusters/{cluster_id}', scope: 'read:clusters', summary: 'Get a cluster' },
  createCluster: { method: 'POST', path: '/v1/clusters', scope: 'manage:clusters', summary: 'Create a cluster' },
  startCluster: {
    method: 'POST',
    path: '/v1/clusters/{cluster_id}/start',
    scope: 'manage:clusters',
    summary: 'Start a cluster',
  },
  terminateCluster: {
    method: 'POST',
    path: '/v1/clusters/{cluster_id}/terminate',
    scope: 'manage:clusters',
    summary: 'Terminate a cluster',
  },
  listJobs: { method: 'GET', path: '/v1/jobs', scope: 'read:jobs', summary: 'List jobs' },
  getJob: { method: 'GET', path: '/v1/jobs/{job_id}', scope: 'read:jobs', summary: 'Get a job' },
  listRuns: { method: 'GET', path: '/v1/jobs/{job_id}/runs', scope: 'read:jobs', summary: "List a job's runs" },
  getRun: { method: 'GET', path: '/v1/runs/{run_id}', scope: 'read:jobs', summary: 'Get a run' },
  runJobNow: { method: 'POST', path: '/v1/jobs/{job_id}/run-now', scope: 'manage:jobs', summary: 'Run a job now' },
  cancelRun: { method: 'POST', path: '/v1/runs/{run_id}/cancel', scope: 'manage:jobs', summary: 'Cancel a run' },
  listNotebookFolder: {
    method: 'GET',
    path: '/v1/notebooks',
    scope: 'read:notebooks',
    summary: 'List a notebook folder',
  },
  exportNotebook: {
    method: 'GET',
    path: '/v1/notebooks/export',
    scope: 'read:notebooks',
    summary: 'Export a notebook',
  },
  createNotebook: { method: 'POST', path: '/v1/notebooks', scope: 'manage:notebooks', summary: 'Create a notebook' },
  listWarehouses: { method: 'GET', path: '/v1/sql/warehouses', scope: 'read:sql', summary: 'List SQL warehouses' },
  getWarehouse: { method: 'GET', path: '/v1/sql/warehouses/{id}', scope: 'read:sql', summary: 'Get a SQL warehouse' },
  startWarehouse: {
    method: 'POST',
    path: '/v1/sql/warehouses/{id}/start',
    scope: 'manage:sql',
    summary: 'Start a SQL warehouse',
  },
  stopWarehouse: {
    method: 'POST',
    path: '/v1/sql/warehouses/{id}/stop',
    scope: 'manage:sql',
    summary: 'Stop a SQL warehouse',
  },
} as const satisfies Record<string, OperationSpec>;

export type OperationId = keyof typeof OPERATIONS;

export const OPERATION_IDS = Object.keys(OPERATIONS) as OperationId[];

/** Returns whether `value` is one of the scopes in {@link SCOPES}. */
export function isScope(value: unknown): value is Scope {
  return typeof value === 'string' && (SCOPES as readonly string[]).includes(value);
}

/** Returns the scope an operation requires. */
export function scopeOf(operation: OperationId): Scope {
  return OPERATIONS[operation].scope;
}

/** Returns the path parameter names of a template, e.g. `['cluster_id']` for `/v1/clusters/{cluster_id}`. */
export function pathParameterNames(template: string): string[] {
  return [...template.matchAll(/\{([a-z_]+)\}/g)].map((match) => match[1] as string);
}

/**
 * Fills a path template with URL-encoded parameters.
 *
 * Throws when a parameter is missing or empty, so a request never goes out with `{id}` or `//` in its path.
 */
export function buildPath(operation: OperationId, parameters: Readonly<Record<string, string>> = {}): string {
  const template = OPERATIONS[operation].path;
  return template.replace(/\{([a-z_]+)\}/g, (_, name: string) => {
    const value = parameters[name];
    if (value === undefined || value === '') {
      throw new Error(`Missing path parameter "${name}" for operation ${operation}.`);
    }
    return encodeURIComponent(value);
  });
}

export interface OperationMatch {
  readonly operation: OperationId;
  readonly parameters: Record<string, string>;
}

/**
 * Finds the operation for a method and a request path (without query string), decoding path parameters.
 * Literal segments win over parameters, so `/v1/users/me` is `getCurrentUser`, not a user id.
 */
export function matchOperation(method: string, pathname: string): OperationMatch | undefined {
  const segments = pathname.split('/');
  let best: { match: OperationMatch; literalCount: number } | undefined;

  for (const operation of OPERATION_IDS) {
    const spec: OperationSpec = OPERATIONS[operation];
    if (spec.method !== method) {
      continue;
    }
    const templateSegments = spec.path.split('/');
    if (templateSegments.length !== segments.length) {
      continue;
    }
    const parameters: Record<string, string> = {};
    let literalCount = 0;
    let matches = true;
    for (let index = 0; index < templateSegments.length; index++) {
      const templateSegment = templateSegments[index] as string;
      const segment = segments[index] as string;
      const parameter = /^\{([a-z_]+)\}$/.exec(templateSegment);
      if (parameter) {
        if (segment === '') {
          matches = false;
          break;
        }
        try {
          parameters[parameter[1] as string] = decodeURIComponent(segment);
        } catch {
          matches = false;
          break;
        }
      } else if (templateSegment === segment) {
        literalCount++;
      } else {
        matches = false;
        break;
      }
    }
    if (matches && (!best || literalCount > best.literalCount)) {
      best = { match: { operation, parameters }, literalCount };
    }
  }
  return best?.match;
}

/** Returns whether a set of granted scopes covers `required` (directly or through `all-apis`). */
export function scopesCover(granted: Iterable<string>, required: Scope): boolean {
  for (const scope of granted) {
    if (scope === required || scope === ALL_APIS_SCOPE) {
      return true;
    }
  }
  return false;
}

/** The `read:*` scopes the four sidebar views need; the default SSO request. */
export const VIEW_READ_SCOPES: readonly Scope[] = [
  OPERATIONS.listClusters.scope,
  OPERATIONS.listJobs.scope,
  OPERATIONS.listNotebookFolder.scope,
  OPERATIONS.listWarehouses.scope,
];

/**
 * The scopes SSO requests by default: the views' `read:*` scopes plus the one that reads who is signed in,
 * so the status bar and profile label can name the user. No `manage:*` scope: actions ask for theirs.
 */
export const DEFAULT_SSO_SCOPES: readonly Scope[] = [...VIEW_READ_SCOPES, OPERATIONS.getCurrentUser.scope];
