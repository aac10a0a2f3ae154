/**
 * Polls items in transitional states, each with its own GET, until they settle.
 *
 * Each tracked item has its own timer. The delay starts at `initialDelayMs` and grows by `backoffFactor`
 * after every poll up to `maxDelayMs`. Polling pauses while the item's view is hidden (timers cleared, any
 * request in flight aborted) and resumes when it is shown again; `clear()` drops everything, for sign-out
 * and profile switches. The clock is injected so unit tests run without waiting.
 */

/** The timer functions the poller uses; `globalThis` in the extension, a fake clock in tests. */
export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** What one poll found: the item reached a stable state, or it is still transitional. */
export type PollOutcome = 'settled' | 'pending';

/** Fetches the item once, updates its tree item and returns whether it settled. Must honour `signal`. */
export type PollFunction = (signal: AbortSignal) => Promise<PollOutcome>;

export interface PollerOptions {
  readonly initialDelayMs?: number;
  readonly maxDelayMs?: number;
  readonly backoffFactor?: number;
  /** Delay of the first poll after a hidden view is shown again. */
  readonly resumeDelayMs?: number;
  /** The item is dropped after this many failed polls in a row. */
  readonly maxConsecutiveFailures?: number;
  readonly timers?: Timers;
  /** Called for every failed poll; `dropped` is true when the item will not be polled again. */
  readonly onError?: (key: string, error: unknown, dropped: boolean) => void;
}

export const DEFAULT_POLLER_OPTIONS = {
  initialDelayMs: 3000,
  maxDelayMs: 30_000,
  backoffFactor: 1.5,
  resumeDelayMs: 0,
  maxConsecutiveFailures: 5,
} as const;

interface Entry {
  readonly key: string;
  readonly viewId: string;
  readonly poll: PollFunction;
  delayMs: number;
  failures: number;
  timer: unknown;
  controller: AbortController | undefined;
}

const GLOBAL_TIMERS: Timers = {
  setTimeout: (callback, ms) => globalThis.setTimeout(callback, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof globalThis.setTimeout>),
};

export class Poller {
  private readonly entries = new Map<string, Entry>();
  private readonly visibleViews = new Set<string>();
  private readonly initialDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly backoffFactor: number;
  private readonly resumeDelayMs: number;
  private readonly maxConsecutiveFailures: number;
  private readonly timers: Timers;
  private readonly onError: PollerOptions['onError'];
  private disposed = false;

  constructor(options: PollerOptions = {}) {
    this.initialDelayMs = options.initialDelayMs ?? DEFAULT_POLLER_OPTIONS.initialDelayMs;
    this.maxDelayMs = options.maxDelayMs ?? DEFAULT_POLLER_OPTIONS.maxDelayMs;
    this.backoffFactor = options.backoffFactor ?? DEFAULT_POLLER_OPTIONS.backoffFactor;
    this.resumeDelayMs = options.resumeDelayMs ?? DEFAULT_POLLER_OPTIONS.resumeDelayMs;
    this.maxConsecutiveFailures = options.maxConsecutiveFailures ?? DEFAULT_POLLER_OPTIONS.maxConsecutiveFailures;
    this.timers = options.timers ?? GLOBAL_TIMERS;
    this.onError = options.onError;
  }

  /** Starts polling an item of `viewId`, replacing any earlier tracking of the same `key`. */
  track(viewId: string, key: string, poll: PollFunction): void {
    if (this.disposed) {
      return;
    }
    this.untrack(key);
    const entry: Entry = {
      key,
      viewId,
      poll,
      delayMs: this.initialDelayMs,
      failures: 0,
      timer: undefined,
      controller: undefined,
    };
    this.entries.set(key, entry);
    if (this.visibleViews.has(viewId)) {
      this.schedule(entry, entry.delayMs);
    }
  }

  /** Stops polling an item and aborts its request in flight. */
  untrack(key: string): void {
    const entry = this.entries.get(key);
    if (entry !== undefined) {
      this.pause(entry);
      this.entries.delete(key);
    }
  }

  /** Pauses or resumes the items of a view. Views start hidden until the first call. */
  setViewVisible(viewId: string, visible: boolean): void {
    if (visible === this.visibleViews.has(viewId)) {
      return;
    }
    if (visible) {
      this.visibleViews.add(viewId);
    } else {
      this.visibleViews.delete(viewId);
    }
    for (const entry of this.entries.values()) {
      if (entry.viewId !== viewId) {
        continue;
      }
      if (visible) {
        entry.delayMs = this.initialDelayMs;
        this.schedule(entry, this.resumeDelayMs);
      } else {
        this.pause(entry);
      }
    }
  }

  /** Drops every tracked item of `viewId`, or of all views when `viewId` is undefined. */
  clear(viewId?: string): void {
    for (const entry of [...this.entries.values()]) {
      if (viewId === undefined || entry.viewId === viewId) {
        this.untrack(entry.key);
      }
    }
  }

  isTracking(key: string): boolean {
    return this.entries.has(key);
  }

  /** The keys tracked for `viewId`, or for all views. */
  trackedKeys(viewId?: string): string[] {
    return [...this.entries.values()].filter((entry) => viewId === undefined || entry.viewId === viewId).map((entry) => entry.key);
  }

  /** The number of items with a timer or a request in flight; 0 while every view is hidden. */
  get activeCount(): number {
    return [...this.entries.values()].filter((entry) => entry.timer !== undefined || entry.controller !== undefined).length;
  }

  dispose(): void {
    this.clear();
    this.disposed = true;
  }

  private schedule(entry: Entry, delayMs: number): void {
    this.pause(entry);
    entry.timer = this.timers.setTimeout(() => {
      entry.timer = undefined;
      void this.runOnce(entry);
    }, delayMs);
  }

  private pause(entry: Entry): void {
    if (entry.timer !== undefined) {
      this.timers.clearTimeout(entry.timer);
      entry.timer = undefined;
    }
    entry.controller?.abort();
    entry.controller = undefined;
  }

  private async runOnce(entry: Entry): Promise<void> {
    const controller = new AbortController();
    entry.controller = controller;
    let outcome: PollOutcome | undefined;
    let failure: unknown;
    let failed = false;
    try {
      outcome = await entry.poll(controller.signal);
    } catch (error) {
      failed = true;
      failure = error;
    }
    // A pause, untrack or newer track replaced this run while it waited: its result is stale.
    if (controller.signal.aborted || this.entries.get(entry.key) !== entry || entry.controller !== controller) {
      return;
    }
    entry.controller = undefined;

    if (failed) {
      entry.failures++;
      const dropped = entry.failures >= this.maxConsecutiveFailures;
      this.onError?.(entry.key, failure, dropped);
      // `onError` may have untracked the item, e.g. after a 403 that polling cannot fix.
      if (dropped || this.entries.get(entry.key) !== entry) {
        this.entries.delete(entry.key);
        return;
      }
    } else if (outcome === 'settled') {
      this.entries.delete(entry.key);
      return;
    } else {
      entry.failures = 0;
    }
    entry.delayMs = Math.min(this.maxDelayMs, Math.round(entry.delayMs * this.backoffFactor));
    this.schedule(entry, entry.delayMs);
  }
}
