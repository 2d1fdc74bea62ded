import { randomUUID } from 'node:crypto';
import { badRequest, notFound, SimApiError } from '../api-error';
import { findReadable, isListed } from '../consistency';
import type { KnobReader } from '../options';
import { pagedListing, type Router } from '../router';
import { type OAuthClientRequestBody, oauthClientRequest, parseBody } from '../schemas';
import { holdsRoleDivision, newSecret, nowIso, type SimOAuthClient, type SimOrg } from '../state';

export interface OAuthClientRouteOptions {
  readonly knobs: KnobReader;
  /** Invalidates every token issued to the client (on DELETE and on `disabled`). */
  readonly revokeTokens: (clientId: string) => void;
}

const BASE = '/api/v2/oauth/clients';

/** GET and PUT no longer return the secret (changed in 2025, §3): only create and regenerate do. */
function view(client: SimOAuthClient, withSecret = false) {
  const ref = (id: string) => ({ id, selfUri: `${BASE}/${id}` });
  return {
    id: client.id,
    name: client.name,
    ...(client.description === undefined ? {} : { description: client.description }),
    accessTokenValiditySeconds: client.accessTokenValiditySeconds,
    registeredRedirectUri: client.registeredRedirectUri,
    roleIds: [...new Set(client.roleDivisions.map((rd) => rd.roleId))],
    dateCreated: client.dateCreated,
    dateModified: client.dateModified,
    ...(client.createdById ? { createdBy: ref(client.createdById) } : {}),
    ...(client.modifiedById ? { modifiedBy: ref(client.modifiedById) } : {}),
    authorizedGrantType: client.authorizedGrantType,
    scope: client.scope,
    roleDivisions: client.roleDivisions,
    state: client.state,
    ...(client.dateToDelete ? { dateToDelete: client.dateToDelete } : {}),
    ...(withSecret ? { secret: client.secret } : {}),
    selfUri: `${BASE}/${client.id}`,
  };
}

/** Refuses a write to a client that is already deleted (UNVERIFIED: the real answer is undocumented). */
function refuseIfDeleted(client: SimOAuthClient): void {
  if (client.state === 'deleted')
    throw badRequest(`OAuth client ${client.id} has been deleted and cannot be changed`, 'state');
}

/** Validates roleDivisions against the org and the role-subset rule for the calling client. */
function checkRoleDivisions(org: SimOrg, caller: SimOAuthClient, body: OAuthClientRequestBody) {
  const roleDivisions =
    body.roleDivisions ?? (body.roleIds ?? []).map((roleId) => ({ roleId, divisionId: '*' }));
  if (body.authorizedGrantType === 'CLIENT-CREDENTIALS' && roleDivisions.length === 0) {
    throw badRequest('Client credentials clients require at least one role', 'roleDivisions');
  }
  for (const rd of roleDivisions) {
    if (!org.roles.some((role) => role.id === rd.roleId)) {
      throw badRequest(`Role ${rd.roleId} does not exist`, 'roleDivisions.roleId');
    }
    if (rd.divisionId !== '*' && !org.divisions.some((d) => d.id === rd.divisionId)) {
      throw badRequest(`Division ${rd.divisionId} does not exist`, 'roleDivisions.divisionId');
    }
    if (!holdsRoleDivision(caller, rd)) {
      // The exact status and code are not documented; a 400 that names the role is the plausible answer.
      throw new SimApiError(
        400,
        'bad.request',
        `The requested role-division pair (${rd.roleId}, ${rd.divisionId}) is not a subset of the roles held by the caller`,
        {},
        [{ errorCode: 'role.not.grantable', fieldName: 'roleDivisions' }],
      );
    }
  }
  return roleDivisions;
}

/**
 * OAuth clients (§3, §14): listing (paged per `oauthClientPaging`, lagging per `oauthClientListingLagMs`), create
 * (the only answer with the secret besides regenerate), read/update/delete by id (404 for
 * `readAfterCreateNotFoundMs` after the create), delete only when inactive, then lingering as `deleted`.
 */
