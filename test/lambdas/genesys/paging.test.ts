import { GenesysApiError } from '../../../lambdas/genesys/errors';
import {
  collectCursorPages,
  collectNumberedPages,
  MAX_PAGES,
  type NumberedPage,
} from '../../../lambdas/genesys/paging';
import type { ApiCall } from '../../../lambdas/genesys/transport';

type Item = { id: string };
const items = (...ids: string[]): Item[] => ids.map((id) => ({ id }));

/** A fake `call` that answers pages in order and records each call. */
function pagesApi(...pages: Array<NumberedPage<Item> | undefined>) {
  const calls: ApiCall[] = [];
  return {
    calls,
    call: async <T>(call: ApiCall): Promise<T> => {
      calls.push(call);
      if (pages.length === 0) throw new Error(`unexpected call ${call.path}`);
      return pages.shift() as T;
    },
  };
}

async function incompleteError(promise: Promise<unknown>): Promise<GenesysApiError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(GenesysApiError);
  return error as GenesysApiError;
}

describe('collectNumberedPages', () => {
  it('takes one page that holds everything, sending no paging parameters when told to', async () => {
    const api = pagesApi({ entities: items('a', 'b'), pageSize: 25, pageNumber: 1, total: 2, pageCount: 1 });
    expect(await collectNumberedPages(api, { path: '/x' })).toEqual(items('a', 'b'));
    expect(api.calls).toEqual([{ method: 'GET', path: '/x', query: undefined }]);
  });

  it('takes a bare listing without paging fields as complete', async () => {
    const api = pagesApi({ entities: items('a') });
    expect(await collectNumberedPages(api, { path: '/x' })).toEqual(items('a'));
    expect(api.calls).toHaveLength(1);
  });

  it('follows nextUri as given', async () => {
    const api = pagesApi(
      { entities: items('a', 'b'), pageNumber: 1, pageSize: 2, pageCount: 2, nextUri: '/x?pageNumber=2&z=1' },
      { entities: items('c'), pageNumber: 2, pageSize: 2, pageCount: 2 },
    );
    const all = await collectNumberedPages(api, { path: '/x', query: { f: 'v' }, pageSize: 2 });
    expect(all).toEqual(items('a', 'b', 'c'));
    expect(api.calls).toEqual([
      { method: 'GET', path: '/x', query: { f: 'v', pageNumber: 1, pageSize: 2 } },
      { method: 'GET', path: '/x?pageNumber=2&z=1' },
    ]);
  });

  it('asks for the next pageNumber with the page size of the page when there is a pageCount but no nextUri', async () => {
    const api = pagesApi(
      { entities: items('a', 'b'), pageNumber: 1, pageSize: 2, pageCount: 3 },
      { entities: items('c', 'd'), pageNumber: 2, pageSize: 2, pageCount: 3 },
      { entities: items('e'), pageNumber: 3, pageSize: 2, pageCount: 3 },
    );
    expect(await collectNumberedPages(api, { path: '/x', query: { f: 'v' } })).toEqual(
      items('a', 'b', 'c', 'd', 'e'),
    );
    expect(api.calls.map((c) => c.query)).toEqual([
      { f: 'v' },
      { f: 'v', pageNumber: 2, pageSize: 2 },
      { f: 'v', pageNumber: 3, pageSize: 2 },
    ]);
  });

  it('keeps asking while fewer than total were seen', async () => {
    const api = pagesApi(
      { entities: items('a', 'b'), pageSize: 2, total: 3 },
      { entities: items('c'), pageSize: 2, total: 3 },
    );
    expect(await collectNumberedPages(api, { path: '/x', pageSize: 2 })).toEqual(items('a', 'b', 'c'));
  });

  it('stops once it has seen total entities, whatever pageCount and nextUri say', async () => {
    const api = pagesApi({
      entities: items('a', 'b', 'c'),
      pageSize: 2,
      pageNumber: 1,
      pageCount: 2,
      total: 3,
      nextUri: '/x?pageNumber=2',
    });
    expect(await collectNumberedPages(api, { path: '/x' })).toEqual(items('a', 'b', 'c'));
    expect(api.calls).toHaveLength(1);
  });

  it('keeps asking while pages come back full, until an empty page', async () => {
    const api = pagesApi({ entities: items('a', 'b'), pageSize: 2 }, { entities: [], pageSize: 2 });
    expect(await collectNumberedPages(api, { path: '/x', pageSize: 2 })).toEqual(items('a', 'b'));
    expect(api.calls[1]?.query).toEqual({ pageNumber: 2, pageSize: 2 });
  });

  it('stops on an empty page even when pageCount promises more', async () => {
    const api = pagesApi(
      { entities: items('a'), pageNumber: 1, pageCount: 5 },
      { entities: [], pageNumber: 2 },
    );
    expect(await collectNumberedPages(api, { path: '/x', pageSize: 1 })).toEqual(items('a'));
    expect(api.calls).toHaveLength(2);
  });

  it('treats an empty body as an empty listing', async () => {
    expect(await collectNumberedPages(pagesApi(undefined), { path: '/x' })).toEqual([]);
  });

  it('keeps an entity seen twice (a listing that shifted) once', async () => {
    const api = pagesApi(
      { entities: items('a', 'b'), pageNumber: 1, pageCount: 2 },
      { entities: items('b', 'c'), pageNumber: 2, pageCount: 2 },
    );
    expect(await collectNumberedPages(api, { path: '/x', pageSize: 2 })).toEqual(items('a', 'b', 'c'));
  });

  it('stops at the first page holding what stopWhen looks for', async () => {
    const api = pagesApi(
      { entities: items('a', 'b'), pageNumber: 1, pageCount: 3 },
      { entities: items('c', 'd'), pageNumber: 2, pageCount: 3 },
    );
    const all = await collectNumberedPages<Item>(api, { path: '/x', pageSize: 2 }, (e) => e.id === 'c');
    expect(all).toEqual(items('a', 'b', 'c', 'd'));
    expect(api.calls).toHaveLength(2);
  });

  it('refuses a server that answers page 1 again when asked for page 2', async () => {
    const api = pagesApi(
      { entities: items('a', 'b'), pageNumber: 1, pageSize: 2, pageCount: 2 },
      { entities: items('a', 'b'), pageNumber: 1, pageSize: 2, pageCount: 2 },
    );
    const error = await incompleteError(collectNumberedPages(api, { path: '/api/v2/oauth/clients' }));
    expect(error).toMatchObject({ kind: 'transient', code: 'incomplete.listing', status: 200 });
    expect(error.message).toBe(
      'Genesys GET /api/v2/oauth/clients failed (HTTP 200 incomplete.listing): the listing cannot be read completely (asked for page 2, the server answered page 1: it ignores the page parameter); refusing to use a partial view',
    );
  });

  it('refuses a server that answers the same entities again without a pageNumber', async () => {
    const api = pagesApi(
      { entities: items('a', 'b'), pageCount: 2 },
      { entities: items('a', 'b'), pageCount: 2 },
    );
    const error = await incompleteError(collectNumberedPages(api, { path: '/x' }));
    expect(error.message).toContain(
      'page 2 repeats the entities of the page before: the server ignores the page parameter',
    );
  });

  it('refuses a nextUri that leads back to the same page', async () => {
    const api = pagesApi(
      { entities: items('a'), pageNumber: 1, nextUri: '/x?pageNumber=1' },
      { entities: items('a'), pageNumber: 1, nextUri: '/x?pageNumber=1' },
    );
    const error = await incompleteError(collectNumberedPages(api, { path: '/x' }));
    expect(error.message).toContain('asked for page 2, the server answered page 1');
  });

  it(`fails instead of returning a partial list after ${MAX_PAGES} pages`, async () => {
    let n = 0;
    const api = {
      call: async <T>(): Promise<T> => {
        n++;
        return { entities: items(`e${n}`), nextUri: '/x?more' } as T;
      },
    };
    const error = await incompleteError(collectNumberedPages(api, { path: '/x' }));
    expect(error.message).toContain(`more than ${MAX_PAGES} pages`);
    expect(n).toBe(MAX_PAGES);
  });
});

