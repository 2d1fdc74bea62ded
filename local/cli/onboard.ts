import { connect } from './connection';
import { ONBOARDING_STOP } from './interrupt';
import { dryRunOnboarding } from './onboard-dry-run';
import type { OnboardSettings } from './onboard-flags';
import { ONBOARDING_STEPS } from './progress';
import { describeReport, jsonReport } from './report';
import { runOnboarding } from './run-onboarding';
import { EXIT } from './usage';
import { watchRun } from './watch';

/** The streams and environment of the CLI. */
export interface Io {
  readonly stdout: NodeJS.WritableStream & { isTTY?: boolean };
  readonly stderr: NodeJS.WritableStream & { isTTY?: boolean };
  readonly env: NodeJS.ProcessEnv;
}

const STOPPING =
  'Ctrl-C: finishing the running step, then removing what this run created (press Ctrl-C again to stop at once)';

/**
 * `genesys-onboard onboard`: checks AWS access first when the secrets go to Secrets Manager, resolves the
 * bootstrap credentials, runs the onboarding with progress on stderr (on a terminal even with --json) and
 * prints the result on stdout; with --dry-run, only its Prepare step (onboard-dry-run.ts). Resolves with the
 * exit code: 0 onboarded (or planned), 1 failed (or refused), 130 stopped by Ctrl-C. Throws UsageError (exit 2)
 * for a missing bootstrap secret or AWS region, AwsAccessError (exit 1) for AWS.
 */
export async function onboard(io: Io, settings: OnboardSettings): Promise<number> {
  const { request } = settings;
  const connection = await connect(settings, request);
  if (settings.dryRun) return dryRunOnboarding(io, settings, connection);
  const report = await watchRun(
    io,
    { ...settings, steps: ONBOARDING_STEPS, stopRule: ONBOARDING_STOP, stopping: STOPPING },
    (watch) =>
      runOnboarding({
        request,
        bootstrapSecret: connection.bootstrapSecret,
        store: connection.store,
        secretPrefix: settings.secretPrefix,
        allowedHosts: settings.allowedHosts,
        ...(settings.store.kind === 'aws' && settings.store.kmsKeyId
          ? { resultSecretKmsKeyId: settings.store.kmsKeyId }
          : {}),
        ...watch,
      }),
  );
  const context = {
    region: request.region,
    ...(connection.awsRegion ? { awsRegion: connection.awsRegion } : {}),
  };
  if (settings.json) io.stdout.write(`${JSON.stringify(jsonReport(report, context))}\n`);
  else io.stdout.write(`${describeReport(report, context)}\n`);
  if (report.interrupted) return EXIT.interrupted;
  return report.status === 'SUCCEEDED' ? EXIT.ok : EXIT.failed;
}
