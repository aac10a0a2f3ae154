import assert from 'node:assert/strict';
import { test } from 'node:test';
import { COLLAPSE_WINDOW_MS, OpenNotifications } from '../../src/errors/openNotifications';

/** Returns notifications on a clock the test moves by hand. */
function withClock(): { open: OpenNotifications; advance: (ms: number) => void } {
  let now = 1_000_000;
  const open = new OpenNotifications(COLLAPSE_WINDOW_MS, () => now);
  return { open, advance: (ms) => (now += ms) };
}

test('OpenNotifications opens a key once', () => {
  const { open } = withClock();
  assert.notEqual(open.tryOpen('missingScope|h|manage:sql'), undefined);
  assert.equal(open.isOpen('missingScope|h|manage:sql'), true);
  assert.equal(open.tryOpen('missingScope|h|manage:sql'), undefined);
});

test('OpenNotifications counts collapsed repeats', () => {
  const { open } = withClock();
  const handle = open.tryOpen('k');
  assert.ok(handle !== undefined);
  for (let index = 0; index < 49; index++) {
    assert.equal(open.tryOpen('k'), undefined);
  }
  assert.equal(open.close('k', handle), 49);
  assert.equal(open.isOpen('k'), false);
});

test('OpenNotifications reopens after close', () => {
  const { open } = withClock();
  const first = open.tryOpen('k');
  assert.ok(first !== undefined);
  open.close('k', first);
  const second = open.tryOpen('k');
  assert.ok(second !== undefined);
  assert.equal(open.close('k', second), 0);
});

test('OpenNotifications keeps keys apart', () => {
  const { open } = withClock();
  const a = open.tryOpen('a');
  assert.ok(a !== undefined);
  assert.notEqual(open.tryOpen('b'), undefined);
  open.close('a', a);
  assert.equal(open.isOpen('b'), true);
  assert.equal(open.close('unknown', 1), 0);
});

test('OpenNotifications force opens a clicked action', () => {
  const { open } = withClock();
  const first = open.tryOpen('k');
  const second = open.tryOpen('k', { force: true });
  assert.ok(first !== undefined);
  assert.ok(second !== undefined);
  assert.notEqual(second, first);
});

test('OpenNotifications stops collapsing after window', () => {
  const { open, advance } = withClock();
  assert.notEqual(open.tryOpen('k'), undefined);
  advance(COLLAPSE_WINDOW_MS - 1);
  assert.equal(open.tryOpen('k'), undefined);
  advance(1);
  assert.notEqual(open.tryOpen('k'), undefined);
});

test('OpenNotifications old close keeps newer showing', () => {
  const { open, advance } = withClock();
  const old = open.tryOpen('k');
  assert.ok(old !== undefined);
  advance(COLLAPSE_WINDOW_MS);
  const newer = open.tryOpen('k');
  assert.ok(newer !== undefined);

  assert.equal(open.close('k', old), 0);

  assert.equal(open.isOpen('k'), true);
  assert.equal(open.tryOpen('k'), undefined);
  assert.equal(open.close('k', newer), 1);
});
