import * as z from 'zod/mini';
import type { BulkOnboardingResult } from '../../../api/bulk-onboardings';
import { BULK_PREFIXES } from '../../../shared/bulk-request';
import { defineStep } from '../../../shared/step';
import type { BulkDeps } from '../deps';
import type { InvalidLine } from '../manifest';
import { capLists, type OrgOutcome, outcomeFromMapResult, summarize } from '../summary';

/** Entries per list in the execution's output (at most 256 KB); the summary in S3 has them all. */
export const LIST_ENTRIES_IN_OUTPUT = 100;

export const summarizeInputSchema = z.object({
  bulkId: z.string().check(z.minLength(1)),
  validation: z.object({
    bucket: z.string(),
    invalidLinesKey: z.string(),
    rejected: z.int(),
  }),
  /** The Distributed Map's output (`{MapRunArn, ResultWriterDetails: {Bucket, Key}}`), or `{}` when it did not run. */
  map: z.object({
    MapRunArn: z.optional(z.string()),
    ResultWriterDetails: z.optional(z.object({ Bucket: z.string(), Key: z.string() })),
  }),
});
export type SummarizeInput = z.infer<typeof summarizeInputSchema>;

/** The map's result manifest (`manifest.json`): its result files by status. */
const resultManifestSchema = z.object({
  ResultFiles: z.record(z.string(), z.array(z.object({ Key: z.string() }))),
});

/**
 * Reads the Distributed Map's results (its `manifest.json`, then every `SUCCEEDED_n`, `FAILED_n` and
 * `PENDING_n` file) and the invalid lines, builds the summary (summary.ts), writes it whole to
 * `results/<bulkId>/summary.json` and returns it with lists of at most `LIST_ENTRIES_IN_OUTPUT` entries.
 */
export async function summarizeBulk(input: SummarizeInput, deps: BulkDeps): Promise<BulkOnboardingResult> {
  const { bucket } = input.validation;
  const invalidLines =
    input.validation.rejected > 0
      ? (JSON.parse(
          (await deps.objects.get(bucket, input.validation.invalidLinesKey)) ?? '[]',
        ) as InvalidLine[])
      : [];
  const outcomes: OrgOutcome[] = [];
  const writer = input.map.ResultWriterDetails;
  if (writer) {
    const manifestText = await deps.objects.get(writer.Bucket, writer.Key);
    if (manifestText === undefined)
      throw new Error(`The map's result manifest s3://${writer.Bucket}/${writer.Key} is missing`);
    const manifest = resultManifestSchema.parse(JSON.parse(manifestText));
    for (const files of Object.values(manifest.ResultFiles)) {
      for (const file of files) {
        const text = await deps.objects.get(writer.Bucket, file.Key);
        for (const entry of JSON.parse(text ?? '[]') as Parameters<typeof outcomeFromMapResult>[0][]) {
          const outcome = outcomeFromMapResult(entry);
          if (outcome) outcomes.push(outcome);
        }
      }
    }
  }
  const summary = summarize({ rejected: input.validation.rejected, invalidLines }, outcomes);
  const summaryKey = `${BULK_PREFIXES.results}${input.bulkId}/summary.json`;
  await deps.objects.put(bucket, summaryKey, JSON.stringify(summary), 'application/json');
  return {
    ...capLists(summary, LIST_ENTRIES_IN_OUTPUT),
    results: {
      summary: `s3://${bucket}/${summaryKey}`,
      ...(writer ? { mapResults: `s3://${writer.Bucket}/${writer.Key}` } : {}),
    },
  };
}

export const summarizeStep = defineStep<typeof summarizeInputSchema, BulkOnboardingResult, BulkDeps>({
  name: 'bulk/summarize',
  input: summarizeInputSchema,
  run: summarizeBulk,
});
