import { type ClientCredentials, ClientCredentialsTokenProvider, type TokenCache } from './auth';
import { AuthorizationApi } from './authorization';
import { systemClock } from './clock';
import { CredentialsApi } from './credentials';
import { type HttpEvent, HttpPipeline, type RetryPolicy } from './http';
import { IntegrationsApi } from './integrations';
import { OAuthClientsApi } from './oauth-clients';
import { OrganizationApi } from './organization';
import { Redactor } from './redactor';
import { type EndpointOptions, resolveEndpoints } from './regions';
import { ApiTransport } from './transport';

export interface GenesysClientOptions extends EndpointOptions {
  readonly credentials: ClientCredentials;
  readonly retry?: Partial<RetryPolicy>;
  /** Called for every attempt and every retry: counts calls, retries and waits for metrics and benchmarks. */
  readonly onEvent?: (event: HttpEvent) => void;
  /** @default globalThis.fetch */
  readonly fetch?: typeof fetch;
  /** Every wait of the client (retries, 404 windows, polls). @default setTimeout */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Jitter source, in [0, 1). @default Math.random */
  readonly random?: () => number;
  /** Milliseconds since the epoch, for deadlines and token refresh; inject with `sleep`. @default Date.now */
  readonly now?: () => number;
  /** Where its access tokens are kept. @default the process's cache (`PROCESS_TOKEN_CACHE`) */
  readonly tokenCache?: TokenCache;
}

/**
 * The Genesys Cloud Platform API, the parts this project uses, over native fetch.
 * Throws UnknownRegionError or EndpointPolicyError (see `resolveEndpoints`) for a region or URLs it refuses.
 */
export class GenesysClient {
  readonly tokens: ClientCredentialsTokenProvider;
  readonly organization: OrganizationApi;
  readonly authorization: AuthorizationApi;
  readonly oauthClients: OAuthClientsApi;
  readonly integrations: IntegrationsApi;
  readonly credentials: CredentialsApi;

  constructor(options: GenesysClientOptions) {
    const endpoints = resolveEndpoints(options);
    const redactor = new Redactor();
    const http = new HttpPipeline({
      retry: options.retry,
      onEvent: options.onEvent,
      fetch: options.fetch,
      clock: {
        now: options.now ?? systemClock.now,
        sleep: options.sleep ?? systemClock.sleep,
        random: options.random ?? systemClock.random,
      },
      redactor,
    });
    this.tokens = new ClientCredentialsTokenProvider(
      endpoints.loginUrl,
      options.credentials,
      http,
      options.tokenCache,
    );
    const api = new ApiTransport(endpoints.apiUrl, this.tokens, http);
    this.organization = new OrganizationApi(api);
    this.authorization = new AuthorizationApi(api);
    this.oauthClients = new OAuthClientsApi(api, redactor);
    this.integrations = new IntegrationsApi(api);
    this.credentials = new CredentialsApi(api, redactor);
  }
}
