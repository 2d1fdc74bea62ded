import * as z from 'zod/mini';
import { ROTATION_ERRORS } from '../../lambdas/shared/errors';
import { bootstrapSecretName } from '../../lambdas/shared/naming';
import {
  bootstrapSecretIdField,
  displayName,
  InvalidRequestError,
  isOrgSecret,
  orgIdField,
  regionField,
  toProblems,
} from '../../lambdas/shared/request-fields';
import {
  type ConnectionFlags,
  type ConnectionSettings,
  connectionSettings,
  type FlagContext,
  leftoverProblems,
  requestFromFlags,
  requestSecretPrefix,
} from './flags';
import type { UsageProblem } from './usage';

/** The options of `genesys-onboard rotate` as commander parses them (strings, not yet checked). */
export interface RotateFlags extends ConnectionFlags {
  readonly orgId?: string;
  readonly region?: string;
  readonly clientName?: string;
  readonly integrationName?: string;
}

/**
 * What to rotate: the org, its region, and optionally the names the org's record must show (a check that the
 * record is the one meant, not a search: rotation works on the recorded client and integration only).
 */
export interface RotationTarget {
  readonly orgId: string;
  readonly region: string;
  readonly bootstrapSecretId: string;
  readonly oauthClientName?: string;
  readonly integrationName?: string;
}

/** A checked `rotate` invocation. */
export interface RotateSettings extends ConnectionSettings {
  readonly target: RotationTarget;
}

const rotationTargetSchema = z.strictObject({
  orgId: orgIdField(),
  region: regionField(),
  bootstrapSecretId: bootstrapSecretIdField(),
  oauthClientName: z.optional(displayName(200)),
  integrationName: z.optional(displayName(200)),
});

const FLAG_OF_FIELD: Record<string, string> = {
  orgId: '--org-id',
  region: '--region',
  oauthClientName: '--client-name',
  integrationName: '--integration-name',
  bootstrapSecretId: '--bootstrap-secret-id',
};

/**
 * Checks every flag of `rotate` (the org fields as the onboarding request checks them). Throws UsageError
 * listing every problem at once, each naming its flag. `--dry-run` and `--kms-key-id` do not apply.
 */
export function rotateSettings(flags: RotateFlags, context: FlagContext): RotateSettings {
  const problems: UsageProblem[] = [...leftoverProblems(context.leftovers, context.knownFlags)];
  const connection = connectionSettings(flags, context, (flag, problem) => problems.push({ flag, problem }));
  const secretPrefix = requestSecretPrefix(flags);
  const target = requestFromFlags(
    () => {
      const parsed = rotationTargetSchema.safeParse({
        orgId: flags.orgId,
        region: flags.region,
        bootstrapSecretId: flags.bootstrapSecretId,
        oauthClientName: flags.clientName,
        integrationName: flags.integrationName,
      });
      const invalid = (problems: ReturnType<typeof toProblems>) =>
        new InvalidRequestError(problems, ROTATION_ERRORS.invalidEvent, 'rotation');
      if (!parsed.success) throw invalid(toProblems(parsed.error));
      const orgId = parsed.data.orgId.toLowerCase();
      const bootstrapSecretId = parsed.data.bootstrapSecretId ?? bootstrapSecretName(secretPrefix, orgId);
      if (!isOrgSecret(bootstrapSecretId, secretPrefix, orgId)) {
        throw invalid([
          {
            field: 'bootstrapSecretId',
            problem: `must name a secret of this org: ${secretPrefix}/${orgId}/<name>`,
          },
        ]);
      }
      return { ...parsed.data, orgId, region: parsed.data.region.trim().toLowerCase(), bootstrapSecretId };
    },
    problems,
    FLAG_OF_FIELD,
  );
  return { target, ...connection };
}
