import { existsSync, rmSync } from 'node:fs';
import { SAMPLE_ROLE } from '../../../simulator/seeds';
import { ageRecord, CLIENT_NAME, INTEGRATION_NAME, SimulatedOrgs } from './simulated-orgs';
import { baseEnv, cli } from './support';

/** `✔ <label>` of each finished step of the plain (non-terminal) progress, its label only. */
const stepMarks = (stderr: string) =>
  stderr
    .split('\n')
    .filter((line) => /^[✔✖↓] /.test(line))
    .map((line) => line.slice(0, 2) + line.slice(2, 56).trimEnd());

const PREPARE = 'Check the org, find what is ours';

/** `genesys-onboard offboard` as a process against the simulator; each test has orgs of its own. */
describe('genesys-onboard offboard', () => {
  const orgs = new SimulatedOrgs();
  beforeAll(() => orgs.start());
  afterAll(() => orgs.stop());

  const secretName = (orgId: string) => `genesys-onboarding/${orgId}/data-actions-client`;

  it('removes what onboard set up, prints one JSON object of ids, exit 0; nothing of ours is left', async () => {
    const o = orgs.add();
    const ids = await orgs.onboard(o);
    const bootstrapBefore = { ...o.org.clients.get(o.bootstrap.clientId) };
    const result = await orgs.run([...o.offboardArgs(), '--json'], o.env);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout.trim().split('\n')).toHaveLength(1);
    expect(JSON.parse(result.stdout)).toEqual({
      status: 'SUCCEEDED',
      offboardingId: expect.stringMatching(/^off-[0-9a-f]{8}-[0-9a-f]{40}$/),
      orgId: o.org.id,
      removed: {
        oauthClientId: ids.oauthClientId,
        oauthClientIds: [ids.oauthClientId],
        integrationId: ids.integrationId,
        credentialIds: [ids.credentialId],
        secretId: secretName(o.org.id),
      },
      alreadyAbsent: [],
      disabled: [],
      leftAlone: [],
      secretRecoveryWindowDays: 0,
      region: 'eu-west-1',
      apiUrl: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
      loginUrl: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
    });
    expect(o.liveClients()).toEqual([]);
    expect(o.org.integrations.size + o.org.credentials.size).toBe(0);
    expect(existsSync(o.resultFile)).toBe(false);
    expect(o.org.clients.get(o.bootstrap.clientId)).toEqual(bootstrapBefore);
  });

  it('says why each was ours and that the file store deleted the secret at once; a second run removes nothing', async () => {
    const o = orgs.add();
    const ids = await orgs.onboard(o);
    const result = await orgs.run(o.offboardArgs(), o.env);
    expect(result.code).toBe(0);
    expect(stepMarks(result.stderr)).toEqual([
      `✔ ${PREPARE}`,
      '✔ Remove the integration',
      '✔ Remove its credentials',
      '✔ Remove the OAuth client',
      '✔ Remove the result secret',
    ]);
    const lines = result.stdout.split('\n');
    expect(lines[0]).toMatch(
      new RegExp(
        `^Offboarded org ${o.org.id} in \\d+\\.\\d s \\(\\d+ Genesys calls, 4 of them changes, 6 state transitions\\): nothing of ours is left$`,
      ),
    );
    expect(lines.slice(1, 6)).toEqual([
      '  Removed:',
      `    integration   ${ids.integrationId}: the stored record names it`,
      `    credential    ${ids.credentialId}: named after our integration (Integration-${ids.integrationId})`,
      `    OAuth client  ${ids.oauthClientId}: the stored record names it`,
      `    secret        ${secretName(o.org.id)}: the org result secret; the file store deleted its file at once (no recovery window)`,
    ]);

    const before = orgs.simulator.requestLog.length;
    const again = await orgs.run([...o.offboardArgs(), '--json'], o.env);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({
      status: 'SUCCEEDED',
      removed: {
        oauthClientId: null,
        oauthClientIds: [],
        integrationId: null,
        credentialIds: [],
        secretId: null,
      },
      alreadyAbsent: [],
      leftAlone: [],
    });
    expect(o.writesSince(before)).toEqual([]);
  });

  it('with the record lost: finds nothing without names (and says how), then removes by name what carries the marker', async () => {
    const o = orgs.add();
    const ids = await orgs.onboard(o);
    rmSync(o.resultFile);
    const before = orgs.simulator.requestLog.length;
    const blind = await orgs.run(o.offboardArgs(), o.env);
    expect(blind.code).toBe(0);
    expect(blind.stdout.split('\n').slice(1, 3)).toEqual([
      '  Removed: nothing (nothing of ours was there)',
      `  There is no stored record ${secretName(o.org.id)} and no name was given, so nothing of ours could be found: if the record was lost, give --client-name and --integration-name to find what carries the ownership marker.`,
    ]);
    expect(o.writesSince(before)).toEqual([]);

    const named = await orgs.run(
      [...o.offboardArgs('--client-name', CLIENT_NAME, '--integration-name', INTEGRATION_NAME), '--json'],
      o.env,
    );
    expect(named.code).toBe(0);
    expect(JSON.parse(named.stdout)).toMatchObject({
      removed: {
        oauthClientId: ids.oauthClientId,
        oauthClientIds: [ids.oauthClientId],
        integrationId: ids.integrationId,
        credentialIds: [ids.credentialId],
        secretId: null,
      },
      alreadyAbsent: [],
      leftAlone: [],
    });
    expect(o.liveClients()).toEqual([]);
    expect(o.org.integrations.size + o.org.credentials.size).toBe(0);
  });

  it('leaves same-name resources without the marker alone unless --force, and the bootstrap client always', async () => {
    const o = orgs.add({
      oauthClients: [{ name: 'crm-sync', roles: [SAMPLE_ROLE] }],
      integrations: [
        { name: 'CRM Data Actions', type: 'purecloud-data-actions', credential: { forClient: 'crm-sync' } },
      ],
    });
    const [crm] = o.liveClients();
    const [integration] = [...o.org.integrations.values()];
    const [credential] = [...o.org.credentials.values()];
    const names = ['--client-name', 'crm-sync', '--integration-name', 'CRM Data Actions'];
    const nothingRemoved = {
      oauthClientId: null,
      oauthClientIds: [],
      integrationId: null,
      credentialIds: [],
      secretId: null,
    };

    const gentle = await orgs.run([...o.offboardArgs(...names), '--json'], o.env);
    expect(gentle.code).toBe(0);
    const output = JSON.parse(gentle.stdout);
    expect(output.removed).toEqual(nothingRemoved);
    expect(output.leftAlone).toEqual([
      {
        kind: 'oauthClient',
        id: crm?.id,
        name: 'crm-sync',
        why: 'not created by genesys-onboarding (no ownership marker): force removes this client',
      },
      {
        kind: 'integration',
        id: integration?.id,
        name: 'CRM Data Actions',
        why: 'not created by genesys-onboarding (no ownership marker): force removes this integration',
      },
    ]);
    expect(o.liveClients().map((c) => c.id)).toEqual([crm?.id]);
    expect(o.org.integrations.size).toBe(1);

    const bootstrap = await orgs.run(
      [...o.offboardArgs('--client-name', 'onboarding-bootstrap', '--force'), '--json'],
      o.env,
    );
    expect(bootstrap.code).toBe(0);
    expect(JSON.parse(bootstrap.stdout)).toMatchObject({
      removed: nothingRemoved,
      leftAlone: [
        {
          kind: 'oauthClient',
          id: o.bootstrap.clientId,
          name: 'onboarding-bootstrap',
          why: 'the bootstrap client is never removed',
        },
      ],
    });
    expect(o.org.clients.get(o.bootstrap.clientId)?.state).toBe('active');

    const forced = await orgs.run(o.offboardArgs(...names, '--force'), o.env);
    expect(forced.code).toBe(0);
    expect(forced.stdout.split('\n').slice(1, 5)).toEqual([
      '  Removed:',
      `    integration   ${integration?.id}: named in the request, removed by force (no ownership marker)`,
      `    credential    ${credential?.id}: our integration is configured with it`,
      `    OAuth client  ${crm?.id}: named in the request, removed by force (no ownership marker)`,
    ]);
    expect(o.liveClients()).toEqual([]);
    expect(o.org.integrations.size + o.org.credentials.size).toBe(0);
  });

  it('a refused removal: exit 1, naming what is left and why', async () => {
    const o = orgs.add();
    const ids = await orgs.onboard(o);
    orgs.simulator.injectFault({
      method: 'DELETE',
      path: '/api/v2/oauth/clients/{clientId}',
      fault: { kind: 'status', status: 403 },
      times: 100,
    });
    try {
      const result = await orgs.run(o.offboardArgs(), o.env);
      expect(result.code).toBe(1);
      const lines = result.stdout.split('\n');
      expect(lines[0]).toMatch(
        /^Offboarding failed at "Remove the OAuth client" \(RemoveOAuthClients\) after \d+\.\d s: Genesys\.Permission$/,
      );
      expect(lines[1]).toMatch(
        new RegExp(
          `Still there: OAuth client ${ids.oauthClientId} \\(inactive\\), secret ${secretName(o.org.id)}\\. Run the offboarding again to finish\\.$`,
        ),
      );
      expect(lines.slice(2, 5)).toEqual([
        '  Removed before it stopped:',
        `    integration   ${ids.integrationId}: the stored record names it`,
        `    credential    ${ids.credentialId}: named after our integration (Integration-${ids.integrationId})`,
      ]);
      expect(stepMarks(result.stderr)).toEqual([
        `✔ ${PREPARE}`,
        '✔ Remove the integration',
        '✔ Remove its credentials',
        expect.stringMatching(/^✖ Remove the OAuth client/),
        '✔ Find what is left',
      ]);
      expect(result.stderr).toMatch(
        /✖ Remove the OAuth client +\d+ ms {2}\d+ Genesys calls {2}Genesys\.Permission/,
      );

      // The integration and credential the record names are gone now: a run within the record's 404 window
      // (15 s after it was written) would wait that out, as one just after the onboarding must.
      ageRecord(o);
      const json = await orgs.run([...o.offboardArgs(), '--json'], o.env);
      expect(json.code).toBe(1);
      const output = JSON.parse(json.stdout);
      expect(output).toMatchObject({
        status: 'FAILED',
        error: 'Genesys.Permission',
        failedStep: 'RemoveOAuthClients',
        alreadyAbsent: [
          { kind: 'integration', id: ids.integrationId },
          { kind: 'credential', id: ids.credentialId },
        ],
      });
      expect(output.cause).toContain(`Still there: OAuth client ${ids.oauthClientId} (inactive)`);
    } finally {
      orgs.simulator.faults.clear();
    }
    expect(existsSync(o.resultFile)).toBe(true);
  });
});

