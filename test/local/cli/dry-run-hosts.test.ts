import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { clearTokenCache } from '../../../lambdas/genesys/auth';
import type { Io } from '../../../local/cli/onboard';
import { main } from '../../../local/cli/program';
import { EXIT } from '../../../local/cli/usage';
import { GenesysSimulator } from '../../../simulator';
import { SAMPLE_ROLE, sampleOrgSeed } from '../../../simulator/seeds';

/** A port on 127.0.0.1 that refuses connections: one the system gave a server that is now closed. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * `onboard --dry-run` and `offboard --dry-run` name the Genesys Cloud hosts (API and login) a run would call,
 * as text and JSON, in every outcome: a plan, a refusal, a failed sign-in.
 */
describe('--dry-run: the Genesys Cloud hosts', () => {
  const simulator = new GenesysSimulator({ activationDelayMs: 0 });
  const folders: string[] = [];
  let url = '';

  beforeAll(async () => {
    url = await simulator.start();
  });
  afterAll(async () => {
    jest.restoreAllMocks();
    await simulator.stop();
    for (const folder of folders) rmSync(folder, { recursive: true, force: true });
  });

  /** Runs the CLI in this process: its exit code and what it printed. */
  async function run(args: readonly string[], env: NodeJS.ProcessEnv) {
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

  /** A new org of the simulator, `onboard` for it in `region` (with `extra` flags), and its bootstrap env. */
  function newOrg(region: string, ...extra: string[]) {
    const { org, bootstrap } = simulator.addOrg(sampleOrgSeed({ id: randomUUID() }));
    const dir = mkdtempSync(path.join(tmpdir(), 'genesys-onboard-dry-run-hosts-'));
    folders.push(dir);
    const args = [
      ...['onboard', '--org-id', org.id, '--region', region, '--secret-dir', dir],
      ...['--role', SAMPLE_ROLE, '--client-name', 'acme-data-actions', '--integration-name', 'Acme'],
      ...extra,
      '--dry-run',
    ];
    const env = {
      GENESYSCLOUD_OAUTHCLIENT_ID: bootstrap.clientId,
      GENESYSCLOUD_OAUTHCLIENT_SECRET: bootstrap.clientSecret,
    };
    return { org, args, env };
  }

  it.each([
    ['eu-west-1', 'mypurecloud.ie'],
    ['ap-southeast-2', 'mypurecloud.com.au'],
  ])(
    'names the hosts of region %s (api. and login.%s), the ones its requests went to',
    async (region, domain) => {
      const o = newOrg(region);
      // The region's real hosts are called; this process answers them with the simulator.
      const called = new Set<string>();
      const realFetch = globalThis.fetch;
      jest.spyOn(globalThis, 'fetch').mockImplementation((input, init) => {
        const target = new URL(input instanceof Request ? input.url : String(input));
        called.add(target.origin);
        return realFetch(`${url}${target.pathname}${target.search}`, init);
      });
      try {
        const json = await run([...o.args, '--json'], o.env);
        expect(json.code).toBe(EXIT.ok);
        expect(JSON.parse(json.stdout)).toMatchObject({
          dryRun: true,
          status: 'PLANNED',
          orgId: o.org.id,
          region,
          apiUrl: `https://api.${domain}`,
          loginUrl: `https://login.${domain}`,
        });
        expect([...called].sort()).toEqual([`https://api.${domain}`, `https://login.${domain}`]);

        const text = await run(o.args, o.env);
        expect(text.code).toBe(EXIT.ok);
        expect(text.stdout.split('\n').slice(-3)).toEqual([
          `  Genesys Cloud  region ${region}, API https://api.${domain}, login https://login.${domain}`,
          '  Nothing was changed: this was a dry run.',
          '',
        ]);
      } finally {
        jest.restoreAllMocks();
      }
    },
  );

  /** The hosts line of the text output and the hosts of the JSON output, each run once. */
  async function hostsOf(args: readonly string[], env: NodeJS.ProcessEnv) {
    const json = await run([...args, '--json'], env);
    const text = await run(args, env);
    const parsed = JSON.parse(json.stdout);
    return {
      codes: [json.code, text.code],
      status: parsed.status,
      error: parsed.error,
      json: { region: parsed.region, apiUrl: parsed.apiUrl, loginUrl: parsed.loginUrl },
      line: text.stdout.split('\n').at(-3),
    };
  }
  const hostsLine = (apiUrl: string) => `  Genesys Cloud  region eu-west-1, API ${apiUrl}, login ${apiUrl}`;

  it('names them when the plan is a refusal (Onboarding.NameTaken)', async () => {
    const o = newOrg('eu-west-1', '--api-url', url, '--login-url', url);
    o.org.clients.set('hand-made', {
      ...structuredClone(
        o.org.clients.get(o.env.GENESYSCLOUD_OAUTHCLIENT_ID) as NonNullable<
          ReturnType<typeof o.org.clients.get>
        >,
      ),
      id: 'hand-made',
      name: 'acme-data-actions',
      description: 'Made by hand',
    });
    expect(await hostsOf(o.args, o.env)).toEqual({
      codes: [EXIT.failed, EXIT.failed],
      status: 'FAILED',
      error: 'Onboarding.NameTaken',
      json: { region: 'eu-west-1', apiUrl: url, loginUrl: url },
      line: hostsLine(url),
    });
  });

  it.each([
    ['bad bootstrap credentials', 'Genesys.Authentication', async () => url, 'wrong-secret'],
    [
      'an unreachable host',
      'Genesys.Unreachable',
      async () => `http://127.0.0.1:${await closedPort()}`,
      undefined,
    ],
  ])('names them when signing in fails: %s', async (_, error, hostOf, secret) => {
    const host = await hostOf();
    const o = newOrg('eu-west-1', '--api-url', host, '--login-url', host);
    const env = secret ? { ...o.env, GENESYSCLOUD_OAUTHCLIENT_SECRET: secret } : o.env;
    expect(await hostsOf(o.args, env)).toEqual({
      codes: [EXIT.failed, EXIT.failed],
      status: 'FAILED',
      error,
      json: { region: 'eu-west-1', apiUrl: host, loginUrl: host },
      line: hostsLine(host),
    });
  });

  it('names the hosts resolved before the run when Prepare refused before making a Genesys client', async () => {
    const o = newOrg('eu-west-1');
    // A stored bootstrap secret for another region: refused before any call (Onboarding.RegionMismatch).
    const dir = o.args[o.args.indexOf('--secret-dir') + 1] as string;
    mkdirSync(path.join(dir, 'genesys-onboarding', o.org.id), { recursive: true });
    writeFileSync(
      path.join(dir, 'genesys-onboarding', o.org.id, 'bootstrap.json'),
      JSON.stringify({ clientId: 'c', clientSecret: 's', region: 'us-east-1' }),
    );
    expect(await hostsOf(o.args, {})).toEqual({
      codes: [EXIT.failed, EXIT.failed],
      status: 'FAILED',
      error: 'Onboarding.RegionMismatch',
      json: {
        region: 'eu-west-1',
        apiUrl: 'https://api.mypurecloud.ie',
        loginUrl: 'https://login.mypurecloud.ie',
      },
      line: '  Genesys Cloud  region eu-west-1, API https://api.mypurecloud.ie, login https://login.mypurecloud.ie',
    });
  });

  it.each([
    ['a plan', 'PLANNED', undefined, EXIT.ok],
    ['a failed sign-in', 'FAILED', 'wrong-secret', EXIT.failed],
  ])('offboard --dry-run names them too: %s', async (_, status, secret, code) => {
    const o = newOrg('eu-west-1');
    const dir = o.args[o.args.indexOf('--secret-dir') + 1] as string;
    const args = [
      ...['offboard', '--org-id', o.org.id, '--region', 'eu-west-1', '--secret-dir', dir],
      ...['--api-url', url, '--login-url', url, '--dry-run'],
    ];
    const env = secret ? { ...o.env, GENESYSCLOUD_OAUTHCLIENT_SECRET: secret } : o.env;
    expect(await hostsOf(args, env)).toMatchObject({
      codes: [code, code],
      status,
      json: { region: 'eu-west-1', apiUrl: url, loginUrl: url },
      line: hostsLine(url),
    });
  });

  it('names the --api-url and --login-url hosts when they are given', async () => {
    const o = newOrg('eu-west-1', '--api-url', url, '--login-url', `${url}/`);
    const json = await run([...o.args, '--json'], o.env);
    expect(json.code).toBe(EXIT.ok);
    expect(JSON.parse(json.stdout)).toMatchObject({ status: 'PLANNED', apiUrl: url, loginUrl: url });
  });
});
