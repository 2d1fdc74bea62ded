import type { ClientCredentialsTokenProvider } from './auth';
import { GenesysApiError } from './errors';
import type { HttpPipeline, HttpRequest } from './http';

export interface ApiCall {
  readonly method: HttpRequest['method'];
  readonly path: string;
  readonly query?: HttpRequest['query'];
  readonly body?: unknown;
}

/** Authenticated JSON calls to the Platform API: bearer token, one re-authentication on 401. */
export class ApiTransport {
  constructor(
    private readonly apiUrl: string,
    private readonly tokens: ClientCredentialsTokenProvider,
    private readonly http: HttpPipeline,
  ) {}

  async call<T>(call: ApiCall): Promise<T> {
    for (let authAttempt = 1; ; authAttempt++) {
      const token = await this.tokens.getToken();
      try {
        const response = await this.http.send({
          method: call.method,
          baseUrl: this.apiUrl,
          path: call.path,
          query: call.query,
          headers: {
            Authorization: `Bearer ${token}`,
            Accept: 'application/json',
            ...(call.body === undefined ? {} : { 'Content-Type': 'application/json' }),
          },
          body: call.body === undefined ? undefined : JSON.stringify(call.body),
          idempotent: call.method !== 'POST',
        });
        return parseJson<T>(response.text, call);
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
}

function parseJson<T>(text: string, call: ApiCall): T {
  if (text.trim() === '') return undefined as T;
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new GenesysApiError({
      kind: 'transient',
      status: 200,
      method: call.method,
      path: call.path,
      code: 'invalid.response',
      genesysMessage: 'the response is not JSON',
    });
  }
}
