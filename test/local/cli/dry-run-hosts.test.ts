import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { clearTokenCache } from '../../../lambdas/genesys/auth';
import type { Io } from '../../../local/cli/onboard';
import { main } from '../../../local/cli/program';
import { EXIT } from '../../../local/cli/usage';
import { GenesysSimulator } from '../../../simulator';
import { SAMPLE_ROLE, sampleOrgSeed } from '../../../simulator/seeds';

/** `onboard --dry-run` names the Genesys Cloud hosts (API and login) a run would call, as text and JSON. */
describe('onboard --dry-run: the Genesys Cloud hosts', () => {
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

  it('names the --api-url and --login-url hosts when they are given', async () => {
    const o = newOrg('eu-west-1', '--api-url', url, '--login-url', `${url}/`);
    const json = await run([...o.args, '--json'], o.env);
    expect(json.code).toBe(EXIT.ok);
    expect(JSON.parse(json.stdout)).toMatchObject({ status: 'PLANNED', apiUrl: url, loginUrl: url });
  });
});
