/**
 * Offset pagination behind opaque page tokens. A token is base64url of `list|filter|offset`, so a token
 * from one list (or one job's runs, or one folder) is rejected by another.
 */
import { invalidParameter } from './http';

export const DEFAULT_PAGE_SIZE = 100;
export const MAX_PAGE_SIZE = 1000;

export interface Page<T> {
  items: T[];
  nextPageToken: string | undefined;
}

/** Parses `limit`; throws 400 unless it is a whole number from 1 to {@link MAX_PAGE_SIZE}. */
export function parseLimit(raw: string | null): number {
  if (raw === null) {
    return DEFAULT_PAGE_SIZE;
  }
  if (!/^\d{1,7}$/.test(raw)) {
    throw invalidParameter(`Invalid limit "${raw}": use a whole number from 1 to ${MAX_PAGE_SIZE}.`);
  }
  const limit = Number(raw);
  if (limit < 1 || limit > MAX_PAGE_SIZE) {
    throw invalidParameter(`Invalid limit ${limit}: use a whole number from 1 to ${MAX_PAGE_SIZE}.`);
  }
  return limit;
}

function encodePageToken(list: string, filter: string, offset: number): string {
  return Buffer.from(`${list}|${filter}|${offset}`, 'utf8').toString('base64url');
}

function decodePageToken(token: string, list: string, filter: string): number {
  const invalid = invalidParameter('Invalid page_token: pass the next_page_token of the previous page unchanged.');
  if (!/^[A-Za-z0-9_-]{1,2048}$/.test(token)) {
    throw invalid;
  }
  const decoded = Buffer.from(token, 'base64url').toString('utf8');
  const separator = decoded.lastIndexOf('|');
  const prefix = `${list}|${filter}|`;
  if (!decoded.startsWith(prefix) || separator !== prefix.length - 1) {
    throw invalid;
  }
  const offsetText = decoded.slice(separator + 1);
  if (!/^\d{1,9}$/.test(offsetText)) {
    throw invalid;
  }
  return Number(offsetText);
}

/**
 * Returns the page that `page_token` and `limit` select from `items`.
 *
 * @param list the list's response key, e.g. `clusters`
 * @param filter what narrows the list (a job id, a folder path), or `''`
 */
export function paginate<T>(
  items: readonly T[],
  query: URLSearchParams,
  list: string,
  filter: string,
): Page<T> {
  const limit = parseLimit(query.get('limit'));
  const pageToken = query.get('page_token');
  const offset = pageToken === null || pageToken === '' ? 0 : decodePageToken(pageToken, list, filter);
  const end = offset + limit;
  return {
    items: items.slice(offset, end),
    nextPageToken: end < items.length ? encodePageToken(list, filter, end) : undefined,
  };
}

/** Builds the list response body, e.g. `{clusters: [...], next_page_token: "..."}`. */
export function pageBody<T>(key: string, page: Page<T>): Record<string, unknown> {
  const body: Record<string, unknown> = { [key]: page.items };
  if (page.nextPageToken !== undefined) {
    body['next_page_token'] = page.nextPageToken;
  }
  return body;
}
