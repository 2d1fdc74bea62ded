import { AwsSecretStore } from '../../lambdas/aws/secret-store';
import {
  EndpointPolicyError,
  type GenesysEndpoints,
  resolveEndpoints,
  UnknownRegionError,
} from '../../lambdas/genesys/regions';
import { resultSecretName } from '../../lambdas/shared/naming';
import type { SecretStore } from '../../lambdas/shared/secret-store';
import { FileSecretStore } from '../adapters/file-secret-store';
import { AwsAccessError, checkAwsAccess, describeAwsError } from './aws-access';
import type { ConnectionSettings } from './flags';
import { UsageError, type UsageProblem } from './usage';

/** The org a command works on, as its validated request names it. */
export interface ConnectionTarget {
  readonly orgId: string;
  readonly region: string;
  readonly bootstrapSecretId: string;
}

/** What a command needs before its run: the secret store, and the bootstrap secret to hold in memory. */
export interface Connection {
  readonly store: SecretStore;
  /** The AWS region of Secrets Manager, with --secret-store aws. */
  readonly awsRegion?: string;
  /**
   * The bootstrap secret's value (JSON): GENESYSCLOUD_OAUTHCLIENT_ID/SECRET with the URL flags, or the stored
   * secret with the URL flags applied over its own (a stored secret that is not JSON is passed as it is: the
   * run reports it). Held in memory only.
   */
  readonly bootstrapSecret: string;
  /**
   * The Genesys Cloud hosts a run calls, resolved from the region and the bootstrap secret's URLs (the flags'
   * over the stored secret's) as its Genesys client resolves them; absent when a stored bootstrap secret is not
   * JSON (the run reports it).
   */
  readonly endpoints?: GenesysEndpoints;
}

/**
 * Everything a command checks before its first Genesys call: AWS access first when the secrets are in Secrets
 * Manager (reading the org's result secret as the probe), then the bootstrap credentials, then the endpoints
 * they lead to. Throws UsageError (exit 2) for a missing bootstrap secret or AWS region, or an endpoint the
 * flags do not allow; AwsAccessError (exit 1) when AWS refuses.
 */
export async function connect(settings: ConnectionSettings, target: ConnectionTarget): Promise<Connection> {
  let store: SecretStore;
  let awsRegion: string | undefined;
  if (settings.store.kind === 'aws') {
    const access = await checkAwsAccess({
      ...(settings.store.region ? { region: settings.store.region } : {}),
      probeSecretId: resultSecretName(settings.secretPrefix, target.orgId),
    });
    store = new AwsSecretStore(access.client);
    awsRegion = access.region;
  } else {
    store = new FileSecretStore(settings.store.dir);
  }
  const bootstrapSecret = await bootstrapSecretValue(settings, target, store, awsRegion);
  const { endpoints, problems } = checkEndpoints(settings, target, bootstrapSecret);
  if (problems.length > 0) throw new UsageError(problems);
  return { store, ...(awsRegion ? { awsRegion } : {}), bootstrapSecret, ...(endpoints ? { endpoints } : {}) };
}

async function bootstrapSecretValue(
  settings: ConnectionSettings,
  target: ConnectionTarget,
  store: SecretStore,
  awsRegion: string | undefined,
): Promise<string> {
  const urls = {
    ...(settings.apiUrl ? { apiUrl: settings.apiUrl } : {}),
    ...(settings.loginUrl ? { loginUrl: settings.loginUrl } : {}),
  };
  if (settings.credentials) return JSON.stringify({ ...settings.credentials, ...urls });
  const secretId = target.bootstrapSecretId;
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
function checkEndpoints(
  settings: ConnectionSettings,
  target: ConnectionTarget,
  bootstrapSecret: string,
): { endpoints?: GenesysEndpoints; problems: UsageProblem[] } {
  const secret = parseObject(bootstrapSecret);
  if (!secret) return { problems: [] };
  const url = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);
  try {
    const endpoints = resolveEndpoints({
      region: target.region,
      apiUrl: url(secret.apiUrl),
      loginUrl: url(secret.loginUrl),
      allowedHosts: settings.allowedHosts,
    });
    return { endpoints, problems: [] };
  } catch (error) {
    return { problems: endpointProblems(settings, target, error) };
  }
}

/** Why the endpoints were refused, naming the flag that fixes it. Rethrows an error that is not a refusal. */
function endpointProblems(
  settings: ConnectionSettings,
  target: ConnectionTarget,
  error: unknown,
): UsageProblem[] {
  if (error instanceof UnknownRegionError) {
    return [
      {
        flag: '--region',
        problem: `${JSON.stringify(target.region)} is not in the region table (see --help): for another region give --api-url and --login-url`,
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
      problem: `is needed for ${error.host ?? 'the host'} (the ${error.field} of bootstrap secret ${target.bootstrapSecretId}): ${error.message.replace(/; to use it anyway.*$/, '')}; add --allow-host ${error.host ?? '<host>'} if it is yours`,
    },
  ];
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
