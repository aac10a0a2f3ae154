import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { OPERATION_IDS, OPERATIONS, scopeOf } from '../../src/api/operations';
import { TABLE_END_MARKER, TABLE_START_MARKER, renderScopesTable, withScopesTable } from '../../src/scopes/scopesTable';

const README = join(__dirname, '..', '..', 'README.md');

test('README scopes table is up to date', () => {
  const readme = readFileSync(README, 'utf8');
  assert.equal(withScopesTable(readme), readme, 'run `npx tsx scripts/scopes-table.ts` to update README.md');
});

test('renderScopesTable has a row per operation', () => {
  const rows = renderScopesTable()
    .split('\n')
    .filter((line) => line.startsWith('| ') && !line.startsWith('| Action'));
  assert.equal(rows.length, OPERATION_IDS.length);
  OPERATION_IDS.forEach((operation, index) => {
    const spec = OPERATIONS[operation];
    assert.ok(rows[index]?.includes(`\`${spec.method} ${spec.path}\``), `${operation} request`);
    assert.ok(rows[index]?.endsWith(`| \`${scopeOf(operation)}\` |`), `${operation} scope`);
  });
});

test('withScopesTable replaces only between markers', () => {
  const readme = `intro\n${TABLE_START_MARKER}\nstale table\n${TABLE_END_MARKER}\noutro\n`;
  const updated = withScopesTable(readme);
  assert.ok(updated.startsWith(`intro\n${TABLE_START_MARKER}\n| Action`));
  assert.ok(updated.endsWith(`\n${TABLE_END_MARKER}\noutro\n`));
  assert.ok(!updated.includes('stale table'));
  assert.equal(withScopesTable(updated), updated);
});

test('withScopesTable rejects bad markers', () => {
  assert.throws(() => withScopesTable('no markers'), /needs the markers/);
  assert.throws(() => withScopesTable(`${TABLE_END_MARKER}\n${TABLE_START_MARKER}`), /in that order/);
  assert.throws(
    () => withScopesTable(`${TABLE_START_MARKER}${TABLE_END_MARKER}${TABLE_START_MARKER}${TABLE_END_MARKER}`),
    /more than once/,
  );
});
