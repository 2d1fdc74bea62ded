import { type OffboardingRequest, parseOffboardingRequest } from '../../lambdas/shared/offboarding-request';
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

/** The options of `genesys-onboard offboard` as commander parses them (strings, not yet checked). */
export interface OffboardFlags extends ConnectionFlags {
  readonly orgId?: string;
  readonly region?: string;
  readonly clientName?: string;
  readonly integrationName?: string;
  readonly force?: boolean;
  readonly idempotencyKey?: string;
}

/** A checked `offboard` invocation: everything the run needs, each flag applied. */
export interface OffboardSettings extends ConnectionSettings {
  readonly request: OffboardingRequest;
}

/** Offboarding request fields -> the flags that set them. */
const FLAG_OF_FIELD: Record<string, string> = {
  orgId: '--org-id',
  region: '--region',
  oauthClientName: '--client-name',
  integrationName: '--integration-name',
  force: '--force',
  bootstrapSecretId: '--bootstrap-secret-id',
  idempotencyKey: '--idempotency-key',
};

/**
 * Checks every flag of `offboard` and builds the validated offboarding request from them
 * (parseOffboardingRequest: `--force` needs `--client-name` or `--integration-name`). Throws UsageError listing
 * every problem at once, each naming its flag.
 */
export function offboardSettings(flags: OffboardFlags, context: FlagContext): OffboardSettings {
  const problems: UsageProblem[] = [...leftoverProblems(context.leftovers, context.knownFlags)];
  const connection = connectionSettings(flags, context, (flag, problem) => problems.push({ flag, problem }));
  if (flags.force && !flags.clientName && !flags.integrationName) {
    // The request refuses this too, but only once the rest of it is valid: said here, it comes with the rest.
    problems.push({
      flag: '--force',
      problem: 'needs --client-name or --integration-name: it applies to named resources',
    });
  }
  // Absent flags stay undefined: the request schema names what is required.
  const input = {
    orgId: flags.orgId,
    region: flags.region,
    oauthClientName: flags.clientName,
    integrationName: flags.integrationName,
    force: flags.force,
    bootstrapSecretId: flags.bootstrapSecretId,
    idempotencyKey: flags.idempotencyKey,
  };
  const request = requestFromFlags(
    () => parseOffboardingRequest(input, { secretPrefix: requestSecretPrefix(flags) }),
    problems,
    FLAG_OF_FIELD,
  );
  return { request, ...connection };
}
