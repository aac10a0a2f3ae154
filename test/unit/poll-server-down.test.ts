import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { NetworkError } from '../../src/api/errors';
import { type PollOutcome, Poller } from '../../src/views/model/poller';
import { type Emulator } from '../emulator/index';
import { createTestClient, startTestEmulator } from './client-fixtures';

const CLUSTER_ID = '0101-090000-adhoc02';
const VIEW = 'datastack.clusters';

let emulator: Emulator;
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown): void => {
  unhandled.push(reason);
};

before(async () => {
  emulator = await startTestEmulator();
  process.on('unhandledRejection', onUnhandled);
});

after(async () => {
  process.off('unhandledRejection', onUnhandled);
  await emulator.close();
});

/** Resolves when `condition` holds, checking every 5 ms; rejects after `timeoutMs`. */
async function waitFor(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

test('poller drops item when server dies', async () => {
  const { client } = createTestClient(emulator);
  await client.startCluster(CLUSTER_ID);

  const pollTimes: number[] = [];
  const failureTimes: number[] = [];
  const outcomes: ('pending' | 'settled' | 'failed')[] = [];
  const errors: { error: unknown; dropped: boolean }[] = [];
  const poller = new Poller({
    initialDelayMs: 20,
    maxDelayMs: 200,
    backoffFactor: 2,
    maxConsecutiveFailures: 3,
    onError: (_key, error, dropped) => errors.push({ error, dropped }),
  });
  const poll = async (signal: AbortSignal): Promise<PollOutcome> => {
    pollTimes.push(performance.now());
    try {
      const cluster = await client.getCluster(CLUSTER_ID, { signal });
      const outcome = cluster.state === 'RUNNING' ? 'settled' : 'pending';
      outcomes.push(outcome);
      return outcome;
    } catch (error) {
      failureTimes.push(performance.now());
      outcomes.push('failed');
      throw error;
    }
  };
  poller.setViewVisible(VIEW, true);
  poller.track(VIEW, CLUSTER_ID, poll);

  try {
    await waitFor(() => outcomes.length >= 2, 5000, 'two successful polls');
    assert.deepEqual(outcomes, ['pending', 'pending']);
    await emulator.close();

    await waitFor(() => errors.some((entry) => entry.dropped), 10_000, 'the item to be dropped');
    const pollsWhenDropped = pollTimes.length;
    await new Promise((resolve) => setTimeout(resolve, 500));

    assert.deepEqual(outcomes.slice(2), ['failed', 'failed', 'failed']);
    assert.deepEqual(
      errors.map((entry) => entry.dropped),
      [false, false, true],
    );
    for (const { error } of errors) {
      assert.ok(error instanceof NetworkError, String(error));
    }
    // The poller's own delays: from the end of a failed poll to the start of the next one. The request
    // time is left out because the client's connection retries add jitter to it, and a late timer only
    // makes a delay longer. With 20 ms doubling per poll and a 200 ms cap, polls 3 and 4 fail and are
    // followed by 160 ms and 200 ms (1 ms of slack for timer rounding).
    const delays = failureTimes.slice(0, 2).map((time, index) => (pollTimes[index + 3] as number) - time);
    assert.ok((delays[0] as number) >= 159, `delays after failed polls: ${delays.join(', ')}`);
    assert.ok((delays[1] as number) >= 199, `delays after failed polls: ${delays.join(', ')}`);
    assert.equal(pollTimes.length, pollsWhenDropped, 'polled again after the drop');
    assert.equal(poller.isTracking(CLUSTER_ID), false);
    assert.equal(poller.activeCount, 0);
    assert.deepEqual(unhandled, []);
  } finally {
    poller.dispose();
  }
});
