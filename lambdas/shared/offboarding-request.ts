import * as z from 'zod/mini';
import { OFFBOARDING_ERRORS } from './errors';
import { bootstrapSecretName } from './naming';
import {
  bootstrapSecretIdField,
  displayName,
  InvalidRequestError,
  idempotencyKeyField,
  isOrgSecret,
  orgIdField,
  regionField,
  toProblems,
  UUID,
} from './request-fields';

/**
 * The offboarding request: the body of POST /offboardings and the `detail` of the "Genesys Cloud Org
 * Offboarded" event. `oauthClientName`/`integrationName` find the resources when the org's stored record is
 * lost; a named resource is removed only if it carries the ownership marker, or with `force`.
 */
export const offboardingRequestSchema = z.strictObject(
  {
    orgId: orgIdField(),
    region: regionField(),
    bootstrapSecretId: bootstrapSecretIdField(),
    oauthClientName: z.optional(displayName(200)),
    integrationName: z.optional(displayName(200)),
    force: z.optional(z.boolean({ error: 'must be true or false' })),
    idempotencyKey: idempotencyKeyField(),
  },
  { error: 'must be a JSON object' },
);

export type OffboardingRequestInput = z.input<typeof offboardingRequestSchema>;

/** A validated offboarding request with its defaults: the execution input's `request`. */
export const validatedOffboardingRequestSchema = z.object({
  orgId: z.string().check(z.regex(UUID)),
  region: z.string().check(z.minLength(1)),
  bootstrapSecretId: z.string().check(z.minLength(1)),
  oauthClientName: z.optional(z.string()),
  integrationName: z.optional(z.string()),
  /** Remove a named resource even without the ownership marker (never the bootstrap client). */
  force: z.boolean(),
  idempotencyKey: z.optional(z.string()),
});
export type OffboardingRequest = z.infer<typeof validatedOffboardingRequestSchema>;

/** Validates an offboarding request and fills in defaults; throws InvalidRequestError listing every problem. */
export function parseOffboardingRequest(
  input: unknown,
  defaults: { readonly secretPrefix: string },
): OffboardingRequest {
  const invalid = (problems: ReturnType<typeof toProblems>) =>
    new InvalidRequestError(problems, OFFBOARDING_ERRORS.invalidRequest, 'offboarding request');
  const result = offboardingRequestSchema.safeParse(input);
  if (!result.success) throw invalid(toProblems(result.error));
  const request = result.data;
  const orgId = request.orgId.toLowerCase();
  if (request.bootstrapSecretId && !isOrgSecret(request.bootstrapSecretId, defaults.secretPrefix, orgId)) {
    throw invalid([
      {
        field: 'bootstrapSecretId',
        problem: `must name a secret of this org: ${defaults.secretPrefix}/${orgId}/<name>, by name or ARN`,
      },
    ]);
  }
  if (request.force && !request.oauthClientName && !request.integrationName) {
    throw invalid([
      { field: 'force', problem: 'needs oauthClientName or integrationName: it applies to named resources' },
    ]);
  }
  return {
    orgId,
    region: request.region.trim().toLowerCase(),
    bootstrapSecretId: request.bootstrapSecretId ?? bootstrapSecretName(defaults.secretPrefix, orgId),
    ...(request.oauthClientName ? { oauthClientName: request.oauthClientName } : {}),
    ...(request.integrationName ? { integrationName: request.integrationName } : {}),
    force: request.force ?? false,
    ...(request.idempotencyKey ? { idempotencyKey: request.idempotencyKey } : {}),
  };
}
