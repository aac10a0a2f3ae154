/**
 * Page fetchers for the sidebar's lists: one request per page with an explicit page token, so a pager can
 * ask for the page after the last one it holds, even after a failed attempt.
 */
import type { DataStackClient } from '../../api/client';
import {
  type Cluster,
  type Job,
  type NotebookObject,
  type Run,
  type Warehouse,
  pageParser,
  parseCluster,
  parseJob,
  parseNotebookObject,
  parseRun,
  parseWarehouse,
} from '../../api/models';
import type { OperationId } from '../../api/operations';
import { clampPageSize } from '../../api/pagination';
import type { PageFetcher } from './pager';

function fetcher<Item>(
  client: DataStackClient,
  operation: OperationId,
  key: string,
  parseItem: (value: unknown, path: string) => Item,
  pageSize: number,
  extra: { readonly params?: Record<string, string>; readonly query?: Record<string, string> } = {},
): PageFetcher<Item> {
  const parsePage = pageParser(key, parseItem);
  const limit = clampPageSize(pageSize);
  return (pageToken, signal) =>
    client.call(
      operation,
      {
        ...(extra.params ? { params: extra.params } : {}),
        query: { ...extra.query, limit, page_token: pageToken },
        signal,
      },
      parsePage,
    );
}

export function warehousePages(client: DataStackClient, pageSize: number): PageFetcher<Warehouse> {
  return fetcher(client, 'listWarehouses', 'warehouses', parseWarehouse, pageSize);
}

export function clusterPages(client: DataStackClient, pageSize: number): PageFetcher<Cluster> {
  return fetcher(client, 'listClusters', 'clusters', parseCluster, pageSize);
}

export function jobPages(client: DataStackClient, pageSize: number): PageFetcher<Job> {
  return fetcher(client, 'listJobs', 'jobs', parseJob, pageSize);
}

/** Pages of a job's runs, newest first as the API lists them. */
export function runPages(client: DataStackClient, jobId: string, pageSize: number): PageFetcher<Run> {
  return fetcher(client, 'listRuns', 'runs', parseRun, pageSize, { params: { job_id: jobId } });
}

/** Pages of the direct children of one notebook folder, e.g. `/` or `/Shared`. */
export function notebookFolderPages(client: DataStackClient, folder: string, pageSize: number): PageFetcher<NotebookObject> {
  return fetcher(client, 'listNotebookFolder', 'objects', parseNotebookObject, pageSize, { query: { path: folder } });
}
