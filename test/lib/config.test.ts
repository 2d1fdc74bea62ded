import { DEFAULT_SETTINGS, InvalidSettingsError, readSettings } from '../../lib/config';

const fromContext = (context: Record<string, unknown>) => readSettings((key) => context[key]);

describe('readSettings', () => {
  it('uses the defaults when nothing is set', () => {
    expect(fromContext({})).toEqual(DEFAULT_SETTINGS);
  });

  it('reads every setting, also from -c strings', () => {
    expect(
      fromContext({
        secretPrefix: 'acme/onboarding',
        eventBusName: 'acme-bus',
        eventSources: 'acme.crm, acme.billing',
        eventAccounts: '111122223333, 444455556666',
        logRetentionDays: '90',
        executionTimeoutMinutes: '30',
        apiRateLimit: 5,
        apiBurstLimit: 10,
        alarmEmail: 'ops@example.com',
        apiGatewayCloudWatchRole: 'true',
        secretRecoveryWindowDays: '14',
        rotationDays: 7,
        genesysAllowedHosts: 'gc.sandbox.example.com, *.proxy.example.com:8443',
      }),
    ).toEqual({
      secretPrefix: 'acme/onboarding',
      eventBusName: 'acme-bus',
      eventSources: ['acme.crm', 'acme.billing'],
      eventAccounts: ['111122223333', '444455556666'],
      logRetentionDays: 90,
      executionTimeoutMinutes: 30,
      apiRateLimit: 5,
      apiBurstLimit: 10,
      alarmEmail: 'ops@example.com',
      apiGatewayCloudWatchRole: true,
      secretRecoveryWindowDays: 14,
      rotationDays: 7,
      genesysAllowedHosts: ['gc.sandbox.example.com', '*.proxy.example.com:8443'],
    });
  });

  it('names every bad setting and what is wrong with it', () => {
    const read = () =>
      fromContext({
        secretPrefix: '/leading/slash',
        eventBusName: 'bad bus',
        eventSources: [],
        eventAccounts: ['111122223333', '12345'],
        logRetentionDays: 42,
        executionTimeoutMinutes: 1,
        alarmEmail: 'not-an-email',
        apiGatewayCloudWatchRole: 'yes',
        secretRecoveryWindowDays: 3,
        rotationDays: 0,
        genesysAllowedHosts: ['ok.example.com', 'http://bad'],
      });
    expect(read).toThrow(InvalidSettingsError);
    let message = '';
    try {
      read();
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('context secretPrefix must be a secret name prefix');
    expect(message).toContain('context eventBusName must be 1-256 letters');
    expect(message).toContain('context eventSources must be a non-empty list');
    expect(message).toContain(
      'context eventAccounts must be a non-empty list of 12-digit AWS account ids, got ["111122223333","12345"]',
    );
    expect(message).toContain('context logRetentionDays must be one of 1, 3, 5, 7');
    expect(message).toContain('context executionTimeoutMinutes must be a whole number from 5 to 1440, got 1');
    expect(message).toContain('context alarmEmail must be an email address');
    expect(message).toContain('context apiGatewayCloudWatchRole must be true or false, got "yes"');
    expect(message).toContain('context secretRecoveryWindowDays must be a whole number from 7 to 30, got 3');
    expect(message).toContain('context rotationDays must be a whole number from 1 to 365, got 0');
    expect(message).toContain(
      'context genesysAllowedHosts must be a list of hosts (host, host:port or *.domain)',
    );
  });

  it('leaves the event accounts to the stack (its own account) unless set, and lists each account once', () => {
    expect(fromContext({}).eventAccounts).toBeUndefined();
    expect(fromContext({ eventAccounts: ['111122223333', '111122223333'] }).eventAccounts).toEqual([
      '111122223333',
    ]);
    expect(() => fromContext({ eventAccounts: [] })).toThrow(
      /context eventAccounts must be a non-empty list/,
    );
    expect(() => fromContext({ eventAccounts: [111122223333] })).toThrow(/12-digit AWS account ids/);
  });

  it('leaves the account API Gateway CloudWatch role alone unless set, as a boolean or its text', () => {
    expect(fromContext({}).apiGatewayCloudWatchRole).toBe(false);
    expect(fromContext({ apiGatewayCloudWatchRole: true }).apiGatewayCloudWatchRole).toBe(true);
    expect(fromContext({ apiGatewayCloudWatchRole: 'false' }).apiGatewayCloudWatchRole).toBe(false);
  });

  it('refuses aws.* event sources', () => {
    expect(() => fromContext({ eventSources: ['aws.ec2'] })).toThrow(/must not name an aws\.\* source/);
  });
});
