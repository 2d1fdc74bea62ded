import { type ClientCredentials, ClientCredentialsTokenProvider } from './auth';
import { AuthorizationApi } from './authorization';
import { CredentialsApi } from './credentials';
import { type HttpEvent, HttpPipeline, type RetryPolicy } from './http';
import { IntegrationsApi } from './integrations';
import { OAuthClientsApi } from './oauth-clients';
import { OrganizationApi } from './organization';
import { Redactor } from './redactor';
import { type EndpointOptions, type GenesysEndpoints, resolveEndpoints } from './regions';
import { ApiTransport } from './transport';

export interface GenesysClientOptions extends EndpointOptions {
  readonly credentials: ClientCredentials;
  readonly retry?: Partial<RetryPolicy>;
  /** Called for every attempt and every retry: counts calls, retries and waits for metrics and benchmarks. */
  readonly onEvent?: (event: HttpEvent) => void;
  readonly fetch?: typeof fetch;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
}

/** The Genesys Cloud Platform API, the parts this project uses, over native fetch. */
export class GenesysClient {
  readonly endpoints: GenesysEndpoints;
  readonly tokens: ClientCredentialsTokenProvider;
  readonly organization: OrganizationApi;
  readonly authorization: AuthorizationApi;
  readonly oauthClients: OAuthClientsApi;
  readonly integrations: IntegrationsApi;
  readonly credentials: CredentialsApi;
  /** Blanks every secret this client has seen out of a text. */
  readonly redactor: Redactor;

  constructor(options: GenesysClientOptions) {
    this.endpoints = resolveEndpoints(options);
    this.redactor = new Redactor();
    const http = new HttpPipeline({
      retry: options.retry,
      onEvent: options.onEvent,
      fetch: options.fetch,
      sleep: options.sleep,
      random: options.random,
      redactor: this.redactor,
    });
    this.tokens = new ClientCredentialsTokenProvider(this.endpoints.loginUrl, options.credentials, http);
    const api = new ApiTransport(this.endpoints.apiUrl, this.tokens, http);
    this.organization = new OrganizationApi(api);
    this.authorization = new AuthorizationApi(api);
    this.oauthClients = new OAuthClientsApi(api, this.redactor);
    this.integrations = new IntegrationsApi(api);
    this.credentials = new CredentialsApi(api, this.redactor);
  }
}
