import { GenesysClient, type GenesysClientOptions } from '../../../lambdas/genesys/client';

/** One request the fake fetch received. */
export interface RecordedCall {
  readonly method: string;
  readonly url: URL;
  /** `METHOD /path?query`, for compact assertions. */
  readonly line: string;
  readonly headers: Headers;
  readonly body?: string;
  readonly init: RequestInit;
}

export type Handler = (call: RecordedCall) => Response | Promise<Response>;

export const API_URL = 'https://api.mypurecloud.ie';
export const LOGIN_URL = 'https://login.mypurecloud.ie';

/** A JSON response. */
export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(body === undefined ? null : JSON.stringify(body), { status, headers });
}

/** A Genesys ErrorBody response. */
export function errorBody(status: number, code: string, message: string, extra: object = {}): Response {
  return json(status, { message, code, status, contextId: `ctx-${status}`, ...extra });
}

/** What a failing fetch throws: a TypeError whose `cause` carries the system error code, as undici does. */
export function networkError(code: string, message = `connect ${code}`): TypeError {
  return new TypeError('fetch failed', { cause: Object.assign(new Error(message), { code }) });
}

/**
 * A fake fetch with a recorded call list. Routes are `METHOD /path` (any host, query ignored); each call
 * takes the next handler of its route and the last one repeats. The token endpoint answers a token unless
 * a test routes it. An unrouted call answers 418, which fails the call at once.
 */
export class FakeApi {
  readonly calls: RecordedCall[] = [];
  private readonly routes = new Map<string, Handler[]>();

  constructor() {
    this.on('POST', '/oauth/token', () => json(200, { access_token: 'fake-access-token', expires_in: 3600 }));
  }

  /** Replaces the handlers of a route. A handler may throw (a network error). */
  on(method: string, path: string, ...handlers: Array<Handler | Response>): this {
    this.routes.set(
      `${method} ${path}`,
      handlers.map((h) => (typeof h === 'function' ? h : () => h.clone())),
    );
    return this;
  }

  /** The recorded calls other than token requests, as `METHOD /path?query`. */
  get apiLines(): string[] {
    return this.calls.filter((c) => c.url.pathname !== '/oauth/token').map((c) => c.line);
  }

  readonly fetch: typeof fetch = async (input, init = {}) => {
    const url = new URL(String(input));
    const method = init.method ?? 'GET';
    const call: RecordedCall = {
      method,
      url,
      line: `${method} ${url.pathname}${url.search}`,
      headers: new Headers(init.headers),
      body: typeof init.body === 'string' ? init.body : undefined,
      init,
    };
    this.calls.push(call);
    const handlers = this.routes.get(`${method} ${url.pathname}`);
    if (!handlers || handlers.length === 0) return json(418, { message: `no fake route for ${call.line}` });
    const handler = handlers.length > 1 ? (handlers.shift() as Handler) : (handlers[0] as Handler);
    return handler(call);
  };
}

/** A clock that moves only when slept on; records every sleep. */
export class FakeClock {
  time = 1_000_000;
  readonly sleeps: number[] = [];
  randomValue = 0.5;

  readonly now = (): number => this.time;
  readonly sleep = async (ms: number): Promise<void> => {
    this.sleeps.push(ms);
    this.time += ms;
  };
  readonly random = (): number => this.randomValue;
}

/** A client on the eu-west-1 hosts over `api`'s fetch and `clock`'s time. */
export function fakeClient(
  api: FakeApi,
  clock: FakeClock = new FakeClock(),
  overrides: Partial<GenesysClientOptions> = {},
): GenesysClient {
  return new GenesysClient({
    region: 'eu-west-1',
    credentials: { clientId: 'bootstrap-id', clientSecret: 'bootstrap-secret-value' },
    fetch: api.fetch,
    now: clock.now,
    sleep: clock.sleep,
    random: clock.random,
    ...overrides,
  });
}
