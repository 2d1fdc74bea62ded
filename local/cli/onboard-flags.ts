import { type OnboardingRequest, parseOnboardingRequest } from '../../lambdas/shared/request';
import { InvalidRequestError, type RequestProblem } from '../../lambdas/shared/request-fields';
import { distinctProblems, UsageError, type UsageProblem } from './usage';

/** The options of `genesys-onboard onboard` as commander parses them (strings, not yet checked). */
export interface OnboardFlags {
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
  readonly bootstrapSecretId?: string;
  readonly adoptExisting?: boolean;
  readonly renameIntegration?: boolean;
  readonly apiUrl?: string;
  readonly loginUrl?: string;
  readonly allowHost?: string[];
  readonly secretStore: string;
  readonly secretDir: string;
  readonly secretPrefix: string;
  readonly awsRegion?: string;
  readonly kmsKeyId?: string;
  readonly json?: boolean;
  readonly verbose?: boolean;
}

/** Where the secrets live: files under `dir`, or Secrets Manager. */
export type SecretStoreChoice =
  | { readonly kind: 'file'; readonly dir: string }
  | { readonly kind: 'aws'; readonly region?: string; readonly kmsKeyId?: string };

/** A checked `onboard` invocation: everything the run needs, each flag applied. */
export interface OnboardSettings {
  readonly request: OnboardingRequest;
  /** GENESYSCLOUD_OAUTHCLIENT_ID/SECRET, held in memory only; absent: the stored bootstrap secret is used. */
  readonly credentials?: { readonly clientId: string; readonly clientSecret: string };
  /** --api-url / --login-url: override the region's URLs (and a stored bootstrap secret's). */
  readonly apiUrl?: string;
  readonly loginUrl?: string;
  /** The hosts of --api-url and --login-url (typed, so allowed) and every --allow-host. */
  readonly allowedHosts: string[];
  readonly store: SecretStoreChoice;
  readonly secretPrefix: string;
  readonly json: boolean;
  readonly verbose: boolean;
}