/** How offboard is called: every problem at once, exit 2, before anything is read or contacted. */
describe('genesys-onboard offboard usage', () => {
  const ORG = '7f3d2a9e-5b1c-4e8f-9a0d-2c6b8e4f1a37';
  const CREDENTIALS = { GENESYSCLOUD_OAUTHCLIENT_ID: 'id-1', GENESYSCLOUD_OAUTHCLIENT_SECRET: 'secret-1' };

  it('reports every problem at once, each naming its flag', async () => {
    const result = await cli(
      ['offboard', 'now', '--forse', '--force', '--api-url', 'ftp://x', '--secret-store', 'vault'],
      baseEnv(CREDENTIALS),
    );
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      [
        'error: now is not expected: this command takes options only',
        'error: --forse is not a known option (did you mean --force?)',
        'error: --api-url must be an http(s) URL without user, password, query or fragment',
        'error: --secret-store must be file or aws',
        'error: --force needs --client-name or --integration-name: it applies to named resources',
        'error: --org-id is required',
        'error: --region is required (or set GENESYSCLOUD_REGION)',
        '(run with --help for usage)',
        '',
      ].join('\n'),
    );
  });

  it('with --json: one JSON object on stdout, exit 2', async () => {
    const result = await cli(
      ['offboard', '--org-id', ORG, '--region', 'eu-west-1', '--force', '--json', '--idempotency-key', 'a b'],
      baseEnv(CREDENTIALS),
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout)).toEqual({
      error: 'usage',
      problems: [
        {
          flag: '--force',
          problem: 'needs --client-name or --integration-name: it applies to named resources',
        },
        { flag: '--idempotency-key', problem: 'must be 1 to 64 letters, digits, "-" or "_"' },
      ],
    });
  });

  it('--help lists its options, exit codes and what Ctrl-C does', async () => {
    const result = await cli(['offboard', '--help']);
    expect(result.code).toBe(0);
    for (const text of [
      '--org-id',
      '--client-name',
      '--integration-name',
      '--force',
      '--dry-run',
      '--allow-host',
      '--bootstrap-secret-id',
      '--aws-region',
      'Exit codes: 0 nothing of ours is left',
      'running the same command\nagain finishes the offboarding',
    ]) {
      expect(result.stdout).toContain(text);
    }
    expect(result.stdout).not.toContain('--kms-key-id');
  });
});
