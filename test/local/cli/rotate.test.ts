import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describeRotation } from '../../../local/cli/rotate';
import type { RotationReport } from '../../../local/cli/run-rotation';
import { findLeaks } from '../../support/leaks';
import { CLIENT_NAME, INTEGRATION_NAME, type OrgUnderTest, SimulatedOrgs } from './simulated-orgs';

/** `✔ <label>` of each finished step in the plain (non-terminal) progress, its label only. */
const stepMarks = (stderr: string) =>
  stderr
    .split('\n')
    .filter((line) => /^[✔✖] /.test(line))
    .map((line) => line.slice(0, 2) + line.slice(2, 56).trimEnd());

/** Polls `found` every 5 ms until it gives a value (true, or an object); fails after 10 s. */
async function until<T>(found: () => T | undefined | false): Promise<T> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const value = found();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('waited 10 s in vain');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** `genesys-onboard rotate` as a process against the simulator; each test has orgs of its own. */
describe('genesys-onboard rotate', () => {
  const orgs = new SimulatedOrgs({ newClientDelayMs: 200 });
  beforeAll(() => orgs.start());
  afterAll(() => orgs.stop());

  const rotateArgs = (o: OrgUnderTest, ...extra: string[]) => [
    'rotate',
    ...o.offboardArgs().slice(1),
    ...extra,
  ];
  const secretIdOf = (o: OrgUnderTest) => `genesys-onboarding/${o.org.id}/data-actions-client`;
  /** A DELETE as the org's operator would send it outside this tool (with the bootstrap client's token). */
  const deleteOutsideTheTool = async (o: OrgUnderTest, apiPath: string) => {
    const url = orgs.simulator.url;
    const basic = Buffer.from(`${o.bootstrap.clientId}:${o.bootstrap.clientSecret}`).toString('base64');
    const token = await fetch(`${url}/oauth/token`, {
      method: 'POST',
      headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials',
    });
    const { access_token } = (await token.json()) as { access_token: string };
    const deleted = await fetch(`${url}${apiPath}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${access_token}` },
    });
    expect(deleted.status).toBe(200);
  };
  const record = (o: OrgUnderTest) =>
    JSON.parse(readFileSync(o.resultFile, 'utf8')) as Record<string, string>;
  /** Every secret the org's clients ever had, and the CLI's outputs, searched in every encoding. */
  const expectNoLeak = (o: OrgUnderTest, outputs: string[]) => {
    const secrets = [o.bootstrap.clientSecret, ...[...o.org.clients.values()].map((c) => c.secret)];
    expect(findLeaks(outputs, secrets, [...o.org.clients.keys()])).toEqual([]);
  };

  it('moves the integration to a new client, prints its ids as one JSON object, exit 0', async () => {
    const o = orgs.add();
    const ids = await orgs.onboard(o);
    const result = await orgs.run(rotateArgs(o, '--json'), o.env);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    const printed = JSON.parse(result.stdout);
    expect(printed).toEqual({
      status: 'SUCCEEDED',
      orgId: o.org.id,
      oauthClientId: expect.any(String),
      previousOauthClientId: ids.oauthClientId,
      integrationId: ids.integrationId,
      credentialId: expect.any(String),
      secretId: `genesys-onboarding/${o.org.id}/data-actions-client`,
    });
    expect(printed.oauthClientId).not.toBe(ids.oauthClientId);
    expect(o.liveClients().map((c) => c.id)).toEqual([printed.oauthClientId]);
    expect([...o.org.credentials.keys()]).toEqual([printed.credentialId]);
    const live = o.org.clients.get(printed.oauthClientId);
    expect(record(o)).toMatchObject({ clientId: printed.oauthClientId, clientSecret: live?.secret });
    // Exactly one file for the org, readable by its owner only: no pending version is left beside it.
    expect(readdirSync(path.dirname(o.resultFile))).toEqual([path.basename(o.resultFile)]);
    expect(statSync(o.resultFile).mode & 0o777).toBe(0o600);
    expectNoLeak(o, [result.stdout, result.stderr]);
  });

  it('shows each step and says what the integration runs on now; a second rotation replaces the first', async () => {
    const o = orgs.add();
    const ids = await orgs.onboard(o);
    const first = await orgs.run(rotateArgs(o), o.env);
    expect(first.code).toBe(0);
    expect(stepMarks(first.stderr)).toEqual([
      '✔ Create the new OAuth client and its credential',
      '✔ Switch the integration to the new credential',
      '✔ Test the new credentials and the integration',
      '✔ Store the new secret, remove the previous client',
    ]);
    const newClient = record(o).clientId;
    const lines = first.stdout.trim().split('\n');
    expect(lines[0]).toMatch(
      new RegExp(`^Rotated the secret of org ${o.org.id} \\(\\d+ Genesys calls in \\d+\\.\\d s\\):$`),
    );
    expect(lines).toContain(
      `  integration ${ids.integrationId} now runs on OAuth client ${newClient} (credential ${record(o).credentialId})`,
    );
    expect(lines).toContain(
      `  previous OAuth client ${ids.oauthClientId} and its credential removed; its secret no longer works`,
    );
    const second = await orgs.run(rotateArgs(o, '--json'), o.env);
    expect(second.code).toBe(0);
    expect(JSON.parse(second.stdout).previousOauthClientId).toBe(newClient);
    expect(o.liveClients()).toHaveLength(1);
    expectNoLeak(o, [first.stdout, first.stderr, second.stdout, second.stderr]);
  });

  it('stops at a failing step with the integration on a working client, exit 1; running it again resumes', async () => {
    const o = orgs.add();
    const ids = await orgs.onboard(o);
    orgs.simulator.injectFault({
      method: 'PUT',
      path: '/api/v2/integrations/{integrationId}/config/current',
      fault: { kind: 'status', status: 400 },
      times: 100,
    });
    const failed = await orgs.run(rotateArgs(o), o.env);
    orgs.simulator.faults.clear();
    expect(failed.code).toBe(1);
    expect(stepMarks(failed.stderr)).toEqual([
      '✔ Create the new OAuth client and its credential',
      '✖ Switch the integration to the new credential',
    ]);
    expect(failed.stdout).toContain(`Rotation of org ${o.org.id} stopped in setSecret`);
    expect(failed.stdout).toContain('Genesys.BadRequest');
    expect(failed.stdout).toContain(`the stored record still names OAuth client ${ids.oauthClientId}`);
    expect(failed.stdout).toContain('Run the same command again to resume the rotation.');
    expect(record(o).clientId).toBe(ids.oauthClientId);

    const resumed = await orgs.run(rotateArgs(o, '--json'), o.env);
    expect(resumed.code).toBe(0);
    expect(JSON.parse(resumed.stdout).previousOauthClientId).toBe(ids.oauthClientId);
    expect(o.liveClients()).toHaveLength(1);
  });

  it('offers to resume after throttling, not after a refusal a re-run meets again (nothing pending either way)', async () => {
    const o = orgs.add();
    const ids = await orgs.onboard(o);
    const failWith = async (status: number) => {
      orgs.simulator.injectFault({
        method: 'POST',
        path: '/api/v2/oauth/clients',
        fault: { kind: 'status', status, retryAfterSeconds: 0 },
        times: 100,
      });
      const run = await orgs.run(rotateArgs(o), o.env);
      orgs.simulator.faults.clear();
      return run;
    };
    const transient = await failWith(429);
    expect(transient.code).toBe(1);
    expect(transient.stdout).toContain('stopped in createSecret');
    expect(transient.stdout).toContain('Genesys.RateLimited');
    expect(transient.stdout).toContain('Run the same command again to resume the rotation.');
    const refused = await failWith(400);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain('Genesys.BadRequest');
    expect(refused.stdout).not.toContain('Run the same command again');
    expect(refused.stdout).toContain(
      `  the stored record still names OAuth client ${ids.oauthClientId}\n  Running the same command again does not help until the cause above is seen to.`,
    );
    expect(o.liveClients().map((c) => c.id)).toEqual([ids.oauthClientId]);
  });

  it('refuses when the record names other resources than the flags, changing nothing (exit 1)', async () => {
    const o = orgs.add();
    const ids = await orgs.onboard(o);
    const before = orgs.simulator.requestLog.length;
    const result = await orgs.run(
      rotateArgs(o, '--client-name', 'other-client', '--integration-name', INTEGRATION_NAME, '--json'),
      o.env,
    );
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toEqual({
      status: 'FAILED',
      orgId: o.org.id,
      error: 'Rotation.RecordMismatch',
      cause: `The record of org ${o.org.id} names OAuth client "${CLIENT_NAME}", not "other-client" (--client-name): nothing was changed`,
      failedStep: null,
      oauthClientId: ids.oauthClientId,
      secretId: secretIdOf(o),
      resumable: false,
    });
    expect(o.writesSince(before)).toEqual([]);
  });

  it('says an org that was never onboarded has nothing to rotate, without a resume hint (exit 1)', async () => {
    const o = orgs.add();
    const before = orgs.simulator.requestLog.length;
    const json = await orgs.run(rotateArgs(o, '--json'), o.env);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toEqual({
      status: 'FAILED',
      orgId: o.org.id,
      error: 'Rotation.NotOnboarded',
      cause: `${secretIdOf(o)} holds no onboarding record: onboard the org first`,
      failedStep: null,
      secretId: secretIdOf(o),
      resumable: false,
    });
    const text = await orgs.run(rotateArgs(o), o.env);
    expect(text.code).toBe(1);
    expect(text.stdout).toContain(
      `secret ${secretIdOf(o)} holds no onboarding record: onboard the org first`,
    );
    expect(text.stdout).not.toContain('Run the same command again');
    expect(o.writesSince(before)).toEqual([]);
  });

  it('says an offboarded org has nothing to rotate, without a resume hint (exit 1)', async () => {
    const o = orgs.add();
    await orgs.onboard(o);
    expect((await orgs.run(o.offboardArgs(), o.env)).code).toBe(0);
    const before = orgs.simulator.requestLog.length;
    const result = await orgs.run(rotateArgs(o), o.env);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('Rotation.NotOnboarded');
    expect(result.stdout).toContain(
      `secret ${secretIdOf(o)} holds no onboarding record: onboard the org first`,
    );
    expect(result.stdout).not.toContain('Run the same command again');
    expect(o.writesSince(before)).toEqual([]);
  });

  it('refuses an org whose integration was deleted outside the tool, creating nothing and saying to onboard first (exit 1)', async () => {
    const o = orgs.add();
    const ids = await orgs.onboard(o);
    await deleteOutsideTheTool(o, `/api/v2/integrations/${ids.integrationId}`);
    // A record from minutes ago: its ids are past the read-after-create window, so a 404 is believed at once.
    const stored = record(o);
    writeFileSync(
      o.resultFile,
      JSON.stringify({ ...stored, recordedAt: new Date(Date.now() - 300_000).toISOString() }),
    );
    const before = orgs.simulator.requestLog.length;
    const drifted = `The record ${secretIdOf(o)} names integration ${ids.integrationId}, which Genesys Cloud no longer has (deleted outside this tool): nothing was created. Repair the org with \`genesys-onboard onboard\` (or POST /onboardings) first, then rotate it`;

    const text = await orgs.run(rotateArgs(o), o.env);
    expect(text.code).toBe(1);
    expect(text.stdout).toContain(`stopped in createSecret`);
    expect(text.stdout).toContain(`Rotation.Drifted: ${drifted}`);
    expect(text.stdout).toContain(`  the stored record still names OAuth client ${ids.oauthClientId}\n`);
    expect(text.stdout).not.toContain('Run the same command again');
    expect(text.stdout).not.toContain('runs on a client that works');

    const json = await orgs.run(rotateArgs(o, '--json'), o.env);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toEqual({
      status: 'FAILED',
      orgId: o.org.id,
      error: 'Rotation.Drifted',
      cause: drifted,
      failedStep: 'createSecret',
      oauthClientId: ids.oauthClientId,
      secretId: secretIdOf(o),
      resumable: false,
    });
    expect(o.writesSince(before)).toEqual([]);
    expect(o.liveClients().map((c) => c.id)).toEqual([ids.oauthClientId]);
    expectNoLeak(o, [text.stdout, text.stderr, json.stdout, json.stderr]);
  });

  it('two runs at once: the one whose pending version the other replaced says it was superseded (exit 1, no resume hint); the org ends rotated once', async () => {
    const o = orgs.add();
    const ids = await orgs.onboard(o);
    const known = new Set(o.org.clients.keys());
    const before = orgs.simulator.requestLog.length;
    // Run A stalls on creating its client (before the create takes effect), so run B, started meanwhile,
    // stores its pending version first; B's client then stays unusable, so B is still in setSecret when A's
    // pending version replaces B's.
    orgs.simulator.injectFault({
      method: 'POST',
      path: '/api/v2/oauth/clients',
      fault: { kind: 'delay', delayMs: 3_000 },
    });
    const runA = orgs.run(rotateArgs(o, '--json'), o.env);
    await until(() =>
      orgs.simulator.requestLog
        .slice(before)
        .some((e) => e.orgId === o.org.id && e.method === 'GET' && e.route === '/api/v2/oauth/clients'),
    );
    const runB = orgs.run(rotateArgs(o, '--json'), o.env);
    const clientOfB = await until(() => [...o.org.clients.values()].find((c) => !known.has(c.id)));
    clientOfB.usableAt = Date.now() + 8_000;
    const [a, b] = await Promise.all([runA, runB]);
    const printedA = { code: a.code, ...JSON.parse(a.stdout) };
    const printedB = { code: b.code, ...JSON.parse(b.stdout) };
    expect(printedA).toMatchObject({
      code: 0,
      status: 'SUCCEEDED',
      previousOauthClientId: ids.oauthClientId,
    });
    expect(printedB).toMatchObject({
      code: 1,
      error: 'Rotation.Superseded',
      // B notices at its next poll: A's version replacing its own, or (on a loaded machine, polls late) A's
      // rotation already finished.
      cause: expect.stringMatching(
        /^Another rotation of .* (replaced this one's pending version while it ran: its version \S+ is in progress|finished while this one ran)/,
      ),
      resumable: false,
    });
    expect(printedA.oauthClientId).not.toBe(clientOfB.id);
    expect(record(o).clientId).toBe(printedA.oauthClientId);
    // A's finishSecret removed the client B made: one live client, A's.
    expect(o.liveClients().map((c) => c.id)).toEqual([printedA.oauthClientId]);
    expect([...o.org.credentials.keys()]).toEqual([printedA.credentialId]);
    expectNoLeak(o, [a.stdout, a.stderr, b.stdout, b.stderr]);
  }, 60_000);

  it('words a superseded run as such, without a resume hint', () => {
    const report: RotationReport = {
      status: 'FAILED',
      orgId: 'org-1',
      secretId: 'genesys-onboarding/org-1/data-actions-client',
      error: 'Rotation.Superseded',
      cause: 'Another rotation of genesys-onboarding/org-1/data-actions-client finished while this one ran',
      failedStep: 'setSecret',
      recordedClientId: 'client-2',
      resumable: false,
      steps: [],
      genesysCalls: 3,
      ms: 1200,
    };
    const text = describeRotation(report, { orgId: 'org-1', region: 'eu-west-1', bootstrapSecretId: 'b' });
    expect(text.split('\n')).toEqual([
      `Rotation of org org-1 stopped in setSecret (3 Genesys calls in 1.2 s): Rotation.Superseded: ${report.cause}`,
      '  the stored record names OAuth client client-2',
      '  This run has nothing left to do: the other rotation did the rotation, or does it (if it stopped, rotate resumes it).',
    ]);
  });

  it('reports every usage problem at once, naming the flags (exit 2)', async () => {
    const result = await orgs.run(
      ['rotate', '--org-id', 'acme', '--region', 'not a region!', '--kms-key-id', 'alias/x', '--json'],
      {},
    );
    expect(result.code).toBe(2);
    const problems = JSON.parse(result.stdout).problems.map((p: { flag: string }) => p.flag);
    expect(problems).toEqual(expect.arrayContaining(['--org-id', '--region', '--kms-key-id']));
  });
});
