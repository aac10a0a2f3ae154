/**
 * The DataStack REST client: one typed method per operation of the contract, on top of the request loop
 * in `request.ts`. It never imports `vscode`; the extension passes settings, a token getter and a logger.
 */
import type { Dispatcher } from 'undici';
import { type AuthenticationError, InvalidResponseError } from './errors';
import { normalizeHost } from './host';
import { MAX_RESPONSE_BYTES, getSharedAgent } from './http';
import { type ClientLogger, SILENT_LOGGER } from './logger';
import {
  type Cluster,
  type CreateClusterRequest,
  type CreateClusterResult,
  type CreateNotebookRequest,
  type ExportedNotebook,
  type Job,
  type NotebookObject,
  type Page,
  type Run,
  type RunNowResult,
  type User,
  type Warehouse,
  type Workspace,
  pageParser,
  parseCluster,
  parseCreateClusterResult,
  parseExportedNotebook,
  parseJob,
  parseNotebookObject,
  parseRun,
  parseRunNowResult,
  parseUser,
  parseWarehouse,
  parseWorkspace,
} from './models';
import type { OperationId } from './operations';
import { clampPageSize, paginate } from './pagination';
import { type CallOptions, type CallResult, type RequestSettings, performCall } from './request';
import { invalidResponse } from './responses';
import { sleep } from './retry';
import { ResponseShapeError, expectObject } from './validate';

/** The request timeout when none is configured (the `datastack.requestTimeoutSeconds` default). */
export const DEFAULT_TIMEOUT_MS = 30_000;

export interface DataStackClientOptions {
  /** The API host, e.g. `https://api.datastack.cloud`; validated with `normalizeHost`. */
  readonly host: string;
  /** Returns the current access token; called before every request so sign-in code can refresh it. */
  readonly getToken: (signal: AbortSignal) => Promise<string>;
  /** The `User-Agent` header, naming the extension and its version, e.g. `datastack-vscode/0.1.0`. */
  readonly userAgent: string;
  /** Timeout of each HTTP try, in milliseconds. Defaults to {@link DEFAULT_TIMEOUT_MS}. */
  readonly timeoutMs?: number;
  /** Items per page for list operations (1 to 1000, default 100). */
  readonly pageSize?: number;
  /** The undici dispatcher; defaults to the shared keep-alive agent. */
  readonly dispatcher?: Dispatcher;
  readonly log?: ClientLogger;
  /**
   * Called once per call when the server responds with 401. A returned token is used for exactly one more try
   * (OAuth refresh after 401); `undefined` lets the {@link AuthenticationError} through.
   */
  readonly onAuthenticationFailure?: (error: AuthenticationError, signal: AbortSignal) => Promise<string | undefined>;
  /** Test seam: waits between retries. Must reject when `signal` aborts. */
  readonly sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /** Test seam: the random source of backoff jitter, returning a number in [0, 1). */
  readonly random?: () => number;
  /** The response size cap in bytes; defaults to 10 MB. */
  readonly maxResponseBytes?: number;
  /** Hooks around every call, e.g. to learn which scopes the token holds. */
  readonly observer?: OperationObserver;
}

/**
 * Hooks the client runs around each call (`call`, and every page of `list`). The extension uses them to
 * learn a token's scopes from the server's answers and to skip calls that are known to fail.
 */
export interface OperationObserver {
  /** Runs before anything is sent; an error it throws fails the call without a request. */
  readonly beforeCall?: (operation: OperationId) => void;
  /**
   * Runs once per call after its last try. A 2xx answer is `ok` even when its body then fails to parse;
   * a cancelled call reports its `RequestAbortedError`.
   */
  readonly onOperationResult?: (operation: OperationId, outcome: OperationOutcome) => void;
}

/** How a call ended, as {@link OperationObserver.onOperationResult} receives it. */
export type OperationOutcome = { readonly ok: true } | { readonly ok: false; readonly error: unknown };

