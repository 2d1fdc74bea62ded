import * as z from 'zod/mini';
import { BULK_PREFIXES } from '../../../shared/bulk-request';
import { FLEET_ERRORS, FleetError } from '../../../shared/fleet-errors';
import { ObjectTooLargeError } from '../../../shared/object-store';
import { defineStep } from '../../../shared/step';
import type { BulkDeps } from '../deps';
import { type InvalidLine, MANIFEST_LIMITS, manifestFormat, parseManifest } from '../manifest';

/** The invalid lines kept in the state (an execution's state is at most 256 KB); all of them go to S3. */
export const INVALID_LINES_IN_STATE = 100;

export const validateManifestInputSchema = z.object({
  request: z.object({
    manifest: z.object({ bucket: z.string().check(z.minLength(3)), key: z.string().check(z.minLength(1)) }),
    idempotencyKey: z.optional(z.string()),
  }),
  /** The bulk onboarding's execution name: its work and result files are under it. */
  bulkId: z.string().check(z.minLength(1)),
});
export type ValidateManifestInput = z.infer<typeof validateManifestInputSchema>;

/** What the Distributed Map and the summary need: where the valid items are, and the line counts. */
export interface ValidationOutcome {
  readonly bucket: string;
  /** `work/<bulkId>/items.jsonl`: one manifest item per line, the map's ItemReader reads it. */
  readonly itemsKey: string;
  /** `work/<bulkId>/invalid-lines.json`: every invalid line's problems. */
  readonly invalidLinesKey: string;
  readonly format: string;
  readonly total: number;
  readonly valid: number;
  readonly rejected: number;
  /** The first `INVALID_LINES_IN_STATE` problems. */
  readonly invalidLines: InvalidLine[];
}

/**
 * Reads the manifest from S3, validates every line (manifest.ts: the API's request parser and naming, one
 * line per org) and writes the valid items, each with its onboarding execution's ARN, as JSON Lines for the
 * map, and every problem beside them. An invalid line starts nothing. Throws FleetError
 * `Bulk.ManifestNotFound` or `Bulk.ManifestTooLarge`.
 */
export async function validateManifest(
  input: ValidateManifestInput,
  deps: BulkDeps,
): Promise<ValidationOutcome> {
  const { bucket, key } = input.request.manifest;
  let text: string | undefined;
  try {
    text = await deps.objects.get(bucket, key, { maxBytes: MANIFEST_LIMITS.maxBytes });
  } catch (error) {
    if (error instanceof ObjectTooLargeError) {
      throw new FleetError(
        FLEET_ERRORS.manifestTooLarge,
        `The manifest s3://${bucket}/${key} has ${error.bytes} bytes, more than ${MANIFEST_LIMITS.maxBytes}: split it`,
      );
    }
    throw error;
  }
  if (text === undefined) {
    throw new FleetError(FLEET_ERRORS.manifestNotFound, `The manifest s3://${bucket}/${key} does not exist`);
  }
  const format = manifestFormat(key, text);
  const manifest = parseManifest(text, { format, secretPrefix: deps.settings.secretPrefix });
  const executions = deps.settings.onboardingStateMachineArn.replace(':stateMachine:', ':execution:');
  const items = manifest.items.map((item) =>
    JSON.stringify({ ...item, executionArn: `${executions}:${item.executionName}` }),
  );
  const folder = `${BULK_PREFIXES.work}${input.bulkId}`;
  const itemsKey = `${folder}/items.jsonl`;
  const invalidLinesKey = `${folder}/invalid-lines.json`;
  await Promise.all([
    deps.objects.put(bucket, itemsKey, items.join('\n'), 'application/jsonl'),
    deps.objects.put(bucket, invalidLinesKey, JSON.stringify(manifest.invalidLines), 'application/json'),
  ]);
  return {
    bucket,
    itemsKey,
    invalidLinesKey,
    format,
    total: manifest.total,
    valid: manifest.items.length,
    rejected: manifest.rejected,
    invalidLines: manifest.invalidLines.slice(0, INVALID_LINES_IN_STATE),
  };
}

export const validateManifestStep = defineStep<
  typeof validateManifestInputSchema,
  ValidationOutcome,
  BulkDeps
>({
  name: 'bulk/validate-manifest',
  input: validateManifestInputSchema,
  run: validateManifest,
});
