import assert from 'node:assert/strict';
import { test } from 'node:test';
import { OpenNotifications } from '../../src/errors/openNotifications';

test('OpenNotifications opens a key once', () => {
  const open = new OpenNotifications();
  assert.equal(open.tryOpen('missingScope|h|manage:sql'), true);
  assert.equal(open.isOpen('missingScope|h|manage:sql'), true);
  assert.equal(open.tryOpen('missingScope|h|manage:sql'), false);
});

test('OpenNotifications counts collapsed repeats', () => {
  const open = new OpenNotifications();
  open.tryOpen('k');
  for (let index = 0; index < 49; index++) {
    assert.equal(open.tryOpen('k'), false);
  }
  assert.equal(open.close('k'), 49);
  assert.equal(open.isOpen('k'), false);
});

test('OpenNotifications reopens after close', () => {
  const open = new OpenNotifications();
  open.tryOpen('k');
  open.close('k');
  assert.equal(open.tryOpen('k'), true);
  assert.equal(open.close('k'), 0);
});

test('OpenNotifications keeps keys apart', () => {
  const open = new OpenNotifications();
  assert.equal(open.tryOpen('a'), true);
  assert.equal(open.tryOpen('b'), true);
  open.close('a');
  assert.equal(open.isOpen('b'), true);
  assert.equal(open.close('unknown'), 0);
});
