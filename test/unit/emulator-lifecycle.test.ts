import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { startEmulator, type Emulator } from '../emulator/index';
import { sleep, waitFor } from './emulator-helpers';

/** Seed resources in a transitional state, and the state each settles in. */
const SEEDED: readonly [what: string, read: (emulator: Emulator) => string | undefined, settled: string][] = [
  ['STARTING warehouse', (emulator) => emulator.state.warehouses.get('wh-adhoc')?.state, 'RUNNING'],
  ['STOPPING warehouse', (emulator) => emulator.state.warehouses.get('wh-finance')?.state, 'STOPPED'],
  ['PENDING cluster', (emulator) => emulator.state.clusters.get('0101-090000-ml0003')?.state, 'RUNNING'],
  ['RESIZING cluster', (emulator) => emulator.state.clusters.get('0101-090000-strm04')?.state, 'RUNNING'],
  ['TERMINATING cluster', (emulator) => emulator.state.clusters.get('0101-090000-rep005')?.state, 'TERMINATED'],
  ['RESTARTING cluster', (emulator) => emulator.state.clusters.get('0101-090000-dev007')?.state, 'RUNNING'],
  ['RUNNING run', (emulator) => emulator.state.runs.get(50003)?.result_state ?? undefined, 'SUCCESS'],
  ['PENDING run', (emulator) => emulator.state.runs.get(50006)?.result_state ?? undefined, 'SUCCESS'],
  ['TERMINATING run', (emulator) => emulator.state.runs.get(50010)?.result_state ?? undefined, 'CANCELED'],
];

describe('emulator seeded lifecycles', () => {
  const emulators: Emulator[] = [];
  after(async () => {
    await Promise.all(emulators.map((emulator) => emulator.close()));
  });

  test('seeded states match the table', async () => {
    const emulator = await startEmulator({ lifecycleDelayMs: 600_000 });
    emulators.push(emulator);
    const before = SEEDED.map(([, read]) => read(emulator));
    assert.deepEqual(before.slice(0, 6), ['STARTING', 'STOPPING', 'PENDING', 'RESIZING', 'TERMINATING', 'RESTARTING']);
    assert.deepEqual(before.slice(6), [undefined, undefined, undefined]);
  });

  test('seeded transitional states settle after start', async () => {
    const emulator = await startEmulator({ lifecycleDelayMs: 20 });
    emulators.push(emulator);
    for (const [what, read, settled] of SEEDED) {
      assert.equal(await waitFor(() => read(emulator), settled), settled, what);
    }
    assert.equal(emulator.state.runs.get(50006)?.state, 'TERMINATED');
    assert.notEqual(emulator.state.runs.get(50003)?.end_time, null);
  });

  test('seeded transitional states settle after reset', async () => {
    const emulator = await startEmulator({ lifecycleDelayMs: 20 });
    emulators.push(emulator);
    assert.equal(await waitFor(() => emulator.state.warehouses.get('wh-adhoc')?.state, 'RUNNING'), 'RUNNING');

    emulator.reset();

    assert.equal(emulator.state.warehouses.get('wh-adhoc')?.state, 'STARTING');
    for (const [what, read, settled] of SEEDED) {
      assert.equal(await waitFor(() => read(emulator), settled), settled, what);
    }
  });

  test('longer delay holds seeded transitions', async () => {
    const emulator = await startEmulator({ lifecycleDelayMs: 50 });
    emulators.push(emulator);

    emulator.configure({ lifecycleDelayMs: 600_000 });
    await sleep(150);

    assert.equal(emulator.state.warehouses.get('wh-adhoc')?.state, 'STARTING');
    assert.equal(emulator.state.clusters.get('0101-090000-ml0003')?.state, 'PENDING');
  });
});
