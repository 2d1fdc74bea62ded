import {
  connectionFlags,
  type FlagContext,
  leftoverProblems,
  type OnboardFlags,
  type SecretStoreChoice,
  secretStoreChoice,
} from './onboard-flags';
import { distinctProblems, UsageError, type UsageProblem } from './usage';

/** The options of `onboard` that make it a bulk onboarding. */
export interface BulkOnboardFlags extends OnboardFlags {
  readonly manifest?: string;
  readonly concurrency?: string;
}

/** A checked `onboard --manifest` invocation. */
export interface BulkOnboardSettings {
  /** The manifest file as given (JSON Lines or CSV, by its extension or first character). */
  readonly manifestPath: string;
  /** Orgs onboarded at once. */
  readonly concurrency: number;
  readonly allowedHosts: string[];
  readonly store: SecretStoreChoice;
  readonly secretPrefix: string;
  readonly json: boolean;
  readonly verbose: boolean;
}

export const DEFAULT_CONCURRENCY = 10;
export const MAX_CONCURRENCY = 100;

/** Flags that describe one org's request: the manifest's lines give those. */
const PER_ORG_FLAGS: ReadonlyArray<readonly [keyof OnboardFlags, string]> = [
  ['orgId', '--org-id'],
  ['region', '--region'],
  ['role', '--role'],
  ['clientName', '--client-name'],
  ['integrationName', '--integration-name'],
  ['division', '--division'],
  ['clientDescription', '--client-description'],
  ['tokenValidity', '--token-validity'],
  ['integrationNotes', '--integration-notes'],
  ['idempotencyKey', '--idempotency-key'],
  ['adoptExisting', '--adopt-existing'],
  ['renameIntegration', '--rename-integration'],
  ['bootstrapSecretId', '--bootstrap-secret-id'],
];

/**
 * Checks `onboard --manifest FILE [--concurrency N]`: every problem at once, each naming its flag. The per-org
 * flags do not apply (the manifest's lines are the requests), nor do --api-url/--login-url and
 * GENESYSCLOUD_OAUTHCLIENT_ID/SECRET (each org's bootstrap secret, with its URLs, is read from the store).
 * Throws UsageError.
 */
export function bulkOnboardSettings(flags: BulkOnboardFlags, context: FlagContext): BulkOnboardSettings {
  const problems: UsageProblem[] = [...leftoverProblems(context.leftovers, context.knownFlags)];
  const problem = (flag: string, text: string) => problems.push({ flag, problem: text });
  const manifestPath = flags.manifest?.trim() ?? '';
  if (manifestPath === '') problem('--manifest', 'needs a file name');
  for (const [key, flag] of PER_ORG_FLAGS) {
    if (context.given(key))
      problem(flag, 'does not apply with --manifest: each line of the manifest is a request');
  }
  for (const [key, flag] of [
    ['apiUrl', '--api-url'],
    ['loginUrl', '--login-url'],
  ] as const) {
    if (context.given(key)) {
      problem(flag, "does not apply with --manifest: put apiUrl and loginUrl in each org's bootstrap secret");
    }
  }
  for (const variable of ['GENESYSCLOUD_OAUTHCLIENT_ID', 'GENESYSCLOUD_OAUTHCLIENT_SECRET']) {
    if (context.env[variable]) {
      problem(
        variable,
        `is set, but with --manifest each org's bootstrap credentials are read from its own secret <prefix>/<org id>/bootstrap: unset it`,
      );
    }
  }
  const concurrency =
    flags.concurrency === undefined ? DEFAULT_CONCURRENCY : Number(flags.concurrency.trim());
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > MAX_CONCURRENCY) {
    problem('--concurrency', `must be a whole number from 1 to ${MAX_CONCURRENCY}`);
  }
  const { allowedHosts } = connectionFlags({ ...flags, apiUrl: undefined, loginUrl: undefined }, problem);
  const store = secretStoreChoice(flags, context, problem);
  if (problems.length > 0) throw new UsageError(distinctProblems(problems));
  return {
    manifestPath,
    concurrency,
    allowedHosts,
    store,
    secretPrefix: flags.secretPrefix,
    json: flags.json === true,
    verbose: flags.verbose === true,
  };
}

/**
 * The single-org `onboard`: its settings, with `--concurrency` refused (it needs --manifest) among the other
 * problems, all at once.
 */
export function singleOrgSettings<T>(flags: BulkOnboardFlags, settings: () => T): T {
  const stray: UsageProblem[] =
    flags.concurrency === undefined
      ? []
      : [{ flag: '--concurrency', problem: 'applies only with --manifest (a bulk onboarding)' }];
  let result: T;
  try {
    result = settings();
  } catch (error) {
    if (error instanceof UsageError && stray.length > 0) throw new UsageError([...error.problems, ...stray]);
    throw error;
  }
  if (stray.length > 0) throw new UsageError(stray);
  return result;
}
