/**
 * The failure notifications that are open, by dedupe key, so that repeats of the same failure (polling,
 * several items, several views) are collapsed into the notification already shown.
 */
export class OpenNotifications {
  /** Repeats collapsed into each open notification. */
  private readonly repeats = new Map<string, number>();

  /** Marks `key` open and returns true, or counts a repeat and returns false when it is already open. */
  tryOpen(key: string): boolean {
    const repeats = this.repeats.get(key);
    if (repeats !== undefined) {
      this.repeats.set(key, repeats + 1);
      return false;
    }
    this.repeats.set(key, 0);
    return true;
  }

  /** Marks `key` closed and returns how many repeats it collapsed. */
  close(key: string): number {
    const repeats = this.repeats.get(key) ?? 0;
    this.repeats.delete(key);
    return repeats;
  }

  isOpen(key: string): boolean {
    return this.repeats.has(key);
  }
}
