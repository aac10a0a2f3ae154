// `npm run bench`: measures activation, bundle size, list overhead, view latency, polling and sign-in
// on this machine against the emulator on loopback, writes docs/benchmarks.md and prints one JSON object
// as its last line. See docs/benchmarks.md for what each figure measures. `npm run bench -- --only list`
// measures list_ratio alone and prints its figures without writing the page.
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import * as esbuild from 'esbuild';
import { launchBrowser } from '../harness/browser';
import { onCleanup, runMain } from '../harness/cleanup';
import { startTestEmulator } from '../harness/emulator';
import { PROJECT_ROOT } from '../harness/project';
import { vsixFileName } from '../harness/vsix';
import { startEmulator } from '../../test/emulator/index';
import { type FigureRecord, bundleBenchSuite, startBenchHost, unpackVsix } from './hostBench';
import type { ListRatioResult } from './listRatio';
import { currentLoad, machineFacts } from './machine';
import { type BenchFigures, type TimedRequest, benchmarkPage, evaluateTargets } from './page';
import { median } from './stats';

const ACTIVATION_HOSTS = 5;
const LIST_CLUSTERS = 10_000;
const LIST_RUNS = 7;
const BENCH_TOKEN = 'dapi-demo-admin';
export const BENCH_COMMAND = 'npm run bench';

function log(message: string): void {
  console.log(`bench: ${message}`);
}

/** Runs `npm run package` with the VSIX written to a temporary folder; returns the VSIX's path. */
async function packageVsix(): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), 'datastack-bench-vsix-'));
  onCleanup(() => rm(folder, { recursive: true, force: true }));
  const vsix = join(folder, vsixFileName());
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn('npm', ['run', '--silent', 'package', '--', '--out', vsix], { cwd: PROJECT_ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
    child.once('error', reject);
    child.once('exit', resolve);
  });
  if (code !== 0) {
    throw new Error(`npm run package failed with exit code ${String(code)}`);
  }
  return vsix;
}

/**
 * Bundles scripts/bench/listRatio.ts with the client's sources as the production build does (one
 * minified file, no tsx), so the measured code is the code that ships. Returns the bundle's path.
 */
async function bundleListRatio(): Promise<string> {
  const outfile = join(PROJECT_ROOT, 'out', 'bench', 'listRatio.js');
  await esbuild.build({
    entryPoints: [join(__dirname, 'listRatio.ts')],
    outfile,
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    minify: true,
    logLevel: 'warning',
  });
  return outfile;
}

/**
 * Returns whether a bundle is esbuild's minified production output: its lines average thousands of
 * characters (the development build averages under 50).
 */
async function isMinified(file: string): Promise<boolean> {
  const text = await readFile(file, 'utf8');
  return text.length / text.split('\n').length > 500;
}

/**
 * Packages and unpacks the VSIX, and checks that its bundles are the production build. Another process
 * may run `node esbuild.mjs` (a host test run does) between the production build and vsce. Then the VSIX
 * contains a development build, and it is packaged again, up to twice.
 */
async function packageProductionVsix(): Promise<{ vsix: string; extensionPath: string }> {
  for (let attempt = 1; attempt <= 3; attempt++) {
    log('packaging with npm run package');
    const vsix = await packageVsix();
    const extensionPath = await unpackVsix(vsix);
    const bundles = ['extension.js', 'undici.js'].map((name) => join(extensionPath, 'dist', name));
    if ((await Promise.all(bundles.map(isMinified))).every(Boolean)) {
      return { vsix, extensionPath };
    }
    log('the VSIX contains a development build: another process rebuilt dist/ during packaging');
  }
  throw new Error('npm run package produced a development build three times; run the benchmark when no test run is building dist/');
}

/** Lists 10,000 clusters through the client and through bare undici in a child process. */
async function measureList(): Promise<ListRatioResult> {
  const script = await bundleListRatio();
  const emulator = await startEmulator({ port: 0 });
  try {
    emulator.addClusters(LIST_CLUSTERS - emulator.state.clusters.size);
    // Asynchronous on purpose: the emulator serves the requests from this process's event loop meanwhile.
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [script, emulator.url, BENCH_TOKEN, String(emulator.state.clusters.size), String(LIST_RUNS)],
      { cwd: PROJECT_ROOT, encoding: 'utf8' },
    );
    return JSON.parse(stdout.trim().split('\n').pop() ?? '') as ListRatioResult;
  } finally {
    await emulator.close();
  }
}

function figureOf(records: FigureRecord[], kind: string): FigureRecord {
  const record = records.find((entry) => entry.kind === kind);
  if (record === undefined) {
    throw new Error(`the benchmark suites recorded no "${kind}" figures`);
  }
  return record;
}

