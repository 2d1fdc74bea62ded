import { bootstrapSecretName } from '../../lambdas/shared/naming';
import { isOrgSecret, regionField, UUID } from '../../lambdas/shared/request-fields';
import {
  type ConnectionFlags,
  type ConnectionSettings,
  connectionSettings,
  type FlagContext,
  leftoverProblems,
  requestSecretPrefix,
} from './flags';
import { distinctProblems, UsageError, type UsageProblem } from './usage';

/** The options of `genesys-onboard status` as commander parses them. */
export interface StatusFlags extends ConnectionFlags {
  readonly orgId?: string;
  readonly region?: string;
}

/** A checked `status` invocation: the org, and how to reach it and its secrets. */
export interface StatusSettings extends ConnectionSettings {
  /** The org, its region and the bootstrap secret the checks sign in with (the connection's target). */
  readonly target: {
    /** Lower case, as the record's name has it. */
    readonly orgId: string;
    readonly region: string;
    /** --bootstrap-secret-id, else `<prefix>/<org id>/bootstrap`. */
    readonly bootstrapSecretId: string;
  };
}

/**
 * Checks every flag of `status`: the org and region as a request would have them, a bootstrap secret of this
 * org, and the connection flags as every command checks them (--dry-run does not apply: status only reads).
 * Throws UsageError listing every problem.
 */
export function statusSettings(flags: StatusFlags, context: FlagContext): StatusSettings {
  const problems: UsageProblem[] = [...leftoverProblems(context.leftovers, context.knownFlags)];
  const problem = (flag: string, text: string) => problems.push({ flag, problem: text });
  const orgId = flags.orgId?.trim().toLowerCase() ?? '';
  if (flags.orgId === undefined) problem('--org-id', 'is required');
  else if (!UUID.test(orgId)) problem('--org-id', 'must be a Genesys Cloud organization id (a UUID)');
  if (flags.region === undefined) problem('--region', 'is required (or set GENESYSCLOUD_REGION)');
  else {
    const parsed = regionField().safeParse(flags.region);
    if (!parsed.success) problem('--region', parsed.error.issues[0]?.message ?? 'is not a region');
  }
  const connection = connectionSettings(flags, context, problem);
  const prefix = requestSecretPrefix(flags);
  if (
    flags.bootstrapSecretId !== undefined &&
    UUID.test(orgId) &&
    !isOrgSecret(flags.bootstrapSecretId, prefix, orgId)
  ) {
    problem('--bootstrap-secret-id', `must name a secret of this org: ${prefix}/${orgId}/<name>`);
  }
  if (problems.length > 0) throw new UsageError(distinctProblems(problems));
  return {
    ...connection,
    target: {
      orgId,
      region: (flags.region as string).trim().toLowerCase(),
      bootstrapSecretId: flags.bootstrapSecretId ?? bootstrapSecretName(prefix, orgId),
    },
  };
}
