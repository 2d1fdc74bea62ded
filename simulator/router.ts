import type { SimOAuthClient, SimOrg } from './state';

export interface RouteContext {
  readonly org: SimOrg;
  readonly caller: SimOAuthClient;
  readonly params: Record<string, string>;
  readonly query: URLSearchParams;
  readonly body: unknown;
}

export interface RouteResult {
  readonly status: number;
  readonly body?: unknown;
}

export interface Route {
  readonly method: string;
  readonly pattern: RegExp;
  readonly paramNames: string[];
  /** Any one of these permissions allows the call; none: any valid token. */
  readonly permissions: string[];
  readonly handler: (ctx: RouteContext) => RouteResult | Promise<RouteResult>;
  /** The route template, e.g. `/api/v2/oauth/clients/{clientId}`: used by the request log and fault rules. */
  readonly template: string;
}

export class Router {
  readonly routes: Route[] = [];

  add(method: string, template: string, permissions: string[], handler: Route['handler']): void {
    const paramNames: string[] = [];
    const source = template.replace(/\{(\w+)\}/g, (_, name: string) => {
      paramNames.push(name);
      return '([^/]+)';
    });
    this.routes.push({
      method,
      template,
      pattern: new RegExp(`^${source}$`),
      paramNames,
      permissions,
      handler,
    });
  }

  match(
    method: string,
    path: string,
  ): { route: Route; params: Record<string, string> } | 'method-not-allowed' | undefined {
    let pathMatched = false;
    for (const route of this.routes) {
      const found = route.pattern.exec(path);
      if (!found) continue;
      pathMatched = true;
      if (route.method !== method) continue;
      const params = Object.fromEntries(
        route.paramNames.map((name, i) => [name, decodeURIComponent(found[i + 1] ?? '')]),
      );
      return { route, params };
    }
    return pathMatched ? 'method-not-allowed' : undefined;
  }
}

/** How a listing pages. */
export interface PagingOptions {
  /** Page size when the request gives none (or an invalid one). @default 25 */
  readonly defaultPageSize?: number;
  /** @default 500 */
  readonly maxPageSize?: number;
  /** Whether the listing carries `firstUri`/`lastUri`/`nextUri`/`previousUri`. @default true */
  readonly navigation?: boolean;
}

/**
 * Entity listing with numbered paging, in the documented shape (`{entities, pageSize, pageNumber, total,
 * pageCount, firstUri, lastUri, nextUri, previousUri, selfUri}`; `nextUri` only when there is a next page).
 * `pageSize`/`pageNumber` come from the query.
 */
export function pagedListing<T>(
  items: T[],
  query: URLSearchParams,
  path: string,
  options: PagingOptions = {},
) {
  const pageSize = clampInt(
    query.get('pageSize'),
    options.defaultPageSize ?? 25,
    1,
    options.maxPageSize ?? 500,
  );
  const pageNumber = clampInt(query.get('pageNumber'), 1, 1, Number.MAX_SAFE_INTEGER);
  const total = items.length;
  const pageCount = Math.max(1, Math.ceil(total / pageSize));
  const entities = items.slice((pageNumber - 1) * pageSize, pageNumber * pageSize);
  const uri = (n: number) => {
    const q = new URLSearchParams(query);
    q.set('pageSize', String(pageSize));
    q.set('pageNumber', String(n));
    return `${path}?${q.toString()}`;
  };
  const navigation = options.navigation ?? true;
  return {
    entities,
    pageSize,
    pageNumber,
    total,
    pageCount,
    ...(navigation ? { firstUri: uri(1), lastUri: uri(pageCount) } : {}),
    selfUri: uri(pageNumber),
    ...(navigation && pageNumber < pageCount ? { nextUri: uri(pageNumber + 1) } : {}),
    ...(navigation && pageNumber > 1 ? { previousUri: uri(pageNumber - 1) } : {}),
  };
}

function clampInt(raw: string | null, fallback: number, min: number, max: number): number {
  if (raw === null || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) return fallback;
  return value;
}
