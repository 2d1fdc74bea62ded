import {
  ACCESS_TOKEN_VALIDITY_SECONDS,
  type OnboardingRequest,
  parseOnboardingRequest,
} from '../../lambdas/shared/request';
import {
  type ConnectionFlags,
  type ConnectionSettings,
  connectionSettings,
  type FlagContext,
  integerFlag,
  leftoverProblems,
  requestFromFlags,
  requestSecretPrefix,
} from './flags';
import type { UsageProblem } from './usage';

/** The options of `genesys-onboard onboard` as commander parses them (strings, not yet checked). */
export interface OnboardFlags extends ConnectionFlags {
  readonly orgId?: string;
  readonly region?: string;
  readonly role?: string[];
  readonly clientName?: string;
  readonly integrationName?: string;
  readonly division?: string;
  readonly clientDescription?: string;
  readonly tokenValidity?: string;
  readonly integrationNotes?: string;
  readonly idempotencyKey?: string;
  readonly adoptExisting?: boolean;
  readonly renameIntegration?: boolean;
}

/** A checked `onboard` invocation: everything the run needs, each flag applied. */
export interface OnboardSettings extends ConnectionSettings {
  readonly request: OnboardingRequest;
}

/** Request fields -> the flags that set them, so that a problem the request schema finds names the flag. */
const FLAG_OF_FIELD: Record<string, string> = {
  orgId: '--org-id',
  region: '--region',
  'oauthClient.name': '--client-name',
  'oauthClient.roles': '--role',
  'oauthClient.description': '--client-description',
  'oauthClient.divisionId': '--division',
  'oauthClient.accessTokenValiditySeconds': '--token-validity',
  'integration.name': '--integration-name',
  'integration.notes': '--integration-notes',
  bootstrapSecretId: '--bootstrap-secret-id',
  idempotencyKey: '--idempotency-key',
  adoptExisting: '--adopt-existing',
  renameIntegration: '--rename-integration',
};

/**
 * Checks every flag of `onboard` and builds the validated request from them. Throws UsageError listing every
 * problem at once (unknown flags, missing or malformed values, flags that do not go together, what the request
 * schema refuses), each naming its flag.
 */
export function onboardSettings(flags: OnboardFlags, context: FlagContext): OnboardSettings {
  const roles = flags.role ?? [];
  const problems: UsageProblem[] = [...leftoverProblems(context.leftovers, context.knownFlags)];
  const problem = (flag: string, text: string) => problems.push({ flag, problem: text });

  const tokenValidity =
    flags.tokenValidity === undefined
      ? undefined
      : integerFlag(
          '--token-validity',
          flags.tokenValidity,
          { ...ACCESS_TOKEN_VALIDITY_SECONDS, unit: 'seconds' },
          problem,
        );
  const connection = connectionSettings(flags, context, problem);

  // Absent flags stay undefined: the request schema names what is required.
  const input = {
    orgId: flags.orgId,
    region: flags.region,
    oauthClient: {
      name: flags.clientName,
      roles: roles.length > 0 ? roles : undefined,
      description: flags.clientDescription,
      divisionId: flags.division,
      accessTokenValiditySeconds: tokenValidity,
    },
    integration: { name: flags.integrationName, notes: flags.integrationNotes },
    bootstrapSecretId: flags.bootstrapSecretId,
    idempotencyKey: flags.idempotencyKey,
    adoptExisting: flags.adoptExisting,
    renameIntegration: flags.renameIntegration,
  };
  const request = requestFromFlags(
    () => parseOnboardingRequest(input, { secretPrefix: requestSecretPrefix(flags) }),
    problems,
    FLAG_OF_FIELD,
  );
  return { request, ...connection };
}
