import { InvalidSettingsError } from '../../lib/config';
import { DEFAULT_FLEET_SETTINGS, readFleetSettings } from '../../lib/fleet-config';

const fromContext = (context: Record<string, unknown>) => readFleetSettings((key) => context[key]);

describe('readFleetSettings', () => {
  it('uses the defaults when nothing is set: bulk concurrency 10, results kept 30 days, a daily check without repair', () => {
    expect(fromContext({})).toEqual(DEFAULT_FLEET_SETTINGS);
    expect(DEFAULT_FLEET_SETTINGS).toEqual({
      bulkMaxConcurrency: 10,
      bulkResultsRetentionDays: 30,
      driftCheckSchedule: 'rate(1 day)',
      driftCheckConcurrency: 10,
      driftRepair: false,
    });
  });

  it('reads every setting, also from -c strings', () => {
    expect(
      fromContext({
        bulkMaxConcurrency: '40',
        bulkResultsRetentionDays: 7,
        driftCheckSchedule: ' cron(0 6 ? * MON-FRI *) ',
        driftCheckConcurrency: '3',
        driftRepair: 'true',
      }),
    ).toEqual({
      bulkMaxConcurrency: 40,
      bulkResultsRetentionDays: 7,
      driftCheckSchedule: 'cron(0 6 ? * MON-FRI *)',
      driftCheckConcurrency: 3,
      driftRepair: true,
    });
    expect(fromContext({ driftCheckSchedule: 'rate(6 hours)' }).driftCheckSchedule).toBe('rate(6 hours)');
  });

  it('names every bad setting and what is wrong with it', () => {
    const read = () =>
      fromContext({
        bulkMaxConcurrency: 0,
        bulkResultsRetentionDays: 'a month',
        driftCheckSchedule: 'every day',
        driftCheckConcurrency: 1.5,
        driftRepair: 'yes',
      });
    expect(read).toThrow(InvalidSettingsError);
    expect(read).toThrow(
      [
        'Invalid settings:',
        '- context bulkMaxConcurrency must be a whole number from 1 to 1000, got 0',
        '- context bulkResultsRetentionDays must be a whole number from 1 to 3650, got "a month"',
        '- context driftCheckConcurrency must be a whole number from 1 to 1000, got 1.5',
        '- context driftCheckSchedule must be an EventBridge Scheduler rate(...) or cron(...) expression, e.g. "rate(1 day)" or "cron(0 6 * * ? *)", got "every day"',
        '- context driftRepair must be true or false, got "yes"',
      ].join('\n'),
    );
  });

  it('refuses a check more often than hourly: runs of every org must not overlap', () => {
    expect(() => fromContext({ driftCheckSchedule: 'rate(30 minutes)' })).toThrow(
      'context driftCheckSchedule must run at most hourly',
    );
  });
});
