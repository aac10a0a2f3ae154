import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type PollOutcome, Poller, type Timers } from '../../src/views/model/poller';

/** A manual clock: `advance(ms)` fires due timers in order and lets their promises settle. */
class FakeTimers implements Timers {
  now = 0;
  private nextId = 1;
  private readonly pending = new Map<number, { at: number; callback: () => void }>();

  setTimeout(callback: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.pending.set(id, { at: this.now + ms, callback });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.pending.delete(handle as number);
  }

  get pendingCount(): number {
    return this.pending.size;
  }

  async advance(ms: number): Promise<void> {
    const end = this.now + ms;
    for (;;) {
      const due = [...this.pending.entries()].filter(([, timer]) => timer.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
      if (due === undefined) {
        break;
      }
      this.pending.delete(due[0]);
      this.now = due[1].at;
      due[1].callback();
      await flush();
    }
    this.now = end;
    await flush();
  }
}

async function flush(): Promise<void> {
  for (let index = 0; index < 5; index++) {
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

/** A poll function that records call times and returns scripted outcomes. */
function scripted(timers: FakeTimers, outcomes: (PollOutcome | Error)[]) {
  const calls: number[] = [];
  const signals: AbortSignal[] = [];
  const poll = async (signal: AbortSignal): Promise<PollOutcome> => {
    calls.push(timers.now);
    signals.push(signal);
    const next = outcomes.shift() ?? 'pending';
    if (next instanceof Error) {
      throw next;
    }
    return next;
  };
  return { calls, signals, poll };
}

const VIEW = 'datastack.warehouses';

function createPoller(timers: FakeTimers, onError?: (key: string, error: unknown, dropped: boolean) => void): Poller {
  return new Poller({
    timers,
    initialDelayMs: 1000,
    backoffFactor: 2,
    maxDelayMs: 5000,
    maxConsecutiveFailures: 3,
    ...(onError ? { onError } : {}),
  });
}

describe('Poller', () => {
  test('polls with backoff until settled', async () => {
    const timers = new FakeTimers();
    const poller = createPoller(timers);
    poller.setViewVisible(VIEW, true);
    const item = scripted(timers, ['pending', 'pending', 'pending', 'settled']);
    poller.track(VIEW, 'warehouse:a', item.poll);

    await timers.advance(60_000);

    assert.deepEqual(item.calls, [1000, 3000, 7000, 12_000]);
    assert.equal(poller.isTracking('warehouse:a'), false);
    assert.equal(timers.pendingCount, 0);
  });

  test('delay stops growing at the maximum', async () => {
    const timers = new FakeTimers();
    const poller = createPoller(timers);
    poller.setViewVisible(VIEW, true);
    const item = scripted(timers, []);
    poller.track(VIEW, 'warehouse:a', item.poll);

    await timers.advance(30_000);

    const gaps = item.calls.slice(1).map((time, index) => time - (item.calls[index] as number));
    assert.deepEqual(gaps.slice(0, 4), [2000, 4000, 5000, 5000]);
    poller.dispose();
  });

  test('hidden view sends no polls', async () => {
    const timers = new FakeTimers();
    const poller = createPoller(timers);
    const item = scripted(timers, []);
    poller.track(VIEW, 'warehouse:a', item.poll);

    await timers.advance(60_000);

    assert.equal(item.calls.length, 0);
    assert.equal(poller.activeCount, 0);
    assert.equal(poller.isTracking('warehouse:a'), true);
  });

  test('hiding pauses and showing resumes', async () => {
    const timers = new FakeTimers();
    const poller = createPoller(timers);
    poller.setViewVisible(VIEW, true);
    const item = scripted(timers, []);
    poller.track(VIEW, 'warehouse:a', item.poll);
    await timers.advance(1000);
    assert.equal(item.calls.length, 1);

    poller.setViewVisible(VIEW, false);
    await timers.advance(60_000);
    assert.equal(item.calls.length, 1);

    poller.setViewVisible(VIEW, true);
    await timers.advance(0);
    assert.equal(item.calls.length, 2);
    poller.dispose();
  });

  test('hiding aborts the poll in flight', async () => {
    const timers = new FakeTimers();
    const poller = createPoller(timers);
    poller.setViewVisible(VIEW, true);
    let signal: AbortSignal | undefined;
    poller.track(VIEW, 'warehouse:a', (pollSignal) => {
      signal = pollSignal;
      return new Promise<PollOutcome>(() => undefined);
    });
    await timers.advance(1000);

    poller.setViewVisible(VIEW, false);

    assert.equal(signal?.aborted, true);
    assert.equal(poller.activeCount, 0);
  });

  test('other views keep polling', async () => {
    const timers = new FakeTimers();
    const poller = createPoller(timers);
    poller.setViewVisible(VIEW, true);
    poller.setViewVisible('datastack.clusters', true);
    const warehouse = scripted(timers, []);
    const cluster = scripted(timers, []);
    poller.track(VIEW, 'warehouse:a', warehouse.poll);
    poller.track('datastack.clusters', 'cluster:b', cluster.poll);

    poller.setViewVisible(VIEW, false);
    await timers.advance(3000);

    assert.equal(warehouse.calls.length, 0);
    assert.equal(cluster.calls.length, 2);
    poller.dispose();
  });

  test('clear drops every item', async () => {
    const timers = new FakeTimers();
    const poller = createPoller(timers);
    poller.setViewVisible(VIEW, true);
    const item = scripted(timers, []);
    poller.track(VIEW, 'warehouse:a', item.poll);
    poller.track(VIEW, 'warehouse:b', item.poll);

    poller.clear();
    await timers.advance(60_000);

    assert.equal(item.calls.length, 0);
    assert.deepEqual(poller.trackedKeys(), []);
  });

  test('track again restarts the delay', async () => {
    const timers = new FakeTimers();
    const poller = createPoller(timers);
    poller.setViewVisible(VIEW, true);
    const first = scripted(timers, []);
    poller.track(VIEW, 'warehouse:a', first.poll);
    await timers.advance(3000);
    const second = scripted(timers, ['settled']);

    poller.track(VIEW, 'warehouse:a', second.poll);
    await timers.advance(1000);

    assert.deepEqual(first.calls, [1000, 3000]);
    assert.deepEqual(second.calls, [4000]);
    assert.equal(poller.isTracking('warehouse:a'), false);
  });

  test('failures back off then drop', async () => {
    const timers = new FakeTimers();
    const errors: [string, boolean][] = [];
    const poller = createPoller(timers, (key, _error, dropped) => errors.push([key, dropped]));
    poller.setViewVisible(VIEW, true);
    const failure = new Error('unreachable');
    const item = scripted(timers, [failure, failure, failure]);
    poller.track(VIEW, 'warehouse:a', item.poll);

    await timers.advance(60_000);

    assert.deepEqual(item.calls, [1000, 3000, 7000]);
    assert.deepEqual(errors, [
      ['warehouse:a', false],
      ['warehouse:a', false],
      ['warehouse:a', true],
    ]);
    assert.equal(poller.isTracking('warehouse:a'), false);
  });

  test('success resets the failure count', async () => {
    const timers = new FakeTimers();
    const poller = createPoller(timers, () => undefined);
    poller.setViewVisible(VIEW, true);
    const failure = new Error('timeout');
    const item = scripted(timers, [failure, failure, 'pending', failure, failure, 'settled']);
    poller.track(VIEW, 'warehouse:a', item.poll);

    await timers.advance(60_000);

    assert.equal(item.calls.length, 6);
    assert.equal(poller.isTracking('warehouse:a'), false);
  });

  test('onError may untrack at once', async () => {
    const timers = new FakeTimers();
    let poller: Poller | undefined;
    poller = createPoller(timers, (key) => poller?.untrack(key));
    poller.setViewVisible(VIEW, true);
    const item = scripted(timers, [new Error('403')]);
    poller.track(VIEW, 'warehouse:a', item.poll);

    await timers.advance(60_000);

    assert.equal(item.calls.length, 1);
    assert.equal(timers.pendingCount, 0);
  });
});
