import * as z from 'zod/mini';
import { isKnownRegion, listRegions } from '../genesys/regions';

/**
 * The fields and rules every request shares (onboarding, offboarding, a manifest line): each problem names
 * the field and says what is wrong, never echoing a value back. zod/mini keeps the Lambda bundles small.
 */

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// C0 and C1 control characters, DEL, and the Unicode line/paragraph separators.
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
const SECRET_ID = /^[A-Za-z0-9/_+=.@:-]{1,2048}$/;
// A region the table does not know (Genesys adds regions), usable when the bootstrap secret gives its URLs.
const REGION_NAME = /^[a-z0-9]+(?:[.-][a-z0-9]+)*$/;
// Characters that mean something to a shell, a template, a query or markup: names never need them.
const MARKUP_CHARACTERS = /[<>{}`$;|\\"]/;

export const requiredString = (problem = 'must be a string') =>
  z.string({ error: (issue) => (issue.input === undefined ? 'is required' : problem) });

/** A name of a Genesys resource: trimmed, 1 to `max` characters, no control or markup characters. */
export const displayName = (max: number) =>
  requiredString().check(
    z.trim(),
    z.minLength(1, 'must not be empty'),
    z.maxLength(max, `must be at most ${max} characters`),
    z.refine((value) => !CONTROL_CHARACTERS.test(value), 'must not contain control characters'),
    z.refine((value) => !MARKUP_CHARACTERS.test(value), 'must not contain any of < > { } ` $ ; | \\ "'),
  );

/** Free text of up to `max` characters; tabs and newlines allowed, other control characters not. */
export const optionalText = (max: number) =>
  z.optional(
    z.string({ error: 'must be a string' }).check(
      z.maxLength(max, `must be at most ${max} characters`),
      z.refine(
        (value) => !CONTROL_CHARACTERS.test(value.replace(/[\n\t]/g, ' ')),
        'must not contain control characters',
      ),
    ),
  );

export const requiredObject = <T extends z.core.$ZodLooseShape>(shape: T) =>
  z.strictObject(shape, {
    error: (issue) => (issue.input === undefined ? 'is required' : 'must be an object'),
  });

export const orgIdField = () =>
  requiredString().check(z.regex(UUID, 'must be a Genesys Cloud organization id (a UUID)'));

export const regionField = () =>
  requiredString().check(
    z.refine(
      (value) => isKnownRegion(value) || (value.length <= 64 && REGION_NAME.test(value.trim().toLowerCase())),
      `must be a Genesys Cloud region: one of ${listRegions().join(', ')} or its domain (another region name works only with apiUrl and loginUrl in the bootstrap secret)`,
    ),
  );

export const bootstrapSecretIdField = () =>
  z.optional(
    z
      .string({ error: 'must be a string' })
      .check(z.regex(SECRET_ID, 'must be a Secrets Manager secret name or ARN')),
  );

export const idempotencyKeyField = () =>
  z.optional(
    z
      .string({ error: 'must be a string' })
      .check(z.regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1 to 64 letters, digits, "-" or "_"')),
  );

export interface RequestProblem {
  /** Dotted path of the field, e.g. `oauthClient.roles`, or `body` for the whole request. */
  readonly field: string;
  readonly problem: string;
}

/** A request that cannot be taken: every problem at once. Its name is the workflow's `*.InvalidRequest`. */
export class InvalidRequestError extends Error {
  constructor(
    readonly problems: RequestProblem[],
    override readonly name: string = 'Onboarding.InvalidRequest',
    what = 'onboarding request',
  ) {
    super(`Invalid ${what}: ${problems.map((p) => `${p.field} ${p.problem}`).join('; ')}`);
  }
}

/**
 * Whether a secret name (or the ARN of one) is `<prefix>/<orgId>/<name>` of this org, with no `..` or empty
 * part: a request may name only its own org's bootstrap secret, never another org's (IAM grants the whole
 * prefix, so this is the check that keeps orgs apart).
 */
export function isOrgSecret(secretId: string, prefix: string, orgId: string): boolean {
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

/** zod issues as problems; an unknown key is named (an empty one shown quoted). */
export function toProblems(error: z.core.$ZodError): RequestProblem[] {
  return error.issues.flatMap((issue): RequestProblem[] => {
    const field = issue.path.map(String).join('.') || 'body';
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => {
        const name = key === '' ? '""' : key;
        return { field: field === 'body' ? name : `${field}.${name}`, problem: 'is not a known field' };
      });
    }
    return [{ field, problem: issue.message }];
  });
}
