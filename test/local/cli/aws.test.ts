import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { GenesysSimulator } from '../../../simulator';
import { SAMPLE_ROLE, sampleOrgSeed } from '../../../simulator/seeds';
import { FakeSecretsManager } from './fake-secrets-manager';
import { baseEnv, cli, ensureBundle } from './support';

/** `--secret-store aws`: AWS access is checked before any Genesys call; --region is never the AWS region. */
describe('genesys-onboard onboard --secret-store aws', () => {
  const simulator = new GenesysSimulator({
    activationDelayMs: 0,
    readAfterCreateNotFoundMs: 0,
    oauthClientListingLagMs: 0,
    deletedClientLingerMs: 0,
  });
  const secretsManager = new FakeSecretsManager();
  const home = mkdtempSync(path.join(tmpdir(), 'genesys-onboard-aws-home-'));
  let url: string;
  let endpoint: string;

  const freshOrg = () => {
    const { org, bootstrap } = simulator.addOrg(sampleOrgSeed({ id: randomUUID() }));
    return {
      org,
      args: [
        'onboard',
        ...['--org-id', org.id, '--region', 'eu-west-1', '--role', SAMPLE_ROLE],
        ...['--client-name', 'acme-data-actions', '--integration-name', 'Acme Data Actions'],
        ...['--api-url', url, '--secret-store', 'aws'],
      ],
      /** No AWS configuration at all but what is given: an empty home, no profile files, no instance role. */
      env: (aws: Record<string, string> = {}) =>
        baseEnv({
          HOME: home,
          AWS_CONFIG_FILE: path.join(home, 'none'),
          AWS_SHARED_CREDENTIALS_FILE: path.join(home, 'none'),
          AWS_EC2_METADATA_DISABLED: 'true',
          AWS_ENDPOINT_URL_SECRETS_MANAGER: endpoint,
          GENESYSCLOUD_OAUTHCLIENT_ID: bootstrap.clientId,
          GENESYSCLOUD_OAUTHCLIENT_SECRET: bootstrap.clientSecret,
          ...aws,
        }),
      genesysCalls: () =>
        simulator.requestLog.filter((e) => e.orgId === org.id || e.clientId === bootstrap.clientId),
      liveClients: () =>
        [...org.clients.values()].filter((c) => c.id !== bootstrap.clientId && c.state !== 'deleted'),
    };
  };
  const KEYS = { AWS_ACCESS_KEY_ID: 'AKIAFAKEFAKEFAKE1234', AWS_SECRET_ACCESS_KEY: 'fake-aws-secret-key' };

  beforeAll(async () => {
    await ensureBundle();
    url = await simulator.start();
    endpoint = await secretsManager.start();
  });
  afterEach(() => secretsManager.denied.clear());
  afterAll(async () => {
    await simulator.stop();
    await secretsManager.stop();
    rmSync(home, { recursive: true, force: true });
  });

  it('without an AWS region: exit 2 naming --aws-region, before any Genesys or AWS call', async () => {
    const o = freshOrg();
    const before = secretsManager.requests.length;
    const result = await cli(o.args, o.env(KEYS));
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      'error: --aws-region is required with --secret-store aws: no AWS region is configured (set it, AWS_REGION, or a region in your AWS profile); --region is the Genesys Cloud region\n(run with --help for usage)\n',
    );
    expect(o.genesysCalls()).toEqual([]);
    expect(secretsManager.requests.length).toBe(before);
  });

  it('without AWS credentials: exit 1 saying so, before any Genesys or AWS call', async () => {
    const o = freshOrg();
    const before = secretsManager.requests.length;
    const result = await cli([...o.args, '--aws-region', 'eu-west-1'], o.env());
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^error: no AWS credentials for --secret-store aws \(.+\): configure the AWS SDK's default credential chain \(AWS_ACCESS_KEY_ID\/AWS_SECRET_ACCESS_KEY, AWS_PROFILE, SSO, or a role\)\n$/,
    );
    expect(o.genesysCalls()).toEqual([]);
    expect(secretsManager.requests.length).toBe(before);
  });

  it('when AWS denies reading the secrets: exit 1 naming the action, the secret and the region', async () => {
    const o = freshOrg();
    secretsManager.denied.add('GetSecretValue');
    const result = await cli([...o.args, '--aws-region', 'eu-west-1', '--json'], o.env(KEYS));
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toEqual({
      error: 'AwsAccessError',
      message: `AWS denied secretsmanager:GetSecretValue on genesys-onboarding/${o.org.id}/data-actions-client in eu-west-1: User: arn:aws:iam::123456789012:user/test is not authorized to perform: secretsmanager:GetSecretValue`,
    });
    expect(o.genesysCalls()).toEqual([]);
  });

  it('onboards into Secrets Manager of --aws-region (not --region), with --kms-key-id', async () => {
    const o = freshOrg();
    const result = await cli(
      [...o.args, '--aws-region', 'us-east-2', '--kms-key-id', 'alias/genesys-onboarding', '--json'],
      o.env(KEYS),
    );
    expect(result.code).toBe(0);
    const name = `genesys-onboarding/${o.org.id}/data-actions-client`;
    const output = JSON.parse(result.stdout);
    expect(output).toMatchObject({
      status: 'SUCCEEDED',
      secretId: `arn:aws:secretsmanager:eu-west-1:123456789012:secret:${name}-AbCdEf`,
      region: 'eu-west-1',
      awsRegion: 'us-east-2',
    });
    const stored = secretsManager.secrets.get(name);
    expect(stored?.kmsKeyId).toBe('alias/genesys-onboarding');
    expect(JSON.parse(stored?.value ?? '{}').clientId).toBe(o.liveClients()[0]?.id);
    const signed = secretsManager.requests.filter((r) => r.body.SecretId === name || r.body.Name === name);
    expect(new Set(signed.map((r) => r.signedRegion))).toEqual(new Set(['us-east-2']));
    expect(result.stdout + result.stderr).not.toContain(KEYS.AWS_SECRET_ACCESS_KEY);
  });

  it('an AWS store error during the run fails that step, shown once with ✖, and rolls back', async () => {
    const o = freshOrg();
    secretsManager.denied.add('CreateSecret');
    const result = await cli([...o.args, '--aws-region', 'eu-west-1'], o.env(KEYS));
    expect(result.code).toBe(1);
    const clientLines = result.stderr
      .split('\n')
      .filter((line) => line.includes('OAuth client and its secret'));
    expect(clientLines).toHaveLength(1);
    expect(clientLines[0]).toMatch(
      /^✖ OAuth client and its secret +\d+ ms {2}\d+ Genesys calls?.*AccessDeniedException$/,
    );
    expect(result.stdout).toContain('AccessDeniedException');
    expect(o.liveClients()).toEqual([]);
    expect(o.org.integrations.size).toBe(0);
  });
});
