import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { GenesysSimulator } from '../../../simulator';
import type { SimulatorOptions } from '../../../simulator/options';
import { SAMPLE_ROLE, sampleOrgSeed } from '../../../simulator/seeds';
import type { RequestLogEntry } from '../../../simulator/server';
import type { OrgSeed, SimOAuthClient, SimOrg } from '../../../simulator/state';
import { baseEnv, type CliRun, cli, ensureBundle } from './support';

/** The names `onboard` gives the org's resources in these tests. */
export const CLIENT_NAME = 'acme-data-actions';
export const INTEGRATION_NAME = 'Acme Data Actions';

/** One org of the simulator with its own secret folder, and the CLI's arguments for it. */
export interface OrgUnderTest {
  readonly org: SimOrg;
  readonly bootstrap: { readonly clientId: string; readonly clientSecret: string };
  /** Its secret folder (--secret-dir). */
  readonly dir: string;
  /** GENESYSCLOUD_OAUTHCLIENT_ID/SECRET of its bootstrap client. */
  readonly env: Record<string, string>;
  /** The org's result secret file in the file store. */
  readonly resultFile: string;
  /** `onboard` with the org, the region, the simulator's URLs, its folder, a role and the two names. */
  onboardArgs(...extra: string[]): string[];
  /** `offboard` with the org, the region, the simulator's URLs and its folder. */
  offboardArgs(...extra: string[]): string[];
  /** Its OAuth clients besides the bootstrap client that are not deleted. */
  liveClients(): SimOAuthClient[];
  /** The requests from this org since the request log had `since` entries that change something. */
  writesSince(since: number): RequestLogEntry[];
}

/**
 * A simulator for a test file, each test with orgs of its own, and the CLI run against it as a process. Every
 * run is checked to print no secret the simulator knows (bootstrap or created), in any encoding it could take.
 */
export class SimulatedOrgs {
  readonly simulator: GenesysSimulator;
  private readonly folders: string[] = [];
  private url = '';

  /** Reads after a create, listings and deletions are immediate unless `knobs` say otherwise. */
  constructor(knobs: SimulatorOptions = {}) {
    this.simulator = new GenesysSimulator({
      activationDelayMs: 0,
      readAfterCreateNotFoundMs: 0,
      oauthClientListingLagMs: 0,
      deletedClientLingerMs: 0,
      ...knobs,
    });
  }

  async start(): Promise<void> {
    await ensureBundle();
    this.url = await this.simulator.start();
  }

  async stop(): Promise<void> {
    await this.simulator.stop();
    for (const dir of this.folders) rmSync(dir, { recursive: true, force: true });
  }

  /** A new org (the sample org's roles and bootstrap client, with `seed` over them). */
  add(seed: Partial<OrgSeed> = {}): OrgUnderTest {
    const { org, bootstrap } = this.simulator.addOrg(sampleOrgSeed({ id: randomUUID(), ...seed }));
    const dir = mkdtempSync(path.join(tmpdir(), 'genesys-offboard-cli-'));
    this.folders.push(dir);
    const where = [
      ...['--org-id', org.id, '--region', 'eu-west-1'],
      ...['--api-url', this.url, '--login-url', this.url, '--secret-dir', dir],
    ];
    return {
      org,
      bootstrap,
      dir,
      env: baseEnv({
        GENESYSCLOUD_OAUTHCLIENT_ID: bootstrap.clientId,
        GENESYSCLOUD_OAUTHCLIENT_SECRET: bootstrap.clientSecret,
      }),
      resultFile: path.join(dir, 'genesys-onboarding', org.id, 'data-actions-client.json'),
      onboardArgs: (...extra) => [
        'onboard',
        ...where,
        ...['--role', SAMPLE_ROLE, '--client-name', CLIENT_NAME, '--integration-name', INTEGRATION_NAME],
        ...extra,
      ],
      offboardArgs: (...extra) => ['offboard', ...where, ...extra],
      liveClients: () =>
        [...org.clients.values()].filter((c) => c.id !== bootstrap.clientId && c.state !== 'deleted'),
      writesSince: (since) =>
        this.simulator.requestLog
          .slice(since)
          .filter((e) => e.orgId === org.id && e.method !== 'GET' && e.path !== '/oauth/token'),
    };
  }

  /** Runs the CLI to its end; fails the test if it printed a secret of any org. */
  async run(args: readonly string[], env: Record<string, string>): Promise<CliRun> {
    const result = await cli(args, env);
    this.expectNoSecretIn(result.stdout + result.stderr);
    return result;
  }

  /** Onboards an org with `onboard --json`: its ids. */
  async onboard(
    o: OrgUnderTest,
  ): Promise<{ oauthClientId: string; integrationId: string; credentialId: string }> {
    const result = await this.run([...o.onboardArgs(), '--json'], o.env);
    expect(result.code).toBe(0);
    return JSON.parse(result.stdout);
  }

  /** No client secret the simulator knows appears in `printed`, as it is, base64 or URL-encoded. */
  expectNoSecretIn(printed: string): void {
    for (const org of this.simulator.orgs.values()) {
      for (const client of org.clients.values()) {
        for (const form of [
          client.secret,
          encodeURIComponent(client.secret),
          Buffer.from(client.secret).toString('base64'),
        ]) {
          expect(printed.includes(form)).toBe(false);
        }
      }
    }
  }
}

/**
 * Makes the org's stored record ten minutes old, as if the onboarding was not just now: the ids it names are
 * then read once, without waiting out the window in which Genesys may answer 404 for what was just created.
 */
export function ageRecord(o: OrgUnderTest): void {
  const record = JSON.parse(readFileSync(o.resultFile, 'utf8')) as { recordedAt: string };
  record.recordedAt = new Date(Date.parse(record.recordedAt) - 600_000).toISOString();
  writeFileSync(o.resultFile, JSON.stringify(record), { mode: 0o600 });
}
