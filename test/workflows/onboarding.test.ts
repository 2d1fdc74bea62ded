import { statSync } from 'node:fs';
import { credentialName, resultSecretName } from '../../lambdas/shared/naming';
import { PREFIX, startWorkflowFixture, type WorkflowFixture } from '../support/workflow';

/** The real definition, synthesized from the stack, run in-process against the simulator. */
describe('onboarding workflow end to end', () => {
  let fixture: WorkflowFixture;
  const secretValues = new Set<string>();

  beforeAll(async () => {
    fixture = await startWorkflowFixture({ newClientDelayMs: 30 });
    secretValues.add(fixture.seeded.bootstrap.clientSecret);
  });
  afterAll(() => fixture.stop());

  const org = () => fixture.simulator.org(fixture.seeded.org.id);
  const dataActionClients = () =>
    [...org().clients.values()].filter((c) => c.id !== fixture.seeded.bootstrap.clientId);
  const rememberSecrets = () => {
    for (const client of org().clients.values()) secretValues.add(client.secret);
  };
  const writes = (since: number) =>
    fixture.simulator.requestLog.slice(since).filter((e) => e.method !== 'GET' && e.path !== '/oauth/token');

  /** The whole end state: exactly one client, integration and credential, all agreeing on one secret. */
  async function expectConsistentEndState() {
    const clients = dataActionClients();
    expect(clients).toHaveLength(1);
    const client = clients[0];
    const integrations = [...org().integrations.values()];
    expect(integrations).toHaveLength(1);
    const integration = integrations[0];
    const credentials = [...org().credentials.values()];
    expect(credentials).toHaveLength(1);
    const credential = credentials[0];
    const stored = await fixture.resultSecret();
    expect(stored).toMatchObject({
      clientId: client?.id,
      clientSecret: client?.secret,
      orgId: fixture.seeded.org.id,
      region: 'eu-west-1',
      integrationId: integration?.id,
      credentialId: credential?.id,
    });
    expect(credential).toMatchObject({
      name: credentialName(integration?.id as string),
      typeName: 'pureCloudOAuthClient',
      fields: { clientId: client?.id, clientSecret: client?.secret },
    });
    expect(integration).toMatchObject({
      integrationTypeId: 'purecloud-data-actions',
      intendedState: 'ENABLED',
      config: { credentials: { pureCloudOAuthClient: { id: credential?.id } } },
    });
    expect(client).toMatchObject({ authorizedGrantType: 'CLIENT-CREDENTIALS', state: 'active' });
    return { client, integration, credential, stored };
  }

  it('onboards an org: client with its role, secret stored, integration configured and active', async () => {
    const execution = await fixture.run();
    rememberSecrets();
    expect(execution.error).toBeUndefined();
    expect(execution.status).toBe('SUCCEEDED');
    const { client, integration, credential, stored } = await expectConsistentEndState();
    expect(JSON.parse(execution.output as string)).toEqual({
      orgId: fixture.seeded.org.id,
      oauthClientId: client?.id,
      integrationId: integration?.id,
      credentialId: credential?.id,
      secretArn: expect.stringContaining(resultSecretName(PREFIX, fixture.seeded.org.id)),
    });
    const role = org().roles.find((r) => r.name === 'Data Actions Runtime');
    const home = org().divisions.find((d) => d.homeDivision);
    expect(client?.roleDivisions).toEqual([{ roleId: role?.id, divisionId: home?.id }]);
    expect(integration?.reportedState.code).toBe('ACTIVE');
    expect(stored?.credentialFingerprint).toMatch(/^[0-9a-f]{32}$/);
    const file = fixture.secrets.fileOf(resultSecretName(PREFIX, fixture.seeded.org.id));
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('changes nothing when run again', async () => {
    const before = fixture.simulator.requestLog.length;
    const storedBefore = await fixture.resultSecret();
    const execution = await fixture.run();
    expect(execution.status).toBe('SUCCEEDED');
    expect(writes(before)).toEqual([]);
    expect(await fixture.resultSecret()).toEqual(storedBefore);
    await expectConsistentEndState();
  });

  it('repairs a lost secret: regenerates it and updates the credential', async () => {
    const { client: before } = await expectConsistentEndState();
    const oldSecret = before?.secret;
    await fixture.secrets.delete(resultSecretName(PREFIX, fixture.seeded.org.id));
    const execution = await fixture.run();
    rememberSecrets();
    expect(execution.status).toBe('SUCCEEDED');
    const { client } = await expectConsistentEndState();
    expect(client?.id).toBe(before?.id);
    expect(client?.secret).not.toBe(oldSecret);
  });

  it('repairs a stale secret (rotated by hand in Genesys)', async () => {
    const [client] = dataActionClients();
    if (client) {
      client.secret = 'rotated-by-hand-0123456789';
      client.dateCreated = '2026-01-01T00:00:00.000Z'; // an older client: its secret is tried, not trusted
    }
    secretValues.add('rotated-by-hand-0123456789');
    const execution = await fixture.run();
    rememberSecrets();
    expect(execution.status).toBe('SUCCEEDED');
    const { client: after } = await expectConsistentEndState();
    expect(after?.secret).not.toBe('rotated-by-hand-0123456789');
  });

  it('activates an integration found in ERROR again', async () => {
    const [integration] = [...org().integrations.values()];
    if (integration)
      integration.reportedState = {
        code: 'ERROR',
        effective: 'Error',
        lastUpdated: new Date().toISOString(),
      };
    const before = fixture.simulator.requestLog.length;
    const execution = await fixture.run();
    expect(execution.status).toBe('SUCCEEDED');
    expect(writes(before).map((e) => `${e.method} ${e.route}`)).toEqual([
      'PATCH /api/v2/integrations/{integrationId}',
    ]);
    expect(integration?.reportedState.code).toBe('ACTIVE');
  });

  it('survives 429s, 5xx and connection resets', async () => {
    fixture.simulator.setRandomFaults({ seed: 7, rate: 0.3, kinds: ['429', '500', '503', 'reset'] });
    const execution = await fixture.run(fixture.request({ idempotencyKey: 'faults' }));
    fixture.simulator.setRandomFaults(undefined);
    rememberSecrets();
    expect(execution.error).toBeUndefined();
    expect(execution.status).toBe('SUCCEEDED');
    expect(fixture.simulator.requestLog.filter((e) => e.fault).length).toBeGreaterThanOrEqual(3);
    await expectConsistentEndState();
  });

  it('fails before creating anything when the bootstrap client lacks a role', async () => {
    const before = fixture.simulator.requestLog.length;
    const execution = await fixture.run(
      fixture.request({ oauthClient: { name: 'supervisor-client', roles: ['Supervisor'] } }),
    );
    expect(execution.status).toBe('FAILED');
    expect(execution.error).toBe('Onboarding.MissingRoles');
    expect(execution.cause).toMatch(/does not hold "Supervisor"/);
    expect(writes(before)).toEqual([]);
  });

  it('refuses to touch another org', async () => {
    const other = fixture.simulator.addOrg({ name: 'Other org', bootstrap: { roles: ['admin'] } });
    const url = fixture.simulator.url;
    await fixture.secrets.put({
      name: `${PREFIX}/${other.org.id}/bootstrap`,
      value: JSON.stringify({ ...fixture.seeded.bootstrap, region: 'eu-west-1', apiUrl: url, loginUrl: url }),
    });
    const before = fixture.simulator.requestLog.length;
    const execution = await fixture.run(fixture.request({ orgId: other.org.id }));
    expect(execution.error).toBe('Onboarding.WrongOrg');
    expect(writes(before)).toEqual([]);
  });

  it('compensates a failure after the client is created: nothing is left', async () => {
    const fresh = await startWorkflowFixture();
    try {
      fresh.simulator.injectFault({
        method: 'POST',
        path: '/api/v2/integrations/credentials',
        fault: { kind: 'status', status: 400 },
        times: 100,
      });
      const execution = await fresh.run();
      expect(execution.status).toBe('FAILED');
      expect(execution.error).toBe('Genesys.BadRequest');
      const freshOrg = fresh.simulator.org(fresh.seeded.org.id);
      expect([...freshOrg.clients.keys()]).toEqual([fresh.seeded.bootstrap.clientId]);
      expect(freshOrg.integrations.size).toBe(0);
      expect(freshOrg.credentials.size).toBe(0);
      expect(await fresh.resultSecret()).toBeUndefined();
      const compensate = execution.events.find(
        (e) => e.type === 'StateExited' && (e as { state?: { name?: string } }).state?.name === 'Compensate',
      ) as { state: { output: { failure: { rolledBack: string[] } } } } | undefined;
      expect(compensate?.state.output.failure.rolledBack).toEqual([
        expect.stringMatching(/^integration /),
        expect.stringMatching(/^OAuth client /),
        expect.stringMatching(/^secret /),
      ]);
    } finally {
      await fresh.stop();
    }
  });

  it('keeps one client when two different requests for a fresh org race (the first stored secret wins)', async () => {
    const fresh = await startWorkflowFixture();
    try {
      // Both runs list the clients before either creates one.
      fresh.simulator.injectFault({
        method: 'POST',
        path: '/api/v2/oauth/clients',
        fault: { kind: 'delay', delayMs: 150 },
        times: 2,
      });
      const [first, second] = await Promise.all([
        fresh.run(fresh.request({ idempotencyKey: 'race-a' })),
        fresh.run(fresh.request({ idempotencyKey: 'race-b' })),
      ]);
      expect([first, second].map((e) => `${e.status} ${e.error ?? ''} ${e.cause ?? ''}`.trim())).toEqual([
        'SUCCEEDED',
        'SUCCEEDED',
      ]);
      const freshOrg = fresh.simulator.org(fresh.seeded.org.id);
      const clients = [...freshOrg.clients.values()].filter((c) => c.id !== fresh.seeded.bootstrap.clientId);
      expect(clients).toHaveLength(1);
      expect(await fresh.resultSecret()).toMatchObject({
        clientId: clients[0]?.id,
        clientSecret: clients[0]?.secret,
      });
      const retried = [...first.events, ...second.events].filter(
        (e) => e.type === 'StateFailed' && (e as { Error?: string }).Error === 'Onboarding.ConcurrentRun',
      );
      expect(retried).toHaveLength(1);
    } finally {
      await fresh.stop();
    }
  });

  it('leaves what existed before untouched when a re-run fails', async () => {
    const { client, integration } = await expectConsistentEndState();
    fixture.simulator.injectFault({
      method: 'GET',
      path: '/api/v2/integrations',
      fault: { kind: 'status', status: 403 },
      times: 100,
    });
    const execution = await fixture.run();
    fixture.simulator.faults.clear();
    expect(execution.status).toBe('FAILED');
    expect(execution.error).toBe('Genesys.Permission');
    const after = await expectConsistentEndState();
    expect(after.client?.id).toBe(client?.id);
    expect(after.integration?.id).toBe(integration?.id);
  });

  it('never lets a secret into state, events, outputs, errors or logs', () => {
    // Runs of the tests above: every event of every execution, and every log line.
    expect(secretValues.size).toBeGreaterThanOrEqual(4);
    expect(fixture.executions.length).toBeGreaterThanOrEqual(8);
    const outputs = [
      ...fixture.logs,
      JSON.stringify(fixture.genesysEvents),
      // State inputs and outputs of every state, retries, catches, the execution output, error and cause.
      ...fixture.executions.map((execution) => JSON.stringify(execution)),
    ];
    const haystack = outputs.join('\n');
    // The scan does see the state data: the ids the states passed around are there.
    expect(haystack).toContain(dataActionClients()[0]?.id);
    expect(haystack).toContain('"resultSecretId"');
    for (const secret of secretValues) expect(haystack.includes(secret)).toBe(false);
    expect(fixture.logs.length).toBeGreaterThan(20);
    // Warnings (stderr) are scanned too: the failed runs above logged their failed steps.
    expect(fixture.logs.some((line) => line.includes('"step failed"'))).toBe(true);
  });
});
