import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { GenesysSimulator } from '../../../simulator';
import { SAMPLE_ROLE, sampleOrgSeed } from '../../../simulator/seeds';

const CLI = path.join(__dirname, '..', '..', '..', 'bin', 'genesys-onboard.cjs');

interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

function cli(args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [CLI, ...args],
      { env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? tmpdir(), ...env }, timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** The genesys-onboard CLI as a process, against the simulator. */
describe('genesys-onboard CLI', () => {
  const simulator = new GenesysSimulator({ activationDelayMs: 20 });
  const { org, bootstrap } = simulator.addOrg(sampleOrgSeed());
  const secretDir = mkdtempSync(path.join(tmpdir(), 'genesys-onboard-cli-'));
  const runs: CliRun[] = [];
  let url: string;

  const env = {
    GENESYSCLOUD_OAUTHCLIENT_ID: bootstrap.clientId,
    GENESYSCLOUD_OAUTHCLIENT_SECRET: bootstrap.clientSecret,
  };
  const onboardArgs = (overrides: Record<string, string> = {}) => {
    const flags: Record<string, string> = {
      '--org-id': org.id,
      '--region': 'eu-west-1',
      '--client-name': 'acme-data-actions',
      '--integration-name': 'Acme Data Actions',
      '--role': SAMPLE_ROLE,
      '--api-url': url,
      '--login-url': url,
      '--secret-dir': secretDir,
      ...overrides,
    };
    return ['onboard', ...Object.entries(flags).flat()];
  };
  const run = async (args: string[], runEnv = env) => {
    const result = await cli(args, runEnv);
    runs.push(result);
    return result;
  };
  const resultFile = () => path.join(secretDir, 'genesys-onboarding', org.id, 'data-actions-client.json');
  const dataActionClients = () => [...org.clients.values()].filter((c) => c.id !== bootstrap.clientId);
  const secretsSeen = new Set<string>([bootstrap.clientSecret]);

  beforeAll(async () => {
    url = await simulator.start();
  });
  afterAll(async () => {
    await simulator.stop();
    rmSync(secretDir, { recursive: true, force: true });
  });

  it('onboards with --json: one JSON object with the ids and the secret id, exit 0', async () => {
    const result = await run([...onboardArgs(), '--json']);
    for (const client of org.clients.values()) secretsSeen.add(client.secret);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const output = JSON.parse(lines[0] as string);
    const [client] = dataActionClients();
    const [integration] = [...org.integrations.values()];
    const [credential] = [...org.credentials.values()];
    expect(output).toEqual({
      status: 'SUCCEEDED',
      onboardingId: expect.stringMatching(/^onb-/),
      orgId: org.id,
      oauthClientId: client?.id,
      integrationId: integration?.id,
      credentialId: credential?.id,
      secretId: `file://${resultFile()}`,
    });
    expect(statSync(resultFile()).mode & 0o777).toBe(0o600);
    expect(statSync(path.dirname(resultFile())).mode & 0o777).toBe(0o700);
    expect(statSync(path.join(secretDir, 'genesys-onboarding')).mode & 0o777).toBe(0o700);
  });

  it('changes nothing on a re-run, and shows progress on stderr', async () => {
    const before = simulator.requestLog.length;
    const result = await run(onboardArgs());
    expect(result.code).toBe(0);
    const writes = simulator.requestLog
      .slice(before)
      .filter((e) => e.method !== 'GET' && e.path !== '/oauth/token');
    expect(writes).toEqual([]);
    expect(result.stderr).toMatch(
      /✔ Check the org and the bootstrap client, resolve roles\s+\d+ ms {2}\d+ Genesys calls?/,
    );
    expect(result.stderr).toContain('✔ OAuth client and its secret');
    expect(result.stdout).toContain(`Onboarded org ${org.id}`);
    expect(result.stdout).toMatch(/0 of them changes/);
  });

  it('repairs a lost secret', async () => {
    rmSync(resultFile());
    const result = await run([...onboardArgs(), '--json']);
    for (const client of org.clients.values()) secretsSeen.add(client.secret);
    expect(result.code).toBe(0);
    const [client] = dataActionClients();
    const stored = JSON.parse((await import('node:fs')).readFileSync(resultFile(), 'utf8'));
    expect(stored.clientSecret).toBe(client?.secret);
    expect([...org.credentials.values()][0]?.fields.clientSecret).toBe(client?.secret);
    expect(dataActionClients()).toHaveLength(1);
  });

  it("sends the functions' logs to stderr with --verbose, keeping stdout to the one JSON object", async () => {
    const result = await run([...onboardArgs(), '--json', '--verbose']);
    expect(result.code).toBe(0);
    expect(result.stdout.trim().split('\n')).toHaveLength(1);
    expect(JSON.parse(result.stdout).status).toBe('SUCCEEDED');
    expect(result.stderr).toContain('"message": "genesys call"');
    expect(result.stderr).toContain('"step": "onboarding/prepare"');
  });

  it('refuses the wrong org id, exit 1, nothing created', async () => {
    const other = '00000000-0000-4000-8000-000000000000';
    const result = await run(onboardArgs({ '--org-id': other }));
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      'Onboarding failed at "Check the org and the bootstrap client, resolve roles" (Prepare)',
    );
    expect(result.stdout).toContain('Onboarding.WrongOrg');
    expect(result.stdout).toContain('Rolled back: nothing');
  });

  it('refuses a role the bootstrap client does not hold, naming it', async () => {
    const result = await run([
      ...onboardArgs({ '--role': 'Supervisor', '--client-name': 'supervisor' }),
      '--json',
    ]);
    expect(result.code).toBe(1);
    const output = JSON.parse(result.stdout);
    expect(output).toMatchObject({
      status: 'FAILED',
      error: 'Onboarding.MissingRoles',
      failedStep: 'Prepare',
      rolledBack: [],
    });
    expect(output.cause).toContain('"Supervisor"');
    expect([...org.clients.values()].some((c) => c.name === 'supervisor')).toBe(false);
  });

  it('reports a wrong bootstrap secret with the Genesys error and what to check', async () => {
    const result = await run(onboardArgs(), {
      ...env,
      GENESYSCLOUD_OAUTHCLIENT_SECRET: 'not-the-secret-0123',
    });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('Genesys.Authentication');
    expect(result.stdout).toContain('invalid_client');
    expect(result.stdout).toContain('Check the client id, client secret and region');
    expect(`${result.stdout}${result.stderr}`).not.toContain('not-the-secret-0123');
  });

  it('refuses a second client name for an onboarded org: its secret is the one place of truth', async () => {
    const result = await run(onboardArgs({ '--client-name': 'another-client' }));
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('Onboarding.OtherClientOnboarded');
    expect(result.stdout).toContain('"acme-data-actions"');
    expect([...org.clients.values()].some((c) => c.name === 'another-client')).toBe(false);
  });

  it('reports a Genesys failure with code, message and context id, and what was rolled back', async () => {
    const second = simulator.addOrg(
      sampleOrgSeed({ id: '5a0e7c3b-1d2f-4a6b-8c9d-0e1f2a3b4c5d', name: 'Rollback Org' }),
    );
    simulator.injectFault({
      method: 'PATCH',
      path: '/api/v2/integrations/{integrationId}',
      fault: { kind: 'status', status: 400 },
      times: 10,
    });
    const result = await run(onboardArgs({ '--org-id': second.org.id, '--client-name': 'rollback-client' }), {
      GENESYSCLOUD_OAUTHCLIENT_ID: second.bootstrap.clientId,
      GENESYSCLOUD_OAUTHCLIENT_SECRET: second.bootstrap.clientSecret,
    });
    simulator.faults.clear();
    secretsSeen.add(second.bootstrap.clientSecret);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/Onboarding failed at ".*" \(ConfigureIntegration\)/);
    expect(result.stdout).toMatch(/HTTP 400 bad\.request\): .* \[contextId [0-9a-f-]{36}\]/);
    expect(result.stdout).toMatch(
      /Rolled back: integration [0-9a-f-]+, credential [0-9a-f-]+, OAuth client [0-9a-f-]+, secret/,
    );
    expect([...second.org.clients.keys()]).toEqual([second.bootstrap.clientId]);
    expect(second.org.integrations.size + second.org.credentials.size).toBe(0);
  });

  it.each([
    [['onboard', '--org-id', 'x'], /required option '--client-name <name>' not specified/],
    [['onboard', '--bogus'], /required option|unknown option/],
    [['frobnicate'], /unknown command 'frobnicate'/],
  ])('answers usage errors with exit 2: %j', async (args, message) => {
    const result = await run(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
  });

  it('names each bad flag and its problem, exit 2, before touching anything', async () => {
    const before = simulator.requestLog.length;
    const result = await run(
      onboardArgs({
        '--org-id': 'not-a-uuid',
        '--client-name': 'a\u0007b',
        '--secret-store': 'file',
        '--division': 'home',
      }),
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--org-id must be a Genesys Cloud organization id (a UUID)');
    expect(result.stderr).toContain('--client-name must not contain control characters');
    expect(result.stderr).toContain('--division must be a division id (a UUID) or "*"');
    expect(simulator.requestLog.length).toBe(before);
    const noCredentials = await run(onboardArgs(), {} as never);
    expect(noCredentials.code).toBe(2);
    expect(noCredentials.stderr).toContain('GENESYSCLOUD_OAUTHCLIENT_ID');
    const badStore = await run([...onboardArgs(), '--secret-store', 'vault']);
    expect(badStore.code).toBe(2);
    expect(badStore.stderr).toContain("argument 'vault' is invalid");
  });

  it('has --help for every command', async () => {
    for (const args of [['--help'], ['demo', '--help'], ['onboard', '--help']]) {
      const result = await run(args);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('Usage: genesys-onboard');
    }
    expect((await run(['onboard', '--help'])).stdout).toContain('GENESYSCLOUD_OAUTHCLIENT_SECRET');
  });

  it('runs the demo: onboards, then shows a second run changes nothing, exit 0', async () => {
    const result = await run(['demo']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('First run: onboard the org');
    expect(result.stdout).toMatch(/Nothing changed on the second run: \d+ Genesys calls, all reads/);
  });

  it('never prints a secret', () => {
    expect(runs.length).toBeGreaterThanOrEqual(12);
    for (const client of org.clients.values()) secretsSeen.add(client.secret);
    const printed = runs.map((r) => r.stdout + r.stderr).join('\n');
    for (const secret of secretsSeen) expect(printed.includes(secret)).toBe(false);
  });
});
