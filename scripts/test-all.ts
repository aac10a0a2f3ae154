// `npm test`: the typecheck, then the unit, host and end-to-end tiers, ending with one line
// `N passed, N failed` that sums all tiers. Exits non-zero when anything failed or a tier ran no test.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { isInterrupted, onCleanup, runMain, stopProcessGroup, trackProcessGroup } from './harness/cleanup';
import { PROJECT_ROOT, listFiles } from './harness/project';

interface TierResult {
  name: string;
  passed: number;
  failed: number;
  skipped: number;
  exitCode: number;
  seconds: number;
}

/** Runs a command in its own process group with inherited output, unless `onStdout` takes its stdout. */
function run(command: string, args: string[], onStdout?: (chunk: string) => void): Promise<number> {
  if (isInterrupted()) {
    // A signal is stopping this script: start nothing new and let the cleanups end the process.
    return new Promise(() => undefined);
  }
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: PROJECT_ROOT,
      detached: true,
      stdio: ['ignore', onStdout === undefined ? 'inherit' : 'pipe', 'inherit'],
    });
    trackProcessGroup(child);
    const unregister = onCleanup(() => stopProcessGroup(child));
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      process.stdout.write(chunk);
      onStdout?.(chunk);
    });
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      unregister();
      resolve(code ?? (signal !== null ? 1 : 0));
    });
  });
}

/** Reads `# pass N`, `# fail N`, `# skipped N` and `# todo N` from a node:test TAP report. */
function countTap(file: string): { passed: number; failed: number; skipped: number } {
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const read = (key: string) => Number(new RegExp(`^# ${key} (\\d+)$`, 'm').exec(text)?.[1] ?? '0');
  return { passed: read('pass'), failed: read('fail') + read('cancelled'), skipped: read('skipped') + read('todo') };
}

/** Runs test files with node's test runner: the spec report on stdout, a TAP report to count from. */
async function runNodeTests(name: string, files: string[], extraArgs: string[], reportDir: string): Promise<TierResult> {
  const started = Date.now();
  if (files.length === 0) {
    console.log(`${name}: no test file found`);
    return { name, passed: 0, failed: 0, skipped: 0, exitCode: 1, seconds: 0 };
  }
  const tap = join(reportDir, `${name}.tap`);
  const exitCode = await run(process.execPath, [
    '--import', 'tsx',
    '--test',
    ...extraArgs,
    '--test-reporter=spec', '--test-reporter-destination=stdout',
    '--test-reporter=tap', `--test-reporter-destination=${tap}`,
    ...files.map((file) => relative(PROJECT_ROOT, file)),
  ]);
  return { name, ...countTap(tap), exitCode, seconds: (Date.now() - started) / 1000 };
}

/** Runs the host runner with `args` and reads its closing `N passed, N failed` line. */
async function runHostTests(name: string, args: string[] = []): Promise<TierResult> {
  const started = Date.now();
  let output = '';
  const tsx = join(PROJECT_ROOT, 'node_modules', '.bin', 'tsx');
  const exitCode = await run(tsx, ['scripts/test-host.ts', ...args], (chunk) => {
    output += chunk;
  });
  const closing = [...output.matchAll(/^(\d+) passed, (\d+) failed(?:, (\d+) skipped)?$/gm)].at(-1);
  return {
    name,
    passed: Number(closing?.[1] ?? '0'),
    failed: Number(closing?.[2] ?? '0'),
    skipped: Number(closing?.[3] ?? '0'),
    exitCode,
    seconds: (Date.now() - started) / 1000,
  };
}

function summarize(tiers: TierResult[], typecheckFailed: boolean): number {
  console.log('\nsummary:');
  let passed = 0;
  let failed = typecheckFailed ? 1 : 0;
  let bad = typecheckFailed;
  if (typecheckFailed) {
    console.log('  typecheck  failed (counted as 1 failed)');
  }
  for (const tier of tiers) {
    // A tier that exited non-zero without a counted failure (a crash, a timeout) counts as one failure.
    const uncounted = tier.exitCode !== 0 && tier.failed === 0 ? 1 : 0;
    const empty = tier.passed + tier.failed === 0;
    passed += tier.passed;
    failed += tier.failed + uncounted;
    bad ||= tier.exitCode !== 0 || tier.failed > 0 || empty;
    const notes = [empty ? 'ran no test' : '', uncounted === 1 ? `exit code ${tier.exitCode}` : ''].filter(Boolean);
    console.log(
      `  ${tier.name.padEnd(9)}  ${tier.passed} passed, ${tier.failed + uncounted} failed, ${tier.skipped} skipped` +
        `  (${tier.seconds.toFixed(1)} s)${notes.length > 0 ? `  ${notes.join(', ')}` : ''}`,
    );
  }
  console.log(`${passed} passed, ${failed} failed`);
  return bad ? 1 : 0;
}

runMain(async () => {
  const reportDir = await mkdtemp(join(tmpdir(), 'datastack-test-all-'));
  onCleanup(() => rm(reportDir, { recursive: true, force: true }));

  console.log('== typecheck');
  const tsc = join(PROJECT_ROOT, 'node_modules', '.bin', 'tsc');
  const typecheckFailed = (await run(tsc, ['-p', '.', '--noEmit'])) !== 0;

  console.log('== unit tests');
  const unitFiles = listFiles(join(PROJECT_ROOT, 'test', 'unit'), '.test.ts');
  const unit = await runNodeTests('unit', unitFiles, [], reportDir);

  console.log('== host tests (code-server)');
  const host = await runHostTests('host');

  console.log('== host tests on the installed VSIX (code-server)');
  const vsix = await runHostTests('vsix', ['--vsix']);

  console.log('== end-to-end tests (code-server and Chromium)');
  const e2eFiles = listFiles(join(PROJECT_ROOT, 'test', 'e2e'), '.test.ts');
  const e2e = await runNodeTests('e2e', e2eFiles, ['--test-concurrency=1'], reportDir);

  if (isInterrupted()) {
    return new Promise<number>(() => undefined);
  }
  return summarize([unit, host, vsix, e2e], typecheckFailed);
});
