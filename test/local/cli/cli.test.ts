import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { executionName } from '../../../lambdas/shared/naming';
import { GenesysSimulator } from '../../../simulator';
import { SAMPLE_ROLE, sampleOrgSeed } from '../../../simulator/seeds';
import type { OrgSeed } from '../../../simulator/state';
import { baseEnv, cli, ensureBundle, ptyCli } from './support';

/** `✔ <label> <n> ms  <calls>...` lines of the plain (non-terminal) progress. */
function stepLines(stderr: string): Array<{ mark: string; text: string }> {
  return stderr
    .split('\n')
    .filter((line) => /^[✔✖↓] /.test(line))
    .map((line) => ({ mark: line.slice(0, 1), text: line.slice(2) }));
}

/** The lines naming one step: each step appears once, with its final mark. */
const linesOf = (stderr: string, label: string) =>
  stepLines(stderr).filter((line) => line.text.startsWith(label));

const PREPARE = 'Check the org and the bootstrap client, resolve roles';
const CLIENT = 'OAuth client and its secret';
const INTEGRATION = 'Data Actions integration';
const CONFIGURE = 'Credential, configuration, enable';
const ROLLBACK = 'Roll back what this run created';

/** The genesys-onboard CLI as a process, against the simulator; each test onboards an org of its own. */
describe('genesys-onboard onboard', () => {
  // Reads after a create, listings and activation are immediate here (a Wait state polls every 3 s): what the
  // steps do with Genesys's lags is tested in test/workflows; these tests are about the CLI.
  const simulator = new GenesysSimulator({
    activationDelayMs: 0,
    readAfterCreateNotFoundMs: 0,
    oauthClientListingLagMs: 0,
    deletedClientLingerMs: 0,
  });
  const folders: string[] = [];
  let url: string;

  /** A new org in the simulator, a secret folder, and the flags and variables to onboard it. */
  const freshOrg = (seed: Partial<OrgSeed> = {}) => {
    const seeded = simulator.addOrg(sampleOrgSeed({ id: randomUUID(), ...seed }));
    const dir = mkdtempSync(path.join(tmpdir(), 'genesys-onboard-cli-'));
    folders.push(dir);
    const { org, bootstrap } = seeded;
    return {
      org,
      bootstrap,
      dir,
      env: baseEnv({
        GENESYSCLOUD_OAUTHCLIENT_ID: bootstrap.clientId,
        GENESYSCLOUD_OAUTHCLIENT_SECRET: bootstrap.clientSecret,
      }),
      args: (overrides: Record<string, string> = {}) => {
        const flags: Record<string, string> = {
          '--org-id': org.id,
          '--region': 'eu-west-1',
          '--client-name': 'acme-data-actions',
          '--integration-name': 'Acme Data Actions',
          '--role': SAMPLE_ROLE,
          '--api-url': url,
          '--login-url': url,
          '--secret-dir': dir,
          ...overrides,
        };
        return ['onboard', ...Object.entries(flags).flat()];
      },
      resultFile: (prefix = 'genesys-onboarding') =>
        path.join(dir, ...prefix.split('/'), org.id, 'data-actions-client.json'),
      liveClients: () =>
        [...org.clients.values()].filter((c) => c.id !== bootstrap.clientId && c.state !== 'deleted'),
    };
  };

  /** Runs the CLI; no run may print a secret the simulator knows (bootstrap or created), in any test. */
  const run = async (args: string[], env: Record<string, string>) => {
    const result = await cli(args, env);
    const printed = result.stdout + result.stderr;
    for (const org of simulator.orgs.values()) {
      for (const client of org.clients.values()) expect(printed.includes(client.secret)).toBe(false);
    }
    return result;
  };

  beforeAll(async () => {
    await ensureBundle();
    url = await simulator.start();
  });
  afterAll(async () => {
    await simulator.stop();
    for (const dir of folders) rmSync(dir, { recursive: true, force: true });
  });

  it('onboards with --json: one JSON object with the ids, the secret id, the region and URLs used', async () => {
    const o = freshOrg();
    const result = await run([...o.args(), '--json'], o.env);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const [client] = o.liveClients();
    const [integration] = [...o.org.integrations.values()];
    const [credential] = [...o.org.credentials.values()];
    expect(JSON.parse(lines[0] as string)).toEqual({
      status: 'SUCCEEDED',
      onboardingId: expect.stringMatching(/^onb-/),
      orgId: o.org.id,
      oauthClientId: client?.id,
      integrationId: integration?.id,
      credentialId: credential?.id,
      secretId: `file://${o.resultFile()}`,
      changed: { oauthClient: [], integration: [] },
      region: 'eu-west-1',
      apiUrl: url,
      loginUrl: url,
    });
    expect(statSync(o.resultFile()).mode & 0o777).toBe(0o600);
    expect(statSync(path.dirname(o.resultFile())).mode & 0o777).toBe(0o700);
  });

  it('changes nothing on a re-run, and shows each step once on stderr, with ✔', async () => {
    const o = freshOrg();
    expect((await run(o.args(), o.env)).code).toBe(0);
    const before = simulator.requestLog.length;
    const result = await run(o.args(), o.env);
    expect(result.code).toBe(0);
    const writes = simulator.requestLog
      .slice(before)
      .filter((e) => e.method !== 'GET' && e.path !== '/oauth/token');
    expect(writes).toEqual([]);
    const lines = stepLines(result.stderr);
    expect(lines.map((l) => `${l.mark} ${l.text.slice(0, 54).trimEnd()}`).sort()).toEqual(
      [
        `✔ ${PREPARE}`,
        `✔ ${CLIENT}`,
        `✔ ${INTEGRATION}`,
        `✔ ${CONFIGURE}`,
        '✔ Record the ids with the secret',
        '✔ Verify the credentials and the integration state',
      ].sort(),
    );
    expect(linesOf(result.stderr, PREPARE)[0]?.text).toMatch(
      new RegExp(`^${PREPARE} +\\d+ ms {2}\\d+ Genesys calls?$`),
    );
    expect(result.stderr).not.toContain('\u001b');
    expect(result.stdout).toContain(`Onboarded org ${o.org.id}`);
    expect(result.stdout).toMatch(/0 of them changes/);
    expect(result.stdout).toContain(`  Genesys Cloud  region eu-west-1, API ${url}, login ${url}`);
  });

  it('repairs a lost secret', async () => {
    const o = freshOrg();
    expect((await run(o.args(), o.env)).code).toBe(0);
    rmSync(o.resultFile());
    const result = await run([...o.args(), '--json'], o.env);
    expect(result.code).toBe(0);
    const [client] = o.liveClients();
    expect(JSON.parse(readFileSync(o.resultFile(), 'utf8')).clientSecret).toBe(client?.secret);
    expect(o.liveClients()).toHaveLength(1);
  });

  it("sends the functions' logs to stderr with --verbose, keeping stdout to the one JSON object", async () => {
    const o = freshOrg();
    const result = await run([...o.args(), '--json', '--verbose'], o.env);
    expect(result.code).toBe(0);
    expect(result.stdout.trim().split('\n')).toHaveLength(1);
    expect(JSON.parse(result.stdout).status).toBe('SUCCEEDED');
    expect(result.stderr).toContain('"message": "genesys call"');
    expect(result.stderr).toContain('"step": "onboarding/prepare"');
  });

  it('with --json and stderr on a terminal: the live progress on stderr, the one JSON object on stdout', async () => {
    const o = freshOrg();
    const jsonFile = path.join(o.dir, 'out.json');
    const result = await ptyCli([...o.args(), '--json'], o.env, jsonFile).done;
    expect(result.code).toBe(0);
    const lines = readFileSync(jsonFile, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] as string).status).toBe('SUCCEEDED');
    const terminal = result.stdout;
    expect(terminal).toContain('\u001b[?25l');
    expect(terminal.lastIndexOf('\u001b[?25h')).toBeGreaterThan(terminal.lastIndexOf('\u001b[?25l'));
    // biome-ignore lint/suspicious/noControlCharactersInRegex: terminal escape sequences are what is removed
    const text = terminal.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '');
    expect(text).toMatch(new RegExp(`✔ ${PREPARE} +\\d+ ms {2}\\d+ Genesys calls`));
    expect(text).not.toContain('"status"');
  });

  describe('a failed step is shown once, with ✖, never with ✔', () => {
    it('wrong org id: exit 1, nothing created', async () => {
      const o = freshOrg();
      const result = await run(o.args({ '--org-id': '00000000-0000-4000-8000-000000000000' }), o.env);
      expect(result.code).toBe(1);
      expect(result.stdout).toContain(`Onboarding failed at "${PREPARE}" (Prepare)`);
      expect(result.stdout).toContain('Onboarding.WrongOrg');
      expect(result.stdout).toContain('Rolled back: nothing');
      expect(linesOf(result.stderr, PREPARE).map((l) => l.mark)).toEqual(['✖']);
    });

    it('a role the bootstrap client does not hold: the only lines are ✖ Prepare and ✔ rollback', async () => {
      const o = freshOrg();
      const result = await run(o.args({ '--role': 'Supervisor' }), o.env);
      expect(result.code).toBe(1);
      const lines = stepLines(result.stderr);
      expect(lines).toHaveLength(2);
      expect(lines[0]?.mark).toBe('✖');
      expect(lines[0]?.text).toMatch(
        new RegExp(`^${PREPARE} +\\d+ ms {2}\\d+ Genesys calls?  Onboarding\\.MissingRoles$`),
      );
      expect(lines[1]?.mark).toBe('✔');
      expect(lines[1]?.text).toMatch(new RegExp(`^${ROLLBACK} +\\d+ ms {2}0 Genesys calls$`));
      expect(result.stdout).toContain('"Supervisor"');
      expect(o.liveClients()).toEqual([]);
    });

    it('a role the org does not have (--json): the error names it, and no progress on a pipe', async () => {
      const o = freshOrg();
      const result = await run([...o.args({ '--role': 'No Such Role' }), '--json'], o.env);
      expect(result.code).toBe(1);
      const output = JSON.parse(result.stdout);
      expect(output).toMatchObject({
        status: 'FAILED',
        error: 'Onboarding.UnknownRoles',
        failedStep: 'Prepare',
        rolledBack: [],
      });
      expect(output.cause).toContain('"No Such Role"');
      expect(result.stderr).toBe('');
    });

    it('a wrong bootstrap secret: the Genesys error, never the secret', async () => {
      const o = freshOrg();
      const result = await run(o.args(), {
        ...o.env,
        GENESYSCLOUD_OAUTHCLIENT_SECRET: 'not-the-secret-0123',
      });
      expect(result.code).toBe(1);
      expect(result.stdout).toContain('Genesys.Authentication');
      expect(linesOf(result.stderr, PREPARE).map((l) => l.mark)).toEqual(['✖']);
      expect(linesOf(result.stderr, PREPARE)[0]?.text).toMatch(/Genesys\.Authentication$/);
      expect(`${result.stdout}${result.stderr}`).not.toContain('not-the-secret-0123');
    });

    it('another client already onboarded: ✖ on Prepare only, which finds it before any write', async () => {
      const o = freshOrg();
      expect((await run(o.args(), o.env)).code).toBe(0);
      const result = await run(o.args({ '--client-name': 'another-client' }), o.env);
      expect(result.code).toBe(1);
      expect(result.stdout).toContain('Onboarding.OtherClientOnboarded');
      const lines = stepLines(result.stderr);
      expect(lines.map((l) => l.mark)).toEqual(['✖', '✔']);
      expect(lines[0]?.text).toMatch(new RegExp(`^${PREPARE} .*Onboarding\\.OtherClientOnboarded$`));
      expect(lines[1]?.text).toMatch(new RegExp(`^${ROLLBACK} `));
      expect(o.liveClients().map((c) => c.name)).toEqual(['acme-data-actions']);
    });

    it('a Genesys failure: code, message, context id, and what was rolled back', async () => {
      const o = freshOrg();
      simulator.injectFault({
        method: 'PATCH',
        path: '/api/v2/integrations/{integrationId}',
        fault: { kind: 'status', status: 400 },
        times: 10,
      });
      const result = await run(o.args(), o.env);
      simulator.faults.clear();
      expect(result.code).toBe(1);
      expect(result.stdout).toMatch(/Onboarding failed at ".*" \(ConfigureIntegration\)/);
      expect(result.stdout).toMatch(/HTTP 400 bad\.request\): .* \[contextId [0-9a-f-]{36}\]/);
      expect(result.stdout).toMatch(
        /Rolled back: integration [0-9a-f-]+, credential [0-9a-f-]+, OAuth client [0-9a-f-]+, secret/,
      );
      expect(linesOf(result.stderr, CONFIGURE).map((l) => l.mark)).toEqual(['✖']);
      expect(o.liveClients()).toEqual([]);
      expect(o.org.integrations.size + o.org.credentials.size).toBe(0);
    });
  });

  describe('every flag is applied', () => {
    it('--api-url with the bootstrap credentials from the store (no GENESYSCLOUD_ variables)', async () => {
      const o = freshOrg();
      // The operator's secret names only the region: the flag must take the run to the simulator.
      const bootstrapFile = path.join(o.dir, 'genesys-onboarding', o.org.id, 'bootstrap.json');
      mkdirSync(path.dirname(bootstrapFile), { recursive: true });
      writeFileSync(bootstrapFile, JSON.stringify({ ...o.bootstrap, region: 'eu-west-1' }));
      const before = simulator.requestLog.length;
      const result = await run([...o.args(), '--json'], baseEnv());
      expect(result.code).toBe(0);
      expect(JSON.parse(result.stdout)).toMatchObject({ status: 'SUCCEEDED', apiUrl: url, loginUrl: url });
      expect(simulator.requestLog.length).toBeGreaterThan(before);
      expect(JSON.parse(readFileSync(o.resultFile(), 'utf8'))).toMatchObject({
        region: 'eu-west-1',
        apiUrl: url,
        loginUrl: url,
      });
      // The stored bootstrap secret is read, never rewritten.
      expect(JSON.parse(readFileSync(bootstrapFile, 'utf8'))).toEqual({
        ...o.bootstrap,
        region: 'eu-west-1',
      });
    });

    it('--region with a name the table does not know is passed through with --api-url and recorded', async () => {
      const o = freshOrg();
      const result = await run([...o.args({ '--region': 'mars-1' }), '--json'], o.env);
      expect(result.code).toBe(0);
      expect(JSON.parse(result.stdout)).toMatchObject({ region: 'mars-1', apiUrl: url, loginUrl: url });
      expect(JSON.parse(readFileSync(o.resultFile(), 'utf8'))).toMatchObject({
        region: 'mars-1',
        apiUrl: url,
      });
    });

    it('--client-description, --token-validity, --integration-notes, --idempotency-key, --division', async () => {
      const o = freshOrg();
      const result = await run(
        [
          ...o.args({
            '--client-description': 'Data actions for the IVR',
            '--token-validity': '3600',
            '--integration-notes': 'Owned by the platform team',
            '--idempotency-key': 'ticket-4711',
            '--division': '*',
          }),
          '--json',
        ],
        o.env,
      );
      expect(result.code).toBe(0);
      expect(JSON.parse(result.stdout).onboardingId).toBe(
        executionName({ orgId: o.org.id, idempotencyKey: 'ticket-4711' }),
      );
      const [client] = o.liveClients();
      expect(client?.description).toContain('Data actions for the IVR');
      expect(client?.accessTokenValiditySeconds).toBe(3600);
      expect(client?.roleDivisions.map((rd) => rd.divisionId)).toEqual(['*']);
      const [integration] = [...o.org.integrations.values()];
      expect(integration?.config.notes).toContain('Owned by the platform team');
    });

    it('--allow-host lets URLs from the stored bootstrap secret through; without it the run is refused', async () => {
      const o = freshOrg();
      const bootstrapFile = path.join(o.dir, 'genesys-onboarding', o.org.id, 'bootstrap.json');
      mkdirSync(path.dirname(bootstrapFile), { recursive: true });
      writeFileSync(
        bootstrapFile,
        JSON.stringify({ ...o.bootstrap, region: 'eu-west-1', apiUrl: url, loginUrl: url }),
      );
      const args = [
        'onboard',
        ...['--org-id', o.org.id, '--region', 'eu-west-1', '--role', SAMPLE_ROLE, '--secret-dir', o.dir],
        ...['--client-name', 'acme-data-actions', '--integration-name', 'Acme Data Actions'],
      ];
      const host = new URL(url).host;
      const before = simulator.requestLog.length;
      const refused = await run(args, baseEnv());
      expect(refused.code).toBe(2);
      expect(refused.stderr.split('\n')[0]).toBe(
        `error: --allow-host is needed for ${host} (the apiUrl of bootstrap secret genesys-onboarding/${o.org.id}/bootstrap): apiUrl host ${host} is not a Genesys Cloud host (api.<region domain>, e.g. api.mypurecloud.ie); add --allow-host ${host} if it is yours`,
      );
      expect(simulator.requestLog.length).toBe(before);
      const allowed = await run([...args, '--allow-host', host, '--json'], baseEnv());
      expect(allowed.code).toBe(0);
      expect(JSON.parse(allowed.stdout)).toMatchObject({ status: 'SUCCEEDED', apiUrl: url, loginUrl: url });
    });

    it('--adopt-existing takes over a same-name client made by hand, and says what it changed', async () => {
      const o = freshOrg({
        oauthClients: [{ name: 'acme-data-actions', description: 'Made by hand', roles: [SAMPLE_ROLE] }],
      });
      const [handMade] = o.liveClients();
      const refused = await run(o.args(), o.env);
      expect(refused.code).toBe(1);
      expect(refused.stdout).toContain('Onboarding.NameTaken');
      expect(refused.stdout).toContain('--adopt-existing');
      const adopted = await run([...o.args(), '--adopt-existing'], o.env);
      expect(adopted.code).toBe(0);
      expect(adopted.stdout).toMatch(new RegExp(`^ {2}OAuth client {3}${handMade?.id}$`, 'm'));
      const changes = adopted.stdout.slice(
        adopted.stdout.indexOf('  Changed what existed before this run:\n'),
      );
      expect(changes.split('\n')[1]).toBe(
        `    OAuth client ${handMade?.id}: adopted on request (it carried no ownership marker)`,
      );
      const again = await run([...o.args(), '--json'], o.env);
      expect(JSON.parse(again.stdout)).toMatchObject({
        oauthClientId: handMade?.id,
        changed: { oauthClient: [], integration: [] },
      });
    });

    it("--rename-integration renames the org's integration instead of refusing the new name", async () => {
      const o = freshOrg();
      expect((await run(o.args(), o.env)).code).toBe(0);
      const [integration] = [...o.org.integrations.values()];
      const renamedArgs = o.args({ '--integration-name': 'Acme Data Actions (EU)' });
      const refused = await run(renamedArgs, o.env);
      expect(refused.code).toBe(1);
      expect(refused.stdout).toContain('Onboarding.OtherIntegrationOnboarded');
      const renamed = await run([...renamedArgs, '--rename-integration', '--json'], o.env);
      expect(renamed.code).toBe(0);
      const output = JSON.parse(renamed.stdout);
      expect(output.integrationId).toBe(integration?.id);
      expect(output.changed.integration).toContain(
        `Integration ${integration?.id}: renamed from "Acme Data Actions"`,
      );
      expect(o.org.integrations.get(integration?.id ?? '')?.name).toBe('Acme Data Actions (EU)');
    });

    it('--bootstrap-secret-id and --secret-prefix choose the stored secret', async () => {
      const o = freshOrg();
      const bootstrapFile = path.join(o.dir, 'acme', 'onboarding', o.org.id, 'operator-bootstrap.json');
      mkdirSync(path.dirname(bootstrapFile), { recursive: true });
      writeFileSync(
        bootstrapFile,
        JSON.stringify({ ...o.bootstrap, region: 'eu-west-1', apiUrl: url, loginUrl: url }),
      );
      const args = [
        ...o.args(),
        '--secret-prefix',
        'acme/onboarding',
        '--bootstrap-secret-id',
        `acme/onboarding/${o.org.id}/operator-bootstrap`,
        '--json',
      ];
      const result = await run(args, baseEnv());
      expect(result.code).toBe(0);
      expect(JSON.parse(result.stdout).secretId).toBe(`file://${o.resultFile('acme/onboarding')}`);
    });
  });
});
