import { ROTATION_ERRORS } from '../../lambdas/shared/errors';
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
 * steps in-process with progress on stderr and prints the result on stdout (with --json, ids only: see
 * `rotationJson`). Resolves with the exit code: 0 rotated; 1 failed or refused (the output says whether running
 * it again resumes), also when another rotation of the org superseded this one (`Rotation.Superseded`: the other
 * did the rotation, this run did not); 130 Ctrl-C. Throws UsageError (exit 2) for a missing bootstrap secret or AWS region.
 */
export async function rotate(io: Io, settings: RotateSettings): Promise<number> {
  const { target } = settings;
  const connection = await connect(settings, target);
  const secretId = resultSecretName(settings.secretPrefix, target.orgId);
  const record = (await readResultSecret(connection.store, secretId))?.secret;
  const refusal = recordRefusal(target, record);
  if (refusal) {
    if (settings.json) {
      const refused = {
        ...refusal,
        orgId: target.orgId,
        secretId,
        resumable: false,
        ...(record ? { recordedClientId: record.clientId } : {}),
      };
      io.stdout.write(`${JSON.stringify(rotationJson(refused))}\n`);
    }
    io.stderr.write(`error: ${refusal.cause}\n`);
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
): { status: 'FAILED'; error: string; cause: string } | undefined {
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
    status: 'FAILED',
    error: 'Rotation.RecordMismatch',
    cause: `The record of org ${target.orgId} names ${mismatches.join('; ')}: nothing was changed`,
  };
}

/**
 * `--json`, ids only, never a secret. Succeeded: `{status: "SUCCEEDED", orgId, oauthClientId,
 * previousOauthClientId, integrationId, credentialId, secretId}`. Otherwise, as onboard and offboard report a
 * failure: `{status: "FAILED", orgId, error, cause, failedStep (null before any step), oauthClientId (the client the
 * stored record names, when there is a record), secretId, resumable}`, with `interrupted` after Ctrl-C.
 * `resumable`: running the same command again resumes the rotation (else the cause must be seen to first).
 */
export function rotationJson(
  report: Pick<
    RotationReport,
    'status' | 'orgId' | 'secretId' | 'outcome' | 'error' | 'cause' | 'failedStep' | 'recordedClientId'
  > &
    Partial<Pick<RotationReport, 'interrupted' | 'resumable'>>,
): Record<string, unknown> {
  if (report.status === 'SUCCEEDED' && report.outcome) return { status: report.status, ...report.outcome };
  return {
    status: 'FAILED',
    orgId: report.orgId,
    ...(report.interrupted ? { interrupted: report.interrupted } : {}),
    error: report.error ?? null,
    cause: report.cause ?? null,
    failedStep: report.failedStep ?? null,
    ...(report.recordedClientId ? { oauthClientId: report.recordedClientId } : {}),
    secretId: report.secretId,
    resumable: report.resumable ?? false,
  };
}

/**
 * The rotation in words: what the integration runs on now, what was removed, each step's line; on a failure,
 * what the record names and whether running the same command again resumes (only when `report.resumable`).
 */
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
    ...failureLines(report),
  ].join('\n');
}

/** What the record names after a failed rotation, and what to do next. */
function failureLines(report: RotationReport): string[] {
  if (!report.recordedClientId) {
    return [`  secret ${report.secretId} holds no onboarding record: onboard the org first`];
  }
  if (report.error === ROTATION_ERRORS.superseded) {
    return [
      `  the stored record names OAuth client ${report.recordedClientId}`,
      '  This run has nothing left to do: the other rotation did the rotation, or does it (if it stopped, rotate resumes it).',
    ];
  }
  if (report.resumable) {
    return [
      `  the stored record still names OAuth client ${report.recordedClientId}; the integration runs on a client that works`,
      '  Run the same command again to resume the rotation.',
    ];
  }
  return [
    `  the stored record still names OAuth client ${report.recordedClientId}`,
    '  Running the same command again does not help until the cause above is seen to.',
  ];
}
