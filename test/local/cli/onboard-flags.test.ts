import { bulkOnboardSettings } from '../../../local/cli/bulk-flags';
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

/** Every integer flag goes through one parser: decimal digits only, in range, the problem naming the flag. */
describe('integer flags', () => {
  const problemsOf = (settings: () => unknown): string[] => {
    try {
      settings();
    } catch (error) {
      if (error instanceof UsageError) return error.problems.map((p) => `${p.flag} ${p.problem}`);
      throw error;
    }
    return [];
  };
  const bulk = (concurrency: string) =>
    bulkOnboardSettings({ ...FLAGS_WITHOUT_ORG, manifest: 'orgs.jsonl', concurrency }, context());
  const FLAGS_WITHOUT_ORG = {
    secretStore: 'file',
    secretDir: '/secrets',
    secretPrefix: 'genesys-onboarding',
  } as const;

  it.each(['1e1', '0x5', '5 5', ' ', '5.0', '+5', '-5', ' -5', '1_0', '', 'five'])(
    'refuses --concurrency %j and --token-validity of the same form: not decimal digits',
    (value) => {
      expect(problemsOf(() => bulk(value))).toEqual([
        `--concurrency must be a whole number from 1 to 100 in decimal digits: ${JSON.stringify(value)} is not`,
      ]);
      const tokenValidity = value.replace('5', '500');
      expect(problemsOf(() => onboardSettings({ ...FLAGS, tokenValidity }, context()))).toEqual([
        `--token-validity must be a whole number of seconds from 300 to 172800 in decimal digits: ${JSON.stringify(tokenValidity)} is not`,
      ]);
    },
  );

  it.each([' 5', '5 ', '\t5\n', ' 05 '])('takes %j, blanks around the digits trimmed', (value) => {
    expect(bulk(value).concurrency).toBe(5);
    const tokenValidity = value.replace('5', '3600');
    expect(
      onboardSettings({ ...FLAGS, tokenValidity }, context()).request.oauthClient.accessTokenValiditySeconds,
    ).toBe(3600);
  });

  it('refuses an out-of-range value with blanks around it, naming the trimmed value', () => {
    expect(problemsOf(() => bulk(' 101 '))).toEqual([
      '--concurrency must be a whole number from 1 to 100: 101 is out of range',
    ]);
    expect(problemsOf(() => onboardSettings({ ...FLAGS, tokenValidity: ' 299' }, context()))).toEqual([
      '--token-validity must be a whole number of seconds from 300 to 172800: 299 is out of range',
    ]);
  });

  it('refuses hex for --token-validity as for --concurrency', () => {
    expect(problemsOf(() => onboardSettings({ ...FLAGS, tokenValidity: '0x12C' }, context()))).toEqual([
      '--token-validity must be a whole number of seconds from 300 to 172800 in decimal digits: "0x12C" is not',
    ]);
  });

  it.each([
    ['0', '299'],
    ['101', '172801'],
    ['99999999999999999999', '99999999999999999999'],
  ])('refuses --concurrency %s and --token-validity %s: out of range', (concurrency, tokenValidity) => {
    expect(problemsOf(() => bulk(concurrency))).toEqual([
      `--concurrency must be a whole number from 1 to 100: ${concurrency} is out of range`,
    ]);
    expect(problemsOf(() => onboardSettings({ ...FLAGS, tokenValidity }, context()))).toEqual([
      `--token-validity must be a whole number of seconds from 300 to 172800: ${tokenValidity} is out of range`,
    ]);
  });

  it('takes decimal digits in range, leading zeros too, at both ends', () => {
    expect(bulk('1').concurrency).toBe(1);
    expect(bulk('100').concurrency).toBe(100);
    expect(bulk('007').concurrency).toBe(7);
    for (const [text, seconds] of [
      ['300', 300],
      ['172800', 172_800],
      ['03600', 3600],
    ] as const) {
      expect(
        onboardSettings({ ...FLAGS, tokenValidity: text }, context()).request.oauthClient
          .accessTokenValiditySeconds,
      ).toBe(seconds);
    }
  });
});
