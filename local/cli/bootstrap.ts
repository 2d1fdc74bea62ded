import { EndpointPolicyError, resolveEndpoints, UnknownRegionError } from '../../lambdas/genesys/regions';
import type { SecretStore } from '../../lambdas/shared/secret-store';
import { AwsAccessError, describeAwsError } from './aws-access';
import type { SecretStoreChoice } from './onboard-flags';
import { UsageError, type UsageProblem } from './usage';

/** Where a command's bootstrap credentials come from, and the endpoints it may use with them. */
export interface BootstrapSource {
  /** The stored bootstrap secret (name or ARN). */
  readonly bootstrapSecretId: string;
  /** The Genesys Cloud region asked for. */
  readonly region: string;
  /** GENESYSCLOUD_OAUTHCLIENT_ID/SECRET, held in memory only; absent: the stored secret. */
  readonly credentials?: { readonly clientId: string; readonly clientSecret: string };
  /** --api-url / --login-url: applied over the stored secret's URLs. */
  readonly apiUrl?: string;
  readonly loginUrl?: string;
  /** Typed URL hosts and --allow-host entries. */
  readonly allowedHosts: readonly string[];
  readonly store: SecretStoreChoice;
}

/**
 * The bootstrap secret to hold in memory for the run: GENESYSCLOUD_OAUTHCLIENT_ID/SECRET with the URL flags,
 * or the stored secret with the URL flags applied over its own (a stored secret that is not JSON is passed
 * as it is: the run reports it).
 */
export async function bootstrapSecretValue(
  settings: BootstrapSource,
  store: SecretStore,
  awsRegion: string | undefined,
): Promise<string> {
  const urls = {
    ...(settings.apiUrl ? { apiUrl: settings.apiUrl } : {}),
    ...(settings.loginUrl ? { loginUrl: settings.loginUrl } : {}),
  };
  if (settings.credentials) return JSON.stringify({ ...settings.credentials, ...urls });
  const secretId = settings.bootstrapSecretId;
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
export function checkEndpoints(settings: BootstrapSource, bootstrapSecret: string): UsageProblem[] {
  const secret = parseObject(bootstrapSecret);
  if (!secret) return [];
  const url = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);
  try {
    resolveEndpoints({
      region: settings.region,
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
          problem: `${JSON.stringify(settings.region)} is not in the region table (see --help): for another region give --api-url and --login-url`,
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
        problem: `is needed for ${error.host ?? 'the host'} (the ${error.field} of bootstrap secret ${settings.bootstrapSecretId}): ${error.message.replace(/; to use it anyway.*$/, '')}; add --allow-host ${error.host ?? '<host>'} if it is yours`,
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
