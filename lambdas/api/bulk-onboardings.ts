import {
  type BulkOnboardingRequest,
  bulkExecutionName,
  parseBulkOnboardingRequest,
} from '../shared/bulk-request';
import type { InvalidLine } from '../workflows/bulk/manifest';
import type { BulkSummary, FailedOrg } from '../workflows/bulk/summary';
import type { WorkflowApi } from './workflow-api';

/** The execution input of the bulk onboarding state machine. */
export interface BulkOnboardingExecutionInput {
  request: BulkOnboardingRequest;
}

/**
 * What a finished bulk onboarding gives: the summary (lists of at most 100 entries, `listsTruncated` when
 * cut) and where its full results are: `summary` (the whole summary as JSON) and `mapResults` (the
 * Distributed Map's own result files: its manifest.json).
 */
export interface BulkOnboardingResult extends BulkSummary {
  readonly listsTruncated: boolean;
  readonly results: { readonly summary: string; readonly mapResults?: string };
}

/**
 * `POST /bulk-onboardings` and `GET /bulk-onboardings/{bulkOnboardingId}`. `manifestBucket`: the bucket a
 * manifest must be in (the start function's `MANIFEST_BUCKET`).
 */
export function bulkOnboardingsApi(
  settings: { readonly manifestBucket?: string } = {},
): WorkflowApi<BulkOnboardingRequest, BulkOnboardingResult> {
  return {
    noun: 'bulk onboarding',
    metricPrefix: 'BulkOnboardings',
    path: '/bulk-onboardings',
    idField: 'bulkOnboardingId',
    idPattern: /^blk-[0-9a-f]{40}$/,
    parse: (body) => parseBulkOnboardingRequest(body, settings),
    executionName: bulkExecutionName,
    executionInput: (request): BulkOnboardingExecutionInput => ({ request }),
    result: (output) => bulkResult(output as Partial<BulkOnboardingResult>),
  };
}

/** Only the summary's own fields leave (counts, line numbers, org ids, error names and causes, S3 URLs). */
function bulkResult(output: Partial<BulkOnboardingResult>): BulkOnboardingResult {
  const count = (value: unknown) => (typeof value === 'number' ? value : 0);
  const list = <T>(value: unknown, pick: (entry: Record<string, unknown>) => T): T[] =>
    Array.isArray(value) ? value.map((entry) => pick(entry as Record<string, unknown>)) : [];
  return {
    total: count(output.total),
    succeeded: count(output.succeeded),
    failed: count(output.failed),
    notStarted: count(output.notStarted),
    reused: count(output.reused),
    failedOrgs: list<FailedOrg>(output.failedOrgs, (e) => ({
      line: count(e.line),
      orgId: String(e.orgId ?? ''),
      error: String(e.error ?? ''),
      cause: String(e.cause ?? ''),
    })),
    invalidLines: list<InvalidLine>(output.invalidLines, (e) => ({
      line: count(e.line),
      field: String(e.field ?? ''),
      problem: String(e.problem ?? ''),
    })),
    listsTruncated: output.listsTruncated === true,
    results: {
      summary: String(output.results?.summary ?? ''),
      ...(output.results?.mapResults ? { mapResults: String(output.results.mapResults) } : {}),
    },
  };
}
