import {
  type ConnectionSettings,
  connectionSettings,
  type FlagContext,
  integerFlag,
  leftoverProblems,
} from './flags';
import type { OnboardFlags } from './onboard-flags';
import { distinctProblems, UsageError, type UsageProblem } from './usage';

/** The options of `onboard` that make it a bulk onboarding. */
export interface BulkOnboardFlags extends OnboardFlags {
  readonly manifest?: string;
  readonly concurrency?: string;
}

/** A checked `onboard --manifest` invocation. */
export interface BulkOnboardSettings extends ConnectionSettings {
  /** The manifest file as given (JSON Lines or CSV, by its extension or first character). */
  readonly manifestPath: string;
  /** Orgs onboarded at once. */
  readonly concurrency: number;
}

export const DEFAULT_CONCURRENCY = 10;
export const MAX_CONCURRENCY = 100;

/** Flags that describe one org's request, or one org's connection: the manifest's lines and secrets give those. */
const PER_ORG_FLAGS: ReadonlyArray<readonly [keyof BulkOnboardFlags, string, string]> = [
  ['orgId', '--org-id', 'each line of the manifest is a request'],
  ['region', '--region', 'each line of the manifest is a request'],
  ['role', '--role', 'each line of the manifest is a request'],
  ['clientName', '--client-name', 'each line of the manifest is a request'],
  ['integrationName', '--integration-name', 'each line of the manifest is a request'],
  ['division', '--division', 'each line of the manifest is a request'],
  ['clientDescription', '--client-description', 'each line of the manifest is a request'],
  ['tokenValidity', '--token-validity', 'each line of the manifest is a request'],
  ['integrationNotes', '--integration-notes', 'each line of the manifest is a request'],
  ['idempotencyKey', '--idempotency-key', 'each line of the manifest is a request'],
  ['adoptExisting', '--adopt-existing', 'each line of the manifest is a request'],
  ['renameIntegration', '--rename-integration', 'each line of the manifest is a request'],
  ['bootstrapSecretId', '--bootstrap-secret-id', 'each line of the manifest is a request'],
  ['apiUrl', '--api-url', "put apiUrl and loginUrl in each org's bootstrap secret"],
  ['loginUrl', '--login-url', "put apiUrl and loginUrl in each org's bootstrap secret"],
  ['dryRun', '--dry-run', 'a dry run looks at one org'],
];

/**
 * Checks `onboard --manifest FILE [--concurrency N]`: every problem at once, each naming its flag. The per-org
 * flags do not apply (the manifest's lines are the requests), nor do --api-url/--login-url, --dry-run and
 * GENESYSCLOUD_OAUTHCLIENT_ID/SECRET (each org's bootstrap secret, with its URLs, is read from the store);
 * the connection flags are checked as for every command (flags.ts connectionSettings). Throws UsageError.
 */
export function bulkOnboardSettings(flags: BulkOnboardFlags, context: FlagContext): BulkOnboardSettings {
  const problems: UsageProblem[] = [...leftoverProblems(context.leftovers, context.knownFlags)];
  const problem = (flag: string, text: string) => problems.push({ flag, problem: text });
  const manifestPath = flags.manifest?.trim() ?? '';
  if (manifestPath === '') problem('--manifest', 'needs a file name');
  const given = context.given as (key: string) => boolean;
  for (const [key, flag, why] of PER_ORG_FLAGS) {
    if (given(key)) problem(flag, `does not apply with --manifest: ${why}`);
  }
  for (const variable of ['GENESYSCLOUD_OAUTHCLIENT_ID', 'GENESYSCLOUD_OAUTHCLIENT_SECRET']) {
    if (context.env[variable]) {
      problem(
        variable,
        "is set, but with --manifest each org's bootstrap credentials are read from its own secret <prefix>/<org id>/bootstrap: unset it",
      );
    }
  }
  const concurrency =
    flags.concurrency === undefined
      ? DEFAULT_CONCURRENCY
      : integerFlag('--concurrency', flags.concurrency, { min: 1, max: MAX_CONCURRENCY }, problem);
  // The environment's bootstrap credentials are refused above, once: not again by connectionSettings.
  const connection = connectionSettings(
    { ...flags, apiUrl: undefined, loginUrl: undefined, bootstrapSecretId: undefined },
    { ...context, env: {} },
    problem,
  );
  if (problems.length > 0) throw new UsageError(distinctProblems(problems));
  return { ...connection, manifestPath, concurrency: concurrency as number };
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