/** Options of a single-resource call. */
export interface RequestOptions {
  readonly signal?: AbortSignal;
}

/** Options of a list call. */
export interface ListOptions extends RequestOptions {
  /** Items per page; defaults to the client's `pageSize`. */
  readonly limit?: number;
}

export class DataStackClient {
  /** The normalized API origin every request goes to. */
  readonly host: string;
  private readonly settings: RequestSettings;
  private readonly pageSize: number;
  private readonly observer: OperationObserver | undefined;

  /** @throws {InvalidHostError} when `options.host` is not an acceptable API host. */
  constructor(options: DataStackClientOptions) {
    this.host = normalizeHost(options.host);
    this.pageSize = clampPageSize(options.pageSize);
    this.observer = options.observer;
    this.settings = {
      host: this.host,
      getToken: options.getToken,
      timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      userAgent: options.userAgent,
      dispatcher: options.dispatcher ?? getSharedAgent(),
      maxBodyBytes: options.maxResponseBytes ?? MAX_RESPONSE_BYTES,
      log: options.log ?? SILENT_LOGGER,
      onAuthenticationFailure: options.onAuthenticationFailure,
      sleep: options.sleep ?? sleep,
      random: options.random ?? Math.random,
    };
  }

  /**
   * Calls any operation and returns its parsed JSON body (undefined when the body is empty). With `parse`,
   * the body is validated and a shape problem becomes an {@link InvalidResponseError}.
   */
  async call<T = unknown>(operation: OperationId, options: CallOptions = {}, parse?: (value: unknown) => T): Promise<T> {
    this.observer?.beforeCall?.(operation);
    let result: CallResult;
    try {
      result = await performCall(this.settings, operation, options);
    } catch (error) {
      this.observer?.onOperationResult?.(operation, { ok: false, error });
      throw error;
    }
    this.observer?.onOperationResult?.(operation, { ok: true });
    const { value, response } = result;
    if (!parse) {
      return value as T;
    }
    try {
      return parse(value);
    } catch (error) {
      if (error instanceof ResponseShapeError) {
        throw invalidResponse({ host: this.host, operation }, response, error.problem);
      }
      throw error;
    }
  }

  /** Returns an async iterator over the pages of a list operation; items sit in the member `key`. */
  list<Item>(
    operation: OperationId,
    key: string,
    parseItem: (value: unknown, path: string) => Item,
    options: ListOptions & Pick<CallOptions, 'params' | 'query'> = {},
  ): AsyncGenerator<Page<Item>, void, undefined> {
    const parsePage = pageParser(key, parseItem);
    const limit = options.limit === undefined ? this.pageSize : clampPageSize(options.limit);
    return paginate(this.host, operation, (pageToken) =>
      this.call(
        operation,
        {
          ...(options.params ? { params: options.params } : {}),
          query: { ...options.query, limit, page_token: pageToken },
          ...(options.signal ? { signal: options.signal } : {}),
        },
        parsePage,
      ),
    );
  }

  getCurrentUser(options: RequestOptions = {}): Promise<User> {
    return this.call('getCurrentUser', options, (value) => parseUser(value));
  }

  listUsers(options: ListOptions = {}): AsyncGenerator<Page<User>, void, undefined> {
    return this.list('listUsers', 'users', parseUser, options);
  }

  listWorkspaces(options: ListOptions = {}): AsyncGenerator<Page<Workspace>, void, undefined> {
    return this.list('listWorkspaces', 'workspaces', parseWorkspace, options);
  }

  getWorkspace(id: string, options: RequestOptions = {}): Promise<Workspace> {
    return this.call('getWorkspace', { ...options, params: { id } }, (value) => parseWorkspace(value));
  }

  listClusters(options: ListOptions = {}): AsyncGenerator<Page<Cluster>, void, undefined> {
    return this.list('listClusters', 'clusters', parseCluster, options);
  }

