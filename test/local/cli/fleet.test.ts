import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { bootstrapSecretName } from '../../../lambdas/shared/naming';
import { CHECK_IDS } from '../../../lambdas/workflows/status/check-org';
import { FileSecretStore } from '../../../local/adapters/file-secret-store';
import { GenesysSimulator } from '../../../simulator';
import { SAMPLE_ROLE, sampleOrgSeed } from '../../../simulator/seeds';
import { nowIso, type SeededOrg } from '../../../simulator/state';
import { sampleRequest } from '../../support/requests';
import { baseEnv, cli, ensureBundle, ptyCli } from './support';

const PREFIX = 'genesys-onboarding';

/** `genesys-onboard onboard --manifest` and `genesys-onboard status` as processes, against the simulator. */
describe('genesys-onboard fleet commands', () => {
  const simulator = new GenesysSimulator({
    activationDelayMs: 0,
    readAfterCreateNotFoundMs: 0,
    oauthClientListingLagMs: 0,
    deletedClientLingerMs: 0,
  });
  const folders: string[] = [];
  let host: string;

  beforeAll(async () => {
    await ensureBundle();
    host = new URL(await simulator.start()).host;
  });
  afterAll(async () => {
    await simulator.stop();
    for (const dir of folders) rmSync(dir, { recursive: true, force: true });
  });

  /** A secret folder with `count` orgs' bootstrap secrets (pointing at the simulator), and a manifest file. */
  async function fleet(count: number, options: { lacking?: number } = {}) {
    const dir = mkdtempSync(path.join(tmpdir(), 'genesys-onboard-fleet-'));
    folders.push(dir);
    const store = new FileSecretStore(path.join(dir, 'secrets'));
    const orgs: SeededOrg[] = [];
    for (let i = 0; i < count + (options.lacking ?? 0); i++) {
      const seed =
        i < count
          ? sampleOrgSeed({ id: randomUUID() })
          : sampleOrgSeed({ id: randomUUID(), name: 'No role', bootstrap: { roles: ['admin'] } });
      const seeded = simulator.addOrg(seed);
      await store.put({
        name: bootstrapSecretName(PREFIX, seeded.org.id),
        value: JSON.stringify({
          ...seeded.bootstrap,
          region: 'eu-west-1',
          apiUrl: simulator.url,
          loginUrl: simulator.url,
        }),
      });
      orgs.push(seeded);
    }
    const manifest = (lines: string[], name = 'orgs.jsonl') => {
      const file = path.join(dir, name);
      writeFileSync(file, lines.join('\n'));
      return file;
    };
    const flags = ['--secret-dir', path.join(dir, 'secrets'), '--allow-host', host];
    return { dir, orgs, manifest, flags };
  }
  const line = (orgId: string) => JSON.stringify(sampleRequest(orgId));
  /** Runs the CLI; no run may print a secret the simulator knows. */
  const run = async (args: string[], env = baseEnv()) => {
    const result = await cli(args, env);
    for (const org of simulator.orgs.values()) {
      for (const client of org.clients.values())
        expect((result.stdout + result.stderr).includes(client.secret)).toBe(false);
    }
    return result;
  };

  describe('onboard --manifest', () => {
    it('onboards every line, lists each at the end, and exits 1 naming the line that failed and the one that was invalid', async () => {
      const { orgs, manifest, flags } = await fleet(3, { lacking: 1 });
      const [a, b, c, lacking] = orgs;
      const file = manifest([
        line(a?.org.id ?? ''),
        '{"orgId": 42}',
        line(b?.org.id ?? ''),
        line(lacking?.org.id ?? ''),
        line(c?.org.id ?? ''),
      ]);

      const result = await run(['onboard', '--manifest', file, '--concurrency', '2', ...flags]);

      expect(result.code).toBe(1);
      const stdout = result.stdout.split('\n');
      expect(stdout[0]).toMatch(
        /^Bulk onboarding of orgs\.jsonl: 5 lines, 3 onboarded, 2 failed, in [\d.]+ s \(2 at a time\)$/,
      );
      const rows = stdout.slice(3).filter(Boolean);
      expect(rows.map((row) => row.trim().split(/\s+/).slice(0, 3))).toEqual([
        ['1', a?.org.id, 'onboarded'],
        ['2', '-', 'invalid'],
        ['3', b?.org.id, 'onboarded'],
        ['4', lacking?.org.id, 'failed'],
        ['5', c?.org.id, 'onboarded'],
      ]);
      expect(rows[1]).toContain('orgId must be a string');
      expect(rows[3]).toContain(`Onboarding.MissingRoles: The bootstrap client`);
      // Progress on stderr, one plain line per finished org (stderr is not a terminal here).
      expect(result.stderr).toContain('Manifest orgs.jsonl: 5 lines, 4 valid, 1 invalid (line 2)');
      expect(result.stderr).toMatch(new RegExp(`✖ line 4  ${lacking?.org.id}  Onboarding.MissingRoles`));
      expect(result.stderr.match(/^✔ line \d+ {2}\S+ {2}onboarded/gm)).toHaveLength(3);
      for (const seeded of [a, b, c]) expect(seeded?.org.integrations.size).toBe(1);
    });

    it('with --json writes one JSON line per manifest line as it is known, then the summary; exit 0 when all succeeded', async () => {
      const { orgs, manifest, flags } = await fleet(2);
      const file = manifest(orgs.map((o) => line(o.org.id)));
      const result = await run(['onboard', '--manifest', file, '--json', ...flags]);
      expect(result.code).toBe(0);
      expect(result.stderr).toBe('');
      const lines = result.stdout
        .trim()
        .split('\n')
        .map((text) => JSON.parse(text));
      expect(lines).toHaveLength(3);
      const byOrg = new Map(lines.slice(0, 2).map((entry) => [entry.orgId, entry]));
      for (const [i, seeded] of orgs.entries()) {
        const [client] = [...seeded.org.clients.values()].filter((x) => x.id !== seeded.bootstrap.clientId);
        expect(byOrg.get(seeded.org.id)).toEqual({
          line: i + 1,
          orgId: seeded.org.id,
          onboardingId: expect.stringMatching(/^onb-/),
          status: 'SUCCEEDED',
          reused: false,
          oauthClientId: client?.id,
          integrationId: [...seeded.org.integrations.keys()][0],
          credentialId: [...seeded.org.credentials.keys()][0],
          secretId: expect.stringMatching(
            new RegExp(`^file://.*/${seeded.org.id}/data-actions-client\\.json$`),
          ),
        });
      }
      expect(lines[2]).toEqual({
        summary: {
          total: 2,
          succeeded: 2,
          failed: 0,
          notStarted: 0,
          reused: 0,
          failedOrgs: [],
          invalidLines: [],
        },
      });
    });

    it('ignores a UTF-8 byte order mark at the start of a JSON Lines manifest with CRLF line ends', async () => {
      const { orgs, dir, flags } = await fleet(2);
      const file = path.join(dir, 'bom.jsonl');
      writeFileSync(file, `\uFEFF${orgs.map((o) => line(o.org.id)).join('\r\n')}\r\n`);
      const result = await run(['onboard', '--manifest', file, ...flags]);
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/^Bulk onboarding of bom\.jsonl: 2 lines, 2 onboarded, 0 failed/);
    });

    it('refuses a JSON array manifest, saying a manifest is JSON Lines or CSV', async () => {
      const { orgs, dir, flags } = await fleet(1);
      const file = path.join(dir, 'orgs.json');
      writeFileSync(file, JSON.stringify(orgs.map((o) => sampleRequest(o.org.id))));
      const result = await run(['onboard', '--manifest', file, ...flags]);
      expect(result.code).toBe(1);
      expect(result.stdout).toContain(
        'is a JSON array: a manifest is JSON Lines (one JSON object per line, no enclosing [ ] or commas between lines) or CSV',
      );
      expect(orgs[0]?.org.integrations.size).toBe(0);
    });

    it('reads CSV manifests too, and shows live counts, rate and ETA on a terminal', async () => {
      const { orgs, manifest, flags, dir } = await fleet(2);
      const file = manifest(
        [
          'orgId,region,oauthClient.name,oauthClient.roles,integration.name',
          ...orgs.map((o) => `${o.org.id},eu-west-1,acme-data-actions,${SAMPLE_ROLE},Acme Data Actions`),
        ],
        'orgs.csv',
      );
      const out = path.join(dir, 'out.txt');
      const result = await ptyCli(['onboard', '--manifest', file, ...flags], baseEnv(), out).done;
      expect(result.code).toBe(0);
      // biome-ignore lint/suspicious/noControlCharactersInRegex: terminal escape sequences are what is removed
      const terminal = result.stdout.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '');
      expect(terminal).toMatch(/\d+\/2 done \(0 failed\), \d+ running, \d+ waiting · [\d.]+ orgs\/s · ETA/);
      expect(terminal).toMatch(/2 of 2 orgs onboarded/);
      expect(readFileSync(out, 'utf8')).toMatch(
        /^Bulk onboarding of orgs\.csv: 2 lines, 2 onboarded, 0 failed/,
      );
    });

    it.each([
      [
        ['--manifest', '/nonexistent/orgs.jsonl'],
        '--manifest /nonexistent/orgs.jsonl cannot be read (no such file)',
      ],
      [
        ['--manifest', 'x.jsonl', '--org-id', randomUUID()],
        '--org-id does not apply with --manifest: each line of the manifest is a request',
      ],
      [['--manifest', 'x.jsonl', '--concurrency', '0'], '--concurrency must be a whole number from 1 to 100'],
      [
        ['--manifest', 'x.jsonl', '--api-url', 'https://api.example.com'],
        "--api-url does not apply with --manifest: put apiUrl and loginUrl in each org's bootstrap secret",
      ],
      [
        ['--org-id', randomUUID(), '--concurrency', '4'],
        '--concurrency applies only with --manifest (a bulk onboarding)',
      ],
    ])('refuses %j with exit 2, naming the flag', async (args, message) => {
      const result = await run(['onboard', ...args]);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(`error: ${message}`);
    });
  });

  describe('status', () => {
    const onboarded = async () => {
      const { orgs, manifest, flags } = await fleet(1);
      const [seeded] = orgs as [SeededOrg];
      expect((await run(['onboard', '--manifest', manifest([line(seeded.org.id)]), ...flags])).code).toBe(0);
      return { seeded, args: ['status', '--org-id', seeded.org.id, '--region', 'eu-west-1', ...flags] };
    };
    const mutations = (since: number, seeded: SeededOrg) =>
      simulator.requestLog
        .slice(since)
        .filter((e) => e.orgId === seeded.org.id && e.method !== 'GET' && e.path !== '/oauth/token');

    it('prints every check with ✔ and exits 0 for a healthy org; 3 with ✘ and the reason once it drifted; never changing anything', async () => {
      const { seeded, args } = await onboarded();
      const since = simulator.requestLog.length;
      const healthy = await run(args);
      expect(healthy.code).toBe(0);
      expect(healthy.stdout).toContain(`Org ${seeded.org.id} (eu-west-1): healthy: as recorded`);
      expect(healthy.stdout.match(/^ {2}✔ /gm)).toHaveLength(CHECK_IDS.length);

      const [integration] = [...seeded.org.integrations.values()];
      if (!integration) throw new Error('no integration');
      integration.intendedState = 'DISABLED';
      integration.reportedState = { code: 'INACTIVE', effective: 'Inactive', lastUpdated: nowIso() };
      const drifted = await run(args);
      expect(drifted.code).toBe(3);
      expect(drifted.stdout).toContain('drifted: differs from its record');
      expect(drifted.stdout).toMatch(
        new RegExp(
          `✘ integration\\.enabled +integration ${integration.id} is intended DISABLED: a repair enables it`,
        ),
      );
      expect(drifted.stdout.match(/^ {2}✘ /gm)).toHaveLength(2);

      const json = await run([...args, '--json']);
      expect(json.code).toBe(3);
      expect(JSON.parse(json.stdout)).toMatchObject({
        orgId: seeded.org.id,
        region: 'eu-west-1',
        verdict: 'drifted',
        rotationInProgress: false,
        findings: expect.arrayContaining([
          { id: 'integration.enabled', status: 'drifted', message: expect.any(String) },
        ]),
      });
      expect(mutations(since, seeded)).toEqual([]);
    });

    it('exits 1 (could not check) for an org without a record, and for an unreachable Genesys', async () => {
      const { orgs, manifest, flags } = await fleet(1);
      const [seeded] = orgs as [SeededOrg];
      const args = ['status', '--org-id', seeded.org.id, '--region', 'eu-west-1', ...flags];
      const notOnboarded = await run(args);
      expect(notOnboarded.code).toBe(1);
      expect(notOnboarded.stdout).toContain('could not be checked completely');
      expect(notOnboarded.stdout).toMatch(/\? record\.exists +\S+ does not exist: the org is not onboarded/);
      expect(notOnboarded.stdout).not.toMatch(/✘/);

      expect((await run(['onboard', '--manifest', manifest([line(seeded.org.id)]), ...flags])).code).toBe(0);
      const unreachable = await run(
        [...args, '--api-url', 'http://127.0.0.1:9', '--login-url', 'http://127.0.0.1:9'],
        baseEnv({
          GENESYSCLOUD_OAUTHCLIENT_ID: seeded.bootstrap.clientId,
          GENESYSCLOUD_OAUTHCLIENT_SECRET: seeded.bootstrap.clientSecret,
        }),
      );
      expect(unreachable.code).toBe(1);
      expect(unreachable.stdout).toMatch(
        /\? bootstrap\.access +the bootstrap client from GENESYSCLOUD_OAUTHCLIENT_ID/,
      );
      expect(unreachable.stdout).not.toMatch(/✘/);
    });

    it('exits 1 when it could not check (the bootstrap credentials are refused), 2 for a usage error', async () => {
      const { seeded, args } = await onboarded();
      const refused = await run(
        [...args, '--api-url', simulator.url, '--login-url', simulator.url],
        baseEnv({
          GENESYSCLOUD_OAUTHCLIENT_ID: seeded.bootstrap.clientId,
          GENESYSCLOUD_OAUTHCLIENT_SECRET: 'not-the-secret',
        }),
      );
      expect(refused.code).toBe(1);
      expect(refused.stdout).toMatch(
        /\? bootstrap\.access +the bootstrap client from GENESYSCLOUD_OAUTHCLIENT_ID and GENESYSCLOUD_OAUTHCLIENT_SECRET cannot sign in: Genesys\.Authentication/,
      );
      expect(refused.stdout).not.toContain(`${PREFIX}/${seeded.org.id}/bootstrap`);
      const usage = await run(['status', '--org-id', 'nope', '--secret-store', 'disk']);
      expect(usage.code).toBe(2);
      expect(usage.stderr).toContain('error: --org-id must be a Genesys Cloud organization id (a UUID)');
      expect(usage.stderr).toContain('error: --region is required (or set GENESYSCLOUD_REGION)');
      expect(usage.stderr).toContain('error: --secret-store must be file or aws');
    });
  });
});
