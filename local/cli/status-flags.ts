import { bootstrapSecretName } from '../../lambdas/shared/naming';
import { isOrgSecret, regionField, UUID } from '../../lambdas/shared/request-fields';
import {
  connectionFlags,
  environmentCredentials,
  leftoverProblems,
  type SecretStoreChoice,
  secretStoreChoice,
} from './onboard-flags';
import { distinctProblems, UsageError, type UsageProblem } from './usage';

/** The options of `genesys-onboard status` as commander parses them. */
export interface StatusFlags {
  readonly orgId?: string;
  readonly region?: string;
  readonly bootstrapSecretId?: string;
  readonly apiUrl?: string;
  readonly loginUrl?: string;
  readonly allowHost?: string[];
  readonly secretStore: string;
  readonly secretDir: string;
  readonly secretPrefix: string;
  readonly awsRegion?: string;
  readonly json?: boolean;
  readonly verbose?: boolean;
}

/** A checked `status` invocation. */
export interface StatusSettings {
  /** Lower case, as the record's name has it. */
  readonly orgId: string;
  readonly region: string;
  /** The bootstrap secret the checks sign in with: --bootstrap-secret-id, else `<prefix>/<org id>/bootstrap`. */
  readonly bootstrapSecretId: string;
  /** GENESYSCLOUD_OAUTHCLIENT_ID/SECRET, held in memory only; absent: the stored bootstrap secret. */
  readonly credentials?: { readonly clientId: string; readonly clientSecret: string };
  readonly apiUrl?: string;
  readonly loginUrl?: string;
  readonly allowedHosts: string[];
  readonly store: SecretStoreChoice;
  readonly secretPrefix: string;
  readonly json: boolean;
  readonly verbose: boolean;
}

/**
 * Checks every flag of `status`: the org and region (as a request would have them), the bootstrap secret (the
 * org's own), the connection and store flags as `onboard` checks them. Throws UsageError listing every problem.
 */
export function statusSettings(
  flags: StatusFlags,
  context: {
    readonly given: (key: 'secretDir') => boolean;
    readonly leftovers: readonly string[];
    readonly knownFlags: readonly string[];
    readonly env: NodeJS.ProcessEnv;
  },
): StatusSettings {
  const problems: UsageProblem[] = [...leftoverProblems(context.leftovers, context.knownFlags)];
  const problem = (flag: string, text: string) => problems.push({ flag, problem: text });
  const orgId = flags.orgId?.trim().toLowerCase() ?? '';
  if (flags.orgId === undefined) problem('--org-id', 'is required');
  else if (!UUID.test(orgId)) problem('--org-id', 'must be a Genesys Cloud organization id (a UUID)');
  const region = flags.region?.trim().toLowerCase() ?? '';
  if (flags.region === undefined) problem('--region', 'is required (or set GENESYSCLOUD_REGION)');
  else {
    const parsed = regionField().safeParse(flags.region);
    if (!parsed.success) problem('--region', parsed.error.issues[0]?.message ?? 'is not a region');
  }
  const { allowedHosts } = connectionFlags(flags, problem);
  const store = secretStoreChoice({ ...flags, kmsKeyId: undefined }, context, problem);
  const credentials = environmentCredentials(flags, context.env, problem);
  const bootstrapSecretId = flags.bootstrapSecretId ?? bootstrapSecretName(flags.secretPrefix, orgId);
  if (flags.bootstrapSecretId !== undefined && UUID.test(orgId)) {
    if (!isOrgSecret(flags.bootstrapSecretId, flags.secretPrefix, orgId)) {
      problem(
        '--bootstrap-secret-id',
        `must name a secret of this org: ${flags.secretPrefix}/${orgId}/<name>`,
      );
    }
  }
  if (problems.length > 0) throw new UsageError(distinctProblems(problems));
  return {
    orgId,
    region,
    bootstrapSecretId,
    ...(credentials ? { credentials } : {}),
    ...(flags.apiUrl !== undefined ? { apiUrl: flags.apiUrl } : {}),
    ...(flags.loginUrl !== undefined ? { loginUrl: flags.loginUrl } : {}),
    allowedHosts,
    store,
    secretPrefix: flags.secretPrefix,
    json: flags.json === true,
    verbose: flags.verbose === true,
  };
}
