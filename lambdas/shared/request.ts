import * as z from 'zod/mini';
import { isKnownRegion, listRegions } from '../genesys/regions';
import { ONBOARDING_ERRORS } from './errors';
import { bootstrapSecretName } from './naming';
import { OWNERSHIP_MARKER_LENGTH } from './ownership';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// C0 and C1 control characters, DEL, and the Unicode line/paragraph separators.
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
const SECRET_ID = /^[A-Za-z0-9/_+=.@:-]{1,2048}$/;
// A region the table does not know (Genesys adds regions), usable when the bootstrap secret gives its URLs.
const REGION_NAME = /^[a-z0-9]+(?:[.-][a-z0-9]+)*$/;

// Characters that mean something to a shell, a template, a query or markup: names never need them.
const MARKUP_CHARACTERS = /[<>{}`$;|\\"]/;

const requiredString = (problem = 'must be a string') =>
  z.string({ error: (issue) => (issue.input === undefined ? 'is required' : problem) });

const displayName = (max: number) =>
  requiredString().check(
    z.trim(),
    z.minLength(1, 'must not be empty'),
    z.maxLength(max, `must be at most ${max} characters`),
    z.refine((value) => !CONTROL_CHARACTERS.test(value), 'must not contain control characters'),
    z.refine((value) => !MARKUP_CHARACTERS.test(value), 'must not contain any of < > { } ` $ ; | \\ "'),
  );

const optionalText = (max: number) =>
  z.optional(
    z.string({ error: 'must be a string' }).check(
      z.maxLength(max, `must be at most ${max} characters`),
      z.refine(
        (value) => !CONTROL_CHARACTERS.test(value.replace(/[\n\t]/g, ' ')),
        'must not contain control characters',
      ),
    ),
  );

const requiredObject = <T extends z.core.$ZodLooseShape>(shape: T) =>
  z.strictObject(shape, {
    error: (issue) => (issue.input === undefined ? 'is required' : 'must be an object'),
  });

export const DEFAULT_ACCESS_TOKEN_VALIDITY_SECONDS = 86_400;

/**
 * The onboarding request: the body of POST /onboardings and the `detail` of the event. zod/mini keeps the
 * Lambda bundles small (the full zod adds 450 KB).
 */
export const onboardingRequestSchema = z.strictObject(
  {
    orgId: requiredString().check(z.regex(UUID, 'must be a Genesys Cloud organization id (a UUID)')),
    region: requiredString().check(
      z.refine(
        (value) =>
          isKnownRegion(value) || (value.length <= 64 && REGION_NAME.test(value.trim().toLowerCase())),
        `must be a Genesys Cloud region: one of ${listRegions().join(', ')} or its domain (another region name works only with apiUrl and loginUrl in the bootstrap secret)`,
      ),
    ),
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
            z.gte(300, 'must be at least 300 seconds'),
            z.lte(172_800, 'must be at most 172800 seconds (48 hours)'),
          ),
      ),
    }),
    integration: requiredObject({
      name: displayName(200),
      notes: optionalText(2000 - OWNERSHIP_MARKER_LENGTH),
    }),
    bootstrapSecretId: z.optional(
      z
        .string({ error: 'must be a string' })
        .check(z.regex(SECRET_ID, 'must be a Secrets Manager secret name or ARN')),
    ),
    idempotencyKey: z.optional(
      z
        .string({ error: 'must be a string' })
        .check(z.regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1 to 64 letters, digits, "-" or "_"')),
    ),
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

export interface RequestProblem {
  /** Dotted path of the field, e.g. `oauthClient.roles`, or `body` for the whole request. */
  readonly field: string;
  readonly problem: string;
}

export class InvalidRequestError extends Error {
  override readonly name = ONBOARDING_ERRORS.invalidRequest;
  constructor(readonly problems: RequestProblem[]) {
    super(`Invalid onboarding request: ${problems.map((p) => `${p.field} ${p.problem}`).join('; ')}`);
  }
}

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

/**
 * Whether a secret name (or the ARN of one) is `<prefix>/<orgId>/<name>` of this org, with no `..` or empty
 * part: a request may name only its own org's bootstrap secret, never another org's (IAM grants the whole
 * prefix, so this is the check that keeps orgs apart).
 */
function isOrgSecret(secretId: string, prefix: string, orgId: string): boolean {
  const name = secretId.startsWith('arn:') ? (/:secret:(.+)$/.exec(secretId)?.[1] ?? '') : secretId;
  const parts = name.split('/');
  const orgPart = parts[prefix.split('/').length]?.toLowerCase();
  return (
    name.startsWith(`${prefix}/`) &&
    orgPart === orgId &&
    parts.length > prefix.split('/').length + 1 &&
    parts.every((part) => part !== '' && part !== '.' && part !== '..')
  );
}

export function toProblems(error: z.core.$ZodError): RequestProblem[] {
  return error.issues.flatMap((issue): RequestProblem[] => {
    const field = issue.path.map(String).join('.') || 'body';
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => {
        // An empty key would name nothing: it is shown quoted.
        const name = key === '' ? '""' : key;
        return { field: field === 'body' ? name : `${field}.${name}`, problem: 'is not a known field' };
      });
    }
    return [{ field, problem: issue.message }];
  });
}
