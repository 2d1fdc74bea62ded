import type {
  CreateIntegrationRequest,
  Integration,
  IntegrationConfiguration,
  IntegrationEntityListing,
  IntegrationPatch,
} from './models';
import { collectNumberedPages } from './paging';
import type { ApiTransport } from './transport';

const BASE = '/api/v2/integrations';
const PAGE_SIZE = 100;

export class IntegrationsApi {
  constructor(private readonly api: ApiTransport) {}

  /** One page of GET /api/v2/integrations. */
  listPage(options: {
    integrationType?: string;
    pageNumber?: number;
    pageSize?: number;
    expandConfig?: boolean;
  }) {
    return this.api.call<IntegrationEntityListing>({
      method: 'GET',
      path: BASE,
      query: {
        integrationType: options.integrationType,
        pageNumber: options.pageNumber ?? 1,
        pageSize: options.pageSize ?? PAGE_SIZE,
        expand: options.expandConfig ? 'config.current' : undefined,
      },
    });
  }

  /**
   * Every integration of a type, with `config.current` inline. The type is also checked on our side:
   * older API versions ignore the `integrationType` filter.
   */
  async listByType(integrationType: string): Promise<Integration[]> {
    const all = await collectNumberedPages((pageNumber) =>
      this.listPage({ integrationType, pageNumber, expandConfig: true }),
    );
    return all.filter((integration) => integration.integrationType?.id === integrationType) as Integration[];
  }

  async findByName(integrationType: string, name: string): Promise<Integration[]> {
    return (await this.listByType(integrationType)).filter((integration) => integration.name === name);
  }

  get(integrationId: string, options: { expandConfig?: boolean } = {}): Promise<Integration> {
    return this.api.call({
      method: 'GET',
      path: `${BASE}/${encodeURIComponent(integrationId)}`,
      query: { expand: options.expandConfig ? 'config.current' : undefined },
    });
  }

  create(request: CreateIntegrationRequest): Promise<Integration> {
    return this.api.call({ method: 'POST', path: BASE, body: request });
  }

  patch(integrationId: string, patch: IntegrationPatch): Promise<Integration> {
    return this.api.call({
      method: 'PATCH',
      path: `${BASE}/${encodeURIComponent(integrationId)}`,
      body: patch,
    });
  }

  /** DELETE returns the deleted integration. */
  delete(integrationId: string): Promise<Integration | undefined> {
    return this.api.call({ method: 'DELETE', path: `${BASE}/${encodeURIComponent(integrationId)}` });
  }

  getConfig(integrationId: string): Promise<IntegrationConfiguration> {
    return this.api.call({
      method: 'GET',
      path: `${BASE}/${encodeURIComponent(integrationId)}/config/current`,
    });
  }

  /** PUT config/current; `version` must be the current one or the API answers a version conflict. */
  putConfig(integrationId: string, config: IntegrationConfiguration): Promise<IntegrationConfiguration> {
    return this.api.call({
      method: 'PUT',
      path: `${BASE}/${encodeURIComponent(integrationId)}/config/current`,
      body: config,
    });
  }
}
