import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { DEFAULT_SECRET_PREFIX } from '../lambdas/shared/naming';
import { DEFAULT_EXECUTION_TIMEOUT } from './constructs/onboarding-state-machine';

/** The stack's settings, from `cdk.json` context (or `-c key=value`), validated. */
export interface OnboardingSettings {
  /** Prefix of every secret name: `<prefix>/<orgId>/bootstrap` and `<prefix>/<orgId>/data-actions-client`. */
  readonly secretPrefix: string;
  /** Name of the stack's event bus. */
  readonly eventBusName: string;
  /** The only event sources the bus accepts; their "Genesys Cloud Org Onboarded" events start an onboarding. */
  readonly eventSources: string[];
  /**
   * The only AWS accounts (12-digit ids) that may put events on the bus.
   * @default the stack's own account
   */
  readonly eventAccounts?: string[];
  /** Retention of every log group, in days (a CloudWatch Logs value: 1, 3, 5, 7, 14, 30, 60, 90, ...). */
  readonly logRetentionDays: RetentionDays;
  /**
   * Longest an onboarding execution may run, in minutes. A run cut off by it is not compensated; the default
   * (75) is above a degraded run, where every Genesys call uses its whole retry budget (about 62 minutes).
   */
  readonly executionTimeoutMinutes: number;
  /** Steady-state requests per second the API accepts. */
  readonly apiRateLimit: number;
  /** Burst of requests the API accepts. */
  readonly apiBurstLimit: number;
  /** An email address to subscribe to the alarm topic, if any. */
  readonly alarmEmail?: string;
  /**
   * Whether the stack sets the account's API Gateway CloudWatch role (account-wide, per region; kept when the
   * stack is deleted). Off: the account must already have one, as the API's access and execution logs need it.
   */
  readonly apiGatewayCloudWatchRole: boolean;
  /** Days Secrets Manager keeps an offboarded org's result secret restorable (7-30). */
  readonly secretRecoveryWindowDays: number;
  /** Days between two rotations of each org's client secret (1-365). */
  readonly rotationDays: number;
  /**
   * Hosts besides Genesys Cloud's own that a bootstrap secret's apiUrl/loginUrl may name (sandboxes, proxies):
   * `host`, `host:port` or `*.domain`. Empty: only `api.`/`login.` hosts of the Genesys region domains.
   */
  readonly genesysAllowedHosts: string[];
}

export const DEFAULT_SETTINGS: OnboardingSettings = {
  secretPrefix: DEFAULT_SECRET_PREFIX,
  eventBusName: 'genesys-onboarding',
  eventSources: ['genesys.onboarding'],
  logRetentionDays: RetentionDays.ONE_MONTH,
  executionTimeoutMinutes: DEFAULT_EXECUTION_TIMEOUT.toMinutes(),
  apiRateLimit: 10,
  apiBurstLimit: 20,
  apiGatewayCloudWatchRole: false,
  secretRecoveryWindowDays: 7,
  rotationDays: 30,
  genesysAllowedHosts: [],
};

export class InvalidSettingsError extends Error {
  override readonly name = 'InvalidSettingsError';
}

const CONTEXT_KEYS = [
  'secretPrefix',
  'eventBusName',
  'eventSources',
  'eventAccounts',
  'logRetentionDays',
  'executionTimeoutMinutes',
  'apiRateLimit',
  'apiBurstLimit',
  'alarmEmail',
  'apiGatewayCloudWatchRole',
  'secretRecoveryWindowDays',
  'rotationDays',
  'genesysAllowedHosts',
] as const;

const VALID_RETENTION = new Set<number>(
  Object.values(RetentionDays).filter(
    (v): v is number => typeof v === 'number' && v !== RetentionDays.INFINITE,
  ),
);

