// Entry point that VS Code loads as `extensionTestsPath`: runs every bundled `*.test.js` suite next to it
// with mocha (TDD interface: suite/test/setup/teardown) inside the extension host.
import Mocha from 'mocha';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** One finished test or hook, as written to the results file. */
export interface HostTestResult {
  title: string;
  state: 'passed' | 'failed' | 'skipped';
  durationMs: number;
  error?: string;
}

/** Contents of the results file that the runner reads to count tests. */
export interface HostTestResults {
  passed: number;
  failed: number;
  skipped: number;
  tests: HostTestResult[];
}

/** Starts every line the runner prints from the browser console; the rest goes to the run's console log. */
const REPORT_MARKER = 'datastack-test| ';

function print(text: string): void {
  console.log(
    text
      .split('\n')
      .map((line) => `${REPORT_MARKER}${line}`)
      .join('\n'),
  );
}

const { EVENT_TEST_PASS, EVENT_TEST_FAIL, EVENT_TEST_PENDING, EVENT_RUN_END } = Mocha.Runner.constants;

/**
 * Prints each test as it ends and writes all results to `$DATASTACK_TEST_RESULTS_FILE`. A failing hook counts
 * as one failed test, so a suite whose `suiteSetup` throws cannot pass by running nothing.
 */
class HostReporter extends Mocha.reporters.Base {
  constructor(runner: Mocha.Runner, options?: Mocha.MochaOptions) {
    super(runner, options);
    const results: HostTestResult[] = [];
    runner.on(EVENT_TEST_PASS, (test) => {
      results.push({ title: test.fullTitle(), state: 'passed', durationMs: test.duration ?? 0 });
      print(`  ✓ ${test.fullTitle()} (${test.duration ?? 0} ms)`);
    });
    runner.on(EVENT_TEST_FAIL, (test, error: Error) => {
      const detail = error.stack ?? String(error);
      results.push({ title: test.fullTitle(), state: 'failed', durationMs: test.duration ?? 0, error: detail });
      print(`  ✗ ${test.fullTitle()}\n${indent(detail)}`);
    });
    runner.on(EVENT_TEST_PENDING, (test) => {
      results.push({ title: test.fullTitle(), state: 'skipped', durationMs: 0 });
      print(`  - ${test.fullTitle()} (skipped)`);
    });
    runner.once(EVENT_RUN_END, () => writeResults(results));
  }
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `      ${line}`)
    .join('\n');
}

function count(results: HostTestResult[], state: HostTestResult['state']): number {
  return results.filter((result) => result.state === state).length;
}

function writeResults(tests: HostTestResult[]): void {
  const results: HostTestResults = {
    passed: count(tests, 'passed'),
    failed: count(tests, 'failed'),
    skipped: count(tests, 'skipped'),
    tests,
  };
  const file = process.env.DATASTACK_TEST_RESULTS_FILE;
  if (file !== undefined && file !== '') {
    writeFileSync(file, JSON.stringify(results, null, 2));
  }
  print(`host suites: ${results.passed} passed, ${results.failed} failed, ${results.skipped} skipped`);
}

/** Suites that run after all others: the secret search must see the logs and state of the whole run. */
const LAST_SUITE_PREFIX = 'secrets-trace';

function findSuites(dir: string): string[] {
  const names = readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.test.js'))
    .sort();
  const isLast = (name: string): boolean => name.startsWith(LAST_SUITE_PREFIX);
  return [...names.filter((name) => !isLast(name)), ...names.filter(isLast)].map((name) => join(dir, name));
}

/** Called by VS Code's extension host; rejects when a test failed, which makes the host exit with 1. */
export async function run(): Promise<void> {
  const grep = process.env.DATASTACK_TEST_GREP;
  const mocha = new Mocha({
    ui: 'tdd',
    color: false,
    timeout: 20_000,
    reporter: HostReporter,
    ...(grep !== undefined && grep !== '' ? { grep } : {}),
  });
  const suites = findSuites(__dirname);
  if (suites.length === 0) {
    throw new Error(`no *.test.js suite found in ${__dirname}`);
  }
  for (const file of suites) {
    mocha.addFile(file);
  }
  await mocha.loadFilesAsync();
  const failures = await new Promise<number>((resolve) => mocha.run(resolve));
  if (failures > 0) {
    throw new Error(`${failures} host test(s) failed`);
  }
}
