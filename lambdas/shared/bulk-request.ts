import { createHash } from 'node:crypto';
import * as z from 'zod/mini';
import { FLEET_ERRORS } from './fleet-errors';
import { canonicalJson } from './naming';
import { InvalidRequestError, idempotencyKeyField, toProblems } from './request-fields';

/** Where the stack writes: a manifest is never read from there. */
export const BULK_PREFIXES = { work: 'work/', results: 'results/' } as const;

// s3://<bucket>/<key>: S3 bucket naming rules (3-63 of a-z 0-9 . -), a key of 1 to 1024 characters.
const S3_URL = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])\/(.{1,1024})$/s;

/** The body of `POST /bulk-onboardings`: the manifest's S3 URL, and an optional key to run it again. */
export const bulkOnboardingRequestSchema = z.strictObject(
  {
    manifest: z
      .string({ error: (issue) => (issue.input === undefined ? 'is required' : 'must be a string') })
      .check(z.regex(S3_URL, 'must be an S3 URL: s3://<bucket>/<key>')),
    idempotencyKey: idempotencyKeyField(),
  },
  { error: 'must be a JSON object' },
);

/** A validated bulk request: the execution input's `request`. */
export interface BulkOnboardingRequest {
  readonly manifest: { readonly bucket: string; readonly key: string };
  readonly idempotencyKey?: string;
}

/**
 * Validates a bulk request; with `manifestBucket`, the manifest must be in it (the stack's functions may read
 * nothing else), and never under the stack's own `work/` or `results/`. Throws InvalidRequestError
 * (`Bulk.InvalidRequest`) listing every problem.
 */
export function parseBulkOnboardingRequest(
  body: unknown,
  settings: { readonly manifestBucket?: string },
): BulkOnboardingRequest {
  const invalid = (problems: ReturnType<typeof toProblems>) =>
    new InvalidRequestError(problems, FLEET_ERRORS.bulkInvalidRequest, 'bulk onboarding request');
  const result = bulkOnboardingRequestSchema.safeParse(body);
  if (!result.success) throw invalid(toProblems(result.error));
  const [, bucket, key] = S3_URL.exec(result.data.manifest) as unknown as [string, string, string];
  if (settings.manifestBucket && bucket !== settings.manifestBucket) {
    throw invalid([
      {
        field: 'manifest',
        problem: `must be in the stack's manifest bucket: s3://${settings.manifestBucket}/<key>`,
      },
    ]);
  }
  if (Object.values(BULK_PREFIXES).some((prefix) => key.startsWith(prefix))) {
    throw invalid([
      {
        field: 'manifest',
        problem: `must not be under ${Object.values(BULK_PREFIXES).join(' or ')}: the stack writes there`,
      },
    ]);
  }
  return {
    manifest: { bucket, key },
    ...(result.data.idempotencyKey ? { idempotencyKey: result.data.idempotencyKey } : {}),
  };
}

/**
 * The bulk onboarding's id and execution name: `blk-<40 hex>` of the manifest URL and idempotency key. The
 * same manifest posted again is the same bulk onboarding; to run it again (its finished orgs are then
 * reported as done, not onboarded twice), give another idempotency key.
 */
export function bulkExecutionName(request: BulkOnboardingRequest): string {
  return `blk-${createHash('sha256').update(canonicalJson(request)).digest('hex').slice(0, 40)}`;
}
