import assert from 'node:assert/strict';
import { test } from 'node:test';
import { demoSettings } from '../../scripts/demo/guide';
import { DemoUsageError, parseDemoArgs } from '../../scripts/demo/options';
import { testSettings } from '../../scripts/harness/hostRun';
import { startEmulator } from '../emulator/index';

test('demo options default to free ports', () => {
  assert.deepEqual(parseDemoArgs([]), { port: 0, emulatorPort: 0, browser: false, desktop: false });
});

test('demo options read ports and modes', () => {
  assert.deepEqual(parseDemoArgs(['--port', '8080', '--emulator-port', '8787', '--browser']), {
    port: 8080,
    emulatorPort: 8787,
    browser: true,
    desktop: false,
  });
  assert.deepEqual(parseDemoArgs(['--desktop']), { port: 0, emulatorPort: 0, browser: false, desktop: true });
  assert.equal(parseDemoArgs(['--help']), 'help');
});

const INVALID: [string, string[], RegExp][] = [
  ['unknown flag', ['--bogus'], /bogus/],
  ['positional argument', ['8080'], /8080/],
  ['port out of range', ['--port', '70000'], /--port "70000"/],
  ['port zero', ['--port', '0'], /--port "0"/],
  ['non-numeric port', ['--emulator-port', 'abc'], /--emulator-port "abc"/],
  ['missing port value', ['--port'], /port/],
  ['same two ports', ['--port', '9000', '--emulator-port', '9000'], /both 9000/],
  ['browser and no-browser', ['--browser', '--no-browser'], /exclude each other/],
  ['desktop with port', ['--desktop', '--port', '9000'], /--desktop/],
];

for (const [name, args, message] of INVALID) {
  test(`demo options reject ${name}`, () => {
    assert.throws(() => parseDemoArgs(args), (error: unknown) => error instanceof DemoUsageError && message.test(error.message));
  });
}

test('demo and test settings stop port auto-forwarding', async () => {
  const emulator = await startEmulator();
  try {
    assert.equal(demoSettings(emulator)['remote.autoForwardPorts'], false);
    assert.equal(testSettings(emulator)['remote.autoForwardPorts'], false);
  } finally {
    await emulator.close();
  }
});
