import type { OnboardingResult } from '../../lambdas/workflows/onboarding/state';
import { ONBOARDING_STATES as S } from '../../lambdas/workflows/onboarding/states';
import { label } from './progress';
import type { OnboardingReport } from './run-onboarding';

/** What the report says besides the run's own facts. */
export interface ReportContext {
  /** The Genesys Cloud region the request named (a name the region table may not know). */
  readonly region: string;
  /** The AWS region of Secrets Manager, with --secret-store aws. */
  readonly awsRegion?: string;
}

/**
 * The human summary of a run: ids and where they live; or what failed and what was rolled back; or, after
 * Ctrl-C, what was rolled back or what still exists. Never a secret.
 */
export function describeReport(report: OnboardingReport, context: ReportContext): string {
  const seconds = (report.durationMs / 1000).toFixed(1);
  const counts = `${report.calls} Genesys calls, ${report.writes} of them changes, ${report.transitions} state transitions`;
  const where = [
    ...report.endpoints.map(
      (e) => `  Genesys Cloud  region ${context.region}, API ${e.apiUrl}, login ${e.loginUrl}`,
    ),
    ...(context.awsRegion ? [`  AWS            Secrets Manager in ${context.awsRegion}`] : []),
  ];
  if (report.status === 'SUCCEEDED' && report.result) {
    const { result } = report;
    return [
      `Onboarded org ${result.orgId} in ${seconds} s (${counts})`,
      `  OAuth client   ${result.oauthClientId}`,
      `  Integration    ${result.integrationId}`,
      `  Credential     ${result.credentialId}`,
      `  Secret         ${result.secretArn}`,
      ...where,
      ...changedLines(result.changed),
    ].join('\n');
  }
  if (report.interrupted === 'aborted') {
    const running = report.runningSteps.map((step) => `"${label(step)}"`).join(' and ');
    const rollingBack = report.runningSteps.includes(S.compensate);
    // `created` lists what the running steps may have made too (by name), so nothing more can exist.
    const created =
      report.created.length > 0
        ? report.created.join(', ')
        : rollingBack
          ? 'nothing its finished steps report'
          : 'nothing';
    return [
      `Stopped at once by a second Ctrl-C after ${seconds} s${running ? `, during ${running}` : ''}.`,
      rollingBack
        ? `  The rollback was stopped part way: of what this run created (${created}), some may be gone.`
        : `  Nothing was rolled back. Created by this run and still there: ${created}`,
      '  Running the same command again resumes: it finds what exists by name and finishes the setup.',
      ...where,
    ].join('\n');
  }
  const rolledBack = `  Rolled back: ${report.rolledBack.length > 0 ? report.rolledBack.join(', ') : 'nothing (this run had created nothing)'}`;
  const leftBehind =
    report.leftBehind.length > 0 ? [`  Left behind, to remove by hand: ${report.leftBehind.join('; ')}`] : [];
  if (report.interrupted === 'rolled-back') {
    return [`Stopped by Ctrl-C after ${seconds} s.`, rolledBack, ...leftBehind, ...where].join('\n');
  }
  const at = report.failedStep ? ` at "${label(report.failedStep)}" (${report.failedStep})` : '';
  return [
    `Onboarding failed${at} after ${seconds} s: ${report.error ?? 'unknown error'}`,
    `  ${report.cause ?? ''}`,
    rolledBack,
    ...leftBehind,
    ...where,
  ].join('\n');
}

/** What the run changed on a client or integration that existed before it (adopted, renamed, converged). */
function changedLines(changed: OnboardingResult['changed'] | undefined): string[] {
  const all = [...(changed?.oauthClient ?? []), ...(changed?.integration ?? [])];
  return all.length > 0
    ? ['  Changed what existed before this run:', ...all.map((change) => `    ${change}`)]
    : [];
}

/**
 * The `--json` output: one object, ids, the secret's id and the endpoints used, never a secret.
 * Succeeded: `{status, onboardingId, orgId, oauthClientId, integrationId, credentialId, secretId, changed:
 * {oauthClient: string[], integration: string[]}, region, apiUrl, loginUrl}` (`changed`: what the run changed on
 * what existed before it). Otherwise: `{status, onboardingId, error, cause, failedStep, rolledBack, leftBehind}`,
 * with `interrupted` after Ctrl-C and, after a second Ctrl-C, `created` and `runningSteps`.
 */
export function jsonReport(report: OnboardingReport, context: ReportContext): Record<string, unknown> {
  const [endpoints] = report.endpoints;
  const location = {
    region: context.region,
    ...(endpoints ? { apiUrl: endpoints.apiUrl, loginUrl: endpoints.loginUrl } : {}),
    ...(context.awsRegion ? { awsRegion: context.awsRegion } : {}),
  };
  if (report.status === 'SUCCEEDED' && report.result) {
    const { secretArn, ...ids } = report.result;
    return {
      status: report.status,
      onboardingId: report.onboardingId,
      ...ids,
      secretId: secretArn,
      ...location,
    };
  }
  return {
    status: report.status,
    onboardingId: report.onboardingId,
    ...(report.interrupted ? { interrupted: report.interrupted } : {}),
    error: report.error,
    cause: report.cause,
    failedStep: report.failedStep,
    rolledBack: report.rolledBack,
    leftBehind: report.leftBehind,
    ...(report.interrupted === 'aborted'
      ? { created: report.created, runningSteps: report.runningSteps }
      : {}),
    ...location,
  };
}
