/** Enough for any org; stops a server that always answers `nextUri` from looping forever. */
export const MAX_PAGES = 1000;

interface NumberedPage<T> {
  entities?: T[];
  pageNumber?: number;
  pageCount?: number;
  nextUri?: string;
}

/**
 * Walks `pageNumber` paging until a page is empty, the last page is reached, or no `nextUri` is given
 * (TF stops on an empty page, the Genesys wizard while `nextUri` is set: both end here).
 */
export async function collectNumberedPages<T>(
  fetchPage: (pageNumber: number) => Promise<NumberedPage<T>>,
  stopWhen?: (entity: T) => boolean,
): Promise<T[]> {
  const all: T[] = [];
  for (let pageNumber = 1; pageNumber <= MAX_PAGES; pageNumber++) {
    const page = await fetchPage(pageNumber);
    const entities = page.entities ?? [];
    all.push(...entities);
    if (stopWhen && entities.some(stopWhen)) break;
    const lastByCount = page.pageCount !== undefined && pageNumber >= page.pageCount;
    if (entities.length === 0 || lastByCount || !page.nextUri) break;
  }
  return all;
}

/** Cursor paging (`after` = last entity's id, as TF does for credentials/listing) until an empty page. */
export async function collectCursorPages<T extends { id?: string }>(
  fetchPage: (after: string | undefined) => Promise<{ entities?: T[]; nextUri?: string }>,
): Promise<T[]> {
  const all: T[] = [];
  let after: string | undefined;
  for (let page = 1; page <= MAX_PAGES; page++) {
    const { entities = [], nextUri } = await fetchPage(after);
    all.push(...entities);
    const last = entities.at(-1)?.id;
    if (entities.length === 0 || !nextUri || !last) break;
    after = last;
  }
  return all;
}
