import { resultSecretName } from '../../lambdas/shared/naming';
import { type ResultSecret, readResultSecret } from '../../lambdas/shared/secrets';
import { connect } from './connection';
import type { Io } from './onboard';
import { stepLine } from './progress';
import type { RotateSettings, RotationTarget } from './rotate-flags';
import { ROTATION_PROGRESS, ROTATION_STOP, type RotationReport, runRotation } from './run-rotation';
import { EXIT } from './usage';
import { watchRun } from './watch';

const STOPPING =
  'Ctrl-C: finishing the running step, then stopping; the integration keeps a working client (Ctrl-C again: at once)';

/**
 * `genesys-onboard rotate`: checks AWS access first with --secret-store aws, resolves the bootstrap credentials,
 * checks that the org's record is the one meant (region, and the names when given), then runs the four rotation
 * steps in-process with progress on stderr and prints the result on stdout (with --json, ids only:
 * `{orgId, oauthClientId, previousOauthClientId, integrationId, credentialId, secretId}`). Resolves with the exit
 * code: 0 rotated, 1 failed or refused (the integration keeps a working client; running it again resumes),
 * 130 Ctrl-C. Throws UsageError (exit 2) for a missing bootstrap secret or AWS region.
 */
export async function rotate(io: Io, settings: RotateSettings): Promise<number> {
  const { target } = settings;
  const connection = await connect(settings, target);
  const secretId = resultSecretName(settings.secretPrefix, target.orgId);
  const refusal = recordRefusal(target, (await readResultSecret(connection.store, secretId))?.secret);
  if (refusal) {
    if (settings.json)
      io.stdout.write(`${JSON.stringify({ error: refusal.error, message: refusal.message })}\n`);
    io.stderr.write(`error: ${refusal.message}\n`);
    return EXIT.failed;
  }
  const report = await watchRun(
    io,
    { ...settings, steps: ROTATION_PROGRESS, stopRule: ROTATION_STOP, stopping: STOPPING },
    (watch) =>
      runRotation({
        orgId: target.orgId,
        store: connection.store,
        secretPrefix: settings.secretPrefix,
        bootstrapSecret: connection.bootstrapSecret,
        bootstrapSecretId: target.bootstrapSecretId,
        allowedHosts: settings.allowedHosts,
        ...watch,
      }),
  );
  if (settings.json) io.stdout.write(`${JSON.stringify(rotationJson(report))}\n`);
  else io.stdout.write(`${describeRotation(report, target)}\n`);
  if (report.interrupted) return EXIT.interrupted;
  return report.status === 'SUCCEEDED' ? EXIT.ok : EXIT.failed;
}

/**
 * Why the stored record is not the one the flags mean, or undefined when it is (or there is none: the run says
 * so). The integration's name is compared with the request the org was onboarded with, when the record has it.
 */
function recordRefusal(
  target: RotationTarget,
  record: ResultSecret | undefined,
): { error: string; message: string } | undefined {
  if (!record) return undefined;
  const integrationName = record.onboardedWith?.integration.name;
  const mismatches = [
    record.region !== target.region ? `region ${record.region}, not ${target.region}` : undefined,
    target.oauthClientName && record.oauthClientName !== target.oauthClientName
      ? `OAuth client ${JSON.stringify(record.oauthClientName)}, not ${JSON.stringify(target.oauthClientName)} (--client-name)`
      : undefined,
    target.integrationName && integrationName && integrationName !== target.integrationName
      ? `integration ${JSON.stringify(integrationName)}, not ${JSON.stringify(target.integrationName)} (--integration-name)`
      : undefined,
  ].filter((m): m is string => m !== undefined);
  if (mismatches.length === 0) return undefined;
  return {
    error: 'Rotation.RecordMismatch',
    message: `The record of org ${target.orgId} names ${mismatches.join('; ')}: nothing was changed`,
  };
}

/** `--json`: the ids of a finished rotation, or the error, the step it failed in and the recorded client. */
export function rotationJson(report: RotationReport): Record<string, unknown> {
  if (report.status === 'SUCCEEDED' && report.outcome) return { ...report.outcome };
  return {
    error: report.error,
    message: report.cause,
    ...(report.failedStep ? { failedStep: report.failedStep } : {}),
    ...(report.recordedClientId ? { oauthClientId: report.recordedClientId } : {}),
    secretId: report.secretId,
  };
}

/** The rotation in words: what the integration runs on now, what was removed, each step's line. */
export function describeRotation(report: RotationReport, target: RotationTarget): string {
  const steps = report.steps.map(
    (summary) =>
      `  ${summary.status === 'succeeded' ? '✔' : '✖'} ${stepLine(summary, ROTATION_PROGRESS.labels)}`,
  );
  const totals = `${report.genesysCalls} Genesys calls in ${(report.ms / 1000).toFixed(1)} s`;
  const outcome = report.outcome;
  if (report.status === 'SUCCEEDED' && outcome) {
    return [
      `Rotated the secret of org ${target.orgId} (${totals}):`,
      ...steps,
      `  integration ${outcome.integrationId} now runs on OAuth client ${outcome.oauthClientId} (credential ${outcome.credentialId})`,
      `  previous OAuth client ${outcome.previousOauthClientId} and its credential removed; its secret no longer works`,
      `  secret ${outcome.secretId} holds the new client's id and secret`,
    ].join('\n');
  }
  const where = report.failedStep ? ` in ${report.failedStep}` : '';
  return [
    `Rotation of org ${target.orgId} stopped${where} (${totals}): ${report.error}: ${report.cause}`,
    ...steps,
    report.recordedClientId
      ? `  the stored record still names OAuth client ${report.recordedClientId}; the integration runs on a client that works`
      : `  secret ${report.secretId} holds no onboarding record: onboard the org first`,
    '  Run the same command again to resume the rotation.',
  ].join('\n');
}