/** Reads the settings through a context getter (`node.tryGetContext`); every problem is reported at once. */
export function readSettings(getContext: (key: string) => unknown): OnboardingSettings {
  const problems: string[] = [];
  const raw = Object.fromEntries(CONTEXT_KEYS.map((key) => [key, getContext(key)]));

  const text = (key: string, value: unknown, pattern: RegExp, rule: string, fallback: string): string => {
    if (value === undefined) return fallback;
    if (typeof value !== 'string' || !pattern.test(value)) {
      problems.push(`context ${key} ${rule}, got ${JSON.stringify(value)}`);
      return fallback;
    }
    return value;
  };
  const integer = (key: string, value: unknown, min: number, max: number, fallback: number): number => {
    if (value === undefined) return fallback;
    const number = typeof value === 'string' ? Number(value) : value;
    if (typeof number !== 'number' || !Number.isInteger(number) || number < min || number > max) {
      problems.push(
        `context ${key} must be a whole number from ${min} to ${max}, got ${JSON.stringify(value)}`,
      );
      return fallback;
    }
    return number;
  };

  const flag = (key: string, value: unknown, fallback: boolean): boolean => {
    if (value === undefined) return fallback;
    if (value === true || value === 'true') return true;
    if (value === false || value === 'false') return false;
    problems.push(`context ${key} must be true or false, got ${JSON.stringify(value)}`);
    return fallback;
  };

  const secretPrefix = text(
    'secretPrefix',
    raw.secretPrefix,
    /^[A-Za-z0-9_+=.@-]+(\/[A-Za-z0-9_+=.@-]+)*$/,
    'must be a secret name prefix of letters, digits and _+=.@- separated by single "/", with no leading or trailing "/"',
    DEFAULT_SETTINGS.secretPrefix,
  );
  const eventBusName = text(
    'eventBusName',
    raw.eventBusName,
    /^[A-Za-z0-9._-]{1,256}$/,
    'must be 1-256 letters, digits, ".", "_" or "-"',
    DEFAULT_SETTINGS.eventBusName,
  );
  let eventSources = DEFAULT_SETTINGS.eventSources;
  if (raw.eventSources !== undefined) {
    const list =
      typeof raw.eventSources === 'string'
        ? raw.eventSources.split(',').map((s) => s.trim())
        : raw.eventSources;
    if (
      !Array.isArray(list) ||
      list.length === 0 ||
      !list.every((s) => typeof s === 'string' && /^[A-Za-z0-9._-]{1,256}$/.test(s))
    ) {
      problems.push(
        `context eventSources must be a non-empty list of event source names, got ${JSON.stringify(raw.eventSources)}`,
      );
    } else if (list.some((s: string) => s.startsWith('aws.'))) {
      problems.push('context eventSources must not name an aws.* source');
    } else {
      eventSources = list as string[];
    }
  }
  let eventAccounts: string[] | undefined;
  if (raw.eventAccounts !== undefined) {
    const list =
      typeof raw.eventAccounts === 'string'
        ? raw.eventAccounts.split(',').map((s) => s.trim())
        : raw.eventAccounts;
    if (
      !Array.isArray(list) ||
      list.length === 0 ||
      !list.every((s) => typeof s === 'string' && /^\d{12}$/.test(s))
    ) {
      problems.push(
        `context eventAccounts must be a non-empty list of 12-digit AWS account ids, got ${JSON.stringify(raw.eventAccounts)}`,
      );
    } else {
      eventAccounts = [...new Set(list as string[])];
    }
  }
  let logRetentionDays = DEFAULT_SETTINGS.logRetentionDays;
  if (raw.logRetentionDays !== undefined) {
    const days = Number(raw.logRetentionDays);
    if (!VALID_RETENTION.has(days)) {
      problems.push(
        `context logRetentionDays must be one of ${[...VALID_RETENTION].sort((a, b) => a - b).join(', ')}, got ${JSON.stringify(raw.logRetentionDays)}`,
      );
    } else {
      logRetentionDays = days as RetentionDays;
    }
  }
  const executionTimeoutMinutes = integer(
    'executionTimeoutMinutes',
    raw.executionTimeoutMinutes,
    5,
    24 * 60,
    DEFAULT_SETTINGS.executionTimeoutMinutes,
  );
  const apiRateLimit = integer('apiRateLimit', raw.apiRateLimit, 1, 10_000, DEFAULT_SETTINGS.apiRateLimit);
  const apiBurstLimit = integer('apiBurstLimit', raw.apiBurstLimit, 1, 5_000, DEFAULT_SETTINGS.apiBurstLimit);
  const alarmEmail =
    raw.alarmEmail === undefined
      ? undefined
      : text('alarmEmail', raw.alarmEmail, /^[^@\s]+@[^@\s]+\.[^@\s]+$/, 'must be an email address', '');

  const apiGatewayCloudWatchRole = flag(
    'apiGatewayCloudWatchRole',
    raw.apiGatewayCloudWatchRole,
    DEFAULT_SETTINGS.apiGatewayCloudWatchRole,
  );

  const secretRecoveryWindowDays = integer(
    'secretRecoveryWindowDays',
    raw.secretRecoveryWindowDays,
    7,
    30,
    DEFAULT_SETTINGS.secretRecoveryWindowDays,
  );
  const rotationDays = integer('rotationDays', raw.rotationDays, 1, 365, DEFAULT_SETTINGS.rotationDays);
  let genesysAllowedHosts = DEFAULT_SETTINGS.genesysAllowedHosts;
  if (raw.genesysAllowedHosts !== undefined) {
    const list =
      typeof raw.genesysAllowedHosts === 'string'
        ? raw.genesysAllowedHosts
            .split(',')
            .map((h) => h.trim())
            .filter((h) => h !== '')
        : raw.genesysAllowedHosts;
    if (
      !Array.isArray(list) ||
      !list.every((h) => typeof h === 'string' && /^(\*\.)?[A-Za-z0-9.-]+(:\d{1,5})?$/.test(h))
    ) {
      problems.push(
        `context genesysAllowedHosts must be a list of hosts (host, host:port or *.domain), got ${JSON.stringify(raw.genesysAllowedHosts)}`,
      );
    } else {
      genesysAllowedHosts = list as string[];
    }
  }

  if (problems.length > 0) throw new InvalidSettingsError(`Invalid settings:\n- ${problems.join('\n- ')}`);
  return {
    secretPrefix,
    eventBusName,
    eventSources,
    ...(eventAccounts ? { eventAccounts } : {}),
    logRetentionDays,
    executionTimeoutMinutes,
    apiRateLimit,
    apiBurstLimit,
    ...(alarmEmail ? { alarmEmail } : {}),
    apiGatewayCloudWatchRole,
    secretRecoveryWindowDays,
    rotationDays,
    genesysAllowedHosts,
  };
}
