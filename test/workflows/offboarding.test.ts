import { randomUUID } from 'node:crypto';
import { type OffboardingOutput, offboardingResult } from '../../lambdas/api/offboardings';
import { resultSecretName } from '../../lambdas/shared/naming';
import { OFFBOARDING_STATES as O } from '../../lambdas/workflows/offboarding/states';
import { SAMPLE_ROLE, sampleOrgSeed } from '../../simulator/seeds';
import { findLeaks } from '../support/leaks';
import { type OrgUnderTest, PREFIX, resultOf, WorkflowWorld } from '../support/workflow';

/** The offboarding state machine, synthesized from the stack, run in-process against the simulator. */
describe('offboarding workflow end to end', () => {
  let world: WorkflowWorld;

  beforeAll(async () => {
    // The steps' 404 window sized to the simulator's (200 ms): a recorded id deleted by a crashed run is known
    // gone after 1 s instead of the default 15 s.
    world = await WorkflowWorld.start(
      { readAfterCreateNotFoundMs: 200, oauthClientListingLagMs: 300, deletedClientLingerMs: 500 },
      { readAfterCreateMs: 1_000, clientListingLagMs: 1_200 },
    );
  });
  afterAll(() => world.stop());

  const onboarded = async (org?: OrgUnderTest) => {
    const target = org ?? (await world.newOrg());
    const execution = await target.run();
    expect(execution.status).toBe('SUCCEEDED');
    return { org: target, ids: resultOf(execution) };
  };
  const outputOf = (execution: { output?: string }) =>
    offboardingResult(JSON.parse(execution.output ?? '{}') as OffboardingOutput);
  const nothingOfOursLeft = async (org: OrgUnderTest) => {
    expect(org.dataActionClients()).toEqual([]);
    expect(org.state.integrations.size).toBe(0);
    expect(org.state.credentials.size).toBe(0);
    expect(await org.resultSecret()).toBeUndefined();
  };

  it('removes the integration, its credential, the client and the secret of an onboarded org', async () => {
    const { org, ids } = await onboarded();
    const bootstrapBefore = { ...org.state.clients.get(org.seeded.bootstrap.clientId) };
    const execution = await org.offboard();
    expect(execution.error).toBeUndefined();
    expect(execution.status).toBe('SUCCEEDED');
    expect(outputOf(execution)).toEqual({
      orgId: org.id,
      removed: {
        oauthClientId: ids.oauthClientId,
        oauthClientIds: [ids.oauthClientId],
        integrationId: ids.integrationId,
        credentialIds: [ids.credentialId],
        secretId: resultSecretName(PREFIX, org.id),
      },
      alreadyAbsent: [],
      leftAlone: [],
    });
    await nothingOfOursLeft(org);
    expect(org.state.clients.get(org.seeded.bootstrap.clientId)).toEqual(bootstrapBefore);
    // In order: the integration before the credential it holds, the credential before the client, the secret last.
    const deletes = world.simulator.requestLog
      .filter((e) => e.orgId === org.id && e.method === 'DELETE')
      .map((e) => e.route);
    expect(deletes).toEqual([
      '/api/v2/integrations/{integrationId}',
      '/api/v2/integrations/credentials/{credentialId}',
      '/api/v2/oauth/clients/{clientId}',
    ]);
  });

  it('changes nothing and succeeds when run a second time', async () => {
    const { org } = await onboarded();
    expect((await org.offboard()).status).toBe('SUCCEEDED');
    const before = world.simulator.requestLog.length;
    const again = await org.offboard();
    expect(again.status).toBe('SUCCEEDED');
    expect(outputOf(again).removed).toEqual({
      oauthClientId: null,
      oauthClientIds: [],
      integrationId: null,
      credentialIds: [],
      secretId: null,
    });
    expect(org.writesSince(before)).toEqual([]);
  });

  it("finds a lost record's resources by name when they carry the ownership marker, also while the listing lags", async () => {
    const { org, ids } = await onboarded();
    await world.secrets.delete(resultSecretName(PREFIX, org.id));
    // The client listing has not indexed the new client yet: it is listed only from 1 s on.
    const client = org.state.clients.get(ids.oauthClientId);
    if (client) client.listedAt = Date.now() + 1_000;
    const execution = await org.offboard({
      oauthClientName: 'acme-data-actions',
      integrationName: 'Acme Data Actions',
    });
    expect(execution.status).toBe('SUCCEEDED');
    expect(outputOf(execution).removed).toMatchObject({
      oauthClientId: ids.oauthClientId,
      integrationId: ids.integrationId,
      credentialIds: [ids.credentialId],
      secretId: null,
    });
    await nothingOfOursLeft(org);
  });

  it('removes a credential that is listed but answers its first DELETE with 404 (made moments ago: a repair re-created it)', async () => {
    const { org, ids } = await onboarded();
    // The credential's 404 window after its create, as a repair that re-created it moments ago leaves it.
    world.simulator.injectFault({
      method: 'DELETE',
      path: '/api/v2/integrations/credentials/{credentialId}',
      times: 1,
      fault: { kind: 'status', status: 404 },
    });
    const execution = await org.offboard();
    expect(execution.status).toBe('SUCCEEDED');
    expect(outputOf(execution).removed.credentialIds).toEqual([ids.credentialId]);
    expect(outputOf(execution).alreadyAbsent).toEqual([]);
    await nothingOfOursLeft(org);
  });

  it('leaves named resources without the marker alone, and removes them only with force (never the bootstrap client)', async () => {
    const org = await world.newOrg(
      sampleOrgSeed({
        id: randomUUID(),
        name: 'Shaped org',
        oauthClients: [{ name: 'crm-sync', roles: [SAMPLE_ROLE] }],
        integrations: [
          { name: 'CRM Data Actions', type: 'purecloud-data-actions', credential: { forClient: 'crm-sync' } },
        ],
      }),
    );
    const crm = [...org.state.clients.values()].find((c) => c.name === 'crm-sync');
    const named = { oauthClientName: 'crm-sync', integrationName: 'CRM Data Actions' };
    const gentle = await org.offboard(named);
    expect(gentle.status).toBe('SUCCEEDED');
    expect(outputOf(gentle).leftAlone.map((l) => [l.kind, l.why])).toEqual(
      expect.arrayContaining([
        ['oauthClient', 'not created by genesys-onboarding (no ownership marker): force removes this client'],
        [
          'integration',
          'not created by genesys-onboarding (no ownership marker): force removes this integration',
        ],
      ]),
    );
    expect(crm?.state).toBe('active');
    expect(org.state.integrations.size).toBe(1);

    const bootstrap = await org.offboard({ oauthClientName: 'onboarding-bootstrap', force: true });
    expect(outputOf(bootstrap).leftAlone).toEqual([
      expect.objectContaining({
        kind: 'oauthClient',
        id: org.seeded.bootstrap.clientId,
        why: 'the bootstrap client is never removed',
      }),
    ]);
    expect(org.state.clients.get(org.seeded.bootstrap.clientId)?.state).toBe('active');

    const forced = await org.offboard({ ...named, force: true });
    expect(forced.status).toBe('SUCCEEDED');
    expect(outputOf(forced).removed).toMatchObject({
      oauthClientId: crm?.id,
      credentialIds: [expect.any(String)],
    });
    expect(org.state.integrations.size).toBe(0);
  });

  it('leaves a same-name client that is not ours alone while removing the recorded one', async () => {
    const org = await world.newOrg(
      sampleOrgSeed({
        id: randomUUID(),
        name: 'Shaped org',
        oauthClients: [{ name: 'acme-data-actions-twin', roles: [SAMPLE_ROLE] }],
      }),
    );
    const { ids } = await onboarded(org);
    const twin = [...org.state.clients.values()].find((c) => c.name === 'acme-data-actions-twin');
    expect((await org.offboard({ oauthClientName: 'acme-data-actions-twin' })).status).toBe('SUCCEEDED');
    expect(twin?.state).toBe('active');
    expect(org.state.clients.get(ids.oauthClientId)?.state ?? 'gone').toMatch(/deleted|gone/);
  });

  it.each([O.removeIntegration, O.removeCredentials, O.removeClients, O.removeSecret])(
    'finishes the job when re-run after a crash at %s',
    async (state) => {
      const { org } = await onboarded();
      const crashed = await org.offboard({}, { crashAt: state });
      expect(crashed.status).toBe('ABORTED');
      const rerun = await org.offboard();
      expect(rerun.status).toBe('SUCCEEDED');
      await nothingOfOursLeft(org);
    },
  );

  it('survives 429s, 5xx and connection resets', async () => {
    const { org } = await onboarded();
    world.simulator.setRandomFaults({ seed: 11, rate: 0.3, kinds: ['429', '500', '503', 'reset'] });
    const execution = await org.offboard();
    world.simulator.setRandomFaults(undefined);
    expect(execution.status).toBe('SUCCEEDED');
    await nothingOfOursLeft(org);
  });

  it('fails naming what is left and why when a removal is refused, and a re-run finishes', async () => {
    const { org, ids } = await onboarded();
    world.simulator.injectFault({
      method: 'DELETE',
      path: '/api/v2/oauth/clients/{clientId}',
      fault: { kind: 'status', status: 403 },
      times: 100,
    });
    const failed = await org.offboard();
    world.simulator.faults.clear();
    expect(failed.status).toBe('FAILED');
    expect(failed.error).toBe('Genesys.Permission');
    expect(failed.cause).toContain(
      `Still there: OAuth client ${ids.oauthClientId} (inactive), secret ${resultSecretName(PREFIX, org.id)}. Run the offboarding again to finish.`,
    );
    expect((await org.offboard()).status).toBe('SUCCEEDED');
    await nothingOfOursLeft(org);
  });

  it('refuses another org, changing nothing', async () => {
    const { org } = await onboarded();
    const other = world.simulator.addOrg({ name: 'Other org', bootstrap: { roles: ['admin'] } });
    await world.secrets.put({
      name: `${PREFIX}/${other.org.id}/bootstrap`,
      value: JSON.stringify({
        ...org.seeded.bootstrap,
        region: 'eu-west-1',
        apiUrl: world.simulator.url,
        loginUrl: world.simulator.url,
      }),
    });
    const before = world.simulator.requestLog.length;
    const execution = await world.offboard({ orgId: other.org.id, region: 'eu-west-1' });
    expect(execution.error).toBe('Onboarding.WrongOrg');
    expect(world.simulator.requestLog.slice(before).filter((e) => e.method === 'DELETE')).toEqual([]);
  });

  it('never lets a secret into state, events, outputs, errors or logs', async () => {
    const { org } = await onboarded();
    const secrets = new Set([
      org.seeded.bootstrap.clientSecret,
      ...[...org.state.clients.values()].map((c) => c.secret),
    ]);
    expect((await org.offboard()).status).toBe('SUCCEEDED');
    for (const token of world.simulator.tokens.keys()) secrets.add(token);
    const outputs = [...world.logs, ...world.executions.map((e) => JSON.stringify(e))];
    expect(findLeaks(outputs, secrets, [...org.state.clients.keys()])).toEqual([]);
  });
});
