import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { findLeaks } from '../../support/leaks';
import { CLIENT_NAME, INTEGRATION_NAME, type OrgUnderTest, SimulatedOrgs } from './simulated-orgs';

/** `✔ <label>` of each finished step in the plain (non-terminal) progress, its label only. */
const stepMarks = (stderr: string) =>
  stderr
    .split('\n')
    .filter((line) => /^[✔✖] /.test(line))
    .map((line) => line.slice(0, 2) + line.slice(2, 56).trimEnd());

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

  it('refuses when the record names other resources than the flags, changing nothing (exit 1)', async () => {
    const o = orgs.add();
    await orgs.onboard(o);
    const before = orgs.simulator.requestLog.length;
    const result = await orgs.run(
      rotateArgs(o, '--client-name', 'other-client', '--integration-name', INTEGRATION_NAME, '--json'),
      o.env,
    );
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toEqual({
      error: 'Rotation.RecordMismatch',
      message: `The record of org ${o.org.id} names OAuth client "${CLIENT_NAME}", not "other-client" (--client-name): nothing was changed`,
    });
    expect(o.writesSince(before)).toEqual([]);
  });

  it('says an org that was never onboarded has nothing to rotate (exit 1)', async () => {
    const o = orgs.add();
    const before = orgs.simulator.requestLog.length;
    const result = await orgs.run(rotateArgs(o, '--json'), o.env);
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({
      error: 'Rotation.NotOnboarded',
      message: expect.stringContaining('holds no onboarding record: onboard the org first'),
    });
    expect(o.writesSince(before)).toEqual([]);
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
