import type { InvalidLine } from '../../lambdas/workflows/bulk/manifest';
import type { BulkSummary, OrgOutcome } from '../../lambdas/workflows/bulk/summary';
import type { LocalBulkReport } from '../bulk';

/** One manifest line as a `--json` line: an org's outcome, or an invalid line's problems. */
export type BulkJsonLine =
  | ({ line: number; orgId: string; onboardingId: string } & (
      | {
          status: 'SUCCEEDED';
          reused: boolean;
          oauthClientId?: string;
          integrationId?: string;
          credentialId?: string;
          secretId?: string;
        }
      | { status: 'FAILED'; error: string; cause: string }
      | { status: 'NOT_STARTED' }
    ))
  | { line: number; status: 'INVALID'; problems: Array<{ field: string; problem: string }> };

/**
 * An org's `--json` line: `{line, orgId, onboardingId, status}` and, onboarded, `reused` and the ids (the
 * secret's id, never the secret); failed, the error name and cause.
 */
export function orgJsonLine(outcome: OrgOutcome): BulkJsonLine {
  const base = { line: outcome.line, orgId: outcome.orgId, onboardingId: outcome.executionName };
  if (outcome.status === 'SUCCEEDED') {
    const ids = outcome.result;
    return {
      ...base,
      status: 'SUCCEEDED',
      reused: outcome.reused,
      ...(ids
        ? {
            oauthClientId: ids.oauthClientId,
            integrationId: ids.integrationId,
            credentialId: ids.credentialId,
            secretId: ids.secretArn,
          }
        : {}),
    };
  }
  if (outcome.status === 'FAILED') {
    return { ...base, status: 'FAILED', error: outcome.error ?? 'unknown', cause: outcome.cause ?? '' };
  }
  return { ...base, status: 'NOT_STARTED' };
}

/** The `--json` lines of the invalid lines: one per line, with every problem of it. */
export function invalidJsonLines(invalidLines: readonly InvalidLine[]): BulkJsonLine[] {
  const byLine = new Map<number, Array<{ field: string; problem: string }>>();
  for (const { line, field, problem } of invalidLines) {
    byLine.set(line, [...(byLine.get(line) ?? []), { field, problem }]);
  }
  return [...byLine].map(([line, problems]) => ({ line, status: 'INVALID', problems }));
}

/** The last `--json` line: `{"summary": {total, succeeded, failed, notStarted, reused, failedOrgs, invalidLines}}`. */
export const summaryJsonLine = (summary: BulkSummary): { summary: BulkSummary } => ({ summary });

/**
 * The human summary: one line of totals, then a table of every manifest line in line order (line, org,
 * result, detail): the ids of an onboarded org, the error of a failed one, the problems of an invalid line.
 * Never a secret.
 */
export function describeBulkReport(
  report: LocalBulkReport,
  context: { readonly manifestName: string; readonly concurrency: number },
): string {
  const { summary } = report;
  const seconds = (report.durationMs / 1000).toFixed(1);
  const reused = summary.reused > 0 ? ` (${summary.reused} done earlier)` : '';
  const stopped =
    report.status === 'FAILED'
      ? '; stopped: more orgs failed than tolerated'
      : report.status === 'STOPPED'
        ? '; stopped by Ctrl-C'
        : '';
  const head = `Bulk onboarding of ${context.manifestName}: ${summary.total} lines, ${summary.succeeded} onboarded${reused}, ${summary.failed} failed${summary.notStarted > 0 ? `, ${summary.notStarted} not started` : ''}, in ${seconds} s (${context.concurrency} at a time)${stopped}`;
  const rows: Array<[number, string, string, string]> = [
    ...report.outcomes.map((outcome): [number, string, string, string] => [
      outcome.line,
      outcome.orgId,
      outcome.status === 'SUCCEEDED'
        ? outcome.reused
          ? 'done earlier'
          : 'onboarded'
        : outcome.status === 'FAILED'
          ? 'failed'
          : 'not started',
      outcome.status === 'SUCCEEDED' && outcome.result
        ? `client ${outcome.result.oauthClientId}, integration ${outcome.result.integrationId}`
        : outcome.status === 'FAILED'
          ? `${outcome.error}: ${outcome.cause}`
          : '',
    ]),
    ...invalidJsonLines(summary.invalidLines).map((entry): [number, string, string, string] => [
      entry.line,
      '-',
      'invalid',
      entry.status === 'INVALID' ? entry.problems.map((p) => `${p.field} ${p.problem}`).join('; ') : '',
    ]),
  ].sort((a, b) => a[0] - b[0]);
  const lineWidth = Math.max(4, ...rows.map(([line]) => String(line).length));
  const orgWidth = Math.max(3, ...rows.map(([, org]) => org.length));
  const statusWidth = Math.max(6, ...rows.map(([, , status]) => status.length));
  const row = (line: string, org: string, status: string, detail: string) =>
    `  ${line.padStart(lineWidth)}  ${org.padEnd(orgWidth)}  ${status.padEnd(statusWidth)}  ${detail}`.trimEnd();
  return [
    head,
    '',
    row('line', 'org', 'result', 'detail'),
    ...rows.map(([line, org, status, detail]) => row(String(line), org, status, detail)),
  ].join('\n');
}
