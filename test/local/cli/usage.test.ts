import { GENESYS_REGIONS, listRegions } from '../../../lambdas/genesys/regions';
import { baseEnv, cli, ensureBundle } from './support';

const ORG = '7f3d2a9e-5b1c-4e8f-9a0d-2c6b8e4f1a37';
const VALID = [
  'onboard',
  '--org-id',
  ORG,
  '--region',
  'eu-west-1',
  '--role',
  'Data Actions Runtime',
  '--client-name',
  'c',
  '--integration-name',
  'i',
];
const CREDENTIALS = { GENESYSCLOUD_OAUTHCLIENT_ID: 'id-123', GENESYSCLOUD_OAUTHCLIENT_SECRET: 'secret-123' };

/** How the CLI is called: every problem at once, exit 2, before anything is read or contacted. */
describe('genesys-onboard usage', () => {
  beforeAll(ensureBundle);

  it('reports every problem at once, a mistyped flag as unknown even when others are missing', async () => {
    const result = await cli(
      ['onboard', '--org-idd', ORG, '--region', 'eu-west-1', '--token-validity', 'a day', 'extra'],
      baseEnv(CREDENTIALS),
    );
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      [
        'error: --org-idd is not a known option (did you mean --org-id?)',
        'error: extra is not expected: this command takes options only',
        'error: --token-validity must be a whole number of seconds from 300 to 172800 in decimal digits: "a day" is not',
        'error: --org-id is required',
        'error: --client-name is required',
        'error: --role is required',
        'error: --integration-name is required',
        '(run with --help for usage)',
        '',
      ].join('\n'),
    );
  });

  it('names --region and --role together when both are missing', async () => {
    const result = await cli(
      ['onboard', '--org-id', ORG, '--client-name', 'c', '--integration-name', 'i'],
      baseEnv(CREDENTIALS),
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      [
        'error: --region is required (or set GENESYSCLOUD_REGION)',
        'error: --role is required',
        '(run with --help for usage)',
        '',
      ].join('\n'),
    );
  });

  it('with --json, usage errors are one JSON object on stdout, exit 2', async () => {
    const result = await cli(
      [...VALID, '--json', '--secret-store', 'aws', '--secret-dir', '/tmp/x', '--division', 'home'],
      baseEnv(CREDENTIALS),
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout)).toEqual({
      error: 'usage',
      problems: [
        { flag: '--secret-dir', problem: 'applies only to --secret-store file' },
        { flag: '--division', problem: 'must be a division id (a UUID) or "*" for all divisions' },
      ],
    });
    expect(result.stdout.trim().split('\n')).toHaveLength(1);
  });

  it('with --json, an unknown command is JSON too', async () => {
    const result = await cli(['frobnicate', '--json']);
    expect(result.code).toBe(2);
    expect(JSON.parse(result.stdout)).toEqual({
      error: 'usage',
      problems: [
        { flag: 'frobnicate', problem: 'is not a command: use demo, onboard, offboard, rotate or status' },
      ],
    });
  });

  it.each([
    [['onboard', '--org-id'], 'error: --org-id needs a value'],
    [['frobnicate'], 'error: frobnicate is not a command: use demo, onboard, offboard, rotate or status'],
    [[], 'error: command is missing: use demo, onboard, offboard, rotate or status'],
    [
      ['demo', '--secret-dri', '/tmp'],
      'error: --secret-dri is not a known option (did you mean --secret-dir?)',
    ],
  ])('answers %j with exit 2 and names the problem', async (args, line) => {
    const result = await cli(args);
    expect(result.code).toBe(2);
    expect(result.stderr.split('\n')).toContain(line);
  });

  it('refuses flags that do not go together, and half-set credentials, naming each', async () => {
    const result = await cli(
      [
        ...VALID,
        '--aws-region',
        'eu-west-1',
        '--kms-key-id',
        'alias/x',
        '--bootstrap-secret-id',
        `genesys-onboarding/${ORG}/bootstrap`,
      ],
      baseEnv({ GENESYSCLOUD_OAUTHCLIENT_ID: 'id-123' }),
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      [
        'error: --aws-region applies only to --secret-store aws',
        'error: --kms-key-id applies only to --secret-store aws',
        'error: GENESYSCLOUD_OAUTHCLIENT_SECRET is not set but GENESYSCLOUD_OAUTHCLIENT_ID is: set both, or neither to use the stored bootstrap secret',
        '(run with --help for usage)',
        '',
      ].join('\n'),
    );
    const both = await cli(
      [...VALID, '--bootstrap-secret-id', `genesys-onboarding/${ORG}/bootstrap`],
      baseEnv(CREDENTIALS),
    );
    expect(both.code).toBe(2);
    expect(both.stderr.split('\n')[0]).toBe(
      'error: --bootstrap-secret-id names a stored bootstrap secret, but GENESYSCLOUD_OAUTHCLIENT_ID and GENESYSCLOUD_OAUTHCLIENT_SECRET are set: unset them, or drop this flag',
    );
  });

  it('checks URLs, hosts, the secret prefix and the AWS settings', async () => {
    const result = await cli(
      [
        ...VALID,
        '--api-url',
        'ftp://api.example',
        '--login-url',
        'https://user:pw@login.example',
        '--allow-host',
        'http://x',
        '--secret-prefix',
        '/abs/',
        '--secret-store',
        'aws',
        '--aws-region',
        'mars',
      ],
      baseEnv(CREDENTIALS),
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      [
        'error: --api-url must be an http(s) URL without user, password, query or fragment',
        'error: --login-url must be an http(s) URL without user, password, query or fragment',
        'error: --allow-host "http://x" is not a host: use host, host:port or *.domain',
        'error: --secret-prefix must be a secret name prefix such as genesys-onboarding: letters, digits, _+=.@- and / between parts',
        'error: --aws-region must be an AWS region such as eu-west-1',
        '(run with --help for usage)',
        '',
      ].join('\n'),
    );
  });

  it('refuses a region the table does not know when no URL says where it is', async () => {
    const result = await cli(
      ['onboard', ...VALID.slice(1).map((arg) => (arg === 'eu-west-1' ? 'mars-1' : arg))],
      baseEnv(CREDENTIALS),
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      'error: --region "mars-1" is not in the region table (see --help): for another region give --api-url and --login-url\n(run with --help for usage)\n',
    );
  });

  it('takes the region from GENESYSCLOUD_REGION when --region is not given', async () => {
    const withoutRegion = VALID.filter((arg, i) => arg !== '--region' && VALID[i - 1] !== '--region');
    const result = await cli(withoutRegion, baseEnv({ ...CREDENTIALS, GENESYSCLOUD_REGION: 'mars-1' }));
    expect(result.code).toBe(2);
    expect(result.stderr.split('\n')[0]).toBe(
      'error: --region "mars-1" is not in the region table (see --help): for another region give --api-url and --login-url',
    );
  });

  it('without credentials or a stored bootstrap secret: exit 2 naming both ways', async () => {
    const result = await cli([...VALID, '--secret-dir', '/nonexistent/secrets'], baseEnv());
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      `error: GENESYSCLOUD_OAUTHCLIENT_ID and GENESYSCLOUD_OAUTHCLIENT_SECRET are not set, and there is no bootstrap secret genesys-onboarding/${ORG}/bootstrap in /nonexistent/secrets: set them, or store {"clientId","clientSecret","region"} there\n(run with --help for usage)\n`,
    );
  });

  it('onboard --help marks the required options and lists every region with its domain', async () => {
    const result = await cli(['onboard', '--help']);
    expect(result.code).toBe(0);
    const help = result.stdout;
    const required = help.slice(help.indexOf('Required options:'), help.indexOf('\nOptions:'));
    for (const flag of ['--org-id', '--region', '--role', '--client-name', '--integration-name']) {
      expect(required).toContain(flag);
    }
    expect(required).not.toContain('--division');
    for (const region of listRegions()) {
      expect(help).toMatch(
        new RegExp(`^ {2}${region} +${GENESYS_REGIONS[region]?.replace(/\./g, '\\.')}$`, 'm'),
      );
    }
    for (const flag of [
      '--client-description',
      '--token-validity',
      '--integration-notes',
      '--idempotency-key',
      '--bootstrap-secret-id',
      '--adopt-existing',
      '--rename-integration',
      '--allow-host',
      '--aws-region',
      '--kms-key-id',
    ]) {
      expect(help).toContain(flag);
    }
    expect(help).toContain('GENESYSCLOUD_OAUTHCLIENT_SECRET');
  });

  it('has --help for every command and --version', async () => {
    for (const args of [['--help'], ['demo', '--help'], ['offboard', '--help']]) {
      const result = await cli(args);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('Usage: genesys-onboard');
    }
    const version = await cli(['--version']);
    expect(version.code).toBe(0);
    expect(version.stdout).toBe(`${(require('../../../package.json') as { version: string }).version}\n`);
  });
});
