import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  AuthenticationError,
  InvalidResponseError,
  MissingScopeError,
  NetworkError,
  RateLimitedError,
  RequestAbortedError,
  ServerError,
  TimeoutError,
} from '../../src/api/errors';
import type { Cluster, Run } from '../../src/api/models';
import {
  buildContextValue,
  clusterContextValue,
  notebookObjectContextValue,
  runContextValue,
  warehouseContextValue,
} from '../../src/views/model/contextValue';
import { classifyListFailure, isRetryable } from '../../src/views/model/failure';
import { baseName, formatDuration, joinPath, parentPath, runDurationMs } from '../../src/views/model/format';
import { stateIcon } from '../../src/views/model/icons';
import { languageInfo, languageLabel } from '../../src/views/model/notebookLanguage';
import {
  type StateClass,
  clusterStateClass,
  isTransitional,
  runStateClass,
  warehouseStateClass,
} from '../../src/views/model/state';
import { clusterTooltip, runTooltip } from '../../src/views/model/tooltip';

describe('warehouseContextValue', () => {
  const cases: readonly (readonly [state: string, expected: string])[] = [
    ['STOPPED', 'datastack:warehouse;state=stopped;canStart'],
    ['RUNNING', 'datastack:warehouse;state=running;canStop'],
    ['STARTING', 'datastack:warehouse;state=starting;canStop'],
    ['STOPPING', 'datastack:warehouse;state=stopping'],
    ['DELETED', 'datastack:warehouse;state=deleted'],
    ['HIBERNATING', 'datastack:warehouse;state=hibernating'],
  ];
  for (const [state, expected] of cases) {
    test(`state ${state}`, () => {
      assert.equal(warehouseContextValue({ state }), expected);
    });
  }
});

describe('clusterContextValue', () => {
  const cases: readonly (readonly [state: string, expected: string])[] = [
    ['TERMINATED', 'datastack:cluster;state=terminated;canStart'],
    ['ERROR', 'datastack:cluster;state=error;canStart;canTerminate'],
    ['RUNNING', 'datastack:cluster;state=running;canTerminate'],
    ['PENDING', 'datastack:cluster;state=pending;canTerminate'],
    ['RESIZING', 'datastack:cluster;state=resizing;canTerminate'],
    ['RESTARTING', 'datastack:cluster;state=restarting;canTerminate'],
    ['TERMINATING', 'datastack:cluster;state=terminating'],
  ];
  for (const [state, expected] of cases) {
    test(`state ${state}`, () => {
      assert.equal(clusterContextValue({ state }), expected);
    });
  }
});

describe('runContextValue', () => {
  test('running run with page', () => {
    assert.equal(
      runContextValue({ state: 'RUNNING', run_page_url: 'https://console.example/runs/1' }),
      'datastack:run;state=running;canCancel;hasRunPage',
    );
  });
  test('finished run without page', () => {
    assert.equal(runContextValue({ state: 'TERMINATED' }), 'datastack:run;state=terminated');
  });
  test('empty page url is no page', () => {
    assert.equal(runContextValue({ state: 'PENDING', run_page_url: '' }), 'datastack:run;state=pending;canCancel');
  });
});

describe('notebookObjectContextValue', () => {
  test('folder', () => {
    assert.equal(notebookObjectContextValue({ object_type: 'DIRECTORY' }), 'datastack:folder;canCreateNotebook');
  });
  test('notebook with language', () => {
    assert.equal(
      notebookObjectContextValue({ object_type: 'NOTEBOOK', language: 'PYTHON' }),
      'datastack:notebook;language=python;canOpen;canExport',
    );
  });
});

describe('buildContextValue', () => {
  test('cleans facet values for menu regexes', () => {
    assert.equal(buildContextValue({ kind: 'warehouse', values: { state: 'A;B/(c)' } }), 'datastack:warehouse;state=a_b__c_');
  });
  test('menu regex matches capability only as a whole flag', () => {
    const startable = /^datastack:warehouse;.*;canStart(;|$)/;
    assert.equal(startable.test(warehouseContextValue({ state: 'STOPPED' })), true);
    assert.equal(startable.test(warehouseContextValue({ state: 'RUNNING' })), false);
    assert.equal(startable.test(buildContextValue({ kind: 'warehouse', capabilities: ['canStartLater'] })), false);
  });
});

