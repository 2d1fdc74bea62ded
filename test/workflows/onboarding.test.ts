import { statSync } from 'node:fs';
import { ONBOARDING_ERRORS } from '../../lambdas/shared/errors';
import { credentialName, resultSecretName } from '../../lambdas/shared/naming';
import { OWNERSHIP_MARKER } from '../../lambdas/shared/ownership';
import { parseOnboardingRequest } from '../../lambdas/shared/request';
import { SECRET_STORE_TRANSIENT, SecretStoreUnavailableError } from '../../lambdas/shared/secret-store';
import { findLeaks } from '../support/leaks';
import { storeWith } from '../support/stores';
import {
  compensationOf,
  type OrgUnderTest,
  PREFIX,
  resultOf,
  retriesOf,
  WorkflowWorld,
} from '../support/workflow';

/** The real definition, synthesized from the stack, run in-process against the simulator: one org per test. */
describe('onboarding workflow end to end', () => {
  let world: WorkflowWorld;

  beforeAll(async () => {
    // Windows in proportion to the simulator's (a listing that lags 500 ms, 404s for 300 ms after a create).
    world = await WorkflowWorld.start(
      { newClientDelayMs: 30, readAfterCreateNotFoundMs: 300, oauthClientListingLagMs: 500 },
      {
        readAfterCreateMs: 1_000,
        clientListingGraceMs: 1_500,
        clientCreationWatchMs: 500,
        integrationListingLagMs: 500,
      },
    );
  });
  afterAll(() => world.stop());

  /** The whole end state: exactly one client, integration and credential, all agreeing on one secret. */
  async function expectConsistentEndState(org: OrgUnderTest) {
    const clients = org.dataActionClients();
    expect(clients).toHaveLength(1);
    const [client] = clients;
    const integrations = [...org.state.integrations.values()];
    expect(integrations).toHaveLength(1);
    const [integration] = integrations;
    const credentials = [...org.state.credentials.values()];
    expect(credentials).toHaveLength(1);
    const [credential] = credentials;
    const stored = await org.resultSecret();
    expect(stored).toMatchObject({
      clientId: client?.id,
      clientSecret: client?.secret,
      orgId: org.id,
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

  /**
   * Two racing runs of one org end in a defined way: each succeeded, or it lost the integration to the other
   * run's intent (`Onboarding.ConcurrentRun`, having installed nothing) and succeeds when run again. At least
   * one succeeded the first time. Returns how many lost.
   */
  async function expectRaceSettled(
    org: OrgUnderTest,
    executions: Array<{ status: string; error?: string }>,
    options: Parameters<OrgUnderTest['run']>[1] = {},
  ): Promise<number> {
    const outcomes = executions.map((e) => `${e.status} ${e.error ?? ''}`.trim());
    for (const outcome of outcomes) {
      expect(['SUCCEEDED', `FAILED ${ONBOARDING_ERRORS.concurrentRun}`]).toContain(outcome);
    }
    expect(outcomes).toContain('SUCCEEDED');
    const lost = outcomes.filter((outcome) => outcome !== 'SUCCEEDED').length;
    for (let again = 0; again < lost; again += 1) {
      const rerun = await org.run(org.request({ idempotencyKey: `race-again-${again}` }), options);
      expect(rerun.status).toBe('SUCCEEDED');
    }
    return lost;
  }

  const onboarded = async () => {
    const org = await world.newOrg();
    const execution = await org.run();
    expect(execution.status).toBe('SUCCEEDED');
    return org;
  };

  it('onboards an org: client with its role and the marker, secret stored, integration configured and active', async () => {
    const org = await world.newOrg();
    const execution = await org.run();
    expect(execution.error).toBeUndefined();
    expect(execution.status).toBe('SUCCEEDED');
    const { client, integration, credential } = await expectConsistentEndState(org);
    expect(resultOf(execution)).toEqual({
      orgId: org.id,
      oauthClientId: client?.id,
      integrationId: integration?.id,
      credentialId: credential?.id,
      secretArn: expect.stringContaining(resultSecretName(PREFIX, org.id)),
      changed: { oauthClient: [], integration: [] },
    });
    const role = org.state.roles.find((r) => r.name === 'Data Actions Runtime');
    const home = org.state.divisions.find((d) => d.homeDivision);
    expect(client?.roleDivisions).toEqual([{ roleId: role?.id, divisionId: home?.id }]);
    expect(client?.description).toBe(
      `Used by the Genesys Cloud Data Actions integration ${OWNERSHIP_MARKER}`,
    );
    expect(integration?.config.notes).toBe(OWNERSHIP_MARKER);
    expect(integration?.reportedState.code).toBe('ACTIVE');
    expect((await org.resultSecret())?.credentialFingerprint).toMatch(/^[0-9a-f]{32}$/);
    // What a repair would run again: the validated request, no secret.
    expect((await org.resultSecret())?.onboardedWith).toEqual(
      parseOnboardingRequest(org.request(), { secretPrefix: PREFIX }),
    );
    const file = world.secrets.fileOf(resultSecretName(PREFIX, org.id));
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('changes nothing when run again at once (the new client is read by id, not looked for in the listing)', async () => {
    const org = await onboarded();
    const before = world.simulator.requestLog.length;
    const storedBefore = await org.resultSecret();
    const execution = await org.run();
    expect(execution.status).toBe('SUCCEEDED');
    expect(org.writesSince(before)).toEqual([]);
    expect(await org.resultSecret()).toEqual(storedBefore);
    await expectConsistentEndState(org);
  });

  it('repairs a lost secret: finds its marked client, regenerates the secret and updates the credential', async () => {
    const org = await onboarded();
    const { client: before } = await expectConsistentEndState(org);
    const oldSecret = before?.secret;
    await world.secrets.delete(resultSecretName(PREFIX, org.id));
    await new Promise((resolve) => setTimeout(resolve, 500)); // past the listing lag
    const execution = await org.run();
    expect(execution.status).toBe('SUCCEEDED');
    const { client } = await expectConsistentEndState(org);
    expect(client?.id).toBe(before?.id);
    expect(client?.secret).not.toBe(oldSecret);
    expect(resultOf(execution).changed.oauthClient).toEqual([
      `OAuth client ${client?.id}: found by its ownership marker (the stored record did not name it)`,
      `OAuth client ${client?.id}: new secret (the stored one was missing or no longer worked)`,
    ]);
  });

  it('repairs a stale secret (rotated by hand in Genesys)', async () => {
    const org = await onboarded();
    const [client] = org.dataActionClients();
    if (!client) throw new Error('no client');
    client.secret = 'rotated-by-hand-0123456789';
    client.dateCreated = '2026-01-01T00:00:00.000Z'; // an older client: its secret is tried, not trusted
    const execution = await org.run();
    expect(execution.status).toBe('SUCCEEDED');
    const { client: after } = await expectConsistentEndState(org);
    expect(after?.secret).not.toBe('rotated-by-hand-0123456789');
  });

  it('activates an integration found in ERROR again, rewriting our credential first (changed by hand?)', async () => {
    const org = await onboarded();
    const [integration] = [...org.state.integrations.values()];
    if (!integration) throw new Error('no integration');
    integration.reportedState = { code: 'ERROR', effective: 'Error', lastUpdated: new Date().toISOString() };
    const before = world.simulator.requestLog.length;
    const execution = await org.run();
    expect(execution.status).toBe('SUCCEEDED');
    // The credential made moments ago may answer 404 at first (the read-after-create window): one update.
    const writes = world.simulator.requestLog
      .slice(before)
      .filter((e) => e.orgId === org.id && e.method !== 'GET' && e.path !== '/oauth/token');
    expect(writes.filter((e) => e.status < 300).map((e) => `${e.method} ${e.route}`)).toEqual([
      'PUT /api/v2/integrations/credentials/{credentialId}',
      'PATCH /api/v2/integrations/{integrationId}',
    ]);
    expect(writes.filter((e) => e.status >= 300).every((e) => e.status === 404 && e.method === 'PUT')).toBe(
      true,
    );
    expect(integration.reportedState.code).toBe('ACTIVE');
  });

  it('reports the repairs it made on the integration: the ownership marker, the configured credential, the enabling', async () => {
    const org = await onboarded();
    const [integration] = [...org.state.integrations.values()];
    if (!integration) throw new Error('no integration');
    const ours = integration.config.credentials.pureCloudOAuthClient?.id as string;
    const other = 'credential-set-by-hand';
    org.state.credentials.set(other, {
      ...(org.state.credentials.get(ours) as NonNullable<ReturnType<typeof org.state.credentials.get>>),
      id: other,
      name: 'Set by hand',
    });
    integration.config.notes = 'Edited by hand';
    integration.config.credentials.pureCloudOAuthClient = { id: other };
    integration.intendedState = 'DISABLED';
    integration.reportedState = {
      code: 'INACTIVE',
      effective: 'Inactive',
      lastUpdated: new Date().toISOString(),
    };
    const execution = await org.run();
    expect(execution.status).toBe('SUCCEEDED');
    expect(integration.config.notes).toBe(`Edited by hand ${OWNERSHIP_MARKER}`);
    expect(resultOf(execution).changed.integration).toEqual([
      `Integration ${integration.id}: ownership marker added to its notes`,
      `Integration ${integration.id}: configured with credential ${ours} (was ${other})`,
      `Integration ${integration.id}: enabled (was DISABLED)`,
    ]);
  });

  it('reports a rewrite of its credential (the stored secret had changed)', async () => {
    const org = await onboarded();
    const [integration] = [...org.state.integrations.values()];
    const [client] = org.dataActionClients();
    if (!integration || !client) throw new Error('no integration');
    client.secret = 'rotated-by-hand-0123456789';
    client.dateCreated = '2026-01-01T00:00:00.000Z'; // an older client: its secret is tried, not trusted
    const execution = await org.run();
    expect(execution.status).toBe('SUCCEEDED');
    expect(resultOf(execution).changed.integration).toEqual([
      `Integration ${integration.id}: credential ${resultOf(execution).credentialId} rewritten with the stored client id and secret`,
    ]);
  });

  it('reports the message of an integration whose activation ends in ERROR, not [object Object]', async () => {
    const org = await world.newOrg();
    world.simulator.options.activationError = {
      message: 'The Data Actions service could not reach the OAuth client',
      integrationName: 'Acme Data Actions',
    };
    try {
      const execution = await org.run();
      expect(execution.status).toBe('FAILED');
      expect(execution.error).toBe('Onboarding.IntegrationError');
      expect(execution.cause).toMatch(
        /^Integration [0-9a-f-]{36} reports ERROR: The Data Actions service could not reach the OAuth client$/,
      );
    } finally {
      world.simulator.options.activationError = undefined;
    }
  });

  it('survives 429s, 5xx and connection resets', async () => {
    const org = await world.newOrg();
    world.simulator.setRandomFaults({ seed: 7, rate: 0.3, kinds: ['429', '500', '503', 'reset'] });
    const before = world.simulator.requestLog.length;
    const execution = await org.run();
    world.simulator.setRandomFaults(undefined);
    expect(execution.error).toBeUndefined();
    expect(execution.status).toBe('SUCCEEDED');
    expect(world.simulator.requestLog.slice(before).filter((e) => e.fault).length).toBeGreaterThanOrEqual(3);
    await expectConsistentEndState(org);
  });

  it('fails before creating anything when the bootstrap client lacks a role', async () => {
    const org = await world.newOrg();
    const before = world.simulator.requestLog.length;
    const execution = await org.run(
      org.request({ oauthClient: { name: 'supervisor-client', roles: ['Supervisor'] } }),
    );
    expect(execution.status).toBe('FAILED');
    expect(execution.error).toBe('Onboarding.MissingRoles');
    expect(execution.cause).toMatch(/does not hold "Supervisor"/);
    expect(org.writesSince(before)).toEqual([]);
  });

  it('refuses to touch another org, and does not name it', async () => {
    const org = await world.newOrg();
    const other = world.simulator.addOrg({ name: 'Other org Ltd', bootstrap: { roles: ['admin'] } });
    const url = world.simulator.url;
    await world.secrets.put({
      name: `${PREFIX}/${other.org.id}/bootstrap`,
      value: JSON.stringify({ ...org.seeded.bootstrap, region: 'eu-west-1', apiUrl: url, loginUrl: url }),
    });
    const before = world.simulator.requestLog.length;
    const execution = await org.run(org.request({ orgId: other.org.id }));
    expect(execution.error).toBe('Onboarding.WrongOrg');
    expect(execution.cause).not.toContain('Test org');
    expect(
      world.simulator.requestLog.slice(before).filter((e) => e.method !== 'GET' && e.path !== '/oauth/token'),
    ).toEqual([]);
  });

  it('compensates a failure after the client is created: nothing is left but the client lingering as deleted', async () => {
    const org = await world.newOrg();
    world.simulator.injectFault({
      method: 'POST',
      path: '/api/v2/integrations/credentials',
      fault: { kind: 'status', status: 400 },
      times: 100,
    });
    const execution = await org.run();
    world.simulator.faults.clear();
    expect(execution.status).toBe('FAILED');
    expect(execution.error).toBe('Genesys.BadRequest');
    expect(org.dataActionClients()).toEqual([]);
    expect([...org.state.clients.values()].filter((c) => c.state === 'deleted')).toHaveLength(1);
    expect(org.state.integrations.size).toBe(0);
    expect(org.state.credentials.size).toBe(0);
    expect(await org.resultSecret()).toBeUndefined();
    expect(compensationOf(execution)).toMatchObject({
      error: 'Genesys.BadRequest',
      rolledBack: [
        expect.stringMatching(/^integration /),
        expect.stringMatching(/^OAuth client /),
        expect.stringMatching(/^secret /),
      ],
      leftBehind: [],
    });
  });

  it('says honestly what compensation could not remove, and in which state it left it', async () => {
    const org = await world.newOrg();
    world.simulator.injectFault({
      method: 'POST',
      path: '/api/v2/integrations/credentials',
      fault: { kind: 'status', status: 400 },
      times: 100,
    });
    world.simulator.injectFault({
      method: 'DELETE',
      path: '/api/v2/oauth/clients/{clientId}',
      fault: { kind: 'status', status: 400 },
      times: 100,
    });
    const execution = await org.run();
    world.simulator.faults.clear();
    expect(execution.status).toBe('FAILED');
    const [client] = org.dataActionClients();
    expect(client?.state).toBe('inactive');
    expect(compensationOf(execution)?.leftBehind).toEqual([
      expect.stringMatching(new RegExp(`^OAuth client ${client?.id} \\(left inactive\\): Genesys DELETE`)),
    ]);
  });

  it('removes its creation intent when its client create is refused: nothing is left', async () => {
    const org = await world.newOrg();
    world.simulator.injectFault({
      method: 'POST',
      path: '/api/v2/oauth/clients',
      fault: { kind: 'status', status: 400 },
      times: 100,
    });
    const execution = await org.run();
    world.simulator.faults.clear();
    expect(execution.error).toBe('Genesys.BadRequest');
    expect(await org.resultSecret()).toBeUndefined();
    expect(org.dataActionClients()).toEqual([]);
    expect(org.state.integrations.size).toBe(0);
    expect(compensationOf(execution)).toMatchObject({
      rolledBack: [
        expect.stringMatching(/^secret .+ \(this run's creation intent\)$/),
        expect.stringMatching(/^integration /),
      ],
      leftBehind: [],
    });
  });

  it('removes a new client whose secret cannot be stored, though it answers 404 just after its create', async () => {
    const org = await world.newOrg();
    const denied = Object.assign(
      new Error('not authorized to perform: secretsmanager:PutSecretValue on resource: the result secret'),
      { name: 'AccessDeniedException' },
    );
    const deniesClientSecret = storeWith(world.secrets, {
      put: (secret) =>
        secret.value.includes('"clientSecret"') ? Promise.reject(denied) : world.secrets.put(secret),
    });
    const before = world.simulator.requestLog.length;
    const execution = await org.run(undefined, { secrets: deniesClientSecret });
    expect(execution.error).toBe('AccessDeniedException');
    const [client] = [...org.state.clients.values()].filter((c) => c.id !== org.seeded.bootstrap.clientId);
    expect(client?.state).toBe('deleted');
    // Its first read answered 404 (the read-after-create window) and was tried again, not taken as "gone".
    const byId = world.simulator.requestLog
      .slice(before)
      .filter((e) => e.route === '/api/v2/oauth/clients/{clientId}' && e.path.endsWith(client?.id ?? '?'));
    expect(byId[0]).toMatchObject({ method: 'GET', status: 404 });
    expect(byId.map((e) => e.method)).toEqual(expect.arrayContaining(['PUT', 'DELETE']));
    expect(await org.resultSecret()).toBeUndefined();
  });

  it('runs Compensate again when the secret store is throttled while it deletes the record', async () => {
    const org = await world.newOrg();
    world.simulator.injectFault({
      method: 'PATCH',
      path: '/api/v2/integrations/{integrationId}',
      fault: { kind: 'status', status: 400 },
      times: 100,
    });
    let throttled = 0;
    const throttlesOnce = storeWith(world.secrets, {
      delete: (id) =>
        throttled++ === 0
          ? Promise.reject(
              new SecretStoreUnavailableError(
                'Secrets Manager DeleteSecret failed and may work again: ThrottlingException: Rate exceeded',
              ),
            )
          : world.secrets.delete(id),
    });
    const execution = await org.run(undefined, { secrets: throttlesOnce });
    world.simulator.faults.clear();
    expect(execution.error).toBe('Genesys.BadRequest');
    expect(retriesOf(execution, 'Compensate', SECRET_STORE_TRANSIENT)).toBe(1);
    expect(await org.resultSecret()).toBeUndefined();
    expect(org.dataActionClients()).toEqual([]);
    expect(compensationOf(execution)?.leftBehind).toEqual([]);
  });

  it('runs Compensate again when Genesys fails for longer than the client retries a removal', async () => {
    const org = await world.newOrg();
    world.simulator.injectFault({
      method: 'PATCH',
      path: '/api/v2/integrations/{integrationId}',
      fault: { kind: 'status', status: 400 },
      times: 100,
    });
    // As many 503s as the client tries the DELETE in one invocation (8 attempts).
    world.simulator.injectFault({
      method: 'DELETE',
      path: '/api/v2/integrations/{integrationId}',
      fault: { kind: 'status', status: 503 },
      times: 8,
    });
    const execution = await org.run();
    world.simulator.faults.clear();
    expect(execution.error).toBe('Genesys.BadRequest');
    expect(retriesOf(execution, 'Compensate', 'Genesys.Transient')).toBe(1);
    expect([org.state.integrations.size, org.state.credentials.size]).toEqual([0, 0]);
    expect(org.dataActionClients()).toEqual([]);
    expect(await org.resultSecret()).toBeUndefined();
    expect(compensationOf(execution)?.leftBehind).toEqual([]);
  });

  it('keeps one client and one credential when two different requests for a fresh org race', async () => {
    const org = await world.newOrg();
    world.simulator.injectFault({
      method: 'POST',
      path: '/api/v2/oauth/clients',
      fault: { kind: 'delay', delayMs: 150 },
      times: 2,
    });
    const [first, second] = await Promise.all([
      org.run(org.request({ idempotencyKey: 'race-a' })),
      org.run(org.request({ idempotencyKey: 'race-b' })),
    ]);
    await expectRaceSettled(org, [first, second]);
    // One client, one integration, one credential, and the record names them.
    const { stored } = await expectConsistentEndState(org);
    expect(stored).not.toHaveProperty('integrationCreation');
  });

  it('never regenerates the secret of a client a racing run created and has not stored yet', async () => {
    const org = await world.newOrg();
    // The creating run's client is made at once but its answer (the only one with the secret) comes 1.5 s
    // later: the client is listed with the marker (500 ms lag) while the record still holds only the intent.
    world.simulator.injectFault({
      method: 'POST',
      path: '/api/v2/oauth/clients',
      fault: { kind: 'delay', delayMs: 1_500, afterProcessing: true },
    });
    // A grace that outlasts the late answer, so that waiting for the creator's secret is always enough.
    const settings = world.deps().settings;
    const patient = {
      settings: {
        ...settings,
        consistency: { ...settings.consistency, clientListingGraceMs: 4_000, clientCreationWatchMs: 1_500 },
      },
    };
    const executions = await Promise.all([
      org.run(org.request({ idempotencyKey: 'race-a' }), patient),
      org.run(org.request({ idempotencyKey: 'race-b' }), patient),
    ]);
    world.simulator.faults.clear();
    await expectRaceSettled(org, executions, patient);
    const { client, integration } = await expectConsistentEndState(org);
    expect(org.writesSince(0).filter((write) => write.includes('/secret'))).toEqual([]);
    expect(integration?.reportedState.code).toBe('ACTIVE');
    expect(client?.state).toBe('active');
  });

  it('leaves what existed before untouched when a re-run fails', async () => {
    const org = await onboarded();
    const { client, integration } = await expectConsistentEndState(org);
    world.simulator.injectFault({
      method: 'GET',
      path: '/api/v2/integrations/{integrationId}',
      fault: { kind: 'status', status: 403 },
      times: 100,
    });
    const execution = await org.run();
    world.simulator.faults.clear();
    expect(execution.status).toBe('FAILED');
    expect(execution.error).toBe('Genesys.Permission');
    const after = await expectConsistentEndState(org);
    expect(after.client?.id).toBe(client?.id);
    expect(after.integration?.id).toBe(integration?.id);
  });

  it('never lets a secret into state, events, outputs, errors or logs, in any encoding', async () => {
    const org = await onboarded();
    await world.secrets.delete(resultSecretName(PREFIX, org.id));
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await org.run()).status).toBe('SUCCEEDED'); // a regenerated secret too
    const failing = await world.newOrg();
    world.simulator.injectFault({
      method: 'PUT',
      path: '/api/v2/integrations/{integrationId}/config/current',
      fault: { kind: 'status', status: 400 },
      times: 100,
    });
    expect((await failing.run()).status).toBe('FAILED');
    world.simulator.faults.clear();

    const secrets = new Set<string>([
      org.seeded.bootstrap.clientSecret,
      failing.seeded.bootstrap.clientSecret,
    ]);
    for (const client of [...org.state.clients.values(), ...failing.state.clients.values()])
      secrets.add(client.secret);
    for (const token of world.simulator.tokens.keys()) secrets.add(token);
    const clientIds = [...org.state.clients.keys(), ...failing.state.clients.keys()];
    const outputs = [
      ...world.logs,
      JSON.stringify(world.genesysEvents),
      ...world.executions.map((execution) => JSON.stringify(execution)),
    ];
    // The scan does see the state data: the ids the states passed around are there.
    expect(outputs.join('\n')).toContain(org.dataActionClients()[0]?.id);
    expect(outputs.join('\n')).toContain('"resultSecretId"');
    expect(world.logs.some((line) => line.includes('"step failed"'))).toBe(true);
    expect(secrets.size).toBeGreaterThanOrEqual(6);
    expect(findLeaks(outputs, secrets, clientIds)).toEqual([]);
  });
});
