import { type OnboardFlags, onboardSettings } from '../../../local/cli/onboard-flags';
import { UsageError } from '../../../local/cli/usage';

const ORG = '7f3d2a9e-5b1c-4e8f-9a0d-2c6b8e4f1a37';
const FLAGS: OnboardFlags = {
  orgId: ORG,
  region: 'eu-west-1',
  role: ['Data Actions Runtime'],
  clientName: 'acme-data-actions',
  integrationName: 'Acme Data Actions',
  secretStore: 'file',
  secretDir: '/secrets',
  secretPrefix: 'genesys-onboarding',
};
const context = (env: NodeJS.ProcessEnv = {}, given: string[] = []) => ({
  given: (key: keyof OnboardFlags) => given.includes(key),
  leftovers: [],
  knownFlags: ['--org-id', '--region'],
  env,
});

/** From parsed flags to the request and the run's settings: each flag lands where it should. */
describe('onboardSettings', () => {
  it('maps --adopt-existing and --rename-integration to the request', () => {
    const settings = onboardSettings({ ...FLAGS, adoptExisting: true, renameIntegration: true }, context());
    expect(settings.request).toMatchObject({ adoptExisting: true, renameIntegration: true });
    const plain = onboardSettings(FLAGS, context());
    expect(plain.request).toMatchObject({ adoptExisting: false, renameIntegration: false });
  });

  it('maps the client and integration flags, with their defaults when absent', () => {
    const settings = onboardSettings(
      {
        ...FLAGS,
        clientDescription: 'For the IVR',
        tokenValidity: '3600',
        integrationNotes: 'Platform team',
        idempotencyKey: 'ticket-1',
        division: '*',
        bootstrapSecretId: `genesys-onboarding/${ORG}/operator`,
      },
      context(),
    );
    expect(settings.request).toEqual({
      orgId: ORG,
      region: 'eu-west-1',
      oauthClient: {
        name: 'acme-data-actions',
        description: 'For the IVR',
        roles: ['Data Actions Runtime'],
        divisionId: '*',
        accessTokenValiditySeconds: 3600,
      },
      integration: { name: 'Acme Data Actions', notes: 'Platform team' },
      bootstrapSecretId: `genesys-onboarding/${ORG}/operator`,
      idempotencyKey: 'ticket-1',
      adoptExisting: false,
      renameIntegration: false,
    });
    expect(onboardSettings(FLAGS, context()).request.oauthClient.accessTokenValiditySeconds).toBe(86_400);
  });

  it('allows the hosts of the typed URLs and every --allow-host, once each', () => {
    const settings = onboardSettings(
      {
        ...FLAGS,
        apiUrl: 'http://127.0.0.1:18080',
        loginUrl: 'http://127.0.0.1:18080/',
        allowHost: ['*.sandbox.example', ' proxy.example:8443 '],
      },
      context(),
    );
    expect(settings.allowedHosts).toEqual(['127.0.0.1:18080', '*.sandbox.example', 'proxy.example:8443']);
    expect(settings).toMatchObject({ apiUrl: 'http://127.0.0.1:18080', loginUrl: 'http://127.0.0.1:18080/' });
  });

  it('takes the credentials from the environment, and the store from the flags', () => {
    const settings = onboardSettings(
      { ...FLAGS, secretStore: 'aws', awsRegion: 'eu-central-1', kmsKeyId: 'alias/x' },
      context({ GENESYSCLOUD_OAUTHCLIENT_ID: 'id', GENESYSCLOUD_OAUTHCLIENT_SECRET: 'secret' }),
    );
    expect(settings.credentials).toEqual({ clientId: 'id', clientSecret: 'secret' });
    expect(settings.store).toEqual({ kind: 'aws', region: 'eu-central-1', kmsKeyId: 'alias/x' });
    expect(onboardSettings(FLAGS, context()).store).toEqual({ kind: 'file', dir: '/secrets' });
  });

  it('refuses --secret-dir with the AWS store only when it was typed, not for its default', () => {
    const aws = { ...FLAGS, secretStore: 'aws' };
    expect(() => onboardSettings(aws, context())).not.toThrow();
    expect(() => onboardSettings(aws, context({}, ['secretDir']))).toThrow(
      new UsageError([{ flag: '--secret-dir', problem: 'applies only to --secret-store file' }]),
    );
  });
});
