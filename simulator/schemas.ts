import { z } from 'zod';
import { badRequest } from './api-error';

const roleDivision = z.strictObject({ roleId: z.string().min(1), divisionId: z.string().min(1) });

/** OAuthClientRequest, strict: unknown fields and unknown enum spellings (CLIENT_CREDENTIALS) are refused. */
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
  dateToDelete: z.string().optional(),
});
export type OAuthClientRequestBody = z.infer<typeof oauthClientRequest>;

/** CreateIntegrationRequest: `{id?, name, integrationType, selfUri?}`; notes are set through the config. */
export const createIntegrationRequest = z.strictObject({
  id: z.string().optional(),
  name: z.string().min(1).max(200),
  integrationType: z.object({ id: z.string().min(1) }).passthrough(),
  selfUri: z.string().optional(),
});

export const integrationPatch = z.strictObject({
  intendedState: z.enum(['ENABLED', 'DISABLED', 'DELETED', 'RESTORED']),
});

const credentialRef = z.object({ id: z.string().min(1) }).passthrough();

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

/** Credential: `type` is an object with `name`. */
export const credentialRequest = z.strictObject({
  id: z.string().optional(),
  name: z.string().min(1).max(200),
  type: z.object({ name: z.string().min(1) }).passthrough(),
  credentialFields: z.record(z.string(), z.string()),
  selfUri: z.string().optional(),
});

/** Parses a body or throws a 400 that names the field and the problem, as Genesys does. */
export function parseBody<T>(schema: z.ZodType<T>, body: unknown): T {
  const result = schema.safeParse(body);
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
