import { randomUUID } from 'node:crypto';
import { badRequest, notFound, SimApiError } from '../api-error';
import type { Router } from '../router';
import { type OAuthClientRequestBody, oauthClientRequest, parseBody } from '../schemas';
import { holdsRoleDivision, newSecret, nowIso, type SimOAuthClient, type SimOrg } from '../state';

export interface OAuthClientRouteOptions {
  /** Delay before a new client's credentials are accepted by the token endpoint. */
  readonly newClientDelayMs: () => number;
  /** Called when a client is deleted or its secret replaced, so its tokens can be revoked. */
  readonly onClientRemoved: (clientId: string) => void;
}

const BASE = '/api/v2/oauth/clients';

/** GET and PUT no longer return the secret (changed in 2025): only create and regenerate do. */
function view(client: SimOAuthClient, withSecret = false) {
  const { secret, usableAt: _usableAt, createdById, ...rest } = client;
  return {
    ...rest,
    roleIds: [...new Set(client.roleDivisions.map((rd) => rd.roleId))],
    ...(createdById
      ? { createdBy: { id: createdById, selfUri: `/api/v2/oauth/clients/${createdById}` } }
      : {}),
    ...(withSecret ? { secret } : {}),
    selfUri: `${BASE}/${client.id}`,
  };
}

function find(org: SimOrg, clientId: string | undefined): SimOAuthClient {
  const client = clientId ? org.clients.get(clientId) : undefined;
  if (!client) throw notFound('OAuth client');
  return client;
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

export function oauthClientRoutes(router: Router, options: OAuthClientRouteOptions): void {
  router.add('GET', BASE, ['oauth:client:view'], ({ org }) => {
    const entities = [...org.clients.values()].map((client) => view(client));
    return {
      status: 200,
      body: {
        entities,
        pageSize: entities.length,
        pageNumber: 1,
        total: entities.length,
        pageCount: 1,
        selfUri: BASE,
      },
    };
  });

  router.add('POST', BASE, ['oauth:client:add'], ({ org, caller, body }) => {
    const request = parseBody(oauthClientRequest, body);
    const roleDivisions = checkRoleDivisions(org, caller, request);
    const created = nowIso();
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
      createdById: caller.id,
      usableAt: Date.now() + options.newClientDelayMs(),
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
    client.dateModified = nowIso();
    if (client.state !== 'active') options.onClientRemoved(client.id);
    return { status: 200, body: view(client) };
  });

  router.add('DELETE', `${BASE}/{clientId}`, ['oauth:client:delete'], ({ org, params }) => {
    const client = find(org, params.clientId);
    if (client.state !== 'inactive') {
      throw badRequest('The client must be set to inactive before it can be deleted', 'state');
    }
    org.clients.delete(client.id);
    options.onClientRemoved(client.id);
    return { status: 204 };
  });

  router.add('POST', `${BASE}/{clientId}/secret`, ['oauth:client:edit'], ({ org, params }) => {
    const client = find(org, params.clientId);
    client.secret = newSecret();
    client.dateModified = nowIso();
    return { status: 200, body: view(client, true) };
  });
}
