import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { clearTokenCache } from '../../../lambdas/genesys/auth';
import { bootstrapSecretName } from '../../../lambdas/shared/naming';
import { FileSecretStore } from '../../../local/adapters/file-secret-store';
import { type Io, main } from '../../../local/cli/program';
import { EXIT } from '../../../local/cli/usage';
import { GenesysSimulator } from '../../../simulator';
import { SAMPLE_ROLE, sampleOrgSeed } from '../../../simulator/seeds';
import { findLeaks } from '../../support/leaks';

/** The region's own endpoints, which fetch sends to the simulator (see the describe below). */
const ENDPOINTS = {
  region: 'eu-west-1',
  apiUrl: 'https://api.mypurecloud.ie',
  loginUrl: 'https://login.mypurecloud.ie',
};
const WHERE = `  Genesys Cloud  region eu-west-1, API ${ENDPOINTS.apiUrl}, login ${ENDPOINTS.loginUrl}`;

/** What one call of the CLI printed, and its exit code. */
interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in this process (the subprocess runs are in cli.test.ts), with `env` as its environment. */
async function cli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
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
  return { code, ...text };
}

/**
 * `genesys-onboard onboard` in-process against the simulator. The region's own hosts (api/login.mypurecloud.ie)
 * are used, as on a real org, and fetch sends them to the simulator: the endpoint policy stays as it is.
 */
