/**
 * Shared fixtures of the client tests: a started emulator, a client factory with recorded logs, sleeps and
 * token requests, and one way to call every operation against the seed.
 */
import { DataStackClient, type DataStackClientOptions } from '../../src/api/client';
import type { ClientLogger } from '../../src/api/logger';
import type { OperationId } from '../../src/api/operations';
import { type Emulator, startEmulator } from '../emulator/index';

export const ADMIN_TOKEN = 'dapi-demo-admin';
export const READER_TOKEN = 'dapi-demo-reader';
export const SQL_TOKEN = 'dapi-demo-sql';
export const EXPIRED_TOKEN = 'dapi-demo-expired';
export const USER_AGENT = 'datastack-vscode/0.1.0 (tests)';

/** The demo tokens; no log line or error message may contain one. */
export const DEMO_TOKENS = [ADMIN_TOKEN, READER_TOKEN, SQL_TOKEN, EXPIRED_TOKEN];

export interface LogLine {
  readonly level: keyof ClientLogger;
  readonly message: string;
}

export interface TestClient {
  readonly client: DataStackClient;
  readonly logs: LogLine[];
  /** Every delay the client waited between tries, in milliseconds. */
  readonly sleeps: number[];
  /** How many times the client asked for a token. */
  readonly tokenRequests: () => number;
}

export interface TestClientOptions extends Partial<DataStackClientOptions> {
  readonly token?: string;
  /** Use the real timer-based sleep instead of recording delays and returning at once. */
  readonly realSleep?: boolean;
}

/** Creates a client for `emulator` that records its logs and retry delays. */
export function createTestClient(emulator: Emulator, options: TestClientOptions = {}): TestClient {
  const logs: LogLine[] = [];
  const sleeps: number[] = [];
  let tokenRequests = 0;
  const record =
    (level: keyof ClientLogger) =>
    (message: string): void => {
      logs.push({ level, message });
    };
  const { token, realSleep, ...clientOptions } = options;
  const client = new DataStackClient({
    host: emulator.url,
    userAgent: USER_AGENT,
    timeoutMs: 5000,
    getToken: async () => {
      tokenRequests++;
      return token ?? ADMIN_TOKEN;
    },
    log: {
      trace: record('trace'),
      debug: record('debug'),
      info: record('info'),
      warn: record('warn'),
      error: record('error'),
    },
    random: () => 0,
    ...(realSleep
      ? {}
      : {
          sleep: async (ms: number) => {
            sleeps.push(ms);
          },
        }),
    ...clientOptions,
  });
  return { client, logs, sleeps, tokenRequests: () => tokenRequests };
}

/** Starts an emulator whose lifecycle timers never fire during a test. */
export function startTestEmulator(): Promise<Emulator> {
  return startEmulator({ lifecycleDelayMs: 600_000 });
}

/** Drains an async iterator of pages into one array of items. */
export async function allItems<Item>(pages: AsyncIterable<{ items: readonly Item[] }>): Promise<Item[]> {
  const items: Item[] = [];
  for await (const page of pages) {
    items.push(...page.items);
  }
  return items;
}

const SOURCE = Buffer.from('print("hello")\n', 'utf8').toString('base64');

/**
 * One successful call of every operation against a freshly reset seed. The targets are chosen so that each
 * POST is allowed in the seeded state (e.g. start a STOPPED warehouse).
 */
export const OPERATION_CALLS: Record<OperationId, (client: DataStackClient) => Promise<unknown>> = {
  getCurrentUser: (client) => client.getCurrentUser(),
  listUsers: (client) => allItems(client.listUsers()),
  listWorkspaces: (client) => allItems(client.listWorkspaces()),
  getWorkspace: (client) => client.getWorkspace('ws-sandbox'),
  listClusters: (client) => allItems(client.listClusters()),
  getCluster: (client) => client.getCluster('0101-090000-etl001'),
  createCluster: (client) =>
    client.createCluster({ cluster_name: 'Test', node_type: 'm5.large', num_workers: 1, autotermination_minutes: 30 }),
  startCluster: (client) => client.startCluster('0101-090000-adhoc02'),
  terminateCluster: (client) => client.terminateCluster('0101-090000-etl001'),
  listJobs: (client) => allItems(client.listJobs()),
  getJob: (client) => client.getJob('1001'),
  listRuns: (client) => allItems(client.listRuns('1001')),
  getRun: (client) => client.getRun('50001'),
  runJobNow: (client) => client.runJobNow('1001'),
  cancelRun: (client) => client.cancelRun('50003'),
  listNotebookFolder: (client) => allItems(client.listNotebookFolder('/Shared')),
  exportNotebook: (client) => client.exportNotebook('/Shared/etl/daily/ingest_orders'),
  createNotebook: (client) =>
    client.createNotebook({ path: '/Shared/hello', language: 'PYTHON', content: SOURCE, overwrite: false }),
  listWarehouses: (client) => allItems(client.listWarehouses()),
  getWarehouse: (client) => client.getWarehouse('wh-bi-dash'),
  startWarehouse: (client) => client.startWarehouse('wh-analytics'),
  stopWarehouse: (client) => client.stopWarehouse('wh-bi-dash'),
};
