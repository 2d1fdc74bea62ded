import { GenesysApiError } from './errors';
import type { ApiCall, ApiTransport } from './transport';

/** Enough for any org; a server that pages forever fails the listing instead of looping. */
export const MAX_PAGES = 1000;

/** The paging fields of a Genesys entity listing (`*EntityListing` in the SDK models). */
export interface NumberedPage<T> {
  entities?: T[];
  pageSize?: number;
  pageNumber?: number;
  pageCount?: number;
  total?: number;
  nextUri?: string;
}

export interface NumberedListing {
  /** e.g. `/api/v2/authorization/roles`. */
  readonly path: string;
  /** Filters sent with every page requested by number (not with a `nextUri`, which carries its own). */
  readonly query?: ApiCall['query'];
  /**
   * Page size asked for with the first page. Absent: the first request carries no paging parameters at all
   * (`GET /api/v2/oauth/clients` documents none: JS-SDK `OAuthApi.md`).
   */
  readonly pageSize?: number;
}

type Entity = { id?: string };

/**
 * Every entity of a numbered listing, never a partial view (genesys-cloud-api.md §2, §4, §14):
 * - a page with a `nextUri` is followed by requesting that URI as given (the Genesys wizard pages this way);
 * - else, while `pageNumber < pageCount`, the next `pageNumber` is requested with the page's own `pageSize`
 *   (TF `getAllOauthClientsFn` loops on `pageCount`); without `pageCount`, while fewer than `total`
 *   entities were seen, or while pages come back full (`entities.length >= pageSize`);
 * - an empty page ends the listing (TF stops there), and so does having seen `total` entities (a server
 *   that reports pages but sends every entity at once).
 * Entities seen twice (a listing that shifts while it is read) are kept once, by id.
 * `stopWhen` ends the walk early at the first page holding a matching entity.
 * Throws a GenesysApiError (`transient`, code `incomplete.listing`) when the server ignores the page asked
 * for (answers another `pageNumber`, or the same entities again): returning what was seen would let a caller
 * conclude "absent" from a partial view. Same after MAX_PAGES pages.
 */
export async function collectNumberedPages<T extends Entity>(
  api: Pick<ApiTransport, 'call'>,
  listing: NumberedListing,
  stopWhen?: (entity: T) => boolean,
): Promise<T[]> {
  const collected = new Collector<T>('GET', listing.path);
  let call: ApiCall = {
    method: 'GET',
    path: listing.path,
    query:
      listing.pageSize === undefined
        ? listing.query
        : { ...listing.query, pageNumber: 1, pageSize: listing.pageSize },
  };
  let expectedPage = 1;
  for (let pages = 1; ; pages++) {
    const page = (await api.call<NumberedPage<T> | undefined>(call)) ?? {};
    const entities = page.entities ?? [];
    if (page.pageNumber !== undefined && page.pageNumber !== expectedPage) {
      throw collected.incomplete(
        `asked for page ${expectedPage}, the server answered page ${page.pageNumber}: it ignores the page parameter`,
      );
    }
    collected.add(entities, expectedPage);
    if (entities.length === 0 || (stopWhen && entities.some(stopWhen))) break;
    const pageNumber = page.pageNumber ?? expectedPage;
    let more: boolean;
    // As many as the server counts: a listing that reports pages but sent everything at once is complete.
    if (page.total !== undefined && collected.size >= page.total) more = false;
    else if (page.nextUri) more = true;
    else if (page.pageCount !== undefined) more = pageNumber < page.pageCount;
    else if (page.total !== undefined)
      more = true; // fewer than total seen so far
    else more = page.pageSize !== undefined && entities.length >= page.pageSize;
    if (!more) break;
    if (pages >= MAX_PAGES) throw collected.incomplete(`more than ${MAX_PAGES} pages`);
    expectedPage = pageNumber + 1;
    call = page.nextUri
      ? { method: 'GET', path: page.nextUri }
      : {
          method: 'GET',
          path: listing.path,
          query: {
            ...listing.query,
            pageNumber: expectedPage,
            pageSize: page.pageSize ?? listing.pageSize ?? entities.length,
          },
        };
  }
  return collected.entities;
}

/**
 * Every entity of a cursor listing (`GET /api/v2/integrations/credentials/listing`): `after` = the last
 * entity's id, until an empty page, as TF does; a missing `nextUri` does not end it (genesys-cloud-api.md §5).
 * Throws a GenesysApiError (`transient`, code `incomplete.listing`) when a page brings nothing new (the
 * server ignores `after`) or after MAX_PAGES pages.
 */
export async function collectCursorPages<T extends Entity>(
  path: string,
  fetchPage: (after: string | undefined) => Promise<{ entities?: T[] } | undefined>,
): Promise<T[]> {
  const collected = new Collector<T>('GET', path);
  let after: string | undefined;
  for (let pages = 1; ; pages++) {
    const entities = (await fetchPage(after))?.entities ?? [];
    if (entities.length === 0) break;
    if (collected.add(entities, pages) === 0) {
      throw collected.incomplete(
        `the page after ${after} repeats entities already seen: the server ignores the "after" cursor`,
      );
    }
    const last = entities.at(-1)?.id;
    if (!last) throw collected.incomplete(`an entity of page ${pages} has no id to continue after`);
    if (pages >= MAX_PAGES) throw collected.incomplete(`more than ${MAX_PAGES} pages`);
    after = last;
  }
  return collected.entities;
}

/** The entities seen so far, each id once, and the error that refuses a partial listing. */
class Collector<T extends Entity> {
  readonly entities: T[] = [];
  private readonly ids = new Set<string>();
  private previousPage?: string;

  constructor(
    private readonly method: string,
    private readonly path: string,
  ) {}

  get size(): number {
    return this.entities.length;
  }

  /** Adds a page; returns how many of its entities were new. Throws when it repeats the previous page. */
  add(page: readonly T[], pageNumber: number): number {
    const key = JSON.stringify(page.map((entity) => entity.id ?? null));
    if (page.length > 0 && page.every((entity) => entity.id !== undefined) && key === this.previousPage) {
      throw this.incomplete(
        `page ${pageNumber} repeats the entities of the page before: the server ignores the page parameter`,
      );
    }
    this.previousPage = key;
    let added = 0;
    for (const entity of page) {
      if (entity.id !== undefined) {
        if (this.ids.has(entity.id)) continue;
        this.ids.add(entity.id);
      }
      this.entities.push(entity);
      added++;
    }
    return added;
  }

  incomplete(problem: string): GenesysApiError {
    return new GenesysApiError({
      kind: 'transient',
      status: 200,
      method: this.method,
      path: this.path,
      code: 'incomplete.listing',
      genesysMessage: `the listing cannot be read completely (${problem}); refusing to use a partial view`,
    });
  }
}