describe('genesys-onboard in-process', () => {
  const simulator = new GenesysSimulator({
    activationDelayMs: 0,
    readAfterCreateNotFoundMs: 0,
    oauthClientListingLagMs: 0,
  });
  const realFetch = globalThis.fetch;
  const folders: string[] = [];

  /** An org of its own for one test, with a secret folder and the flags and environment to onboard it. */
  function newOrg() {
    const { org, bootstrap } = simulator.addOrg(sampleOrgSeed({ id: randomUUID(), name: 'CLI test org' }));
    const secretDir = mkdtempSync(path.join(tmpdir(), 'genesys-onboard-program-'));
    folders.push(secretDir);
    const env = {
      GENESYSCLOUD_OAUTHCLIENT_ID: bootstrap.clientId,
      GENESYSCLOUD_OAUTHCLIENT_SECRET: bootstrap.clientSecret,
    };
    const onboard = (flags: Record<string, string> = {}, ...extra: string[]) => [
      'onboard',
      ...Object.entries({
        '--org-id': org.id,
        '--region': 'eu-west-1',
        '--client-name': 'acme-data-actions',
        '--integration-name': 'Acme Data Actions',
        '--role': SAMPLE_ROLE,
        '--secret-dir': secretDir,
        ...flags,
      })
        .filter(([, value]) => value !== '')
        .flat(),
      ...extra,
    ];
    /** Runs the CLI and checks that it printed no secret of the org, in any encoding. */
    const run = async (args: string[], runEnv: NodeJS.ProcessEnv = env) => {
      const result = await cli(args, runEnv);
      const secrets = [...org.clients.values()].map((c) => c.secret);
      expect(findLeaks([result.stdout, result.stderr], secrets, [bootstrap.clientId])).toEqual([]);
      return result;
    };
    const resultFile = path.join(secretDir, 'genesys-onboarding', org.id, 'data-actions-client.json');
    const dataActionClients = () => [...org.clients.values()].filter((c) => c.id !== bootstrap.clientId);
    const writesSince = (since: number) =>
      simulator.requestLog
        .slice(since)
        .filter((e) => e.orgId === org.id && e.method !== 'GET' && e.path !== '/oauth/token');
    return { org, bootstrap, secretDir, env, onboard, run, resultFile, dataActionClients, writesSince };
  }

  beforeAll(async () => {
    const url = new URL(await simulator.start());
    globalThis.fetch = (input, init) => {
      const target = new URL(String(input));
      if (target.hostname === 'api.mypurecloud.ie' || target.hostname === 'login.mypurecloud.ie') {
        target.protocol = url.protocol;
        target.host = url.host;
      }
      return realFetch(target, init);
    };
  });
  afterAll(async () => {
    globalThis.fetch = realFetch;
    await simulator.stop();
    for (const folder of folders) rmSync(folder, { recursive: true, force: true });
  });

  it('onboards and prints the ids, with the progress of each step on stderr; exit 0', async () => {
    const { org, onboard, run, resultFile, dataActionClients } = newOrg();
    const result = await run(onboard());
    expect(result.code).toBe(EXIT.ok);
    const [client] = dataActionClients();
    const [integration] = [...org.integrations.values()];
    const [credential] = [...org.credentials.values()];
    expect(result.stdout).toMatch(
      new RegExp(
        `^Onboarded org ${org.id} in \\d+\\.\\d s \\(\\d+ Genesys calls, \\d+ of them changes, \\d+ state transitions\\)\n`,
      ),
    );
    expect(result.stdout.split('\n').slice(1)).toEqual([
      `  OAuth client   ${client?.id}`,
      `  Integration    ${integration?.id}`,
      `  Credential     ${credential?.id}`,
      `  Secret         file://${resultFile}`,
      WHERE,
      '',
    ]);
    expect(result.stderr).toMatch(
      /✔ Check the org and the bootstrap client, resolve roles\s+\d+ ms {2}\d+ Genesys calls?/,
    );
    expect(result.stderr).toContain('✔ Credential, configuration, enable');
    expect(statSync(resultFile).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(resultFile, 'utf8'))).toMatchObject({
      clientId: client?.id,
      orgId: org.id,
    });
  });

  it('prints one JSON object with --json, and changes nothing on a second run', async () => {
    const { org, onboard, run, resultFile, writesSince } = newOrg();
    expect((await run(onboard())).code).toBe(EXIT.ok);
    const before = simulator.requestLog.length;
    const result = await run(onboard({}, '--json'));
    expect(result.code).toBe(EXIT.ok);
    expect(result.stderr).toBe('');
    const lines = result.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] as string)).toEqual({
      status: 'SUCCEEDED',
      onboardingId: expect.stringMatching(/^onb-/),
      orgId: org.id,
      oauthClientId: expect.any(String),
      integrationId: expect.any(String),
      credentialId: expect.any(String),
      changed: { oauthClient: [], integration: [] },
      secretId: `file://${resultFile}`,
      ...ENDPOINTS,
    });
    expect(writesSince(before)).toEqual([]);
  });

  it('takes the bootstrap credentials from the secret store when the environment has none', async () => {
    const { org, bootstrap, secretDir, onboard, run } = newOrg();
    await new FileSecretStore(secretDir).put({
      name: bootstrapSecretName('genesys-onboarding', org.id),
      value: JSON.stringify({ ...bootstrap, region: 'eu-west-1' }),
    });
    const result = await run(onboard({}, '--json'), {});
    expect(result.code).toBe(EXIT.ok);
    expect(JSON.parse(result.stdout).status).toBe('SUCCEEDED');
  });

  it('takes the region from GENESYSCLOUD_REGION', async () => {
    const { onboard, run } = newOrg();
    // Commander reads an option's variable from process.env itself, not from the Io's env.
    process.env.GENESYSCLOUD_REGION = 'eu-west-1';
    try {
      expect((await run(onboard({ '--region': '' }, '--json'))).code).toBe(EXIT.ok);
    } finally {
      delete process.env.GENESYSCLOUD_REGION;
    }
  });

  it('reports a refused run with the failed step and what was rolled back; exit 1', async () => {
    const { onboard, run, writesSince } = newOrg();
    const other = '00000000-0000-4000-8000-000000000000';
    const before = simulator.requestLog.length;
    const result = await run(onboard({ '--org-id': other }));
    expect(result.code).toBe(EXIT.failed);
    expect(result.stdout).toMatch(
      /^Onboarding failed at "Check the org and the bootstrap client, resolve roles" \(Prepare\) after \d+\.\d s: Onboarding\.WrongOrg\n {2}The bootstrap client belongs to another org than the requested org 00000000-0000-4000-8000-000000000000: nothing was changed\n {2}Rolled back: nothing \(this run had created nothing\)\n {2}Genesys Cloud {2}region eu-west-1, API https:\/\/api\.mypurecloud\.ie, login https:\/\/login\.mypurecloud\.ie\n$/,
    );
    expect(result.stderr).toContain('✖ Check the org and the bootstrap client, resolve roles');
    const json = await run(onboard({ '--org-id': other }, '--json'));
    expect(JSON.parse(json.stdout)).toEqual({
      status: 'FAILED',
      onboardingId: expect.stringMatching(/^onb-/),
      error: 'Onboarding.WrongOrg',
      cause: expect.stringContaining('belongs to another org'),
      failedStep: 'Prepare',
      rolledBack: [],
      leftBehind: [],
      ...ENDPOINTS,
    });
    expect(writesSince(before)).toEqual([]);
  });

  it.each<[string, Record<string, string>, NodeJS.ProcessEnv | undefined, string]>([
    ['no --region', { '--region': '' }, undefined, '--region is required (or set GENESYSCLOUD_REGION)'],
    ['no --role', { '--role': '' }, undefined, '--role is required'],
    [
      'a region not in the table without URLs',
      { '--region': 'mars-1' },
      undefined,
      '--region "mars-1" is not in the region table (see --help): for another region give --api-url and --login-url',
    ],
    [
      'an --api-url that is not http(s)',
      { '--api-url': 'ftp://x' },
      undefined,
      '--api-url must be an http(s) URL without user, password, query or fragment',
    ],
    [
      'a --login-url with a space',
      { '--login-url': 'https://a b' },
      undefined,
      '--login-url must be an http(s) URL without user, password, query or fragment',
    ],
    [
      'an org id that is not a UUID',
      { '--org-id': 'acme' },
      undefined,
      '--org-id must be a Genesys Cloud organization id (a UUID)',
    ],
    [
      'a role with markup',
      { '--role': 'a<b' },
      undefined,
      '--role must not contain any of < > { } ` $ ; | \\ "',
    ],
    [
      'a client id without a secret',
      {},
      { GENESYSCLOUD_OAUTHCLIENT_ID: 'id' },
      'GENESYSCLOUD_OAUTHCLIENT_SECRET is not set but GENESYSCLOUD_OAUTHCLIENT_ID is: set both, or neither to use the stored bootstrap secret',
    ],
  ])('refuses %s before anything is read: exit 2', async (_, flags, runEnv, message) => {
    const { env, onboard, run } = newOrg();
    const before = simulator.requestLog.length;
    const result = await run(onboard(flags), runEnv ?? env);
    expect(result).toEqual({
      code: EXIT.usage,
      stdout: '',
      stderr: `error: ${message}\n(run with --help for usage)\n`,
    });
    expect(simulator.requestLog.length).toBe(before);
  });

  it('says where to store the bootstrap credentials when there are none: exit 2', async () => {
    const { org, secretDir, onboard, run } = newOrg();
    const result = await run(onboard(), {});
    expect(result.code).toBe(EXIT.usage);
    expect(result.stderr).toBe(
      `error: GENESYSCLOUD_OAUTHCLIENT_ID and GENESYSCLOUD_OAUTHCLIENT_SECRET are not set, and there is no bootstrap secret genesys-onboarding/${org.id}/bootstrap in ${secretDir}: set them, or store {"clientId","clientSecret","region"} there\n(run with --help for usage)\n`,
    );
  });

  it('prints its version and help with exit 0, and a mistake with exit 2', async () => {
    const { onboard, run } = newOrg();
    const version = await run(['--version']);
    expect(version).toEqual({
      code: EXIT.ok,
      stdout: `${require('../../../package.json').version}\n`,
      stderr: '',
    });
    const help = await run(['onboard', '--help']);
    expect(help.code).toBe(EXIT.ok);
    expect(help.stdout).toContain('--client-name <name>');
    expect(help.stdout).toContain('GENESYSCLOUD_OAUTHCLIENT_ID');
    const unknown = await run(onboard({}, '--colour'));
    expect(unknown.code).toBe(EXIT.usage);
    expect(unknown.stderr).toBe('error: --colour is not a known option\n(run with --help for usage)\n');
    expect((await run([])).code).toBe(EXIT.usage);
  });
});
