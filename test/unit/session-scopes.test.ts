import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SCOPES, VIEW_READ_SCOPES } from '../../src/api/operations';
import { coversRequest, parseScopeRequest } from '../../src/session/scopeRequest';
import { heldScopes, parseScopeTable, statusIn, withGrant, withRecorded, withoutProfile } from '../../src/session/scopeTable';

test('statusIn unknown profile is unknown', () => {
  assert.equal(statusIn({}, 'p1', 'read:sql'), 'unknown');
});

test('withRecorded stores held and missing per profile', () => {
  let table = withRecorded({}, 'p1', 'manage:sql', 'missing');
  table = withRecorded(table, 'p1', 'read:sql', 'held');
  assert.equal(statusIn(table, 'p1', 'manage:sql'), 'missing');
  assert.equal(statusIn(table, 'p1', 'read:sql'), 'held');
  assert.equal(statusIn(table, 'p1', 'read:jobs'), 'unknown');
  assert.equal(statusIn(table, 'p2', 'read:sql'), 'unknown');
});

test('withRecorded returns the same table when unchanged', () => {
  const table = withRecorded({}, 'p1', 'read:sql', 'held');
  assert.equal(withRecorded(table, 'p1', 'read:sql', 'held'), table);
});

test('statusIn all-apis held covers every scope', () => {
  const table = withRecorded({}, 'p1', 'all-apis', 'held');
  for (const scope of SCOPES) {
    assert.equal(statusIn(table, 'p1', scope), 'held', scope);
  }
});

test('withGrant marks granted held and the rest missing', () => {
  const table = withGrant(withRecorded({}, 'p1', 'manage:sql', 'held'), 'p1', [...VIEW_READ_SCOPES, 'offline_access']);
  for (const scope of VIEW_READ_SCOPES) {
    assert.equal(statusIn(table, 'p1', scope), 'held', scope);
  }
  assert.equal(statusIn(table, 'p1', 'manage:sql'), 'missing');
  assert.deepEqual(heldScopes(table, 'p1'), [...VIEW_READ_SCOPES]);
});

test('withoutProfile drops only that profile', () => {
  const table = withRecorded(withRecorded({}, 'p1', 'read:sql', 'held'), 'p2', 'read:jobs', 'held');
  const next = withoutProfile(table, 'p1');
  assert.equal(statusIn(next, 'p1', 'read:sql'), 'unknown');
  assert.equal(statusIn(next, 'p2', 'read:jobs'), 'held');
  assert.equal(withoutProfile(next, 'p1'), next);
});

test('parseScopeTable drops malformed entries', () => {
  const table = parseScopeTable({
    p1: { 'read:sql': 'held', 'write:everything': 'held', 'read:jobs': 'maybe' },
    p2: 'not an object',
    p3: ['read:sql'],
  });
  assert.deepEqual(table, { p1: { 'read:sql': 'held' } });
  assert.deepEqual(parseScopeTable(undefined), {});
  assert.deepEqual(parseScopeTable([1, 2]), {});
});

test('coversRequest ignores order and offline_access', () => {
  assert.equal(coversRequest(['read:sql', 'read:jobs'], ['read:jobs', 'read:sql']), true);
  assert.equal(coversRequest(['read:sql'], ['read:sql', 'offline_access']), true);
  assert.equal(coversRequest(['read:sql'], ['read:sql', 'manage:sql']), false);
  assert.equal(coversRequest(['read:sql'], []), true);
});

test('coversRequest all-apis covers every scope', () => {
  assert.equal(coversRequest(['all-apis'], ['manage:sql', 'read:users']), true);
});

test('coversRequest unknown scope is never covered', () => {
  assert.equal(coversRequest(['all-apis'], ['write:everything']), false);
});

test('parseScopeRequest splits known, unknown and duplicates', () => {
  assert.deepEqual(parseScopeRequest(['manage:sql', 'offline_access', 'bogus', 'manage:sql']), {
    scopes: ['manage:sql'],
    unknown: ['bogus'],
  });
});