describe('state classes', () => {
  const cases: readonly (readonly [name: string, actual: StateClass, expected: StateClass])[] = [
    ['warehouse RUNNING', warehouseStateClass('RUNNING'), 'running'],
    ['warehouse STOPPED', warehouseStateClass('STOPPED'), 'stopped'],
    ['warehouse STARTING', warehouseStateClass('STARTING'), 'transitional'],
    ['warehouse STOPPING', warehouseStateClass('STOPPING'), 'transitional'],
    ['warehouse DELETED', warehouseStateClass('DELETED'), 'deleted'],
    ['warehouse unknown', warehouseStateClass('SCALING'), 'unknown'],
    ['warehouse prototype key', warehouseStateClass('constructor'), 'unknown'],
    ['cluster TERMINATED', clusterStateClass('TERMINATED'), 'stopped'],
    ['cluster ERROR', clusterStateClass('ERROR'), 'error'],
    ['cluster RESIZING', clusterStateClass('RESIZING'), 'transitional'],
    ['cluster RESTARTING', clusterStateClass('RESTARTING'), 'transitional'],
    ['cluster TERMINATING', clusterStateClass('TERMINATING'), 'transitional'],
    ['cluster PENDING', clusterStateClass('PENDING'), 'transitional'],
    ['run PENDING', runStateClass({ state: 'PENDING', result_state: null }), 'transitional'],
    ['run RUNNING', runStateClass({ state: 'RUNNING', result_state: null }), 'transitional'],
    ['run SUCCESS', runStateClass({ state: 'TERMINATED', result_state: 'SUCCESS' }), 'succeeded'],
    ['run FAILED', runStateClass({ state: 'TERMINATED', result_state: 'FAILED' }), 'failed'],
    ['run CANCELED', runStateClass({ state: 'TERMINATED', result_state: 'CANCELED' }), 'canceled'],
    ['run INTERNAL_ERROR', runStateClass({ state: 'INTERNAL_ERROR', result_state: 'FAILED' }), 'error'],
    ['run SKIPPED', runStateClass({ state: 'SKIPPED', result_state: null }), 'skipped'],
    ['run TERMINATED without result', runStateClass({ state: 'TERMINATED', result_state: null }), 'unknown'],
  ];
  for (const [name, actual, expected] of cases) {
    test(name, () => {
      assert.equal(actual, expected);
    });
  }

  test('only transitional is polled', () => {
    assert.equal(isTransitional('transitional'), true);
    assert.equal(isTransitional('running'), false);
    assert.equal(isTransitional('unknown'), false);
  });
});

describe('stateIcon', () => {
  test('transitional spins', () => {
    assert.equal(stateIcon('transitional').codicon, 'sync~spin');
  });
  test('running is green', () => {
    assert.equal(stateIcon('running').color, 'charts.green');
  });
  test('error is red', () => {
    assert.equal(stateIcon('error').color, 'charts.red');
  });
  test('unknown has an icon', () => {
    assert.equal(stateIcon('unknown').codicon, 'question');
  });
});

describe('formatDuration', () => {
  const cases: readonly (readonly [ms: number, expected: string])[] = [
    [0, '0s'],
    [999, '0s'],
    [45_000, '45s'],
    [125_000, '2m 05s'],
    [3_780_000, '1h 03m'],
    [-1, ''],
    [Number.NaN, ''],
  ];
  for (const [ms, expected] of cases) {
    test(`${ms} ms`, () => {
      assert.equal(formatDuration(ms), expected);
    });
  }
});

describe('runDurationMs', () => {
  test('finished run uses end time', () => {
    assert.equal(runDurationMs({ start_time: 1000, end_time: 6000 }, 99_000), 5000);
  });
  test('active run uses now', () => {
    assert.equal(runDurationMs({ start_time: 1000 }, 4000), 3000);
  });
  test('unstarted run has none', () => {
    assert.equal(runDurationMs({}, 4000), undefined);
  });
});

