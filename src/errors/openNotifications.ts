/**
 * The failure notifications that are open, by dedupe key, so that repeats of the same background failure
 * (polling, several items, several views) are collapsed into the notification already shown.
 *
 * A notification's promise stays pending after its toast has hidden into the notification center, so an
 * open entry collapses repeats only for {@link COLLAPSE_WINDOW_MS} after it was shown. Later repeats open a
 * new notification, which the user can see.
 */

/** How long after a notification is shown its background repeats are collapsed into it, in milliseconds. */
export const COLLAPSE_WINDOW_MS = 10_000;

interface OpenEntry {
  /** Identifies this showing of the key, so that closing an older one leaves a newer one open. */
  readonly handle: number;
  readonly openedAt: number;
  repeats: number;
}

export class OpenNotifications {
  private readonly entries = new Map<string, OpenEntry>();
  private nextHandle = 1;

  constructor(
    private readonly collapseWindowMs = COLLAPSE_WINDOW_MS,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Marks `key` open and returns the handle of this showing, or counts a repeat and returns undefined when
   * the key was opened less than the collapse window ago. With `force`, it always opens, e.g. for the
   * failure of an action the user just clicked.
   */
  tryOpen(key: string, options: { readonly force?: boolean } = {}): number | undefined {
    const entry = this.entries.get(key);
    if (entry !== undefined && options.force !== true && this.now() - entry.openedAt < this.collapseWindowMs) {
      entry.repeats += 1;
      return undefined;
    }
    const handle = this.nextHandle++;
    this.entries.set(key, { handle, openedAt: this.now(), repeats: 0 });
    return handle;
  }

  /** Marks the showing `handle` of `key` closed and returns how many repeats it collapsed. */
  close(key: string, handle: number): number {
    const entry = this.entries.get(key);
    if (entry === undefined || entry.handle !== handle) {
      return 0;
    }
    this.entries.delete(key);
    return entry.repeats;
  }

  isOpen(key: string): boolean {
    return this.entries.has(key);
  }
}
