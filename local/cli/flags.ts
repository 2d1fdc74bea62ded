import { InvalidRequestError, type RequestProblem } from '../../lambdas/shared/request-fields';
import { distinctProblems, UsageError, type UsageProblem } from './usage';

/**
 * The flags every command that works on an org takes besides its request (command-options.ts
 * addConnectionOptions, `--json`, `--verbose`), as commander parses them: strings, not yet checked.
 */
export interface ConnectionFlags {
  readonly bootstrapSecretId?: string;
  readonly apiUrl?: string;
  readonly loginUrl?: string;
  readonly allowHost?: string[];
  readonly secretStore: string;
  readonly secretDir: string;
  readonly secretPrefix: string;
  readonly awsRegion?: string;
  /** `onboard` only: the KMS key of the result secret it creates. */
  readonly kmsKeyId?: string;
  readonly dryRun?: boolean;
  readonly json?: boolean;
  readonly verbose?: boolean;
}

/** Where the secrets live: files under `dir`, or Secrets Manager. */
export type SecretStoreChoice =
  | { readonly kind: 'file'; readonly dir: string }
  | { readonly kind: 'aws'; readonly region?: string; readonly kmsKeyId?: string };

/** The checked connection flags: how to reach the org and its secrets, and how to report. */
export interface ConnectionSettings {
  /** GENESYSCLOUD_OAUTHCLIENT_ID/SECRET, held in memory only; absent: the stored bootstrap secret is used. */
  readonly credentials?: { readonly clientId: string; readonly clientSecret: string };
  /** --api-url / --login-url: override the region's URLs (and a stored bootstrap secret's). */
  readonly apiUrl?: string;
  readonly loginUrl?: string;
  /** The hosts of --api-url and --login-url (typed, so allowed) and every --allow-host. */
  readonly allowedHosts: string[];
  readonly store: SecretStoreChoice;
  readonly secretPrefix: string;
  /** --dry-run: only the workflow's first, read-only step runs, and its plan is printed. */
  readonly dryRun: boolean;
  readonly json: boolean;
  readonly verbose: boolean;
}

/** How the flags were given, beyond their values. */
export interface FlagContext {
  /** Whether the user set this option (by its commander key, e.g. `secretDir`) rather than its default. */
  readonly given: (key: keyof ConnectionFlags) => boolean;
  /** What commander could not place: unknown options, their values, stray words. */
  readonly leftovers: readonly string[];
  /** Every long flag of the command, for suggestions. */
  readonly knownFlags: readonly string[];
  readonly env: NodeJS.ProcessEnv;
}

/** Records one problem with a flag. */
export type ProblemSink = (flag: string, problem: string) => void;

