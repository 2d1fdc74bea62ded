import { label } from './progress';
import type { OnboardingReport } from './run-onboarding';

/** The human summary of a run: ids, counts, or what failed and what was rolled back. Never a secret. */
export function describeReport(report: OnboardingReport): string {
  const seconds = (report.durationMs / 1000).toFixed(1);
  const counts = `${report.calls} Genesys calls, ${report.writes} of them changes, ${report.transitions} state transitions`;
  if (report.status === 'SUCCEEDED' && report.result) {
    const { result } = report;
    return [
      `Onboarded org ${result.orgId} in ${seconds} s (${counts})`,
      `  OAuth client   ${result.oauthClientId}`,
      `  Integration    ${result.integrationId}`,
      `  Credential     ${result.credentialId}`,
      `  Secret         ${result.secretArn}`,
    ].join('\n');
  }
  const where = report.failedStep ? ` at "${label(report.failedStep)}" (${report.failedStep})` : '';
  return [
    `Onboarding failed${where} after ${seconds} s: ${report.error ?? 'unknown error'}`,
    `  ${report.cause ?? ''}`,
    `  Rolled back: ${report.rolledBack.length > 0 ? report.rolledBack.join(', ') : 'nothing (this run had created nothing)'}`,
    ...(report.leftBehind.length > 0
      ? [`  Left behind, to remove by hand: ${report.leftBehind.join('; ')}`]
      : []),
  ].join('\n');
}

/** The `--json` output: one object, ids and the secret's id, never a secret. */
export function jsonReport(report: OnboardingReport): Record<string, unknown> {
  if (report.status === 'SUCCEEDED' && report.result) {
    const { secretArn, ...ids } = report.result;
    return { status: report.status, onboardingId: report.onboardingId, ...ids, secretId: secretArn };
  }
  return {
    status: report.status,
    onboardingId: report.onboardingId,
    error: report.error,
    cause: report.cause,
    failedStep: report.failedStep,
    rolledBack: report.rolledBack,
    leftBehind: report.leftBehind,
  };
}
