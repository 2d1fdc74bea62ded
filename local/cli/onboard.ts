import { AwsSecretStore } from '../../lambdas/aws/secret-store';
import { EndpointPolicyError, resolveEndpoints, UnknownRegionError } from '../../lambdas/genesys/regions';
import { resultSecretName } from '../../lambdas/shared/naming';
import type { SecretStore } from '../../lambdas/shared/secret-store';
import { FileSecretStore } from '../adapters/file-secret-store';
import { AwsAccessError, checkAwsAccess, describeAwsError } from './aws-access';
import { Interruption } from './interrupt';
import type { OnboardSettings } from './onboard-flags';
import { ProgressDisplay } from './progress';
import { describeReport, jsonReport } from './report';
import { runOnboarding } from './run-onboarding';
import { EXIT, UsageError, type UsageProblem } from './usage';

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
  const bootstrapSecret = await bootstrapSecretValue(settings, store, awsRegion);
  const endpointProblems = checkEndpoints(settings, bootstrapSecret);
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

/**
 * The bootstrap secret to hold in memory for the run: GENESYSCLOUD_OAUTHCLIENT_ID/SECRET with the URL flags,
 * or the stored secret with the URL flags applied over its own (a stored secret that is not JSON is passed
 * as it is: the run reports it).
 */
async function bootstrapSecretValue(
  settings: OnboardSettings,
  store: SecretStore,
  awsRegion: string | undefined,
): Promise<string> {
  const urls = {
    ...(settings.apiUrl ? { apiUrl: settings.apiUrl } : {}),
    ...(settings.loginUrl ? { loginUrl: settings.loginUrl } : {}),
  };
  if (settings.credentials) return JSON.stringify({ ...settings.credentials, ...urls });
  const secretId = settings.request.bootstrapSecretId;
  const stored = await store.get(secretId).catch((error: unknown) => {
    throw awsRegion
      ? new AwsAccessError(describeAwsError(error, 'secretsmanager:GetSecretValue', secretId, awsRegion))
      : error;
  });
  if (!stored) {
    const where =
      settings.store.kind === 'file' ? `in ${settings.store.dir}` : `in Secrets Manager (${awsRegion})`;
    throw new UsageError([
      {
        flag: 'GENESYSCLOUD_OAUTHCLIENT_ID',
        problem: `and GENESYSCLOUD_OAUTHCLIENT_SECRET are not set, and there is no bootstrap secret ${secretId} ${where}: set them, or store {"clientId","clientSecret","region"} there`,
      },
    ]);
  }
  if (Object.keys(urls).length === 0) return stored.value;
  const parsed = parseObject(stored.value);
  return parsed ? JSON.stringify({ ...parsed, ...urls }) : stored.value;
}

/**
 * The Genesys endpoints the run will use, checked as the client will check them (resolveEndpoints): a region
 * the table does not know needs URLs, and a URL from the stored bootstrap secret whose host is not Genesys
 * Cloud's needs --allow-host. Typed URLs are allowed by typing them. A secret that is not JSON is left to the run.
 */
function checkEndpoints(settings: OnboardSettings, bootstrapSecret: string): UsageProblem[] {
  const secret = parseObject(bootstrapSecret);
  if (!secret) return [];
  const url = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);
  try {
    resolveEndpoints({
      region: settings.request.region,
      apiUrl: url(secret.apiUrl),
      loginUrl: url(secret.loginUrl),
      allowedHosts: settings.allowedHosts,
    });
    return [];
  } catch (error) {
    if (error instanceof UnknownRegionError) {
      return [
        {
          flag: '--region',
          problem: `${JSON.stringify(settings.request.region)} is not in the region table (see --help): for another region give --api-url and --login-url`,
        },
      ];
    }
    if (!(error instanceof EndpointPolicyError)) throw error;
    if (error.field === 'allowedHosts') return [{ flag: '--allow-host', problem: error.message }];
    const typed = error.field === 'apiUrl' ? settings.apiUrl : settings.loginUrl;
    if (typed)
      return [{ flag: error.field === 'apiUrl' ? '--api-url' : '--login-url', problem: error.message }];
    return [
      {
        flag: '--allow-host',
        problem: `is needed for ${error.host ?? 'the host'} (the ${error.field} of bootstrap secret ${settings.request.bootstrapSecretId}): ${error.message.replace(/; to use it anyway.*$/, '')}; add --allow-host ${error.host ?? '<host>'} if it is yours`,
      },
    ];
  }
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
