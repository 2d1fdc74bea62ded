import { causeMessage } from '../../shared/errors';
import type { InvalidLine } from './manifest';

/**
 * What became of each org of a bulk onboarding, and the summary of the whole run: the same shapes for the
 * Distributed Map (built from its result files in S3) and for the local bulk runner.
 */

/** The ids an onboarding produced (its output, never a secret). */
export interface OnboardedIds {
  readonly oauthClientId: string;
  readonly integrationId: string;
  readonly credentialId: string;
  readonly secretArn: string;
}

/**
 * One org of the manifest: onboarded (`reused` when an earlier onboarding of the same request had done it),
 * failed with its error name and cause, or not started (the run stopped first).
 */
export interface OrgOutcome {
  readonly line: number;
  readonly orgId: string;
  /** The onboarding's execution name: its onboarding id. */
  readonly executionName: string;
  readonly status: 'SUCCEEDED' | 'FAILED' | 'NOT_STARTED';
  readonly reused: boolean;
  readonly result?: OnboardedIds;
  readonly error?: string;
  readonly cause?: string;
}

export interface FailedOrg {
  readonly line: number;
  readonly orgId: string;
  readonly error: string;
  readonly cause: string;
}

/**
 * A bulk onboarding's summary. `total` = manifest lines holding a request = `succeeded` + `failed` +
 * `notStarted`; `failed` counts the orgs whose onboarding failed (`failedOrgs`) and the lines that started
 * nothing (`invalidLines`, one entry per problem); `reused` counts the succeeded orgs an earlier run had done.
 */
export interface BulkSummary {
  readonly total: number;
  readonly succeeded: number;
  readonly failed: number;
  readonly notStarted: number;
  readonly reused: number;
  readonly failedOrgs: FailedOrg[];
  readonly invalidLines: InvalidLine[];
}

/** The summary of a run from the manifest's line counts and each started org's outcome. */
export function summarize(
  manifest: { readonly rejected: number; readonly invalidLines: readonly InvalidLine[] },
  outcomes: readonly OrgOutcome[],
): BulkSummary {
  const sorted = [...outcomes].sort((a, b) => a.line - b.line);
  const failedOrgs = sorted
    .filter((o) => o.status === 'FAILED')
    .map((o) => ({ line: o.line, orgId: o.orgId, error: o.error ?? 'unknown', cause: o.cause ?? '' }));
  const succeeded = sorted.filter((o) => o.status === 'SUCCEEDED');
  const notStarted = sorted.filter((o) => o.status === 'NOT_STARTED').length;
  return {
    total: sorted.length + manifest.rejected,
    succeeded: succeeded.length,
    failed: failedOrgs.length + manifest.rejected,
    notStarted,
    reused: succeeded.filter((o) => o.reused).length,
    failedOrgs,
    invalidLines: [...manifest.invalidLines],
  };
}

/** At most `max` entries of each list, and whether any was cut (an execution's output is at most 256 KB). */
export function capLists(summary: BulkSummary, max: number): BulkSummary & { listsTruncated: boolean } {
  return {
    ...summary,
    failedOrgs: summary.failedOrgs.slice(0, max),
    invalidLines: summary.invalidLines.slice(0, max),
    listsTruncated: summary.failedOrgs.length > max || summary.invalidLines.length > max,
  };
}

/**
 * The error of a failed org as its onboarding reported it. A `.sync` task whose child execution failed
 * fails with `States.TaskFailed` and, as its cause, the child's DescribeExecution answer (JSON with `Error`
 * and `Cause`): the child's own error is taken from there. Any other cause is a plain message or a Lambda
 * error's JSON (`causeMessage`).
 */
export function childFailure(
  error: string | undefined,
  cause: string | undefined,
): { error: string; cause: string } {
  const described = parseObject(cause);
  if (described && typeof described.Error === 'string') {
    return {
      error: described.Error,
      cause: causeMessage(typeof described.Cause === 'string' ? described.Cause : undefined),
    };
  }
  return { error: error ?? 'unknown', cause: causeMessage(cause) };
}

/**
 * One entry of a Distributed Map result file (`SUCCEEDED_n.json`, `FAILED_n.json`, `PENDING_n.json`: the
 * child executions' `Input`, `Output` as JSON text, `Status`, `Error`, `Cause`) as an org outcome. The input
 * is the manifest item; a successful output is the item processor's `{reused, result}`. Undefined for an
 * entry whose input is not a manifest item.
 */
export function outcomeFromMapResult(entry: {
  readonly Input?: unknown;
  readonly Output?: unknown;
  readonly Status?: string;
  readonly Error?: string;
  readonly Cause?: string;
}): OrgOutcome | undefined {
  const item = parseObject(entry.Input);
  if (!item || typeof item.line !== 'number' || typeof item.orgId !== 'string') return undefined;
  const base = {
    line: item.line,
    orgId: item.orgId,
    executionName: typeof item.executionName === 'string' ? item.executionName : '',
  };
  if (entry.Status === 'SUCCEEDED') {
    const output = parseObject(entry.Output) ?? {};
    const result = onboardedIds(output.result);
    return { ...base, status: 'SUCCEEDED', reused: output.reused === true, ...(result ? { result } : {}) };
  }
  if (entry.Status === 'PENDING' || entry.Status === undefined) {
    return { ...base, status: 'NOT_STARTED', reused: false };
  }
  return { ...base, status: 'FAILED', reused: false, ...childFailure(entry.Error, entry.Cause) };
}

/** The ids of an onboarding's output, when it has them. */
export function onboardedIds(output: unknown): OnboardedIds | undefined {
  const value = parseObject(output);
  if (!value) return undefined;
  const text = (key: string) => (typeof value[key] === 'string' ? (value[key] as string) : '');
  if (!text('oauthClientId')) return undefined;
  return {
    oauthClientId: text('oauthClientId'),
    integrationId: text('integrationId'),
    credentialId: text('credentialId'),
    secretArn: text('secretArn'),
  };
}

function parseObject(value: unknown): Record<string, unknown> | undefined {
  let parsed = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value);
    } catch {
      return undefined;
    }
  }
  return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)
    ? (parsed as Record<string, unknown>)
    : undefined;
}
