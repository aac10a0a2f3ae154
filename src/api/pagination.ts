/**
 * Page-token pagination as an async iterator of pages. The iterator fetches the next page only when the
 * consumer requests it, so a list never has more than one request in flight.
 */
import { InvalidResponseError } from './errors';
import type { Page } from './models';
import type { OperationId } from './operations';

/** The page size the API uses when none is given. */
export const DEFAULT_PAGE_SIZE = 100;

/** The largest page size the API accepts. */
export const MAX_PAGE_SIZE = 1000;

/** Returns `requested` as a whole page size from 1 to {@link MAX_PAGE_SIZE}, or the default when unset. */
export function clampPageSize(requested: number | undefined): number {
  if (requested === undefined || !Number.isFinite(requested)) {
    return DEFAULT_PAGE_SIZE;
  }
  return Math.min(MAX_PAGE_SIZE, Math.max(1, Math.floor(requested)));
}

/** Fetches one page given the token of the previous page (undefined for the first page). */
export type PageFetcher<Item> = (pageToken: string | undefined) => Promise<Page<Item>>;

/**
 * Yields pages until one comes without `next_page_token`.
 *
 * @throws {InvalidResponseError} when the server repeats a page token, which would otherwise loop forever.
 */
export async function* paginate<Item>(
  host: string,
  operation: OperationId,
  fetchPage: PageFetcher<Item>,
): AsyncGenerator<Page<Item>, void, undefined> {
  const seenTokens = new Set<string>();
  let pageToken: string | undefined;
  for (;;) {
    const page = await fetchPage(pageToken);
    yield page;

    const next = page.next_page_token;
    if (next === undefined) {
      return;
    }
    if (seenTokens.has(next)) {
      throw new InvalidResponseError(
        host,
        operation,
        200,
        undefined,
        '',
        `next_page_token repeats the token of an earlier page after ${seenTokens.size + 1} pages`,
      );
    }
    seenTokens.add(next);
    pageToken = next;
  }
}

/**
 * Returns every item of an iterator of pages, stopping with an error when there are more than `maxItems`
 * (a guard for callers that expect a small list).
 */
export async function collectItems<Item>(
  pages: AsyncIterable<Page<Item>>,
  maxItems = Number.POSITIVE_INFINITY,
): Promise<Item[]> {
  const items: Item[] = [];
  for await (const page of pages) {
    items.push(...page.items);
    if (items.length > maxItems) {
      throw new RangeError(`The list has more than ${maxItems} items.`);
    }
  }
  return items;
}
