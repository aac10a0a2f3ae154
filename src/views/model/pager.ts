/**
 * One paged list in a tree: the items loaded so far and the token of the next page. The first page
 * resolves as soon as it arrives; "Load more…" asks for the next one with the kept token, so a failed
 * "Load more…" keeps the items already shown and its retry asks for the same page again.
 *
 * Items are keyed by resource id: an item that comes again on a later page (the list changed between
 * requests) replaces the loaded one in place, because a tree must never show two nodes with one id.
 */
import type { Page } from '../../api/models';

/** Fetches one page given the token from the previous page (undefined for the first page). */
export type PageFetcher<Item> = (pageToken: string | undefined, signal: AbortSignal) => Promise<Page<Item>>;

/** Returns the resource id of an item, unique within one list. */
export type ItemKey<Item> = (item: Item) => string;

export type PagerStatus = 'idle' | 'loading' | 'loaded' | 'failed';

export class Pager<Item> {
  private readonly loaded: Item[] = [];
  private readonly seenTokens = new Set<string>();
  private readonly controller = new AbortController();
  private nextToken: string | undefined;
  private exhausted = false;
  private inFlight: Promise<readonly Item[]> | undefined;
  private lastError: unknown;
  private state: PagerStatus = 'idle';

  constructor(
    private readonly fetchPage: PageFetcher<Item>,
    private readonly keyOf: ItemKey<Item>,
  ) {}

  get items(): readonly Item[] {
    return this.loaded;
  }

  get status(): PagerStatus {
    return this.state;
  }

  /** The error of the last failed load, while `status` is `failed`. */
  get error(): unknown {
    return this.lastError;
  }

  /** True before the first page and after a page that had a next page token. */
  get hasMore(): boolean {
    return !this.exhausted;
  }

  /** The page loads in flight, for callers that wait on the pager without starting a load. */
  get pending(): Promise<readonly Item[]> | undefined {
    return this.inFlight;
  }

  /**
   * Fetches the next page and appends its items, then returns the items that were not loaded before. An
   * item already loaded is replaced in place by the newer copy. Concurrent calls share one request. After a
   * failure, the next call requests the same page again.
   */
  loadNext(): Promise<readonly Item[]> {
    if (this.inFlight !== undefined) {
      return this.inFlight;
    }
    if (this.exhausted) {
      return Promise.resolve([]);
    }
    this.state = 'loading';
    const request = this.fetchNext().finally(() => {
      this.inFlight = undefined;
    });
    this.inFlight = request;
    return request;
  }

  /** Replaces a loaded item in place, e.g. after a poll; returns false when no item matches. */
  replace(matches: (item: Item) => boolean, next: Item): boolean {
    const index = this.loaded.findIndex(matches);
    if (index < 0) {
      return false;
    }
    this.loaded[index] = next;
    return true;
  }

  /** Adds an item that an action created, without reloading the list. An item already loaded is replaced. */
  add(item: Item, position: 'start' | 'end'): void {
    const key = this.keyOf(item);
    if (this.replace((loaded) => this.keyOf(loaded) === key, item)) {
      return;
    }
    if (position === 'start') {
      this.loaded.unshift(item);
    } else {
      this.loaded.push(item);
    }
  }

  /** Aborts the request in flight; the pager loads nothing more. */
  dispose(): void {
    this.exhausted = true;
    this.controller.abort();
  }

  private async fetchNext(): Promise<readonly Item[]> {
    let page: Page<Item>;
    try {
      page = await this.fetchPage(this.nextToken, this.controller.signal);
    } catch (error) {
      this.lastError = error;
      this.state = 'failed';
      throw error;
    }
    if (this.controller.signal.aborted) {
      return [];
    }
    const added = this.merge(page.items);
    const token = page.next_page_token;
    // NOTE: a repeated token would make "Load more…" show the same page forever, so it ends the list.
    if (token === undefined || this.seenTokens.has(token)) {
      this.exhausted = true;
    } else {
      this.seenTokens.add(token);
      this.nextToken = token;
    }
    this.state = 'loaded';
    this.lastError = undefined;
    return added;
  }

  /** Appends new items and replaces loaded ones with the same key, including repeats within `items`. */
  private merge(items: readonly Item[]): Item[] {
    const indexOf = new Map<string, number>();
    this.loaded.forEach((item, index) => indexOf.set(this.keyOf(item), index));
    const added: Item[] = [];
    for (const item of items) {
      const key = this.keyOf(item);
      const index = indexOf.get(key);
      if (index === undefined) {
        indexOf.set(key, this.loaded.length);
        this.loaded.push(item);
        added.push(item);
      } else {
        this.loaded[index] = item;
        const addedIndex = added.findIndex((candidate) => this.keyOf(candidate) === key);
        if (addedIndex >= 0) {
          added[addedIndex] = item;
        }
      }
    }
    return added;
  }
}