  getCluster(clusterId: string, options: RequestOptions = {}): Promise<Cluster> {
    return this.call('getCluster', { ...options, params: { cluster_id: clusterId } }, (value) => parseCluster(value));
  }

  createCluster(request: CreateClusterRequest, options: RequestOptions = {}): Promise<CreateClusterResult> {
    return this.call('createCluster', { ...options, body: request }, parseCreateClusterResult);
  }

  startCluster(clusterId: string, options: RequestOptions = {}): Promise<void> {
    return this.callAction('startCluster', { ...options, params: { cluster_id: clusterId } });
  }

  terminateCluster(clusterId: string, options: RequestOptions = {}): Promise<void> {
    return this.callAction('terminateCluster', { ...options, params: { cluster_id: clusterId } });
  }

  listJobs(options: ListOptions = {}): AsyncGenerator<Page<Job>, void, undefined> {
    return this.list('listJobs', 'jobs', parseJob, options);
  }

  getJob(jobId: string, options: RequestOptions = {}): Promise<Job> {
    return this.call('getJob', { ...options, params: { job_id: jobId } }, (value) => parseJob(value));
  }

  listRuns(jobId: string, options: ListOptions = {}): AsyncGenerator<Page<Run>, void, undefined> {
    return this.list('listRuns', 'runs', parseRun, { ...options, params: { job_id: jobId } });
  }

  getRun(runId: string, options: RequestOptions = {}): Promise<Run> {
    return this.call('getRun', { ...options, params: { run_id: runId } }, (value) => parseRun(value));
  }

  runJobNow(jobId: string, options: RequestOptions = {}): Promise<RunNowResult> {
    return this.call('runJobNow', { ...options, params: { job_id: jobId } }, parseRunNowResult);
  }

  cancelRun(runId: string, options: RequestOptions = {}): Promise<void> {
    return this.callAction('cancelRun', { ...options, params: { run_id: runId } });
  }

  /** Lists the direct children of a notebook folder, e.g. `/Shared`. */
  listNotebookFolder(path: string, options: ListOptions = {}): AsyncGenerator<Page<NotebookObject>, void, undefined> {
    return this.list('listNotebookFolder', 'objects', parseNotebookObject, { ...options, query: { path } });
  }

  /** Exports a notebook's source; `content` is base64. */
  exportNotebook(path: string, options: RequestOptions = {}): Promise<ExportedNotebook> {
    return this.call('exportNotebook', { ...options, query: { path, format: 'SOURCE' } }, (value) =>
      parseExportedNotebook(value),
    );
  }

  /** Creates (or with `overwrite`, replaces) a notebook and returns its folder entry. */
  createNotebook(request: CreateNotebookRequest, options: RequestOptions = {}): Promise<NotebookObject> {
    return this.call('createNotebook', { ...options, body: request }, (value) => parseNotebookObject(value));
  }

  listWarehouses(options: ListOptions = {}): AsyncGenerator<Page<Warehouse>, void, undefined> {
    return this.list('listWarehouses', 'warehouses', parseWarehouse, options);
  }

  getWarehouse(id: string, options: RequestOptions = {}): Promise<Warehouse> {
    return this.call('getWarehouse', { ...options, params: { id } }, (value) => parseWarehouse(value));
  }

  startWarehouse(id: string, options: RequestOptions = {}): Promise<void> {
    return this.callAction('startWarehouse', { ...options, params: { id } });
  }

  stopWarehouse(id: string, options: RequestOptions = {}): Promise<void> {
    return this.callAction('stopWarehouse', { ...options, params: { id } });
  }

  /** Calls an operation whose response carries nothing the caller needs: an empty body or a JSON object. */
  private async callAction(operation: OperationId, options: CallOptions): Promise<void> {
    await this.call(operation, options, (value) => {
      if (value !== undefined) {
        expectObject(value, 'response');
      }
    });
  }
}
