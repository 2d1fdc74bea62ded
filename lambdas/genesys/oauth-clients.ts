import type {
  OAuthClient,
  OAuthClientEntityListing,
  OAuthClientRequest,
  OAuthClientState,
  OAuthClientWithSecret,
} from './models';
import type { Redactor } from './redactor';
import type { ApiTransport } from './transport';

const BASE = '/api/v2/oauth/clients';

export class OAuthClientsApi {
  constructor(
    private readonly api: ApiTransport,
    private readonly redactor: Redactor,
  ) {}

  /** GET /api/v2/oauth/clients. The endpoint takes no paging or filter parameters: it returns every client. */
  async list(): Promise<OAuthClient[]> {
    const listing = await this.api.call<OAuthClientEntityListing>({ method: 'GET', path: BASE });
    return (listing.entities ?? []) as OAuthClient[];
  }

  /** Clients whose name is exactly `name` (names are not unique in Genesys). */
  async findByName(name: string): Promise<OAuthClient[]> {
    return (await this.list()).filter((client) => client.name === name);
  }

  get(clientId: string): Promise<OAuthClient> {
    return this.api.call({ method: 'GET', path: `${BASE}/${encodeURIComponent(clientId)}` });
  }

  /** POST /api/v2/oauth/clients: the only response, with regenerateSecret, that carries the secret. */
  async create(request: OAuthClientRequest): Promise<OAuthClientWithSecret> {
    const client = await this.api.call<OAuthClientWithSecret>({ method: 'POST', path: BASE, body: request });
    this.redactor.add(client.secret);
    return client;
  }

  /** PUT replaces the whole client: `name` and `authorizedGrantType` are required. */
  update(clientId: string, request: OAuthClientRequest): Promise<OAuthClient> {
    return this.api.call({ method: 'PUT', path: `${BASE}/${encodeURIComponent(clientId)}`, body: request });
  }

  /** Changes only the state, keeping every other field as it is (PUT is a full replace). */
  async setState(clientId: string, state: OAuthClientState): Promise<OAuthClient> {
    const current = await this.get(clientId);
    return this.update(clientId, { ...toRequest(current), state });
  }

  /** DELETE /api/v2/oauth/clients/{id}. The client must be inactive first: see `deactivateAndDelete`. */
  async delete(clientId: string): Promise<void> {
    await this.api.call({ method: 'DELETE', path: `${BASE}/${encodeURIComponent(clientId)}` });
  }

  /** Sets the client inactive (required before DELETE), then deletes it. */
  async deactivateAndDelete(clientId: string): Promise<void> {
    const current = await this.get(clientId);
    if (current.state !== 'inactive')
      await this.update(clientId, { ...toRequest(current), state: 'inactive' });
    await this.delete(clientId);
  }

  /** POST /api/v2/oauth/clients/{id}/secret: a new secret; the old one stops working. */
  async regenerateSecret(clientId: string): Promise<OAuthClientWithSecret> {
    const client = await this.api.call<OAuthClientWithSecret>({
      method: 'POST',
      path: `${BASE}/${encodeURIComponent(clientId)}/secret`,
    });
    this.redactor.add(client.secret);
    return client;
  }
}

/** The writable fields of a client, for a full-replace PUT. */
export function toRequest(client: OAuthClient): OAuthClientRequest {
  return {
    name: client.name,
    description: client.description,
    authorizedGrantType: client.authorizedGrantType as OAuthClientRequest['authorizedGrantType'],
    accessTokenValiditySeconds: client.accessTokenValiditySeconds,
    registeredRedirectUri: client.registeredRedirectUri,
    scope: client.scope,
    roleDivisions: client.roleDivisions,
    state: client.state as OAuthClientRequest['state'],
  };
}
