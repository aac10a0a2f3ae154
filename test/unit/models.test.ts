import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import {
  CLUSTER_STATES,
  isKnown,
  pageParser,
  parseCluster,
  parseExportedNotebook,
  parseJob,
  parseNotebookObject,
  parseRun,
  parseUser,
  parseWarehouse,
  parseWorkspace,
} from '../../src/api/models';
import { ResponseShapeError } from '../../src/api/validate';

const VALID_CLUSTER = {
  cluster_id: '0101-090000-etl001',
  cluster_name: 'ETL nightly',
  state: 'RUNNING',
  state_message: '',
  node_type: 'm5.xlarge',
  num_workers: 4,
  autotermination_minutes: 60,
  creator: 'ada@example.com',
  created_at: 1756857600000,
};

/** Asserts that `parse` raises a shape error whose problem is exactly `problem`. */
function assertShapeProblem(parse: () => unknown, problem: string): void {
  assert.throws(parse, (error: unknown) => {
    assert.ok(error instanceof ResponseShapeError, `expected ResponseShapeError, got ${String(error)}`);
    assert.equal(error.problem, problem);
    return true;
  });
}

describe('models', () => {
  test('cluster parses every field', () => {
    assert.deepEqual(parseCluster(VALID_CLUSTER), VALID_CLUSTER);
  });

  test('cluster keeps an unknown state', () => {
    const cluster = parseCluster({ ...VALID_CLUSTER, state: 'HIBERNATING' });
    assert.equal(cluster.state, 'HIBERNATING');
    assert.equal(isKnown(CLUSTER_STATES, cluster.state), false);
    assert.equal(isKnown(CLUSTER_STATES, 'RUNNING'), true);
  });

  test('cluster list names the bad item path', () => {
    const parse = pageParser('clusters', parseCluster);
    const clusters = [VALID_CLUSTER, VALID_CLUSTER, VALID_CLUSTER, { ...VALID_CLUSTER, state: 7 }];
    assertShapeProblem(() => parse({ clusters }), 'clusters[3].state is not a string');
  });

  const clusterProblems: readonly (readonly [string, unknown, string])[] = [
    ['missing id', { ...VALID_CLUSTER, cluster_id: undefined }, 'cluster.cluster_id is missing'],
    ['numeric name', { ...VALID_CLUSTER, cluster_name: 3 }, 'cluster.cluster_name is not a string'],
    ['string workers', { ...VALID_CLUSTER, num_workers: '4' }, 'cluster.num_workers is not a number'],
    ['NaN-like workers', { ...VALID_CLUSTER, num_workers: null }, 'cluster.num_workers is not a number'],
    ['boolean message', { ...VALID_CLUSTER, state_message: false }, 'cluster.state_message is not a string'],
    ['array body', [VALID_CLUSTER], 'cluster is not an object'],
    ['null body', null, 'cluster is not an object'],
  ];
  for (const [name, value, problem] of clusterProblems) {
    test(`cluster rejects ${name}`, () => {
      assertShapeProblem(() => parseCluster(value), problem);
    });
  }

  test('cluster allows absent optional fields', () => {
    const { state_message: _message, autotermination_minutes: _minutes, ...required } = VALID_CLUSTER;
    assert.deepEqual(parseCluster(required), required);
  });

  test('job accepts a numeric id and null schedule', () => {
    const job = parseJob({ job_id: 42, name: 'Nightly', creator: 'ada@example.com', schedule: null, created_at: 1 });
    assert.equal(job.job_id, '42');
    assert.equal(job.schedule, null);
  });

  test('job parses a schedule object', () => {
    const schedule = { quartz_cron_expression: '0 0 2 * * ?', timezone_id: 'UTC', pause_status: 'UNPAUSED' };
    const job = parseJob({ job_id: 1, name: 'Nightly', creator: 'ada', schedule, created_at: 1 });
    assert.deepEqual(job.schedule, schedule);
  });

  test('job rejects a schedule string', () => {
    assertShapeProblem(
      () => parseJob({ job_id: 1, name: 'n', creator: 'c', schedule: '0 0 * * *', created_at: 1 }),
      'job.schedule is not an object',
    );
  });

  test('run maps null end time and result', () => {
    const run = parseRun({
      run_id: 7,
      job_id: 1,
      state: 'RUNNING',
      result_state: null,
      start_time: 10,
      end_time: null,
      run_page_url: null,
    });
    assert.deepEqual(run, { run_id: '7', job_id: '1', state: 'RUNNING', result_state: null, start_time: 10 });
  });

  test('run keeps an unknown result state', () => {
    const run = parseRun({ run_id: 7, job_id: 1, state: 'TERMINATED', result_state: 'TIMED_OUT', start_time: 1 });
    assert.equal(run.result_state, 'TIMED_OUT');
  });

  test('run rejects a fractional id', () => {
    assertShapeProblem(() => parseRun({ run_id: 1.5, job_id: 1, state: 'RUNNING' }), 'run.run_id is not an id');
  });

  test('notebook entry without language', () => {
    const entry = parseNotebookObject({ path: '/Shared/etl', object_type: 'DIRECTORY', object_id: 3, modified_at: 5 });
    assert.deepEqual(entry, { path: '/Shared/etl', object_type: 'DIRECTORY', object_id: '3', modified_at: 5 });
  });

  test('exported notebook needs content', () => {
    assertShapeProblem(() => parseExportedNotebook({ language: 'PYTHON' }), 'notebook.content is missing');
  });

  test('warehouse rejects string cluster count', () => {
    assertShapeProblem(
      () =>
        parseWarehouse({
          id: 'w1',
          name: 'BI',
          state: 'RUNNING',
          cluster_size: 'Small',
          num_clusters: '1',
          auto_stop_mins: 10,
          creator: 'ada',
        }),
      'warehouse.num_clusters is not a number',
    );
  });

  test('user and workspace parse', () => {
    assert.deepEqual(parseUser({ id: 'u-1', user_name: 'ada@example.com', active: true }), {
      id: 'u-1',
      user_name: 'ada@example.com',
      active: true,
    });
    assert.deepEqual(parseWorkspace({ id: 'ws', name: 'Sandbox', region: 'us-east-1' }), {
      id: 'ws',
      name: 'Sandbox',
      region: 'us-east-1',
    });
  });

  test('page keeps next token and drops empty one', () => {
    const parse = pageParser('clusters', parseCluster);
    assert.equal(parse({ clusters: [], next_page_token: 'abc' }).next_page_token, 'abc');
    assert.equal(parse({ clusters: [], next_page_token: '' }).next_page_token, undefined);
    assert.deepEqual(parse({}).items, []);
  });

  test('page rejects a non-array list', () => {
    const parse = pageParser('clusters', parseCluster);
    assertShapeProblem(() => parse({ clusters: {} }), 'clusters is not an array');
    assertShapeProblem(() => parse({ clusters: [], next_page_token: 5 }), 'next_page_token is not a string');
  });

  test('seed resources all parse', () => {
    const seed = JSON.parse(readFileSync(join(__dirname, '../emulator/seed.json'), 'utf8')) as Record<
      string,
      unknown[]
    >;
    const parsers: Record<string, (value: unknown, path: string) => unknown> = {
      users: parseUser,
      workspaces: parseWorkspace,
      clusters: parseCluster,
      jobs: parseJob,
      runs: parseRun,
      warehouses: parseWarehouse,
      notebooks: parseNotebookObject,
    };
    for (const [key, parse] of Object.entries(parsers)) {
      const items = seed[key];
      assert.ok(Array.isArray(items) && items.length > 0, `seed has ${key}`);
      items.forEach((item, index) => parse(item, `${key}[${index}]`));
    }
  });
});