/** Runs the activation suite in fresh extension hosts, then the sidebar suite in one more. */
async function measureInHost(extensionPath: string): Promise<FigureRecord[]> {
  const emulator = await startTestEmulator();
  const { browser } = await launchBrowser();
  const host = await startBenchHost(emulator, browser, extensionPath);
  const activationSuite = await bundleBenchSuite('activation');
  const viewsSuite = await bundleBenchSuite('views');
  for (let run = 1; run <= ACTIVATION_HOSTS; run++) {
    await host.runSuite(activationSuite, 120_000);
    log(`activation ${run} of ${ACTIVATION_HOSTS} measured`);
  }
  log('sidebar suite: sign-in, refresh and 2 × 30 s of polling');
  await host.runSuite(viewsSuite, 240_000);
  const figures = host.figures();
  await host.stop();
  return figures;
}

runMain(async () => {
  const started = Date.now();
  const machine = machineFacts();
  log(`load average ${machine.loadAtStart.toFixed(2)} on ${machine.processors} processors`);

  if (onlyListRequested()) {
    log(`listing ${LIST_CLUSTERS} clusters, ${LIST_RUNS} interleaved runs; no page is written`);
    console.log(JSON.stringify(await measureList()));
    return 0;
  }

  const { vsix, extensionPath } = await packageProductionVsix();
  const bundleBytes = (await stat(join(extensionPath, 'dist', 'extension.js'))).size;
  const vsixBytes = (await stat(vsix)).size;
  const undiciBytes = (await stat(join(extensionPath, 'dist', 'undici.js'))).size;

  log(`listing ${LIST_CLUSTERS} clusters, ${LIST_RUNS} interleaved runs`);
  const list = await measureList();

  const records = await measureInHost(extensionPath);
  const activations = records.filter((entry) => entry.kind === 'activation');
  const signin = figureOf(records, 'signin');
  const refresh = figureOf(records, 'refresh');
  const polling = figureOf(records, 'polling');
  machine.loadAtEnd = currentLoad();

  const figures: BenchFigures = {
    activation_ms: round(median(activations.map((entry) => entry.activationMs as number))),
    activation_wall_ms: round(median(activations.map((entry) => entry.apiActivateMs as number))),
    bundle_bytes: bundleBytes,
    vsix_bytes: vsixBytes,
    list_ratio: round(list.ratio, 3),
    first_page_ms: round(refresh.firstPageMs as number),
    hidden_poll_requests: polling.hiddenPollRequests as number,
    visible_poll_requests: polling.visiblePollRequests as number,
    signin_views_ms: round(signin.signinViewsMs as number),
    signin_round_trips: signin.signinRoundTrips as number,
  };
  const details = {
    activationRunsMs: activations.map((entry) => round(entry.activationMs as number)),
    codeLoadingRunsMs: activations.map((entry) => round(entry.codeLoadingMs as number)),
    activateRunsMs: activations.map((entry) => round(entry.activateMs as number)),
    activationWallRunsMs: activations.map((entry) => round(entry.apiActivateMs as number)),
    activationHostPids: activations.map((entry) => entry.extensionHostPid as number),
    activationSavedProfiles: activations.map((entry) => entry.savedProfiles as number),
    list,
    refreshRunsMs: (refresh.runsMs as number[]).map((value) => round(value)),
    refreshRequestedMs: (refresh.requestedMs as number[]).map((value) => round(value)),
    latencyMs: refresh.latencyMs as number,
    signinRunsMs: (signin.runsMs as number[]).map((value) => round(value)),
    signinRoundTrips: signin.roundTrips as number[],
    signinRequests: requestsOfMedianRun(signin.runsMs as number[], signin.requests as TimedRequest[][]),
    hiddenByOperation: polling.hiddenByOperation as Record<string, number>,
    visibleByOperation: polling.visibleByOperation as Record<string, number>,
    pollWindowMs: polling.windowMs as number,
    undiciBytes,
    durationSeconds: Math.round((Date.now() - started) / 1000),
  };
  const results = evaluateTargets(figures, details.latencyMs);
  await writeFile(join(PROJECT_ROOT, 'docs', 'benchmarks.md'), benchmarkPage({ figures, results, details, machine, date: new Date(), command: BENCH_COMMAND }));
  log(`wrote docs/benchmarks.md in ${details.durationSeconds} s`);
  console.log(JSON.stringify({ ...figures, passed: results.every((result) => result.passed) }));
  return 0;
});

/**
 * Returns whether the command line is `--only list`: measure `list_ratio` alone (about 5 s), print its
 * figures as JSON and leave docs/benchmarks.md as it is.
 */
function onlyListRequested(): boolean {
  const args = process.argv.slice(2);
  if (args.length === 0) {
    return false;
  }
  if (args.length === 2 && args[0] === '--only' && args[1] === 'list') {
    return true;
  }
  throw new Error(`unknown arguments "${args.join(' ')}"; the only option is --only list`);
}

/** Returns the requests of the sign-in whose time is the median (the upper one of an even count). */
function requestsOfMedianRun(runsMs: number[], requests: TimedRequest[][]): TimedRequest[] {
  const order = runsMs.map((ms, index) => ({ ms, index })).sort((a, b) => a.ms - b.ms);
  return requests[order[Math.floor(order.length / 2)]?.index ?? 0] ?? [];
}

function round(value: number, digits = 1): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
