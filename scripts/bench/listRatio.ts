// Times listing every cluster through DataStackClient against the floor: the same page requests sent
// with bare undici `request()` and `JSON.parse`. Run as its own process so that only the two listers
// share its event loop; the emulator runs in the parent. `npm run bench` runs it bundled and minified
// like dist/extension.js:
//
//   node out/bench/listRatio.js <emulator origin> <token> <expected clusters> <runs>
//
// Prints one JSON object: the per-run times in milliseconds and the medians.
import { performance } from 'node:perf_hooks';
import { Agent, request } from 'undici';
import { DataStackClient } from '../../src/api/client';
import { closeSharedAgent } from '../../src/api/http';
import { SCOPE_HEADER } from '../../src/api/request';
import { median } from './stats';

/** The largest page the API serves; the benchmark lists in pages of this size. */
const PAGE_SIZE = 1000;
const USER_AGENT = 'datastack-bench/0.1.0';

export interface ListRatioResult {
  readonly clientMs: number[];
  readonly floorMs: number[];
  readonly clientMedianMs: number;
  readonly floorMedianMs: number;
  /** Median CPU time of this process (user and system) per run; the emulator's is not included. */
  readonly clientCpuMedianMs: number;
  readonly floorCpuMedianMs: number;
  readonly ratio: number;
  readonly pages: number;
}

async function listWithClient(client: DataStackClient): Promise<{ items: number; pages: number }> {
  let items = 0;
  let pages = 0;
  for await (const page of client.listClusters({ limit: PAGE_SIZE })) {
    items += page.items.length;
    pages++;
  }
  return { items, pages };
}

/** Lists every cluster for the floor: one `request()` per page, the body read as text and parsed, nothing checked. */
async function listWithUndici(origin: string, token: string, agent: Agent): Promise<{ items: number; pages: number }> {
  let items = 0;
  let pages = 0;
  let pageToken: string | undefined;
  do {
    const query = new URLSearchParams({ limit: String(PAGE_SIZE) });
    if (pageToken !== undefined) {
      query.set('page_token', pageToken);
    }
    const response = await request(`${origin}/v1/clusters?${query.toString()}`, {
      dispatcher: agent,
      headers: {
        authorization: `Bearer ${token}`,
        [SCOPE_HEADER]: 'read:clusters',
        accept: 'application/json',
        'user-agent': USER_AGENT,
      },
    });
    const body = JSON.parse(await response.body.text()) as { clusters: unknown[]; next_page_token?: string };
    items += body.clusters.length;
    pages++;
    pageToken = body.next_page_token === '' ? undefined : body.next_page_token;
  } while (pageToken !== undefined);
  return { items, pages };
}

async function timed(
  run: () => Promise<{ items: number; pages: number }>,
  expected: number,
): Promise<{ ms: number; cpuMs: number; pages: number }> {
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const { items, pages } = await run();
  const ms = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  if (items !== expected) {
    throw new Error(`listed ${items} clusters, expected ${expected}`);
  }
  return { ms, cpuMs: (cpu.user + cpu.system) / 1000, pages };
}

/** Untimed runs of each lister first, so that both run optimized code when timed. */
const WARM_UP_RUNS = 3;

/** Runs the warm-ups, then `runs` interleaved pairs, alternating which goes first. */
export async function measureListRatio(origin: string, token: string, expected: number, runs: number): Promise<ListRatioResult> {
  const client = new DataStackClient({ host: origin, getToken: async () => token, userAgent: USER_AGENT, pageSize: PAGE_SIZE });
  // The same keep-alive settings as the client's shared agent (src/api/http.ts).
  const agent = new Agent({ keepAliveTimeout: 10_000, keepAliveMaxTimeout: 60_000 });
  const viaClient = () => timed(() => listWithClient(client), expected);
  const viaUndici = () => timed(() => listWithUndici(origin, token, agent), expected);
  try {
    for (let run = 0; run < WARM_UP_RUNS; run++) {
      await viaClient();
      await viaUndici();
    }
    const clientMs: number[] = [];
    const floorMs: number[] = [];
    const clientCpuMs: number[] = [];
    const floorCpuMs: number[] = [];
    let pages = 0;
    for (let run = 0; run < runs; run++) {
      const order = run % 2 === 0 ? [viaClient, viaUndici] : [viaUndici, viaClient];
      for (const lister of order) {
        const result = await lister();
        (lister === viaClient ? clientMs : floorMs).push(result.ms);
        (lister === viaClient ? clientCpuMs : floorCpuMs).push(result.cpuMs);
        pages = result.pages;
      }
    }
    const clientMedianMs = median(clientMs);
    const floorMedianMs = median(floorMs);
    return {
      clientMs,
      floorMs,
      clientMedianMs,
      floorMedianMs,
      clientCpuMedianMs: median(clientCpuMs),
      floorCpuMedianMs: median(floorCpuMs),
      ratio: clientMedianMs / floorMedianMs,
      pages,
    };
  } finally {
    await agent.close();
    await closeSharedAgent();
  }
}

if (require.main === module) {
  const [origin, token, expected, runs] = process.argv.slice(2);
  if (origin === undefined || token === undefined || expected === undefined || runs === undefined) {
    console.error('usage: listRatio.ts <emulator origin> <token> <expected clusters> <runs>');
    process.exit(2);
  }
  measureListRatio(origin, token, Number(expected), Number(runs)).then(
    (result) => console.log(JSON.stringify(result)),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
