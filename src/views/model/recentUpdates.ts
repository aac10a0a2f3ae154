/**
 * Item data that an action set while a list of the item may be loading. A list response requested before
 * the action shows the state from before it (e.g. STOPPED after a start), so the data the action set wins
 * over that response. A list load that starts after the action has seen the server's newer state, so it
 * drops the entry instead.
 */
export class RecentUpdates<T> {
  private readonly entries = new Map<string, { readonly data: T; readonly sequence: number }>();
  private sequence = 0;

  /** Records `data` as the newest state of item `id`. */
  record(id: string, data: T): void {
    this.sequence += 1;
    this.entries.set(id, { data, sequence: this.sequence });
  }

  /** Returns a mark to take when a list load starts and pass to {@link newerThan} when it ends. */
  mark(): number {
    return this.sequence;
  }

  /**
   * Returns the data recorded for `id` after `mark`, which then wins over the loaded item, or undefined.
   * An entry recorded before `mark` is dropped, because the load that took the mark saw a newer state.
   */
  newerThan(id: string, mark: number): T | undefined {
    const entry = this.entries.get(id);
    if (entry === undefined) {
      return undefined;
    }
    if (entry.sequence <= mark) {
      this.entries.delete(id);
      return undefined;
    }
    return entry.data;
  }

  get size(): number {
    return this.entries.size;
  }
}
