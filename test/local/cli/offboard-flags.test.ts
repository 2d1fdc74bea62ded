import { type OffboardFlags, offboardSettings } from '../../../local/cli/offboard-flags';
import { UsageError } from '../../../local/cli/usage';

const ORG = '7f3d2a9e-5b1c-4e8f-9a0d-2c6b8e4f1a37';
const FLAGS: OffboardFlags = {
  orgId: ORG.toUpperCase(),
  region: 'EU-WEST-1',
  secretStore: 'file',
  secretDir: '/secrets',
  secretPrefix: 'genesys-onboarding',
};
const context = (env: NodeJS.ProcessEnv = {}) => ({
  given: () => false,
  leftovers: [],
  knownFlags: ['--org-id', '--region'],
  env,
});

/** From parsed `offboard` flags to the offboarding request and the run's settings. */
describe('offboardSettings', () => {
  it('maps the names, --force, the key and the bootstrap secret to the request, with its defaults', () => {
    const settings = offboardSettings(
      {
        ...FLAGS,
        clientName: 'crm-sync',
        integrationName: 'CRM Data Actions',
        force: true,
        idempotencyKey: 'ticket-9',
        bootstrapSecretId: `genesys-onboarding/${ORG}/operator`,
        dryRun: true,
      },
      context(),
    );
    expect(settings.request).toEqual({
      orgId: ORG,
      region: 'eu-west-1',
      bootstrapSecretId: `genesys-onboarding/${ORG}/operator`,
      oauthClientName: 'crm-sync',
      integrationName: 'CRM Data Actions',
      force: true,
      idempotencyKey: 'ticket-9',
    });
    expect(settings.dryRun).toBe(true);
    expect(offboardSettings(FLAGS, context()).request).toEqual({
      orgId: ORG,
      region: 'eu-west-1',
      bootstrapSecretId: `genesys-onboarding/${ORG}/bootstrap`,
      force: false,
    });
  });

  it('takes the credentials and the store like onboard', () => {
    const settings = offboardSettings(
      { ...FLAGS, secretStore: 'aws', awsRegion: 'eu-central-1', apiUrl: 'http://127.0.0.1:9' },
      context({ GENESYSCLOUD_OAUTHCLIENT_ID: 'id', GENESYSCLOUD_OAUTHCLIENT_SECRET: 'secret' }),
    );
    expect(settings).toMatchObject({
      credentials: { clientId: 'id', clientSecret: 'secret' },
      store: { kind: 'aws', region: 'eu-central-1' },
      allowedHosts: ['127.0.0.1:9'],
      dryRun: false,
      json: false,
    });
  });

  it('names the flag of a request problem, and says --force needs a name once, in flags', () => {
    // The request refuses force without a name in its own words (oauthClientName...): turned into flags, it is
    // the same problem the flags' own check found, so it is reported once.
    expect(() => offboardSettings({ ...FLAGS, force: true }, context())).toThrow(
      new UsageError([
        {
          flag: '--force',
          problem: 'needs --client-name or --integration-name: it applies to named resources',
        },
      ]),
    );
    expect(() =>
      offboardSettings({ ...FLAGS, bootstrapSecretId: 'genesys-onboarding/other-org/bootstrap' }, context()),
    ).toThrow(
      new UsageError([
        {
          flag: '--bootstrap-secret-id',
          problem: `must name a secret of this org: genesys-onboarding/${ORG}/<name>, by name or ARN`,
        },
      ]),
    );
  });
});
