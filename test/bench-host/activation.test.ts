// Measures one activation of the extension in a fresh extension host. `npm run bench` runs this suite
// once per workbench page, and each page gets its own extension host process.
import * as assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { extension } from '../host/support/env';
import { recordFigures } from './output';

suite('activation benchmark', () => {
  test('activate() in a fresh host', async () => {
    const loaded = extension();
    // Another activation event (a shown view, a command) would have loaded the bundle before the timer.
    assert.equal(loaded.isActive, false, 'the extension was already active before the benchmark activated it');

    // Extension.activate() loads dist/extension.js and calls its activate(); both are timed.
    const started = performance.now();
    await loaded.activate();
    const activationMs = performance.now() - started;

    assert.equal(loaded.isActive, true);
    recordFigures('activation', { activationMs, extensionHostPid: process.pid });
  });
});
