import * as z from 'zod/mini';
import { bootstrapSecretName } from './naming';
import { OWNERSHIP_MARKER_LENGTH } from './ownership';
import {
  bootstrapSecretIdField,
  displayName,
  InvalidRequestError,
  idempotencyKeyField,
  isOrgSecret,
  optionalText,
  orgIdField,
  regionField,
  requiredObject,
  toProblems,
  UUID,
} from './request-fields';

export const DEFAULT_ACCESS_TOKEN_VALIDITY_SECONDS = 86_400;
/** The access token lifetimes Genesys Cloud takes for a client, in seconds (5 minutes to 48 hours). */
export const ACCESS_TOKEN_VALIDITY_SECONDS = { min: 300, max: 172_800 } as const;

/**
 * The onboarding request: the body of POST /onboardings and the `detail` of the event. zod/mini keeps the
 * Lambda bundles small (the full zod adds 450 KB).
 */
export const onboardingRequestSchema = z.strictObject(
  {
    orgId: orgIdField(),
    region: regionField(),
    oauthClient: requiredObject({
      name: displayName(200),
      description: optionalText(1000 - OWNERSHIP_MARKER_LENGTH),
      roles: z
        .array(displayName(200), {
          error: (issue) => (issue.input === undefined ? 'is required' : 'must be an array of role names'),
        })
        .check(
          z.minLength(1, 'must name at least one role'),
          z.maxLength(50, 'must name at most 50 roles'),
          z.refine((roles) => new Set(roles).size === roles.length, 'must not name a role twice'),
        ),
      divisionId: z.optional(
        z
          .string({ error: 'must be a string' })
          .check(
            z.refine(
              (value) => value === '*' || UUID.test(value),
              'must be a division id (a UUID) or "*" for all divisions',
            ),
          ),
      ),
      accessTokenValiditySeconds: z.optional(
        z
          .number({ error: 'must be a number' })
          .check(
            z.refine(Number.isInteger, 'must be a whole number of seconds'),
            z.gte(ACCESS_TOKEN_VALIDITY_SECONDS.min, 'must be at least 300 seconds'),
            z.lte(ACCESS_TOKEN_VALIDITY_SECONDS.max, 'must be at most 172800 seconds (48 hours)'),
          ),
      ),
    }),
    integration: requiredObject({
      name: displayName(200),
      notes: optionalText(2000 - OWNERSHIP_MARKER_LENGTH),
    }),
    bootstrapSecretId: bootstrapSecretIdField(),
    idempotencyKey: idempotencyKeyField(),
    adoptExisting: z.optional(z.boolean({ error: 'must be true or false' })),
    renameIntegration: z.optional(z.boolean({ error: 'must be true or false' })),
  },
  { error: 'must be a JSON object' },
);

export type OnboardingRequestInput = z.input<typeof onboardingRequestSchema>;

/**
 * A validated request with every default filled in: the execution input's `request`. Step handlers check
 * their input against this shape (the request is parsed once, at the edge: API, event or CLI).
 */
export const validatedOnboardingRequestSchema = z.object({
  orgId: z.string().check(z.regex(UUID)),
  region: z.string().check(z.minLength(1)),
  oauthClient: z.object({
    name: z.string().check(z.minLength(1)),
    description: z.string(),
    roles: z.array(z.string()).check(z.minLength(1)),
    /** Absent: the org's home division. */
    divisionId: z.optional(z.string()),
    accessTokenValiditySeconds: z.int(),
  }),
  integration: z.object({ name: z.string().check(z.minLength(1)), notes: z.string() }),
  bootstrapSecretId: z.string().check(z.minLength(1)),
  idempotencyKey: z.optional(z.string()),
  /** Take over a same-name client or configured integration that carries no ownership marker. */
  adoptExisting: z.boolean(),
  /** Rename the recorded integration to `integration.name` instead of refusing a different name. */
  renameIntegration: z.boolean(),
});
export type OnboardingRequest = z.infer<typeof validatedOnboardingRequestSchema>;

export interface RequestDefaults {
  /** Prefix of the secret names: the bootstrap secret must be under it (IAM grants nothing else). */
  readonly secretPrefix: string;
}

/** Validates a request and fills in defaults; throws InvalidRequestError listing every problem. */
export function parseOnboardingRequest(input: unknown, defaults: RequestDefaults): OnboardingRequest {
  const result = onboardingRequestSchema.safeParse(input);
  if (!result.success) throw new InvalidRequestError(toProblems(result.error));
  const request = result.data;
  const orgId = request.orgId.toLowerCase();
  if (request.bootstrapSecretId && !isOrgSecret(request.bootstrapSecretId, defaults.secretPrefix, orgId)) {
    throw new InvalidRequestError([
      {
        field: 'bootstrapSecretId',
        problem: `must name a secret of this org: ${defaults.secretPrefix}/${orgId}/<name>, by name or ARN`,
      },
    ]);
  }
  return {
    orgId,
    region: request.region.trim().toLowerCase(),
    oauthClient: {
      name: request.oauthClient.name,
      description: request.oauthClient.description ?? 'Used by the Genesys Cloud Data Actions integration',
      roles: request.oauthClient.roles,
      ...(request.oauthClient.divisionId ? { divisionId: request.oauthClient.divisionId.toLowerCase() } : {}),
      accessTokenValiditySeconds:
        request.oauthClient.accessTokenValiditySeconds ?? DEFAULT_ACCESS_TOKEN_VALIDITY_SECONDS,
    },
    integration: { name: request.integration.name, notes: request.integration.notes ?? '' },
    bootstrapSecretId: request.bootstrapSecretId ?? bootstrapSecretName(defaults.secretPrefix, orgId),
    ...(request.idempotencyKey ? { idempotencyKey: request.idempotencyKey } : {}),
    adoptExisting: request.adoptExisting ?? false,
    renameIntegration: request.renameIntegration ?? false,
  };
}