export function oauthClientRoutes(router: Router, { knobs, revokeTokens }: OAuthClientRouteOptions): void {
  /** GET by id and the writes by id: 404 just after the create (§14). */
  const find = (org: SimOrg, clientId: string | undefined) =>
    findReadable(org.clients, clientId, 'OAuth client');

  router.add('GET', BASE, ['oauth:client:view'], ({ org, query }) => {
    const now = Date.now();
    const clients = [...org.clients.values()]
      .filter((client) => isListed(client, now))
      .sort((a, b) => a.dateCreated.localeCompare(b.dateCreated) || a.id.localeCompare(b.id))
      .map((client) => view(client));
    const paging = { defaultPageSize: knobs('oauthClientPageSize'), maxPageSize: 500 };
    switch (knobs('oauthClientPaging')) {
      case 'single-page':
        return {
          status: 200,
          body: {
            entities: clients,
            pageSize: clients.length,
            pageNumber: 1,
            total: clients.length,
            pageCount: 1,
            firstUri: BASE,
            lastUri: BASE,
            selfUri: BASE,
          },
        };
      case 'first-page-only':
        return {
          status: 200,
          body: pagedListing(clients, new URLSearchParams(), BASE, { ...paging, navigation: false }),
        };
      case 'page-count':
        return { status: 200, body: pagedListing(clients, query, BASE, { ...paging, navigation: false }) };
      default:
        return { status: 200, body: pagedListing(clients, query, BASE, paging) };
    }
  });

  router.add('POST', BASE, ['oauth:client:add'], ({ org, caller, body }) => {
    const request = parseBody(oauthClientRequest, body);
    const roleDivisions = checkRoleDivisions(org, caller, request);
    const now = Date.now();
    const created = new Date(now).toISOString();
    const client: SimOAuthClient = {
      id: randomUUID(),
      name: request.name,
      description: request.description,
      secret: newSecret(),
      authorizedGrantType: request.authorizedGrantType,
      accessTokenValiditySeconds: request.accessTokenValiditySeconds ?? 86_400,
      registeredRedirectUri: request.registeredRedirectUri ?? [],
      scope: request.scope ?? [],
      roleDivisions,
      state: request.state ?? 'active',
      dateCreated: created,
      dateModified: created,
      dateToDelete: request.dateToDelete,
      createdById: caller.id,
      modifiedById: caller.id,
      usableAt: now + knobs('newClientDelayMs'),
      readableAt: now + knobs('readAfterCreateNotFoundMs'),
      listedAt: now + knobs('oauthClientListingLagMs'),
    };
    org.clients.set(client.id, client);
    return { status: 200, body: view(client, true) };
  });

  router.add('GET', `${BASE}/{clientId}`, ['oauth:client:view'], ({ org, params }) => ({
    status: 200,
    body: view(find(org, params.clientId)),
  }));

  router.add('PUT', `${BASE}/{clientId}`, ['oauth:client:edit'], ({ org, caller, params, body }) => {
    const client = find(org, params.clientId);
    refuseIfDeleted(client);
    const request = parseBody(oauthClientRequest, body);
    if (request.authorizedGrantType !== client.authorizedGrantType) {
      throw badRequest('authorizedGrantType cannot be changed', 'authorizedGrantType');
    }
    client.roleDivisions = checkRoleDivisions(org, caller, request);
    client.name = request.name;
    client.description = request.description;
    client.accessTokenValiditySeconds =
      request.accessTokenValiditySeconds ?? client.accessTokenValiditySeconds;
    client.registeredRedirectUri = request.registeredRedirectUri ?? [];
    client.scope = request.scope ?? [];
    client.state = request.state ?? client.state;
    client.dateToDelete = request.dateToDelete;
    client.dateModified = nowIso();
    client.modifiedById = caller.id;
    if (client.state === 'disabled') revokeTokens(client.id);
    return { status: 200, body: view(client) };
  });

  router.add('DELETE', `${BASE}/{clientId}`, ['oauth:client:delete'], ({ org, params }) => {
    const client = find(org, params.clientId);
    // Deleting it again: it is gone already (TF's IsStatus404 treats 404 as gone). UNVERIFIED.
    if (client.state === 'deleted') throw notFound('OAuth client');
    if (client.state !== 'inactive') {
      throw badRequest('The client must be set to inactive before it can be deleted', 'state');
    }
    const now = Date.now();
    client.state = 'deleted';
    client.purgeAt = now + knobs('deletedClientLingerMs');
    client.dateToDelete = new Date(client.purgeAt).toISOString();
    client.dateModified = new Date(now).toISOString();
    revokeTokens(client.id);
    return { status: 204 };
  });

  router.add('POST', `${BASE}/{clientId}/secret`, ['oauth:client:edit'], ({ org, params }) => {
    const client = find(org, params.clientId);
    refuseIfDeleted(client);
    client.secret = newSecret();
    client.dateModified = nowIso();
    return { status: 200, body: view(client, true) };
  });
}