describe('collectNumberedPages, when to ask for more', () => {
  it('stops on an empty page even when it promises more pages', async () => {
    const api = pagesApi(
      { entities: items('a'), pageNumber: 1, pageCount: 5 },
      { entities: [], pageNumber: 2, pageCount: 5 },
    );
    expect(await collectNumberedPages(api, { path: '/x', pageSize: 1 })).toEqual(items('a'));
    expect(api.calls).toHaveLength(2);
  });

  it('keeps asking while fewer than total were seen, with no page size or count', async () => {
    const api = pagesApi({ entities: items('a', 'b'), total: 3 }, { entities: items('c'), total: 3 });
    expect(await collectNumberedPages(api, { path: '/x' })).toEqual(items('a', 'b', 'c'));
    expect(api.calls).toHaveLength(2);
  });

  it('stops at a page with fewer entities than its page size, with no count', async () => {
    const api = pagesApi({ entities: items('a'), pageSize: 2 });
    expect(await collectNumberedPages(api, { path: '/x', pageSize: 2 })).toEqual(items('a'));
    expect(api.calls).toHaveLength(1);
  });

  it('takes a page of entities without ids that looks like the one before as a new page', async () => {
    const api = pagesApi(
      { entities: [{ name: 'n1' }, { name: 'n2' }] as unknown as Item[], pageNumber: 1, pageCount: 2 },
      { entities: [{ name: 'n3' }, { name: 'n4' }] as unknown as Item[], pageNumber: 2, pageCount: 2 },
    );
    expect(await collectNumberedPages(api, { path: '/x', pageSize: 2 })).toHaveLength(4);
  });

  it('takes a page that repeats only the ids of the one before, beside entities without ids, as a new page', async () => {
    const api = pagesApi(
      { entities: [{ id: 'a' }, { name: 'n1' }] as unknown as Item[], pageNumber: 1, pageCount: 2 },
      { entities: [{ id: 'a' }, { name: 'n2' }] as unknown as Item[], pageNumber: 2, pageCount: 2 },
    );
    expect(await collectNumberedPages(api, { path: '/x', pageSize: 2 })).toEqual([
      { id: 'a' },
      { name: 'n1' },
      { name: 'n2' },
    ]);
  });
});