/** How the flags were given, beyond their values. */
export interface FlagContext {
  /** Whether the user set this option (by its commander key, e.g. `secretDir`) rather than its default. */
  readonly given: (key: keyof OnboardFlags) => boolean;
  /** What commander could not place: unknown options, their values, stray words. */
  readonly leftovers: readonly string[];
  /** Every long flag of the command, for suggestions. */
  readonly knownFlags: readonly string[];
  readonly env: NodeJS.ProcessEnv;
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

const SECRET_PREFIX = /^[A-Za-z0-9_+=.@-]+(?:\/[A-Za-z0-9_+=.@-]+)*$/;
const AWS_REGION = /^[a-z]{2}(?:-[a-z]+)+-\d+$/;
const KMS_KEY_ID = /^[A-Za-z0-9:/_-]{1,2048}$/;
const HOST_ENTRY = /^(?:\*\.)?(?:\[[0-9A-Fa-f:.]+\]|[^\s:/?#@[\]*]+)(?::\d{1,5})?$/;

/**
 * Checks every flag of `onboard` and builds the validated request from them. Throws UsageError listing every
 * problem at once (unknown flags, missing or malformed values, flags that do not go together, what the request
 * schema refuses), each naming its flag.
 */
export function onboardSettings(flags: OnboardFlags, context: FlagContext): OnboardSettings {
  const roles = flags.role ?? [];
  const problems: UsageProblem[] = [...leftoverProblems(context.leftovers, context.knownFlags)];
  const problem = (flag: string, text: string) => problems.push({ flag, problem: text });

  const tokenValidity = flags.tokenValidity?.trim();
  if (tokenValidity !== undefined && !/^\d+$/.test(tokenValidity)) {
    problem('--token-validity', 'must be a whole number of seconds (300 to 172800)');
  }
  const { allowedHosts } = connectionFlags(flags, problem);

  const store = secretStoreChoice(flags, context, problem);
  const credentials = environmentCredentials(flags, context.env, problem);

  // Absent flags stay undefined: the request schema names what is required.
  const input = {
    orgId: flags.orgId,
    region: flags.region,
    oauthClient: {
      name: flags.clientName,
      roles: roles.length > 0 ? roles : undefined,
      description: flags.clientDescription,
      divisionId: flags.division,
      accessTokenValiditySeconds:
        tokenValidity !== undefined && /^\d+$/.test(tokenValidity) ? Number(tokenValidity) : undefined,
    },
    integration: { name: flags.integrationName, notes: flags.integrationNotes },
    bootstrapSecretId: flags.bootstrapSecretId,
    idempotencyKey: flags.idempotencyKey,
    adoptExisting: flags.adoptExisting,
    renameIntegration: flags.renameIntegration,
  };
  let request: OnboardingRequest | undefined;
  try {
    request = parseOnboardingRequest(input, {
      secretPrefix: SECRET_PREFIX.test(flags.secretPrefix) ? flags.secretPrefix : 'genesys-onboarding',
    });
  } catch (error) {
    if (!(error instanceof InvalidRequestError)) throw error;
    problems.push(...error.problems.map(flagProblem));
  }
  if (problems.length > 0 || !request) throw new UsageError(distinctProblems(problems));

  return {
    request,
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

/**
 * --api-url and --login-url (base URLs), --allow-host (host, host:port or *.domain) and --secret-prefix, each
 * checked; the hosts the URLs and --allow-host allow (only meaningful when no problem was found).
 */
export function connectionFlags(
  flags: Pick<OnboardFlags, 'apiUrl' | 'loginUrl' | 'allowHost' | 'secretPrefix'>,
  problem: (flag: string, text: string) => void,
): { allowedHosts: string[] } {
  const allowHost = flags.allowHost ?? [];
  const urls: string[] = [];
  for (const [flag, value] of [
    ['--api-url', flags.apiUrl],
    ['--login-url', flags.loginUrl],
  ] as const) {
    if (value === undefined) continue;
    if (isBaseUrl(value)) urls.push(value);
    else problem(flag, 'must be an http(s) URL without user, password, query or fragment');
  }
  for (const entry of allowHost) {
    if (!HOST_ENTRY.test(entry.trim())) {
      problem('--allow-host', `${JSON.stringify(entry)} is not a host: use host, host:port or *.domain`);
    }
  }
  if (!SECRET_PREFIX.test(flags.secretPrefix)) {
    problem(
      '--secret-prefix',
      'must be a secret name prefix such as genesys-onboarding: letters, digits, _+=.@- and / between parts',
    );
  }
  return {
    allowedHosts: [
      ...new Set([...urls.map((url) => new URL(url).host), ...allowHost.map((entry) => entry.trim())]),
    ],
  };
}

/** --secret-store and the flags that go with it (--secret-dir, --aws-region, --kms-key-id), each checked. */
export function secretStoreChoice(
  flags: Pick<OnboardFlags, 'secretStore' | 'secretDir' | 'awsRegion' | 'kmsKeyId'>,
  context: { readonly given: (key: 'secretDir') => boolean },
  problem: (flag: string, text: string) => void,
): SecretStoreChoice {
  if (flags.secretStore === 'aws') {
    if (context.given('secretDir')) problem('--secret-dir', 'applies only to --secret-store file');
    if (flags.awsRegion !== undefined && !AWS_REGION.test(flags.awsRegion)) {
      problem('--aws-region', 'must be an AWS region such as eu-west-1');
    }
    if (flags.kmsKeyId !== undefined && !KMS_KEY_ID.test(flags.kmsKeyId)) {
      problem('--kms-key-id', 'must be a KMS key id, key ARN, alias name (alias/...) or alias ARN');
    }
    return {
      kind: 'aws',
      ...(flags.awsRegion !== undefined ? { region: flags.awsRegion } : {}),
      ...(flags.kmsKeyId !== undefined ? { kmsKeyId: flags.kmsKeyId } : {}),
    };
  }
  if (flags.secretStore !== 'file') problem('--secret-store', 'must be file or aws');
  if (flags.awsRegion !== undefined) problem('--aws-region', 'applies only to --secret-store aws');
  if (flags.kmsKeyId !== undefined) problem('--kms-key-id', 'applies only to --secret-store aws');
  return { kind: 'file', dir: flags.secretDir };
}

/** GENESYSCLOUD_OAUTHCLIENT_ID and _SECRET: both or neither, and not together with --bootstrap-secret-id. */
export function environmentCredentials(
  flags: Pick<OnboardFlags, 'bootstrapSecretId'>,
  env: NodeJS.ProcessEnv,
  problem: (flag: string, text: string) => void,
): { clientId: string; clientSecret: string } | undefined {
  const clientId = env.GENESYSCLOUD_OAUTHCLIENT_ID;
  const clientSecret = env.GENESYSCLOUD_OAUTHCLIENT_SECRET;
  if (!clientId && !clientSecret) return undefined;
  if (!clientId || !clientSecret) {
    const [missing, set] = clientId
      ? ['GENESYSCLOUD_OAUTHCLIENT_SECRET', 'GENESYSCLOUD_OAUTHCLIENT_ID']
      : ['GENESYSCLOUD_OAUTHCLIENT_ID', 'GENESYSCLOUD_OAUTHCLIENT_SECRET'];
    problem(missing, `is not set but ${set} is: set both, or neither to use the stored bootstrap secret`);
    return undefined;
  }
  if (flags.bootstrapSecretId !== undefined) {
    problem(
      '--bootstrap-secret-id',
      'names a stored bootstrap secret, but GENESYSCLOUD_OAUTHCLIENT_ID and GENESYSCLOUD_OAUTHCLIENT_SECRET are set: unset them, or drop this flag',
    );
  }
  return { clientId, clientSecret };
}

function flagProblem(problem: RequestProblem): UsageProblem {
  const flag =
    FLAG_OF_FIELD[problem.field] ?? FLAG_OF_FIELD[problem.field.replace(/\.\d+$/, '')] ?? problem.field;
  if (flag === '--region' && problem.problem === 'is required') {
    return { flag, problem: 'is required (or set GENESYSCLOUD_REGION)' };
  }
  return { flag, problem: problem.problem };
}

/**
 * What commander could not place, as problems: each unknown option (with the closest known flag), and words
 * that are no option's value (the word right after an unknown option is taken to be its value).
 */
export function leftoverProblems(
  leftovers: readonly string[],
  knownFlags: readonly string[],
): UsageProblem[] {
  const problems: UsageProblem[] = [];
  let valueOfUnknown = false;
  for (const token of leftovers) {
    if (token.length > 1 && token.startsWith('-')) {
      const flag = token.split('=')[0] as string;
      const suggestion = closest(flag, knownFlags);
      problems.push({
        flag,
        problem: `is not a known option${suggestion ? ` (did you mean ${suggestion}?)` : ''}`,
      });
      valueOfUnknown = !token.includes('=');
    } else if (valueOfUnknown) {
      valueOfUnknown = false;
    } else {
      problems.push({ flag: token, problem: 'is not expected: this command takes options only' });
    }
  }
  return problems;
}

/** The known flag nearest to a mistyped one (edit distance at most a third of its length), if any. */
function closest(flag: string, knownFlags: readonly string[]): string | undefined {
  let best: { flag: string; distance: number } | undefined;
  for (const known of knownFlags) {
    const distance = editDistance(flag, known);
    if (distance <= Math.max(1, Math.floor(known.length / 3)) && (!best || distance < best.distance)) {
      best = { flag: known, distance };
    }
  }
  return best?.flag;
}

/** Levenshtein distance. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min((previous[j] as number) + 1, (current[j - 1] as number) + 1, substitution);
    }
    previous = current;
  }
  return previous[b.length] as number;
}

function isBaseUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (
      (url.protocol === 'http:' || url.protocol === 'https:') &&
      url.username === '' &&
      url.password === '' &&
      url.search === '' &&
      url.hash === ''
    );
  } catch {
    return false;
  }
}
