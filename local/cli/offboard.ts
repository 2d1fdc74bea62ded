import { startOffboarding } from '../../lambdas/api/offboardings';
import type { OffboardingPlan } from '../../lambdas/workflows/offboarding/state';
import { OFFBOARDING_STATES as O } from '../../lambdas/workflows/offboarding/states';
import { connect } from './connection';
import { dryRun, dryRunConnection, showDryRun } from './dry-run';
import type { OffboardSettings } from './offboard-flags';
import {
  describeOffboarding,
  describeOffboardingPlan,
  type OffboardContext,
  offboardingJson,
  offboardingPlanJson,
} from './offboard-report';
import type { Io } from './onboard';
import { OFFBOARDING_STEPS, OFFBOARDING_STOP, offboardingPlanOf, runOffboarding } from './run-offboarding';
import { EXIT } from './usage';
import { watchRun } from './watch';

/** The first Ctrl-C's notice (at most 110 characters: it shows under the running step on a terminal). */
const STOPPING =
  'Ctrl-C: finishing the running step, then stopping; nothing to roll back (press Ctrl-C again to stop at once)';

/**
 * `genesys-onboard offboard`: checks AWS access first when the secrets are in Secrets Manager, resolves the
 * bootstrap credentials, runs the offboarding state machine with progress on stderr (on a terminal even with
 * --json) and prints what was removed, already gone and left alone on stdout; with --dry-run only
 * PrepareOffboarding runs and its plan is printed. Resolves with the exit code: 0 nothing of ours is left (or
 * planned), 1 failed (the output names what is left and why), 130 stopped by Ctrl-C. Throws UsageError (exit
 * 2) for a missing bootstrap secret or AWS region, AwsAccessError (exit 1) for AWS.
 */
export async function offboard(io: Io, settings: OffboardSettings): Promise<number> {
  const { request } = settings;
  const connection = await connect(settings, request);
  const context: OffboardContext = {
    region: request.region,
    ...(connection.awsRegion ? { awsRegion: connection.awsRegion } : {}),
    store: settings.store.kind,
    request,
  };
  if (settings.dryRun) {
    return showDryRun<OffboardingPlan>(
      io,
      settings,
      {
        noun: 'offboarding',
        orgId: request.orgId,
        region: request.region,
        ...(connection.endpoints ? { endpoints: connection.endpoints } : {}),
        step: O.prepare,
        labels: OFFBOARDING_STEPS.labels,
        describe: (plan) => describeOffboardingPlan(plan, context),
        json: (plan) => offboardingPlanJson(plan, context),
      },
      (watch) =>
        dryRun({
          workflow: 'offboarding',
          step: O.prepare,
          start: (starter) => startOffboarding(request, { starter }),
          bootstrapSecretId: request.bootstrapSecretId,
          planOf: offboardingPlanOf,
          ...dryRunConnection(settings, connection),
          ...watch,
        }),
    );
  }
  const report = await watchRun(
    io,
    { ...settings, steps: OFFBOARDING_STEPS, stopRule: OFFBOARDING_STOP, stopping: STOPPING },
    (watch) =>
      runOffboarding({
        request,
        bootstrapSecret: connection.bootstrapSecret,
        store: connection.store,
        secretPrefix: settings.secretPrefix,
        allowedHosts: settings.allowedHosts,
        ...watch,
      }),
  );
  if (settings.json) io.stdout.write(`${JSON.stringify(offboardingJson(report, context))}\n`);
  else io.stdout.write(`${describeOffboarding(report, context)}\n`);
  if (report.interrupted) return EXIT.interrupted;
  return report.status === 'SUCCEEDED' ? EXIT.ok : EXIT.failed;
}
