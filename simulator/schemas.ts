import { z } from 'zod';
import { badRequest } from './api-error';

/*
 * Request bodies, after the official models (purecloud-platform-client-v2 index.d.ts). Strict: a field the
 * model does not have, or an enum value outside the model's (CLIENT_CREDENTIALS), is a 400 naming the field.
 * What the SDK's own types let a caller send is accepted: the read-only fields of a model read back (ignored),
 * and `null` in an optional field (taken as absent, see `parseBody`).
 */

const roleDivision = z.strictObject({ roleId: z.string().min(1), divisionId: z.string().min(1) });
const entityRef = z.strictObject({
  id: z.string().optional(),
  name: z.string().optional(),
  selfUri: z.string().optional(),
});

/**
 * OAuthClientRequest, and also an `OAuthClient` read back (GET result) whose read-only fields (`id`, `secret`,
 * `dateCreated`, `dateModified`, `createdBy`, `modifiedBy`, `selfUri`) are ignored. `roleIds` (deprecated)
 * counts only when `roleDivisions` is absent.
 */
export const oauthClientRequest = z.strictObject({
  name: z.string().min(1).max(200),
  description: z.string().max(1000).optional(),
  authorizedGrantType: z.enum(['CODE', 'TOKEN', 'SAML2-BEARER', 'PASSWORD', 'CLIENT-CREDENTIALS']),
  accessTokenValiditySeconds: z.number().int().min(300).max(172_800).optional(),
  registeredRedirectUri: z.array(z.string()).optional(),
  scope: z.array(z.string()).optional(),
  roleDivisions: z.array(roleDivision).optional(),
  roleIds: z.array(z.string()).optional(),
  state: z.enum(['active', 'disabled', 'inactive']).optional(),
  dateToDelete: z.iso.datetime({ offset: true }).optional(),
  id: z.string().optional(),
  secret: z.string().optional(),
  dateCreated: z.string().optional(),
  dateModified: z.string().optional(),
  createdBy: entityRef.optional(),
  modifiedBy: entityRef.optional(),
  selfUri: z.string().optional(),
});
export type OAuthClientRequestBody = z.infer<typeof oauthClientRequest>;

/** IntegrationType as a request may carry it (only `id` is used). */
const integrationTypeRef = z.strictObject({
  id: z.string().min(1),
  name: z.string().optional(),
  description: z.string().optional(),
  provider: z.string().optional(),
  category: z.string().optional(),
  images: z.array(z.unknown()).optional(),
  configPropertiesSchemaUri: z.string().optional(),
  configAdvancedSchemaUri: z.string().optional(),
  helpUri: z.string().optional(),
  termsOfServiceUri: z.string().optional(),
  vendorName: z.string().optional(),
  vendorWebsiteUri: z.string().optional(),
  marketplaceUri: z.string().optional(),
  faqUri: z.string().optional(),
  privacyPolicyUri: z.string().optional(),
  supportContactUri: z.string().optional(),
  salesContactUri: z.string().optional(),
  helpLinks: z.array(z.unknown()).optional(),
  credentials: z.record(z.string(), z.unknown()).optional(),
  nonInstallable: z.boolean().optional(),
  maxInstances: z.number().optional(),
  userPermissions: z.array(z.string()).optional(),
  vendorOAuthClientIds: z.array(z.string()).optional(),
  selfUri: z.string().optional(),
});

/**
 * CreateIntegrationRequest `{id?, name, integrationType, selfUri?}`. The SDK marks `name` required, yet TF
 * creates integrations with `integrationType` only (§4), so a missing name is accepted.
 */
export const createIntegrationRequest = z.strictObject({
  id: z.string().optional(),
  name: z.string().min(1).max(200).optional(),
  integrationType: integrationTypeRef,
  selfUri: z.string().optional(),
});

/**
 * PATCH body: the SDK sends an `Integration`, so one read back is accepted; all its fields but `intendedState`
 * are read-only (JAVA-SDK `Integration.java`) and ignored.
 */