describe('collectCursorPages', () => {
  function cursorApi(...pages: Array<Item[] | undefined>) {
    const afters: Array<string | undefined> = [];
    return {
      afters,
      fetchPage: async (after: string | undefined) => {
        afters.push(after);
        const page = pages.shift();
        // A page without nextUri, to show that only an empty page ends the listing.
        return page === undefined ? undefined : { entities: page };
      },
    };
  }

  it('passes the last id as `after` and stops on an empty page, not on a missing nextUri', async () => {
    const api = cursorApi(items('a', 'b'), items('c'), []);
    expect(await collectCursorPages('/c/listing', api.fetchPage)).toEqual(items('a', 'b', 'c'));
    expect(api.afters).toEqual([undefined, 'b', 'c']);
  });

  it('stops on an empty body', async () => {
    const api = cursorApi(items('a'), undefined);
    expect(await collectCursorPages('/c/listing', api.fetchPage)).toEqual(items('a'));
  });

  it('refuses a server that ignores the cursor', async () => {
    const api = cursorApi(items('a', 'b'), items('b', 'a'));
    const error = await incompleteError(collectCursorPages('/c/listing', api.fetchPage));
    expect(error.message).toContain('the page after b repeats entities already seen');
  });

  it('refuses a page whose last entity has no id', async () => {
    const api = cursorApi([{ id: 'a' }, {} as Item]);
    const error = await incompleteError(collectCursorPages('/c/listing', api.fetchPage));
    expect(error.message).toContain('an entity of page 1 has no id to continue after');
  });

  it(`fails at page ${MAX_PAGES} when it holds entities, before asking for one more`, async () => {
    let n = 0;
    const fetchPage = async () => ({ entities: n < MAX_PAGES ? items(`e${++n}`) : [] });
    const error = await incompleteError(collectCursorPages('/c/listing', fetchPage));
    expect(error.message).toContain(`more than ${MAX_PAGES} pages`);
    expect(n).toBe(MAX_PAGES);
  });

  it('names the listing in its error', async () => {
    const api = cursorApi(items('a'), items('a'));
    const error = await incompleteError(collectCursorPages('/c/listing', api.fetchPage));
    expect(error).toMatchObject({ method: 'GET', path: '/c/listing', code: 'incomplete.listing' });
  });

  it(`fails after ${MAX_PAGES} pages`, async () => {
    let n = 0;
    const fetchPage = async () => ({ entities: items(`e${++n}`) });
    const error = await incompleteError(collectCursorPages('/c/listing', fetchPage));
    expect(error.message).toContain(`more than ${MAX_PAGES} pages`);
  });
});