export const SECRET_PREFIX = /^[A-Za-z0-9_+=.@-]+(?:\/[A-Za-z0-9_+=.@-]+)*$/;
const AWS_REGION = /^[a-z]{2}(?:-[a-z]+)+-\d+$/;
const KMS_KEY_ID = /^[A-Za-z0-9:/_-]{1,2048}$/;
const HOST_ENTRY = /^(?:\*\.)?(?:\[[0-9A-Fa-f:.]+\]|[^\s:/?#@[\]*]+)(?::\d{1,5})?$/;

/**
 * Checks the connection flags and the bootstrap variables, reporting each problem to `problem` (naming its
 * flag or variable), and returns what they set. URLs must be http(s) without user, password, query or
 * fragment; hosts `host`, `host:port` or `*.domain`; the prefix a secret name prefix; the secret store `file`
 * (where --aws-region and --kms-key-id do not apply) or `aws` (where --secret-dir does not);
 * GENESYSCLOUD_OAUTHCLIENT_ID and _SECRET both or neither, and not with --bootstrap-secret-id.
 */
export function connectionSettings(
  flags: ConnectionFlags,
  context: FlagContext,
  problem: ProblemSink,
): ConnectionSettings {
  const allowHost = flags.allowHost ?? [];
  for (const [flag, value] of [
    ['--api-url', flags.apiUrl],
    ['--login-url', flags.loginUrl],
  ] as const) {
    if (value !== undefined && !isBaseUrl(value)) {
      problem(flag, 'must be an http(s) URL without user, password, query or fragment');
    }
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
  const store = secretStoreChoice(flags, context, problem);
  const credentials = environmentCredentials(flags, context.env, problem);
  const typedUrls = [flags.apiUrl, flags.loginUrl].filter(
    (url): url is string => url !== undefined && isBaseUrl(url),
  );
  return {
    ...(credentials ? { credentials } : {}),
    ...(flags.apiUrl !== undefined ? { apiUrl: flags.apiUrl } : {}),
    ...(flags.loginUrl !== undefined ? { loginUrl: flags.loginUrl } : {}),
    allowedHosts: [
      ...new Set([...typedUrls.map((url) => new URL(url).host), ...allowHost.map((entry) => entry.trim())]),
    ],
    store,
    secretPrefix: flags.secretPrefix,
    dryRun: flags.dryRun === true,
    json: flags.json === true,
    verbose: flags.verbose === true,
  };
}

/** The range and unit of an integer flag, for integerFlag. */
export interface IntegerRange {
  readonly min: number;
  readonly max: number;
  /** What one stands for, in the problem text: `seconds`. */
  readonly unit?: string;
}

/**
 * The value of an integer flag, the one parser of every command's integer flags: decimal digits only (no sign,
 * inner blanks, exponent, hex, fraction or `_`) once blanks around them are trimmed (`" 3600"`, as a quoted
 * shell variable gives it), from `range.min` to `range.max`. Anything else is reported to `problem` naming the
 * flag, the range and what was given, and gives undefined.
 */
export function integerFlag(
  flag: string,
  value: string,
  range: IntegerRange,
  problem: ProblemSink,
): number | undefined {
  const expected = `a whole number${range.unit ? ` of ${range.unit}` : ''} from ${range.min} to ${range.max}`;
  const digits = value.trim();
  if (!/^[0-9]+$/.test(digits)) {
    problem(flag, `must be ${expected} in decimal digits: ${JSON.stringify(value)} is not`);
    return undefined;
  }
  const number = Number(digits);
  if (number < range.min || number > range.max) {
    problem(flag, `must be ${expected}: ${digits} is out of range`);
    return undefined;
  }
  return number;
}

/** The secret prefix to validate a request with: the flag's when it is valid (its problem is reported apart). */
export const requestSecretPrefix = (flags: ConnectionFlags): string =>
  SECRET_PREFIX.test(flags.secretPrefix) ? flags.secretPrefix : 'genesys-onboarding';

function secretStoreChoice(
  flags: ConnectionFlags,
  context: FlagContext,
  problem: ProblemSink,
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
function environmentCredentials(
  flags: ConnectionFlags,
  env: NodeJS.ProcessEnv,
  problem: ProblemSink,
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

/**
 * The request `parse` builds from the flags, or UsageError listing every problem: those found so far in
 * `problems`, then what the request's own validation refuses (InvalidRequestError), each naming its flag
 * (`flagOfField`, see requestProblem).
 */
export function requestFromFlags<R>(
  parse: () => R,
  problems: readonly UsageProblem[],
  flagOfField: Readonly<Record<string, string>>,
): R {
  const all = [...problems];
  let request: R | undefined;
  try {
    request = parse();
  } catch (error) {
    if (!(error instanceof InvalidRequestError)) throw error;
    all.push(...error.problems.map((p) => requestProblem(p, flagOfField)));
  }
  if (all.length > 0 || request === undefined) throw new UsageError(distinctProblems(all));
  return request;
}

/**
 * A problem the request schema found, as a usage problem naming the flag that sets the field
 * (`flagOfField`: request field, e.g. `oauthClient.name`, to flag), with the camelCase field names it mentions
 * turned into flags too (`needs oauthClientName` -> `needs --client-name`).
 */
function requestProblem(
  problem: RequestProblem,
  flagOfField: Readonly<Record<string, string>>,
): UsageProblem {
  const flag =
    flagOfField[problem.field] ?? flagOfField[problem.field.replace(/\.\d+$/, '')] ?? problem.field;
  if (flag === '--region' && problem.problem === 'is required') {
    return { flag, problem: 'is required (or set GENESYSCLOUD_REGION)' };
  }
  const text = problem.problem.replace(/\b[a-z]+[A-Z][A-Za-z]*\b/g, (word) => flagOfField[word] ?? word);
  return { flag, problem: text };
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
