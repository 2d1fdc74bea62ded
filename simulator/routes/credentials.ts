import { randomUUID } from 'node:crypto';
import { badRequest } from '../api-error';
import { findReadable } from '../consistency';
import { CREDENTIAL_TYPES } from '../integration-types';
import type { KnobReader } from '../options';
import { pagedListing, type Router } from '../router';
import { credentialRequest, parseBody } from '../schemas';
import { nowIso, type SimCredential, type SimOrg } from '../state';

const BASE = '/api/v2/integrations/credentials';
const MAX_LISTING_PAGE_SIZE = 200;

/** CredentialInfo. */
function info(credential: SimCredential) {
  return {
    id: credential.id,
    ...(credential.name === undefined ? {} : { name: credential.name }),
    createdDate: credential.createdDate,
    modifiedDate: credential.modifiedDate,
    type: { name: credential.typeName, displayOrder: CREDENTIAL_TYPES[credential.typeName] ?? [] },
    selfUri: `${BASE}/${credential.id}`,
  };
}

/** Reads and writes by id: 404 just after the create (§14). */
const find = (org: SimOrg, credentialId: string | undefined): SimCredential =>
  findReadable(org.credentials, credentialId, 'Credential');

function validatedFields(body: unknown): { name?: string; typeName: string; fields: Record<string, string> } {
  const request = parseBody(credentialRequest, body);
  const required = CREDENTIAL_TYPES[request.type.name];
  if (!required) throw badRequest(`Credential type ${request.type.name} does not exist`, 'type.name');
  for (const field of required) {
    if (!request.credentialFields[field]) {
      throw badRequest(
        `Credential field ${field} is required for type ${request.type.name}`,
        `credentialFields.${field}`,
      );
    }
  }
  return { name: request.name, typeName: request.type.name, fields: request.credentialFields };
}

/**
 * Integration credentials (§5): create, numbered and cursor listings, read (redacted), replace and delete by
 * id (404 for `readAfterCreateNotFoundMs` after the create); a credential in use cannot be deleted.
 */
export function credentialRoutes(router: Router, { knobs }: { readonly knobs: KnobReader }): void {
  router.add('POST', BASE, ['integrations:integration:add'], ({ org, body }) => {
    const { name, typeName, fields } = validatedFields(body);
    const now = Date.now();
    const created = new Date(now).toISOString();
    const credential: SimCredential = {
      id: randomUUID(),
      name,
      typeName,
      fields,
      createdDate: created,
      modifiedDate: created,
      readableAt: now + knobs('readAfterCreateNotFoundMs'),
    };
    org.credentials.set(credential.id, credential);
    return { status: 200, body: info(credential) };
  });

  router.add('GET', `${BASE}/listing`, ['integrations:integration:view'], ({ org, query }) => {
    const rawSize = query.get('pageSize');
    const pageSize = rawSize === null ? 25 : Number(rawSize);
    if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > MAX_LISTING_PAGE_SIZE) {
      throw badRequest(`pageSize must be between 1 and ${MAX_LISTING_PAGE_SIZE}`, 'pageSize');
    }
    const all = [...org.credentials.values()].sort((a, b) => a.id.localeCompare(b.id));
    const after = query.get('after');
    const start = after ? all.findIndex((c) => c.id > after) : 0;
    const entities = start < 0 ? [] : all.slice(start, start + pageSize);
    const last = entities.at(-1);
    const hasMore = last !== undefined && all.some((c) => c.id > last.id);
    return {
      status: 200,
      body: {
        entities: entities.map(info),
        ...(hasMore && last ? { nextUri: `${BASE}/listing?pageSize=${pageSize}&after=${last.id}` } : {}),
        selfUri: `${BASE}/listing`,
      },
    };
  });

  router.add('GET', BASE, ['integrations:integration:view'], ({ org, query }) => ({
    status: 200,
    body: pagedListing([...org.credentials.values()].map(info), query, BASE, { maxPageSize: 100 }),
  }));

  router.add('GET', `${BASE}/{credentialId}`, ['integrations:integration:view'], ({ org, params }) => {
    const credential = find(org, params.credentialId);
    // "with sensitive fields redacted": the secret never comes back.
    return {
      status: 200,
      body: {
        id: credential.id,
        ...(credential.name === undefined ? {} : { name: credential.name }),
        type: { name: credential.typeName },
        credentialFields: Object.fromEntries(Object.keys(credential.fields).map((key) => [key, '********'])),
        selfUri: `${BASE}/${credential.id}`,
      },
    };
  });

  router.add('PUT', `${BASE}/{credentialId}`, ['integrations:integration:edit'], ({ org, params, body }) => {
    const credential = find(org, params.credentialId);
    const { name, typeName, fields } = validatedFields(body);
    credential.name = name;
    credential.typeName = typeName;
    credential.fields = fields;
    credential.modifiedDate = nowIso();
    return { status: 200, body: info(credential) };
  });

  router.add('DELETE', `${BASE}/{credentialId}`, ['integrations:integration:delete'], ({ org, params }) => {
    const credential = find(org, params.credentialId);
    const inUse = [...org.integrations.values()].some((i) =>
      Object.values(i.config.credentials).some((ref) => ref.id === credential.id),
    );
    if (inUse) throw badRequest('The credential is in use by an integration', 'credentialId');
    org.credentials.delete(credential.id);
    return { status: 204 };
  });
}
