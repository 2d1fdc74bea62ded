import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { clearTokenCache } from '../../../lambdas/genesys/auth';
import { bootstrapSecretName } from '../../../lambdas/shared/naming';
import { MANIFEST_LIMITS } from '../../../lambdas/workflows/bulk/manifest';
import { CHECK_IDS } from '../../../lambdas/workflows/status/check-org';
import { FileSecretStore } from '../../../local/adapters/file-secret-store';
import type { Io } from '../../../local/cli/onboard';
import { main } from '../../../local/cli/program';
import { EXIT } from '../../../local/cli/usage';
import { GenesysSimulator } from '../../../simulator';
import { SAMPLE_ROLE, sampleOrgSeed } from '../../../simulator/seeds';
import { findLeaks } from '../../support/leaks';
import { sampleRequest } from '../../support/requests';
import { FakeSecretsManager } from './fake-secrets-manager';

/** What one call of the CLI printed, and its exit code. */
interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

const PREFIX = 'genesys-onboarding';

/**
 * The org commands besides a plain onboard (offboard, rotate, status, onboard --manifest, --dry-run) run in
 * this process, against the simulator: their behaviour in detail is tested on the real command, as a process
 * (offboard.test.ts, rotate.test.ts, fleet.test.ts, dry-run.test.ts); these runs check the main outcome of
 * each and measure the coverage of the command code, which a child process does not report.
 */
