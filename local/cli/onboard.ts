import { AwsSecretStore } from '../../lambdas/aws/secret-store';
import { resultSecretName } from '../../lambdas/shared/naming';
import type { SecretStore } from '../../lambdas/shared/secret-store';
import { FileSecretStore } from '../adapters/file-secret-store';
import { checkAwsAccess } from './aws-access';
import { bootstrapSecretValue, checkEndpoints } from './bootstrap';
import { Interruption } from './interrupt';
import type { OnboardSettings } from './onboard-flags';
import { ProgressDisplay } from './progress';
import { describeReport, jsonReport } from './report';
import { runOnboarding } from './run-onboarding';
import { EXIT, UsageError } from './usage';

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
 * prints the result on stdout. Resolves with the exit code: 0 onboarded, 1 failed, 130 stopped by Ctrl-C.
 * Throws UsageError (exit 2) for a missing bootstrap secret or AWS region, AwsAccessError (exit 1) for AWS.
 */
export async function onboard(io: Io, settings: OnboardSettings): Promise<number> {
  const { request } = settings;
  let store: SecretStore;
  let awsRegion: string | undefined;
  if (settings.store.kind === 'aws') {
    const access = await checkAwsAccess({
      ...(settings.store.region ? { region: settings.store.region } : {}),
      probeSecretId: resultSecretName(settings.secretPrefix, request.orgId),
    });
    store = new AwsSecretStore(access.client);
    awsRegion = access.region;
  } else {
    store = new FileSecretStore(settings.store.dir);
  }
  const source = {
    bootstrapSecretId: request.bootstrapSecretId,
    region: request.region,
    ...(settings.credentials ? { credentials: settings.credentials } : {}),
    ...(settings.apiUrl ? { apiUrl: settings.apiUrl } : {}),
    ...(settings.loginUrl ? { loginUrl: settings.loginUrl } : {}),
    allowedHosts: settings.allowedHosts,
    store: settings.store,
  };
  const bootstrapSecret = await bootstrapSecretValue(source, store, awsRegion);
  const endpointProblems = checkEndpoints(source, bootstrapSecret);
  if (endpointProblems.length > 0) throw new UsageError(endpointProblems);

  const showProgress = !settings.json || io.stderr.isTTY === true;
  const progress = showProgress
    ? new ProgressDisplay({ stream: io.stderr, live: io.stderr.isTTY === true && !settings.verbose })
    : undefined;
  const say = (text: string) => (progress ? progress.say(text) : io.stderr.write(`${text}\n`));
  const interruption = new Interruption({
    onIdle: () => {
      io.stderr.write('Interrupted: nothing was started.\n');
      process.exit(EXIT.interrupted);
    },
    onStopping: () => say(STOPPING),
    onAborted: () => say('Ctrl-C again: stopping at once'),
  }).listen();
  let report: Awaited<ReturnType<typeof runOnboarding>>;
  try {
    report = await runOnboarding({
      request,
      bootstrapSecret,
      store,
      secretPrefix: settings.secretPrefix,
      allowedHosts: settings.allowedHosts,
      ...(settings.store.kind === 'aws' && settings.store.kmsKeyId
        ? { resultSecretKmsKeyId: settings.store.kmsKeyId }
        : {}),
      onProgress: progress?.handle,
      interruption,
    });
  } finally {
    await progress?.close();
    interruption.dispose();
  }
  const context = { region: request.region, ...(awsRegion ? { awsRegion } : {}) };
  if (settings.json) io.stdout.write(`${JSON.stringify(jsonReport(report, context))}\n`);
  else io.stdout.write(`${describeReport(report, context)}\n`);
  if (report.interrupted) return EXIT.interrupted;
  return report.status === 'SUCCEEDED' ? EXIT.ok : EXIT.failed;
}