export const integrationPatch = z.strictObject({
  intendedState: z.enum(['ENABLED', 'DISABLED', 'DELETED', 'RESTORED']),
  id: z.string().optional(),
  name: z.string().optional(),
  integrationType: integrationTypeRef.optional(),
  notes: z.string().optional(),
  config: z.record(z.string(), z.unknown()).optional(),
  reportedState: z.record(z.string(), z.unknown()).optional(),
  attributes: z.record(z.string(), z.string()).optional(),
  selfUri: z.string().optional(),
});

/** CredentialInfo as a config references it (only `id` is used). */
const credentialRef = z.strictObject({
  id: z.string().min(1),
  name: z.string().optional(),
  createdDate: z.string().optional(),
  modifiedDate: z.string().optional(),
  type: z.record(z.string(), z.unknown()).optional(),
  selfUri: z.string().optional(),
});

/** IntegrationConfiguration for PUT config/current; the JS SDK marks all of these required. */
export const integrationConfiguration = z.strictObject({
  id: z.string().optional(),
  name: z.string().min(1),
  version: z.number().int(),
  properties: z.record(z.string(), z.unknown()),
  advanced: z.record(z.string(), z.unknown()),
  notes: z.string(),
  credentials: z.record(z.string(), credentialRef),
  selfUri: z.string().optional(),
});

/** CredentialType as a credential carries it: `name` is the one that counts. */
const credentialType = z.strictObject({
  name: z.string().min(1),
  id: z.string().optional(),
  properties: z.record(z.string(), z.unknown()).optional(),
  displayOrder: z.array(z.string()).optional(),
  required: z.array(z.string()).optional(),
});

/** Credential: `type` is an object with `name` (§5); `name` is optional in the SDK model. */
export const credentialRequest = z.strictObject({
  id: z.string().optional(),
  name: z.string().min(1).max(200).optional(),
  type: credentialType,
  credentialFields: z.record(z.string(), z.string()),
  selfUri: z.string().optional(),
});

const jsonSchemaDocument = z.record(z.string(), z.unknown());

/** ActionConfig (GO-SDK actionconfig.go, requestconfig.go, responseconfig.go; §7). */
const actionConfig = z.strictObject({
  timeoutSeconds: z.number().int().min(1).max(60).optional(),
  request: z
    .strictObject({
      requestUrlTemplate: z.string().min(1),
      requestTemplate: z.string().optional(),
      requestTemplateUri: z.string().optional(),
      requestType: z.enum(['GET', 'PUT', 'POST', 'PATCH', 'DELETE']),
      headers: z.record(z.string(), z.string()).optional(),
    })
    .optional(),
  response: z
    .strictObject({
      translationMap: z.record(z.string(), z.string()).optional(),
      translationMapDefaults: z.record(z.string(), z.string()).optional(),
      successTemplate: z.string().optional(),
      successTemplateUri: z.string().optional(),
    })
    .optional(),
});

/** PostActionInput `{category, name, integrationId, config, contract, secure?}` (SDK d.ts; §7). */
export const postActionInput = z.strictObject({
  category: z.string().min(1),
  name: z.string().min(1).max(256),
  integrationId: z.string().min(1),
  config: actionConfig,
  contract: z.strictObject({
    input: z.strictObject({ inputSchema: jsonSchemaDocument }),
    output: z.strictObject({ successSchema: jsonSchemaDocument }),
  }),
  secure: z.boolean().optional(),
});

/** A copy of a JSON value without the object properties whose value is `null`, at any depth. */
function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, v]) => v !== null)
      .map(([k, v]) => [k, withoutNulls(v)]),
  );
}

/**
 * Parses a body or throws a 400 that names the field and the problem, as Genesys does. A property set to
 * `null` counts as absent (`description: null`), so a required one is reported missing.
 * @throws SimApiError 400 `bad.request` with `details[0].fieldName`
 */
export function parseBody<T>(schema: z.ZodType<T>, body: unknown): T {
  const result = schema.safeParse(withoutNulls(body));
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  if (issue === undefined)
    throw badRequest('The request could not be understood by the server due to malformed syntax.');
  if (issue.code === 'unrecognized_keys') {
    const field = [...issue.path, ...issue.keys].join('.');
    throw badRequest(`Unrecognized field "${field}"`, field);
  }
  const field = issue.path.join('.') || 'body';
  throw badRequest(`Value is not valid for field ${field}: ${issue.message}`, field);
}