describe('genesys-onboard commands in-process', () => {
  const simulator = new GenesysSimulator({
    activationDelayMs: 0,
    readAfterCreateNotFoundMs: 0,
    oauthClientListingLagMs: 0,
    deletedClientLingerMs: 0,
    newClientDelayMs: 0,
  });
  const folders: string[] = [];
  let url = '';

  beforeAll(async () => {
    url = await simulator.start();
  });
  afterAll(async () => {
    await simulator.stop();
    for (const folder of folders) rmSync(folder, { recursive: true, force: true });
  });

  /** Runs the CLI in this process; no run may print a secret the simulator knows, in any encoding. */
  async function run(args: readonly string[], env: NodeJS.ProcessEnv): Promise<CliRun> {
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    const text = { stdout: '', stderr: '' };
    stdout.on('data', (chunk: Buffer) => {
      text.stdout += chunk.toString();
    });
    stderr.on('data', (chunk: Buffer) => {
      text.stderr += chunk.toString();
    });
    const io: Io = { stdout, stderr, env };
    clearTokenCache();
    const code = await main(['node', 'genesys-onboard', ...args], io);
    const secrets = [...simulator.orgs.values()].flatMap((org) =>
      [...org.clients.values()].map((c) => c.secret),
    );
    expect(findLeaks([text.stdout, text.stderr], secrets, [])).toEqual([]);
    return { code, ...text };
  }

  /** A new org with a secret folder of its own, the flags that name it, and its bootstrap credentials. */
  function newOrg() {
    const seeded = simulator.addOrg(sampleOrgSeed({ id: randomUUID() }));
    const { org, bootstrap } = seeded;
    const dir = mkdtempSync(path.join(tmpdir(), 'genesys-onboard-commands-'));
    folders.push(dir);
    const where = [
      ...['--org-id', org.id, '--region', 'eu-west-1'],
      ...['--api-url', url, '--login-url', url, '--secret-dir', dir],
    ];
    const env = {
      GENESYSCLOUD_OAUTHCLIENT_ID: bootstrap.clientId,
      GENESYSCLOUD_OAUTHCLIENT_SECRET: bootstrap.clientSecret,
    };
    const onboardArgs = [
      'onboard',
      ...where,
      ...[
        '--role',
        SAMPLE_ROLE,
        '--client-name',
        'acme-data-actions',
        '--integration-name',
        'Acme Data Actions',
      ],
    ];
    const resultFile = path.join(dir, PREFIX, org.id, 'data-actions-client.json');
    const liveClients = () =>
      [...org.clients.values()].filter((c) => c.id !== bootstrap.clientId && c.state !== 'deleted');
    const writesSince = (since: number) =>
      simulator.requestLog
        .slice(since)
        .filter((e) => e.orgId === org.id && e.method !== 'GET' && e.path !== '/oauth/token');
    const onboard = async () => {
      const result = await run([...onboardArgs, '--json'], env);
      expect(result.code).toBe(EXIT.ok);
      return JSON.parse(result.stdout) as {
        oauthClientId: string;
        integrationId: string;
        credentialId: string;
      };
    };
    return { seeded, org, dir, where, env, onboardArgs, resultFile, liveClients, writesSince, onboard };
  }

  describe('offboard', () => {
    it('removes what onboard set up and says why each was ours; a second run finds it all gone', async () => {
      const o = newOrg();
      const ids = await o.onboard();
      const result = await run(['offboard', ...o.where], o.env);
      expect(result.code).toBe(EXIT.ok);
      expect(result.stdout.split('\n').slice(1, 6)).toEqual([
        '  Removed:',
        `    integration   ${ids.integrationId}: the stored record names it`,
        `    credential    ${ids.credentialId}: named after our integration (Integration-${ids.integrationId})`,
        `    OAuth client  ${ids.oauthClientId}: the stored record names it`,
        `    secret        ${PREFIX}/${o.org.id}/data-actions-client: the org result secret; the file store deleted its file at once (no recovery window)`,
      ]);
      expect(result.stderr).toContain('✔ Remove the OAuth client');
      expect(o.liveClients()).toEqual([]);
      expect(o.org.integrations.size + o.org.credentials.size).toBe(0);
      expect(existsSync(o.resultFile)).toBe(false);

      const again = await run(['offboard', ...o.where, '--json'], o.env);
      expect(again.code).toBe(EXIT.ok);
      expect(JSON.parse(again.stdout)).toMatchObject({
        status: 'SUCCEEDED',
        orgId: o.org.id,
        removed: { oauthClientIds: [], credentialIds: [] },
      });
    });

    it('--dry-run prints the plan and removes nothing', async () => {
      const o = newOrg();
      const ids = await o.onboard();
      const before = simulator.requestLog.length;
      const result = await run(['offboard', ...o.where, '--dry-run', '--json'], o.env);
      expect(result.code).toBe(EXIT.ok);
      expect(JSON.parse(result.stdout)).toMatchObject({
        dryRun: true,
        status: 'PLANNED',
        integration: { id: ids.integrationId, why: 'the stored record names it' },
        clients: [{ id: ids.oauthClientId, why: 'the stored record names it' }],
      });
      const text = await run(['offboard', ...o.where, '--dry-run'], o.env);
      expect(text.code).toBe(EXIT.ok);
      expect(text.stdout).toContain(ids.integrationId);
      expect(o.writesSince(before)).toEqual([]);
      expect(o.liveClients().map((c) => c.id)).toEqual([ids.oauthClientId]);
    });
  });

  describe('onboard --dry-run', () => {
    it('plans the creation of both on a new org, changing nothing, and prints the plan as text too', async () => {
      const o = newOrg();
      const before = simulator.requestLog.length;
      const json = await run([...o.onboardArgs, '--dry-run', '--json'], o.env);
      expect(json.code).toBe(EXIT.ok);
      expect(JSON.parse(json.stdout)).toMatchObject({ dryRun: true, orgId: o.org.id });
      const text = await run([...o.onboardArgs, '--dry-run'], o.env);
      expect(text.code).toBe(EXIT.ok);
      expect(text.stdout).toMatch(/acme-data-actions/);
      expect(o.writesSince(before)).toEqual([]);
      expect(existsSync(o.resultFile)).toBe(false);
    });
    it('on an onboarded org that drifted, plans to use what the record names and says what a run would change', async () => {
      const o = newOrg();
      const ids = await o.onboard();
      const client = o.org.clients.get(ids.oauthClientId);
      const integration = o.org.integrations.get(ids.integrationId);
      if (!client || !integration) throw new Error('not onboarded');
      client.accessTokenValiditySeconds = 600;
      client.description = 'edited by hand';
      client.roleDivisions = [];
      integration.intendedState = 'DISABLED';
      const before = simulator.requestLog.length;
      const json = await run([...o.onboardArgs, '--dry-run', '--json'], o.env);
      expect(json.code).toBe(EXIT.ok);
      const secretId = `${PREFIX}/${o.org.id}/data-actions-client`;
      expect(JSON.parse(json.stdout)).toMatchObject({
        status: 'PLANNED',
        oauthClient: {
          action: 'use',
          id: ids.oauthClientId,
          why: 'the stored record names it',
          effects: [
            expect.stringMatching(
              /^roles set to "Data Actions Runtime" in division [0-9a-f-]{36} \(it has 0 role-division pair\(s\)\)$/,
            ),
            'token validity set to 86400 s (it is 600)',
            expect.stringMatching(/^description set to ".+" \(with the ownership marker\)$/),
            `keep its stored secret in ${secretId} if it still gets a token (a run checks), else give it a new one`,
          ],
        },
        integration: {
          action: 'use',
          id: ids.integrationId,
          why: 'the stored record names it',
          effects: [expect.stringMatching(/^enable it \(it is DISABLED/)],
        },
        followingSteps: [
          expect.stringContaining(`update our credential ${ids.credentialId} where it does not hold`),
          `Record the ids with the secret in ${secretId}`,
          "Verify: get a token with the client's credentials, then wait until the integration reports ACTIVE",
        ],
      });
      const text = await run([...o.onboardArgs, '--dry-run'], o.env);
      expect(text.code).toBe(EXIT.ok);
      expect(text.stdout).toContain(
        `  OAuth client "acme-data-actions" (${ids.oauthClientId}): use it: the stored record names it\n    - roles set to`,
      );
      expect(text.stdout).toContain(
        `  Integration "Acme Data Actions" (${ids.integrationId}): use it: the stored record names it\n    - enable it (it is DISABLED`,
      );
      expect(o.writesSince(before)).toEqual([]);
      expect(client.accessTokenValiditySeconds).toBe(600);
    });
  });

  describe('demo', () => {
    it('onboards the sample org of a simulator of its own, then shows that a second run changes nothing', async () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'genesys-onboard-demo-in-process-'));
      folders.push(dir);
      const result = await run(['demo', '--secret-dir', dir], {});
      expect(result.code).toBe(EXIT.ok);
      expect(result.stdout).toContain('First run: onboard the org');
      expect(result.stdout).toMatch(/Nothing changed on the second run: \d+ Genesys calls, all reads/);
      expect(existsSync(dir)).toBe(true);
    });
  });

  describe('rotate', () => {
    it('moves the integration to a new client and removes the previous one, as text and as JSON', async () => {
      const o = newOrg();
      const ids = await o.onboard();
      const rotate = ['rotate', ...o.where];
      const json = await run([...rotate, '--json'], o.env);
      expect(json.code).toBe(EXIT.ok);
      const rotated = JSON.parse(json.stdout);
      expect(rotated).toEqual({
        status: 'SUCCEEDED',
        orgId: o.org.id,
        oauthClientId: expect.any(String),
        previousOauthClientId: ids.oauthClientId,
        integrationId: ids.integrationId,
        credentialId: expect.any(String),
        secretId: `${PREFIX}/${o.org.id}/data-actions-client`,
      });
      expect(o.liveClients().map((c) => c.id)).toEqual([rotated.oauthClientId]);
      const record = JSON.parse(readFileSync(o.resultFile, 'utf8'));
      expect(record.clientId).toBe(rotated.oauthClientId);

      const text = await run(rotate, o.env);
      expect(text.code).toBe(EXIT.ok);
      const [client] = o.liveClients();
      expect(text.stdout).toContain(
        `  previous OAuth client ${rotated.oauthClientId} and its credential removed; its secret no longer works`,
      );
      expect(text.stdout).toContain(`now runs on OAuth client ${client?.id}`);
    });

    it('says an org that was never onboarded has nothing to rotate: exit 1', async () => {
      const o = newOrg();
      const result = await run(['rotate', ...o.where, '--json'], o.env);
      expect(result.code).toBe(EXIT.failed);
      expect(JSON.parse(result.stdout)).toMatchObject({ error: 'Rotation.NotOnboarded' });
      const text = await run(['rotate', ...o.where], o.env);
      expect(text.code).toBe(EXIT.failed);
      expect(text.stdout.split('\n').slice(1)).toEqual([
        `  secret ${PREFIX}/${o.org.id}/data-actions-client holds no onboarding record: onboard the org first`,
        '',
      ]);
    });

    it('refuses an org whose record names another client or integration than the flags: exit 1, nothing changed', async () => {
      const o = newOrg();
      const ids = await o.onboard();
      const before = simulator.requestLog.length;
      const secretId = `${PREFIX}/${o.org.id}/data-actions-client`;
      const json = await run(['rotate', ...o.where, '--client-name', 'another-client', '--json'], o.env);
      const clientCause = `The record of org ${o.org.id} names OAuth client "acme-data-actions", not "another-client" (--client-name): nothing was changed`;
      expect(json).toEqual({
        code: EXIT.failed,
        stdout: `${JSON.stringify({
          status: 'FAILED',
          orgId: o.org.id,
          error: 'Rotation.RecordMismatch',
          cause: clientCause,
          failedStep: null,
          oauthClientId: ids.oauthClientId,
          secretId,
          resumable: false,
        })}\n`,
        stderr: `error: ${clientCause}\n`,
      });
      const text = await run(['rotate', ...o.where, '--integration-name', 'Other Data Actions'], o.env);
      expect(text).toEqual({
        code: EXIT.failed,
        stdout: '',
        stderr: `error: The record of org ${o.org.id} names integration "Acme Data Actions", not "Other Data Actions" (--integration-name): nothing was changed\n`,
      });
      expect(o.writesSince(before)).toEqual([]);
      expect(o.liveClients().map((c) => c.id)).toEqual([ids.oauthClientId]);
    });
  });

  describe('status', () => {
    it('exits 0 with every check ✔ for a healthy org, 3 once the integration is disabled; changes nothing', async () => {
      const o = newOrg();
      const ids = await o.onboard();
      const status = ['status', '--org-id', o.org.id, '--region', 'eu-west-1', '--secret-dir', o.dir];
      const flags = ['--api-url', url, '--login-url', url];
      const before = simulator.requestLog.length;
      const healthy = await run([...status, ...flags], o.env);
      expect(healthy.code).toBe(EXIT.ok);
      expect(healthy.stdout).toContain(`Org ${o.org.id} (eu-west-1): healthy: as recorded`);
      expect(healthy.stdout).not.toMatch(/^ {2}[✘?] /m);
      // Every check passes, in the order they are reported.
      expect([...healthy.stdout.matchAll(/^ {2}✔ (\S+)/gm)].map((line) => line[1])).toEqual([...CHECK_IDS]);

      const integration = o.org.integrations.get(ids.integrationId);
      if (!integration) throw new Error('no integration');
      integration.intendedState = 'DISABLED';
      const drifted = await run([...status, ...flags, '--json'], o.env);
      expect(drifted.code).toBe(EXIT.drifted);
      expect(JSON.parse(drifted.stdout)).toMatchObject({
        orgId: o.org.id,
        verdict: 'drifted',
        findings: expect.arrayContaining([
          { id: 'integration.enabled', status: 'drifted', message: expect.any(String) },
        ]),
      });
      expect(o.writesSince(before)).toEqual([]);
    });
  });

  describe('onboard --manifest', () => {
    /** A secret folder with the orgs' bootstrap secrets (pointing at the simulator) and a manifest. */
    async function fleet(count: number) {
      const dir = mkdtempSync(path.join(tmpdir(), 'genesys-onboard-commands-fleet-'));
      folders.push(dir);
      const store = new FileSecretStore(dir);
      const orgs = [];
      for (let i = 0; i < count; i++) {
        const seeded = simulator.addOrg(sampleOrgSeed({ id: randomUUID() }));
        await store.put({
          name: bootstrapSecretName(PREFIX, seeded.org.id),
          value: JSON.stringify({ ...seeded.bootstrap, region: 'eu-west-1', apiUrl: url, loginUrl: url }),
        });
        orgs.push(seeded);
      }
      const manifest = path.join(dir, 'orgs.jsonl');
      const lines = orgs.map((seeded) => JSON.stringify(sampleRequest(seeded.org.id)));
      writeFileSync(manifest, [lines[0], '{"orgId": 42}', ...lines.slice(1)].join('\n'));
      const flags = ['--secret-dir', dir, '--allow-host', new URL(url).host];
      return { orgs, manifest, flags };
    }

    it('onboards every valid line and exits 1 naming the invalid one, as a table and as JSON lines', async () => {
      const { orgs, manifest, flags } = await fleet(2);
      const [a, b] = orgs;
      const result = await run(['onboard', '--manifest', manifest, '--concurrency', '2', ...flags], {});
      expect(result.code).toBe(EXIT.failed);
      const stdout = result.stdout.split('\n');
      expect(stdout[0]).toMatch(
        /^Bulk onboarding of orgs\.jsonl: 3 lines, 2 onboarded, 1 failed, in [\d.]+ s \(2 at a time\)$/,
      );
      expect(
        stdout
          .slice(3)
          .filter(Boolean)
          .map((row) => row.trim().split(/\s+/).slice(0, 3)),
      ).toEqual([
        ['1', a?.org.id, 'onboarded'],
        ['2', '-', 'invalid'],
        ['3', b?.org.id, 'onboarded'],
      ]);
      expect(result.stderr).toContain('Manifest orgs.jsonl: 3 lines, 2 valid, 1 invalid (line 2)');
      for (const seeded of orgs) expect(seeded.org.integrations.size).toBe(1);

      const json = await run(['onboard', '--manifest', manifest, '--json', ...flags], {});
      expect(json.code).toBe(EXIT.failed);
      const lines = json.stdout
        .trim()
        .split('\n')
        .map((text) => JSON.parse(text));
      expect(lines).toHaveLength(4);
      expect(lines.find((entry) => entry.line === 2)).toMatchObject({ status: 'INVALID' });
      expect(lines.filter((entry) => entry.orgId === a?.org.id || entry.orgId === b?.org.id)).toHaveLength(2);
    });

    it('refuses a manifest it cannot use, naming --manifest: exit 2', async () => {
      const { manifest, flags } = await fleet(0);
      const dir = path.dirname(manifest);
      const missing = path.join(dir, 'missing.jsonl');
      const empty = path.join(dir, 'empty.jsonl');
      writeFileSync(empty, '\n\n');
      const huge = path.join(dir, 'huge.jsonl');
      writeFileSync(huge, '');
      truncateSync(huge, MANIFEST_LIMITS.maxBytes + 1);
      const problems: Array<[string, string]> = [
        [missing, `${missing} cannot be read (no such file)`],
        [dir, `${dir} is not a file`],
        [
          huge,
          `${huge} has ${MANIFEST_LIMITS.maxBytes + 1} bytes, more than ${MANIFEST_LIMITS.maxBytes}: split it`,
        ],
        [empty, `${empty} holds no request line`],
      ];
      for (const [file, problem] of problems) {
        const result = await run(['onboard', '--manifest', file, ...flags], {});
        expect(result).toEqual({
          code: EXIT.usage,
          stdout: '',
          stderr: `error: --manifest ${problem}\n(run with --help for usage)\n`,
        });
      }
    });

    it('refuses --org-id with --manifest before reading anything: exit 2', async () => {
      const { manifest, flags } = await fleet(0);
      const result = await run(['onboard', '--manifest', manifest, '--org-id', randomUUID(), ...flags], {});
      expect(result).toEqual({
        code: EXIT.usage,
        stdout: '',
        stderr:
          'error: --org-id does not apply with --manifest: each line of the manifest is a request\n(run with --help for usage)\n',
      });
    });
  });

  describe('a stored bootstrap secret', () => {
    /** An org whose bootstrap secret is stored in its folder, with URLs at a host that is not Genesys Cloud's. */
    async function storedBootstrap() {
      const o = newOrg();
      await new FileSecretStore(o.dir).put({
        name: bootstrapSecretName(PREFIX, o.org.id),
        value: JSON.stringify({
          ...o.seeded.bootstrap,
          region: 'eu-west-1',
          apiUrl: 'https://api.genesys.example.com',
          loginUrl: 'https://login.genesys.example.com',
        }),
      });
      const withoutUrls = o.onboardArgs.filter(
        (arg, i, all) =>
          !['--api-url', '--login-url'].includes(arg) &&
          !['--api-url', '--login-url'].includes(all[i - 1] as string),
      );
      return { o, withoutUrls };
    }

    it("whose URLs are at a host that is not Genesys Cloud's needs --allow-host: exit 2 naming the host", async () => {
      const { o, withoutUrls } = await storedBootstrap();
      const result = await run([...withoutUrls, '--dry-run'], {});
      expect(result.code).toBe(EXIT.usage);
      expect(result.stderr).toMatch(
        new RegExp(
          `^error: --allow-host is needed for api\\.genesys\\.example\\.com \\(the apiUrl of bootstrap secret ${PREFIX}/${o.org.id}/bootstrap\\): .+; add --allow-host api\\.genesys\\.example\\.com if it is yours\\n`,
        ),
      );
      expect(o.writesSince(0)).toEqual([]);
    });

    it('with --api-url and --login-url typed, runs on the typed URLs instead of the stored ones', async () => {
      const { o } = await storedBootstrap();
      const result = await run([...o.onboardArgs, '--dry-run', '--json'], {});
      expect(result.code).toBe(EXIT.ok);
      expect(JSON.parse(result.stdout)).toMatchObject({ dryRun: true, status: 'PLANNED', orgId: o.org.id });
    });
  });

  describe('onboard --secret-store aws', () => {
    const secretsManager = new FakeSecretsManager();
    const saved = { ...process.env };
    const home = mkdtempSync(path.join(tmpdir(), 'genesys-onboard-commands-aws-'));

    // The AWS SDK reads its configuration from process.env, not from the CLI's Io: only the fake's endpoint
    // and test keys, no profile files and no instance role.
    beforeAll(async () => {
      folders.push(home);
      Object.assign(process.env, {
        AWS_CONFIG_FILE: path.join(home, 'none'),
        AWS_SHARED_CREDENTIALS_FILE: path.join(home, 'none'),
        AWS_EC2_METADATA_DISABLED: 'true',
        AWS_ENDPOINT_URL_SECRETS_MANAGER: await secretsManager.start(),
        AWS_ACCESS_KEY_ID: 'AKIAFAKEFAKEFAKE1234',
        AWS_SECRET_ACCESS_KEY: 'fake-aws-secret-key',
      });
    });
    afterEach(() => secretsManager.denied.clear());
    afterAll(async () => {
      for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
      Object.assign(process.env, saved);
      await secretsManager.stop();
    });

    const awsArgs = (o: ReturnType<typeof newOrg>) => [
      ...o.onboardArgs.filter((arg, i, all) => arg !== '--secret-dir' && all[i - 1] !== '--secret-dir'),
      ...['--secret-store', 'aws'],
    ];

    it('onboards into Secrets Manager of --aws-region, with --kms-key-id', async () => {
      const o = newOrg();
      const result = await run(
        [...awsArgs(o), '--aws-region', 'us-east-2', '--kms-key-id', 'alias/genesys-onboarding', '--json'],
        o.env,
      );
      expect(result.code).toBe(EXIT.ok);
      const name = `${PREFIX}/${o.org.id}/data-actions-client`;
      expect(JSON.parse(result.stdout)).toMatchObject({
        status: 'SUCCEEDED',
        secretId: `arn:aws:secretsmanager:eu-west-1:123456789012:secret:${name}-AbCdEf`,
        awsRegion: 'us-east-2',
      });
      const stored = secretsManager.secrets.get(name);
      expect(stored?.kmsKeyId).toBe('alias/genesys-onboarding');
      expect(JSON.parse(stored?.value ?? '{}').clientId).toBe(o.liveClients()[0]?.id);
    });

    it('when AWS denies reading the secrets: exit 1 naming the action, before any Genesys call', async () => {
      const o = newOrg();
      secretsManager.denied.add('GetSecretValue');
      const genesysCalls = () =>
        simulator.requestLog.filter((e) => e.orgId === o.org.id || e.clientId === o.seeded.bootstrap.clientId)
          .length;
      const result = await run([...awsArgs(o), '--aws-region', 'eu-west-1', '--json'], o.env);
      expect(result.code).toBe(EXIT.failed);
      expect(JSON.parse(result.stdout)).toEqual({
        error: 'AwsAccessError',
        message: `AWS denied secretsmanager:GetSecretValue on ${PREFIX}/${o.org.id}/data-actions-client in eu-west-1: User: arn:aws:iam::123456789012:user/test is not authorized to perform: secretsmanager:GetSecretValue`,
      });
      expect(genesysCalls()).toBe(0);
    });
  });
});
