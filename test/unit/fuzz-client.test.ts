import assert from 'node:assert/strict';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { DataStackClient } from '../../src/api/client';
import { DataStackError, InvalidResponseError, NetworkError, TimeoutError } from '../../src/api/errors';
import { closeSharedAgent } from '../../src/api/http';
import { callOperation } from './emulator-helpers';
import { type FuzzCase, type ServerStats, HUGE_BODY_BYTES, createRandom, generateCases } from './fuzz-responses';
import { startTestEmulator } from './client-fixtures';

/** Timeout of the fast cases and of the slow (drip and silent) cases, in milliseconds. */
const FAST_TIMEOUT_MS = 3000;
const SLOW_TIMEOUT_MS = 400;
/** How far a case may run past its worst case (three tries of a GET, each up to the timeout). */
const SLACK_MS = 1500;
/** The largest RSS growth accepted while 20 MB bodies are refused; an estimate for 2 parallel 10 MB reads. */
const MAX_RSS_GROWTH_BYTES = 250 * 1024 * 1024;
const COUNTS = { fast: 3000, huge: 20, slow: 10 } as const;

const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : Math.floor(Math.random() * 2 ** 31);

const CLUSTER_ID = '0101-090000-etl001';
const NOTEBOOK = '/Shared/etl/daily/ingest_orders';
const NEW_CLUSTER = { cluster_name: 'Fuzz', node_type: 'm5.large', num_workers: 1, autotermination_minutes: 30 };

/** The operations under test: how to call each one and how to check a successful result. */
const OPERATIONS: Record<string, { call: (client: DataStackClient) => Promise<unknown>; check: (value: unknown) => void }> = {
  getCurrentUser: {
    call: (client) => client.getCurrentUser(),
    check: (value) => assert.equal(typeof (value as { user_name: unknown }).user_name, 'string'),
  },
  getCluster: {
    call: (client) => client.getCluster(CLUSTER_ID),
    check: (value) => {
      assert.equal(typeof (value as { cluster_id: unknown }).cluster_id, 'string');
      assert.equal(typeof (value as { num_workers: unknown }).num_workers, 'number');
    },
  },
  listClusters: {
    call: async (client) => (await client.listClusters().next()).value,
    check: (value) => assert.ok(value === undefined || Array.isArray((value as { items: unknown }).items)),
  },
  createCluster: {
    call: (client) => client.createCluster(NEW_CLUSTER),
    check: (value) => assert.equal(typeof (value as { cluster_id: unknown }).cluster_id, 'string'),
  },
  exportNotebook: {
    call: (client) => client.exportNotebook(NOTEBOOK),
    check: (value) => assert.equal(typeof (value as { content: unknown }).content, 'string'),
  },
  startCluster: {
    call: (client) => client.startCluster(CLUSTER_ID),
    check: (value) => assert.equal(value, undefined),
  },
};

let server: Server;
let origin: string;
const sockets = new Set<Socket>();
const casesByToken = new Map<string, FuzzCase>();
const stats: ServerStats = { hugeBytesWritten: 0, hugeBodiesFinished: 0 };
let samples: Record<string, unknown>;

/** Fetches one real body of every operation from the emulator, as the base of mutated bodies. */
async function fetchSamples(): Promise<Record<string, unknown>> {
  const emulator = await startTestEmulator();
  try {
    return {
      getCurrentUser: (await callOperation(emulator, 'getCurrentUser')).json,
      getCluster: (await callOperation(emulator, 'getCluster', { params: { cluster_id: CLUSTER_ID } })).json,
      listClusters: (await callOperation(emulator, 'listClusters')).json,
      createCluster: (await callOperation(emulator, 'createCluster', { body: NEW_CLUSTER })).json,
      exportNotebook: (await callOperation(emulator, 'exportNotebook', { query: { path: NOTEBOOK, format: 'SOURCE' } })).json,
      startCluster: (await callOperation(emulator, 'startCluster', { params: { cluster_id: '0101-090000-adhoc02' } })).json,
    };
  } finally {
    await emulator.close();
  }
}

