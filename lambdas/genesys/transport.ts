import type { ClientCredentialsTokenProvider } from './auth';
import { type Clock, type RetryWindow, retryWithin } from './clock';
import { GenesysApiError, isGenesysError } from './errors';
import type { HttpPipeline, HttpRequest } from './http';

/**
 * Read-after-create consistency, per call. Right after a create, Genesys may answer 404 for a while: TF
 * wraps reads after a create in `WithRetriesForRead`, which retries 404s (TF `util/util_retries.go`;
 * genesys-cloud-api.md §9, §14).
 */
export interface ConsistencyOptions {
  /**
   * For a resource created in this run or an id known to exist: keep retrying a 404 for up to this many ms
   * (exponential backoff from 200 ms up to 2 s, equal jitter). After the window the 404 stands (a
   * `not-found` error, or `undefined` from a `find`). @default 0 (a 404 is final at once)
   */
  readonly retryNotFoundMs?: number;
}

export interface ApiCall extends ConsistencyOptions {
  readonly method: HttpRequest['method'];
  /**
   * A path from the API base URL (build it with `apiPath`), or a listing's `nextUri`: relative, followed as
   * given, or absolute on the API's own origin.
   */
  readonly path: string;
  readonly query?: HttpRequest['query'];
  readonly body?: unknown;
}

const NOT_FOUND_RETRY: Omit<RetryWindow, 'windowMs'> = {
  baseDelayMs: 200,
  maxDelayMs: 2_000,
  maxAttempts: 50,
  jitter: 'equal',
};

/** Authenticated JSON calls to the Platform API: bearer token, one re-authentication on 401. */
export class ApiTransport {
  constructor(
    private readonly apiUrl: string,
    private readonly tokens: ClientCredentialsTokenProvider,
    private readonly http: HttpPipeline,
  ) {}

  /** The clock of the pipeline: waits and deadlines of the API classes use it too. */
  get clock(): Clock {
    return this.http.clock;
  }

  /**
   * Sends one call and parses the JSON answer (undefined for an empty body). Rejects with a GenesysApiError;
   * see `ConsistencyOptions` for 404s.
   */
  call<T>(call: ApiCall): Promise<T> {
    const windowMs = call.retryNotFoundMs ?? 0;
    if (windowMs <= 0) return this.callOnce(call);
    return retryWithin(
      this.clock,
      { ...NOT_FOUND_RETRY, windowMs },
      (error) => isGenesysError(error, 'not-found'),
      () => this.callOnce<T>(call),
    );
  }

  private async callOnce<T>(call: ApiCall): Promise<T> {
    const path = this.relativePath(call);
    for (let authAttempt = 1; ; authAttempt++) {
      const token = await this.tokens.getToken();
      try {
        const response = await this.http.send({
          method: call.method,
          baseUrl: this.apiUrl,
          path,
          query: call.query,
          headers: {
            Authorization: `Bearer ${token}`,
            Accept: 'application/json',
            ...(call.body === undefined ? {} : { 'Content-Type': 'application/json' }),
          },
          body: call.body === undefined ? undefined : JSON.stringify(call.body),
          idempotent: call.method !== 'POST',
        });
        return parseJson<T>(response.text, call.method, path);
      } catch (error) {
        // An expired or revoked token: mint a new one once, then give up.
        if (error instanceof GenesysApiError && error.status === 401 && authAttempt === 1) {
          this.tokens.invalidate(token);
          continue;
        }
        throw error;
      }
    }
  }

  /**
   * The call's path, relative to the API base URL. An absolute URL (a `nextUri` some listings may give)
   * is accepted only on the API's own origin: the bearer token goes nowhere else.
   */
  private relativePath(call: ApiCall): string {
    if (call.path.startsWith('/') && !call.path.startsWith('//')) return call.path;
    const target = URL.canParse(call.path) ? new URL(call.path) : undefined;
    if (target && target.origin === new URL(this.apiUrl).origin) return target.pathname + target.search;
    throw new GenesysApiError({
      kind: 'bad-request',
      status: 0,
      method: call.method,
      path: target ? target.pathname : call.path,
      code: 'foreign.uri',
      genesysMessage: `refusing to send the token to ${target ? target.host : 'a path that does not start with /'}, which is not the API host`,
    });
  }
}

function parseJson<T>(text: string, method: string, path: string): T {
  if (text.trim() === '') return undefined as T;
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new GenesysApiError({
      kind: 'transient',
      status: 200,
      method,
      path: path.split('?')[0] as string,
      code: 'invalid.response',
      genesysMessage: 'the response is not JSON',
    });
  }
}
