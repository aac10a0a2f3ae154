import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RecentUpdates } from '../../src/views/model/recentUpdates';

test('RecentUpdates wins over an older load', () => {
  const updates = new RecentUpdates<string>();
  const loadStarted = updates.mark();

  updates.record('warehouse:wh-analytics', 'STARTING');

  assert.equal(updates.newerThan('warehouse:wh-analytics', loadStarted), 'STARTING');
  assert.equal(updates.newerThan('warehouse:wh-bi-dash', loadStarted), undefined);
});

test('RecentUpdates yields to a newer load', () => {
  const updates = new RecentUpdates<string>();
  updates.record('warehouse:wh-analytics', 'STARTING');
  const loadStarted = updates.mark();

  assert.equal(updates.newerThan('warehouse:wh-analytics', loadStarted), undefined);
  assert.equal(updates.size, 0);
});

test('RecentUpdates keeps the last record', () => {
  const updates = new RecentUpdates<string>();
  const loadStarted = updates.mark();
  updates.record('cluster:c1', 'PENDING');
  updates.record('cluster:c1', 'TERMINATING');

  assert.equal(updates.newerThan('cluster:c1', loadStarted), 'TERMINATING');
  assert.equal(updates.size, 1);
});
