import { isGenesysError } from './errors';
import type { OAuthClient, OAuthClientRequest, OAuthClientWithSecret } from './models';
import { collectNumberedPages } from './paging';
import { apiPath } from './paths';
import type { Redactor } from './redactor';
import { deleteAndConfirm, type RemovalOutcome, type RemoveOptions } from './removal';
import type { ApiTransport, ConsistencyOptions } from './transport';

const BASE = '/api/v2/oauth/clients';

/** OAuth clients (`/api/v2/oauth/clients`, genesys-cloud-api.md §3, §14). */
export class OAuthClientsApi {
  constructor(
    private readonly api: ApiTransport,
    private readonly redactor: Redactor,
  ) {}

  /**
   * Every client, following every page (see `collectNumberedPages`). The endpoint documents no paging
   * parameters (JS-SDK `OAuthApi.md`) but answers an entity listing with `pageCount`; whether it ever pages
   * is UNVERIFIED, so the first request carries none and later pages are asked for as the listing says.
   * A new client may be missing here for a while: read known ids with `get`/`find` instead.
   */
  list(): Promise<OAuthClient[]> {
    return collectNumberedPages<OAuthClient>(this.api, { path: BASE });
  }

  /** GET /api/v2/oauth/clients/{id} (no `secret` since 2025). A 404 is a `not-found` error. */
  get(clientId: string, options: ConsistencyOptions = {}): Promise<OAuthClient> {
    return this.api.call({
      method: 'GET',
      path: apiPath(BASE, clientId),
      retryNotFoundMs: options.retryNotFoundMs,
    });
  }

  /**
   * The client, or undefined when it answers 404 (after `retryNotFoundMs`): for ids that may be gone.
   * A deleted client can stay readable for a while with `state: "deleted"` (genesys-cloud-api.md §14).
   */
  async find(clientId: string, options: ConsistencyOptions = {}): Promise<OAuthClient | undefined> {
    try {
      return await this.get(clientId, options);
    } catch (error) {
      if (isGenesysError(error, 'not-found')) return undefined;
      throw error;
    }
  }

  /** POST /api/v2/oauth/clients: the only response, with regenerateSecret, that carries the secret. */
  async create(request: OAuthClientRequest): Promise<OAuthClientWithSecret> {
    const client = await this.api.call<OAuthClientWithSecret>({ method: 'POST', path: BASE, body: request });
    this.redactor.add(client.secret);
    return client;
  }

  /** PUT replaces the whole client: `name` and `authorizedGrantType` are required. */
  update(
    clientId: string,
    request: OAuthClientRequest,
    options: ConsistencyOptions = {},
  ): Promise<OAuthClient> {
    return this.api.call({
      method: 'PUT',
      path: apiPath(BASE, clientId),
      body: request,
      retryNotFoundMs: options.retryNotFoundMs,
    });
  }

  /** DELETE /api/v2/oauth/clients/{id}. The client must be inactive first: see `deactivateAndDelete`. */
  async delete(clientId: string, options: ConsistencyOptions = {}): Promise<void> {
    await this.api.call({
      method: 'DELETE',
      path: apiPath(BASE, clientId),
      retryNotFoundMs: options.retryNotFoundMs,
    });
  }

  /**
   * Removes a client the way TF's `deleteOAuthClient` does (genesys-cloud-api.md §3, §14): GET it, PUT the
   * full body with `state: "inactive"` (required before DELETE), DELETE, then poll GET until it answers
   * 404/408/410 or shows `state: "deleted"` (clients can stay readable as deleted): `deleted`. `absent` when
   * the GET, the PUT or the DELETE answered 404 (each after `retryNotFoundMs`), or the client already showed `deleted`.
   * Throws a GenesysApiError (`transient`, code `delete.not.confirmed`) when the client is still there
   * `goneTimeoutMs` after the DELETE.
   */
  async deactivateAndDelete(clientId: string, options: RemoveOptions = {}): Promise<RemovalOutcome> {
    const current = await this.find(clientId, options);
    if (!current || current.state === 'deleted') return 'absent';
    if (current.state !== 'inactive') {
      try {
        await this.update(clientId, { ...toRequest(current), state: 'inactive' }, options);
      } catch (error) {
        if (isGenesysError(error, 'not-found')) return 'absent';
        throw error;
      }
    }
    return deleteAndConfirm(
      this.api.clock,
      { method: 'DELETE', path: apiPath(BASE, clientId) },
      options,
      () => this.delete(clientId, options),
      async () => (await this.get(clientId)).state === 'deleted',
    );
  }

  /** POST /api/v2/oauth/clients/{id}/secret: a new secret; the old one stops working. */
  async regenerateSecret(clientId: string, options: ConsistencyOptions = {}): Promise<OAuthClientWithSecret> {
    const client = await this.api.call<OAuthClientWithSecret>({
      method: 'POST',
      path: apiPath(BASE, clientId, 'secret'),
      retryNotFoundMs: options.retryNotFoundMs,
    });
    this.redactor.add(client.secret);
    return client;
  }
}

/** The writable fields of a client, for a full-replace PUT (OAuthClientRequest, genesys-cloud-api.md §3). */
function toRequest(client: OAuthClient): OAuthClientRequest {
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
