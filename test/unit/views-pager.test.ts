import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Page } from '../../src/api/models';
import { Pager } from '../../src/views/model/pager';

/** A fetcher over `pages` keyed by the token that requests them ('' for the first). */
function fetcherOf(pages: Record<string, Page<number> | Error>) {
  const tokens: (string | undefined)[] = [];
  const fetch = async (token: string | undefined): Promise<Page<number>> => {
    tokens.push(token);
    const page = pages[token ?? ''];
    if (page === undefined) {
      throw new Error(`no page for ${token}`);
    }
    if (page instanceof Error) {
      throw page;
    }
    return page;
  };
  return { tokens, fetch };
}

describe('Pager', () => {
  test('first page resolves alone', async () => {
    const source = fetcherOf({ '': { items: [1, 2], next_page_token: 't2' }, t2: { items: [3] } });
    const pager = new Pager(source.fetch, String);

    const first = await pager.loadNext();

    assert.deepEqual(first, [1, 2]);
    assert.equal(pager.hasMore, true);
    assert.deepEqual(source.tokens, [undefined]);
  });

  test('load more uses the kept token', async () => {
    const source = fetcherOf({ '': { items: [1, 2], next_page_token: 't2' }, t2: { items: [3] } });
    const pager = new Pager(source.fetch, String);
    await pager.loadNext();

    await pager.loadNext();

    assert.deepEqual(pager.items, [1, 2, 3]);
    assert.equal(pager.hasMore, false);
    assert.deepEqual(source.tokens, [undefined, 't2']);
  });

  test('concurrent loads share a request', async () => {
    const source = fetcherOf({ '': { items: [1] } });
    const pager = new Pager(source.fetch, String);

    await Promise.all([pager.loadNext(), pager.loadNext()]);

    assert.equal(source.tokens.length, 1);
  });

  test('failed load more keeps items and retries same page', async () => {
    const pages: Record<string, Page<number> | Error> = {
      '': { items: [1], next_page_token: 't2' },
      t2: new Error('503'),
    };
    const source = fetcherOf(pages);
    const pager = new Pager(source.fetch, String);
    await pager.loadNext();

    await assert.rejects(pager.loadNext(), /503/);
    assert.equal(pager.status, 'failed');
    assert.deepEqual(pager.items, [1]);

    pages['t2'] = { items: [2] };
    await pager.loadNext();
    assert.deepEqual(pager.items, [1, 2]);
    assert.deepEqual(source.tokens, [undefined, 't2', 't2']);
  });

  test('repeated token ends the list', async () => {
    const source = fetcherOf({ '': { items: [1], next_page_token: 'a' }, a: { items: [2], next_page_token: 'a' } });
    const pager = new Pager(source.fetch, String);

    await pager.loadNext();
    await pager.loadNext();

    assert.equal(pager.hasMore, false);
  });

  test('dispose aborts and stops loading', async () => {
    let seen: AbortSignal | undefined;
    const pager = new Pager<number>((_token, signal) => {
      seen = signal;
      return new Promise(() => undefined);
    }, String);
    void pager.loadNext();

    pager.dispose();

    assert.equal(seen?.aborted, true);
    assert.equal(pager.hasMore, false);
  });

  test('replace and add edit loaded items', async () => {
    const pager = new Pager(fetcherOf({ '': { items: [1, 2] } }).fetch, String);
    await pager.loadNext();

    assert.equal(pager.replace((item) => item === 2, 20), true);
    pager.add(0, 'start');
    pager.add(3, 'end');

    assert.deepEqual(pager.items, [0, 1, 20, 3]);
    assert.equal(pager.replace((item) => item === 99, 1), false);
  });

  test('item on two pages is kept once', async () => {
    interface Row {
      readonly id: string;
      readonly state: string;
    }
    const pages: Record<string, Page<Row>> = {
      '': { items: [{ id: 'a', state: 'old' }, { id: 'b', state: 'old' }], next_page_token: 't2' },
      t2: { items: [{ id: 'b', state: 'new' }, { id: 'c', state: 'new' }, { id: 'c', state: 'newest' }] },
    };
    const pager = new Pager<Row>(async (token) => pages[token ?? '']!, (row) => row.id);
    await pager.loadNext();

    const added = await pager.loadNext();

    assert.deepEqual(pager.items.map((row) => row.id), ['a', 'b', 'c']);
    assert.equal(pager.items[1]?.state, 'new');
    assert.equal(pager.items[2]?.state, 'newest');
    assert.deepEqual(added, [{ id: 'c', state: 'newest' }]);
  });

  test('add of a loaded item replaces it', async () => {
    const pager = new Pager(fetcherOf({ '': { items: [1, 2] } }).fetch, String);
    await pager.loadNext();

    pager.add(2, 'start');

    assert.deepEqual(pager.items, [1, 2]);
  });
});
