import { InvalidSettingsError } from './config';

/** The fleet operations' settings (bulk onboarding, drift check), from `cdk.json` context, validated. */
export interface FleetSettings {
  /** Orgs a bulk onboarding onboards at once (the Distributed Map's MaxConcurrency). */
  readonly bulkMaxConcurrency: number;
  /** Days the bulk results (and work files) stay in the manifest bucket. */
  readonly bulkResultsRetentionDays: number;
  /** When the drift check runs: an EventBridge Scheduler `rate(...)` or `cron(...)` expression (UTC). */
  readonly driftCheckSchedule: string;
  /** Orgs the drift check checks at once. */
  readonly driftCheckConcurrency: number;
  /** Whether the scheduled drift check starts an onboarding of each drifted org (`repair: true`). */
  readonly driftRepair: boolean;
}

export const DEFAULT_FLEET_SETTINGS: FleetSettings = {
  bulkMaxConcurrency: 10,
  bulkResultsRetentionDays: 30,
  driftCheckSchedule: 'rate(1 day)',
  driftCheckConcurrency: 10,
  driftRepair: false,
};

// EventBridge Scheduler expressions: rate(value unit) and cron(6 fields); at() runs once, which a check is not.
const SCHEDULE = /^(rate\(([1-9]\d*) (minute|minutes|hour|hours|day|days)\)|cron\([^()]+\))$/;
const UNIT_MINUTES = { minute: 1, minutes: 1, hour: 60, hours: 60, day: 1_440, days: 1_440 } as const;

/** Reads the fleet settings through a context getter; every problem is reported at once (InvalidSettingsError). */
export function readFleetSettings(getContext: (key: string) => unknown): FleetSettings {
  const problems: string[] = [];
  const integer = (key: keyof FleetSettings, min: number, max: number): number => {
    const value = getContext(key);
    const fallback = DEFAULT_FLEET_SETTINGS[key] as number;
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
  const bulkMaxConcurrency = integer('bulkMaxConcurrency', 1, 1_000);
  const bulkResultsRetentionDays = integer('bulkResultsRetentionDays', 1, 3_650);
  const driftCheckConcurrency = integer('driftCheckConcurrency', 1, 1_000);

  let driftCheckSchedule = DEFAULT_FLEET_SETTINGS.driftCheckSchedule;
  const schedule = getContext('driftCheckSchedule');
  if (schedule !== undefined) {
    if (typeof schedule !== 'string' || !SCHEDULE.test(schedule.trim())) {
      problems.push(
        `context driftCheckSchedule must be an EventBridge Scheduler rate(...) or cron(...) expression, e.g. "rate(1 day)" or "cron(0 6 * * ? *)", got ${JSON.stringify(schedule)}`,
      );
    } else {
      const [, , count, unit] = SCHEDULE.exec(schedule.trim()) ?? [];
      const everyMinutes =
        count && unit ? Number(count) * UNIT_MINUTES[unit as keyof typeof UNIT_MINUTES] : undefined;
      if (everyMinutes !== undefined && everyMinutes < 60) {
        problems.push(
          `context driftCheckSchedule must run at most hourly (a check of every org takes a while, and runs must not overlap), got ${JSON.stringify(schedule)}`,
        );
      } else {
        driftCheckSchedule = schedule.trim();
      }
    }
  }
  let driftRepair = DEFAULT_FLEET_SETTINGS.driftRepair;
  const repair = getContext('driftRepair');
  if (repair === true || repair === 'true') driftRepair = true;
  else if (repair !== undefined && repair !== false && repair !== 'false') {
    problems.push(`context driftRepair must be true or false, got ${JSON.stringify(repair)}`);
  }
  if (problems.length > 0) throw new InvalidSettingsError(`Invalid settings:\n- ${problems.join('\n- ')}`);
  return {
    bulkMaxConcurrency,
    bulkResultsRetentionDays,
    driftCheckSchedule,
    driftCheckConcurrency,
    driftRepair,
  };
}