before(async () => {
  console.log(`fuzz seed ${SEED} (run with FUZZ_SEED=${SEED} to repeat)`);
  samples = await fetchSamples();
  server = createServer((request: IncomingMessage, response: ServerResponse) => {
    request.resume();
    const token = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1] ?? '';
    const fuzzCase = casesByToken.get(token);
    if (!fuzzCase) {
      response.writeHead(500).end();
      return;
    }
    response.on('error', () => undefined);
    fuzzCase.respond(request, response, stats);
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('clientError', (_error, socket) => socket.destroy());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(async () => {
  for (const socket of sockets) {
    socket.destroy();
  }
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await closeSharedAgent();
});

interface Outcome {
  readonly fuzzCase: FuzzCase;
  readonly error: unknown;
  readonly elapsedMs: number;
  readonly limitMs: number;
}

/** Runs one case through a fresh client and returns what happened; never throws. */
async function runCase(fuzzCase: FuzzCase, timeoutMs: number): Promise<Outcome> {
  const token = `fuzz-${SEED}-${fuzzCase.index}`;
  casesByToken.set(token, fuzzCase);
  const client = new DataStackClient({
    host: origin,
    userAgent: 'datastack-vscode/0.1.0 (fuzz)',
    timeoutMs,
    getToken: async () => token,
    sleep: async () => undefined,
    random: () => 0,
  });
  const operation = OPERATIONS[fuzzCase.operation];
  assert.ok(operation, fuzzCase.operation);
  const started = performance.now();
  let error: unknown;
  try {
    operation.check(await operation.call(client));
  } catch (caught) {
    error = caught;
  } finally {
    casesByToken.delete(token);
  }
  return { fuzzCase, error, elapsedMs: performance.now() - started, limitMs: 3 * timeoutMs + SLACK_MS };
}

/** Runs cases with `parallel` workers. */
async function runAll(cases: readonly FuzzCase[], timeoutMs: number, parallel: number): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < cases.length) {
      const fuzzCase = cases[next++] as FuzzCase;
      outcomes.push(await runCase(fuzzCase, timeoutMs));
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
  return outcomes;
}

function describeCase(outcome: Outcome): string {
  const { fuzzCase, error } = outcome;
  return `seed ${SEED} case ${fuzzCase.index} (${fuzzCase.kind}, ${fuzzCase.operation}): ${error instanceof Error ? error.stack : String(error)}`;
}

/** Asserts every outcome is a success or a DataStackError within its time limit. */
function assertTyped(outcomes: readonly Outcome[]): void {
  for (const outcome of outcomes) {
    assert.ok(outcome.error === undefined || outcome.error instanceof DataStackError, describeCase(outcome));
    assert.ok(outcome.elapsedMs <= outcome.limitMs, `${describeCase(outcome)} took ${Math.round(outcome.elapsedMs)} ms`);
  }
}

/** Asserts the error that a kind of body must always produce, where there is one. */
function assertKindOutcome(outcome: Outcome): void {
  const { fuzzCase, error } = outcome;
  switch (fuzzCase.kind) {
    case 'invalidUtf8':
    case 'deepNesting':
      assert.ok(error instanceof InvalidResponseError, describeCase(outcome));
      break;
    case 'truncated':
      // Only an empty body is a valid answer, and only for an action.
      assert.ok(error instanceof InvalidResponseError || fuzzCase.operation === 'startCluster', describeCase(outcome));
      break;
    case 'droppedMidBody':
    case 'shortContentLength':
      assert.ok(error instanceof NetworkError, describeCase(outcome));
      break;
    default:
      break;
  }
}

function tally(outcomes: readonly Outcome[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const { error } of outcomes) {
    const name = error === undefined ? 'success' : error instanceof Error ? error.name : typeof error;
    counts[name] = (counts[name] ?? 0) + 1;
  }
  return counts;
}

describe('client response fuzzing', () => {
  let cases: FuzzCase[];

  before(() => {
    cases = generateCases(createRandom(SEED), samples, COUNTS);
  });

  test('20 MB bodies stop at the cap', { timeout: 30_000 }, async () => {
    const huge = cases.filter((fuzzCase) => fuzzCase.kind === 'hugeDeclared' || fuzzCase.kind === 'hugeChunked');
    const baseline = process.memoryUsage().rss;
    let peak = baseline;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 10);
    const started = performance.now();
    const outcomes = await runAll(huge, FAST_TIMEOUT_MS, 2);
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage().rss);
    const growthMb = Math.round((peak - baseline) / (1024 * 1024));
    console.log(
      `fuzz: ${outcomes.length} bodies of 20 MB in ${Math.round(performance.now() - started)} ms, RSS growth ${growthMb} MB, ` +
        `${Math.round(stats.hugeBytesWritten / (1024 * 1024))} MB written by the server`,
    );

    assertTyped(outcomes);
    for (const outcome of outcomes) {
      assert.ok(outcome.error instanceof InvalidResponseError, describeCase(outcome));
      assert.match(outcome.error.problem, /exceeded 10 MB/);
    }
    assert.equal(stats.hugeBodiesFinished, 0);
    assert.ok(stats.hugeBytesWritten < huge.length * HUGE_BODY_BYTES);
    assert.ok(peak - baseline < MAX_RSS_GROWTH_BYTES, `RSS grew by ${growthMb} MB`);
  });

  test('generated bodies give results or typed errors', { timeout: 60_000 }, async () => {
    const fast = cases.filter((fuzzCase) => fuzzCase.index < COUNTS.fast);
    const started = performance.now();
    const outcomes = await runAll(fast, FAST_TIMEOUT_MS, 4);
    console.log(`fuzz: ${outcomes.length} cases in ${Math.round(performance.now() - started)} ms: ${JSON.stringify(tally(outcomes))}`);

    assert.equal(outcomes.length, COUNTS.fast);
    assertTyped(outcomes);
    assert.ok(outcomes.some((outcome) => outcome.error === undefined), 'no case succeeded');
    assert.ok(outcomes.some((outcome) => outcome.error instanceof InvalidResponseError), 'no case was invalid');
    for (const outcome of outcomes) {
      assertKindOutcome(outcome);
    }
  });

  test('slow and silent servers time out', { timeout: 30_000 }, async () => {
    const slow = cases.filter((fuzzCase) => fuzzCase.kind === 'slowDrip' || fuzzCase.kind === 'noResponse');
    const outcomes = await runAll(slow, SLOW_TIMEOUT_MS, slow.length);

    assert.equal(outcomes.length, COUNTS.slow);
    assertTyped(outcomes);
    for (const outcome of outcomes) {
      assert.ok(outcome.error instanceof TimeoutError, describeCase(outcome));
      // A timeout is not retried, so one timeout plus slack bounds the case.
      assert.ok(outcome.elapsedMs < SLOW_TIMEOUT_MS + SLACK_MS, `${describeCase(outcome)} took ${outcome.elapsedMs} ms`);
    }
  });
});
