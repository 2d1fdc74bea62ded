import { createHash } from 'node:crypto';

export const DEFAULT_SECRET_PREFIX = 'genesys-onboarding';

/** Where the operator stores an org's bootstrap credentials. */
export const bootstrapSecretName = (prefix: string, orgId: string) => `${prefix}/${orgId}/bootstrap`;

/** Where the Data Actions client's credentials are kept. */
export const resultSecretName = (prefix: string, orgId: string) => `${prefix}/${orgId}/data-actions-client`;

/** The Genesys UI names an integration's credential this way, and the TF exporter relies on it. */
export const credentialName = (integrationId: string) => `Integration-${integrationId}`;

/**
 * The execution name (and id handed out: onboarding id, offboarding id) of a request: the same request, or the
 * same idempotency key for an org, always gives the same name, so a double submit or a duplicate event starts
 * one execution. `<prefix>-<first 8 of the org id>-<40 hex>`, within Step Functions' 80 characters of
 * [A-Za-z0-9-_]. Prefixes: `onb` (onboarding), `off` (offboarding).
 */
export function executionName<T extends { readonly orgId: string; readonly idempotencyKey?: string }>(
  request: T,
  prefix = 'onb',
): string {
  const { idempotencyKey, ...rest } = request;
  const basis = idempotencyKey ? `key:${request.orgId}:${idempotencyKey}` : `request:${canonicalJson(rest)}`;
  const digest = createHash('sha256').update(basis).digest('hex').slice(0, 40);
  return `${prefix}-${request.orgId.slice(0, 8)}-${digest}`;
}

/** JSON with sorted keys, so that field order never changes the name. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** A one-way fingerprint of client credentials: tells whether a credential was written with the current secret. */
export const credentialFingerprint = (clientId: string, clientSecret: string) =>
  createHash('sha256').update(`${clientId}:${clientSecret}`).digest('hex').slice(0, 32);