describe('notebook paths', () => {
  test('baseName', () => {
    assert.equal(baseName('/Shared/etl/ingest'), 'ingest');
    assert.equal(baseName('/Shared/'), 'Shared');
    assert.equal(baseName('/'), '/');
  });
  test('parentPath', () => {
    assert.equal(parentPath('/Shared/etl'), '/Shared');
    assert.equal(parentPath('/Shared'), '/');
  });
  test('joinPath', () => {
    assert.equal(joinPath('/', 'Shared'), '/Shared');
    assert.equal(joinPath('/Shared', 'x'), '/Shared/x');
    assert.equal(joinPath('/Shared/', 'x'), '/Shared/x');
  });
});

describe('languageInfo', () => {
  test('python', () => {
    assert.equal(languageInfo('PYTHON').languageId, 'python');
    assert.equal(languageInfo('PYTHON').extension, '.py');
  });
  test('sql', () => {
    assert.equal(languageInfo('SQL').languageId, 'sql');
  });
  test('unknown language is plain text', () => {
    assert.equal(languageInfo('JULIA').languageId, 'plaintext');
    assert.equal(languageLabel('JULIA'), 'JULIA');
  });
});

describe('tooltips', () => {
  const cluster: Cluster = {
    cluster_id: 'c-1',
    cluster_name: 'ETL',
    state: 'ERROR',
    state_message: 'Quota exceeded',
    node_type: 'm5.large',
    num_workers: 2,
    creator: 'ada@example.com',
    created_at: 1000,
  };
  test('cluster lists state message', () => {
    const rows = clusterTooltip(cluster);
    assert.deepEqual(
      rows.find((row) => row.field === 'stateMessage')?.value,
      { kind: 'text', text: 'Quota exceeded' },
    );
  });
  test('cluster without auto-termination omits the row', () => {
    assert.equal(clusterTooltip(cluster).some((row) => row.field === 'autoTermination'), false);
  });
  test('active run has a running duration', () => {
    const run: Run = { run_id: '7', job_id: '1', state: 'RUNNING', result_state: null, start_time: 0 };
    const rows = runTooltip(run, 65_000);
    assert.deepEqual(rows.find((row) => row.field === 'duration')?.value, { kind: 'text', text: '1m 05s' });
    assert.equal(rows.some((row) => row.field === 'ended'), false);
  });
});

describe('classifyListFailure', () => {
  const host = 'http://127.0.0.1:1';
  test('403 is a missing scope', () => {
    assert.deepEqual(classifyListFailure(new MissingScopeError(host, 'listJobs', 'read:jobs', undefined)), {
      kind: 'missingScope',
      scope: 'read:jobs',
    });
  });
  test('401 is an expired sign-in', () => {
    assert.equal(classifyListFailure(new AuthenticationError(host, 'listJobs', {}, undefined)).kind, 'signInExpired');
  });
  test('network error is unreachable', () => {
    assert.deepEqual(classifyListFailure(new NetworkError(host, 'listJobs', 'ECONNREFUSED')), { kind: 'unreachable', host });
  });
  test('timeout is unreachable', () => {
    assert.equal(classifyListFailure(new TimeoutError(host, 'listJobs', 30_000)).kind, 'unreachable');
  });
  test('429 keeps the delay', () => {
    assert.deepEqual(classifyListFailure(new RateLimitedError(host, 'listJobs', 2000)), {
      kind: 'rateLimited',
      host,
      retryAfterMs: 2000,
    });
  });
  test('5xx keeps the status', () => {
    assert.deepEqual(classifyListFailure(new ServerError(host, 'listJobs', 503, undefined)), {
      kind: 'serverError',
      host,
      status: 503,
    });
  });
  test('invalid response', () => {
    assert.equal(classifyListFailure(new InvalidResponseError(host, 'listJobs', 200, undefined, '', 'x')).kind, 'invalidResponse');
  });
  test('abort is cancelled', () => {
    assert.equal(classifyListFailure(new RequestAbortedError(host, 'listJobs')).kind, 'cancelled');
  });
  test('plain error is unexpected', () => {
    assert.equal(classifyListFailure(new Error('boom')).kind, 'unexpected');
  });
  test('retry offered for outages only', () => {
    assert.equal(isRetryable({ kind: 'unreachable', host }), true);
    assert.equal(isRetryable({ kind: 'missingScope', scope: 'read:jobs' }), false);
    assert.equal(isRetryable({ kind: 'signInExpired', host }), false);
  });
});
