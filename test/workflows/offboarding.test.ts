import { randomUUID } from 'node:crypto';
import { type OffboardingOutput, offboardingResult } from '../../lambdas/api/offboardings';
import { clearTokenCache } from '../../lambdas/genesys/auth';
import { ONBOARDING_ERRORS } from '../../lambdas/shared/errors';
import { credentialName, resultSecretName } from '../../lambdas/shared/naming';
import { parseOffboardingRequest } from '../../lambdas/shared/offboarding-request';
import { withMarker } from '../../lambdas/shared/ownership';
import { SECRET_STORE_TRANSIENT, SecretStoreUnavailableError } from '../../lambdas/shared/secret-store';
import { OFFBOARDING_STATES as O } from '../../lambdas/workflows/offboarding/states';
import { prepareOffboarding } from '../../lambdas/workflows/offboarding/steps/prepare';
import { SAMPLE_ROLE, sampleOrgSeed } from '../../simulator/seeds';
import { findLeaks } from '../support/leaks';
import { storeWith } from '../support/stores';
import { type OrgUnderTest, PREFIX, resultOf, retriesOf, WorkflowWorld } from '../support/workflow';

/** The offboarding state machine, synthesized from the stack, run in-process against the simulator. */
describe('offboarding workflow end to end', () => {
  const INTENT_GRACE_MS = 1_500;
  let world: WorkflowWorld;

  beforeAll(async () => {
    // The steps' 404 window sized to the simulator's (200 ms): a recorded id deleted by a crashed run is known
    // gone after 1 s instead of the default 15 s.
    // The listing grace after a creation intent (60 s in the product) scaled down with a third of it watched
    // per attempt, as the product's 20 s.
    world = await WorkflowWorld.start(
      { readAfterCreateNotFoundMs: 200, oauthClientListingLagMs: 300, deletedClientLingerMs: 500 },
      {
        readAfterCreateMs: 1_000,
        clientListingLagMs: 1_200,
        clientListingGraceMs: INTENT_GRACE_MS,
        clientCreationWatchMs: INTENT_GRACE_MS / 3,
      },
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

  it('removes a second marked integration of the recorded name too, with the credential named after it; never an unmarked one', async () => {
    const { org, ids } = await onboarded();
    const ours = org.state.integrations.get(ids.integrationId);
    if (!ours) throw new Error('seed');
    const copy = (notes: string) => {
      const integration = { ...structuredClone(ours), id: randomUUID(), notes };
      integration.config = { ...integration.config, notes, credentials: {} };
      org.state.integrations.set(integration.id, integration);
      return integration;
    };
    // Left by a second onboarding run at once: marked, and its credential made before the run stopped.
    const stray = copy(ours.config.notes);
    const strayCredential = randomUUID();
    org.state.credentials.set(strayCredential, {
      id: strayCredential,
      name: credentialName(stray.id),
      typeName: 'pureCloudOAuthClient',
      fields: {},
      createdDate: new Date().toISOString(),
      modifiedDate: new Date().toISOString(),
      readableAt: 0,
    });
    const byHand = copy('Made by hand');
    const leftAlone = [
      {
        kind: 'integration',
        id: byHand.id,
        name: ours.name,
        why: "named as the stored record's integration but not created by genesys-onboarding (no ownership marker)",
      },
    ];
    clearTokenCache();
    const plan = await prepareOffboarding(
      parseOffboardingRequest({ orgId: org.id, region: 'eu-west-1' }, { secretPrefix: PREFIX }),
      world.deps(),
    );
    expect(plan.integration).toEqual({ id: ids.integrationId, why: 'the stored record names it' });
    expect(plan.unrecordedIntegrations).toEqual([
      {
        id: stray.id,
        why: "named as the stored record's integration and carries the ownership marker, but no record names it (left by two onboardings at once)",
      },
    ]);
    expect(plan.credentials).toEqual([
      { id: ids.credentialId, why: `named after our integration (Integration-${ids.integrationId})` },
      { id: strayCredential, why: `named after our unrecorded integration (Integration-${stray.id})` },
    ]);
    expect(plan.leftAlone).toEqual(leftAlone);

    const execution = await org.offboard();
    expect(execution.status).toBe('SUCCEEDED');
    const output = JSON.parse(execution.output ?? '{}') as OffboardingOutput;
    expect(output.removal.integration.removed).toEqual([
      { kind: 'integration', id: ids.integrationId },
      { kind: 'integration', id: stray.id },
    ]);
    expect(outputOf(execution)).toEqual({
      orgId: org.id,
      removed: {
        oauthClientId: ids.oauthClientId,
        oauthClientIds: [ids.oauthClientId],
        integrationId: ids.integrationId,
        credentialIds: [ids.credentialId, strayCredential],
        secretId: resultSecretName(PREFIX, org.id),
      },
      alreadyAbsent: [],
      disabled: [],
      leftAlone,
    });
    expect([...org.state.integrations.keys()]).toEqual([byHand.id]);
    expect(org.state.credentials.size).toBe(0);
    expect(org.dataActionClients()).toEqual([]);
  });

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
      disabled: [],
      leftAlone: [],
    });
    await nothingOfOursLeft(org);
    expect(org.state.clients.get(org.seeded.bootstrap.clientId)).toEqual(bootstrapBefore);
    // In order: the integration before the credential it holds, the credential before the client, the secret last.
    const deletes = world.simulator.requestLog
      .filter((e) => e.orgId === org.id && e.method === 'DELETE')
      .map((e) => e.route)
      // A DELETE retried on a loaded machine (the credential still held for a moment) is one removal.
      .filter((route, i, all) => route !== all[i - 1]);
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
    const { org, ids } = await onboarded();
    const ours = org.state.clients.get(ids.oauthClientId);
    if (!ours) throw new Error('no onboarded client');
    // Made by hand after the onboarding: our client's very name, roles and lifetime, without our marker.
    const twin = {
      ...structuredClone(ours),
      id: randomUUID(),
      secret: `hand-made-${randomUUID()}`,
      description: 'Made by hand for the CRM pilot',
      dateCreated: new Date().toISOString(),
    };
    org.state.clients.set(twin.id, twin);
    const execution = await org.offboard({ oauthClientName: ours.name });
    expect(execution.status).toBe('SUCCEEDED');
    expect(outputOf(execution).removed.oauthClientIds).toEqual([ids.oauthClientId]);
    expect(outputOf(execution).leftAlone).toEqual([
      {
        kind: 'oauthClient',
        id: twin.id,
        name: ours.name,
        why: "named as the stored record's client but not created by genesys-onboarding (no ownership marker)",
      },
    ]);
    expect(org.state.clients.get(twin.id)).toMatchObject({
      state: 'active',
      name: ours.name,
      secret: twin.secret,
    });
    expect(org.state.clients.get(ids.oauthClientId)?.state ?? 'gone').toMatch(/deleted|gone/);
  });

  /** What an onboarding that stopped right after creating its client leaves: the intent in the result secret. */
  const storeIntent = (org: OrgUnderTest, creatingSince: number) =>
    world.secrets.put({
      name: resultSecretName(PREFIX, org.id),
      value: JSON.stringify({
        orgId: org.id,
        region: 'eu-west-1',
        oauthClientName: 'acme-data-actions',
        creatingSince: new Date(creatingSince).toISOString(),
        runId: 'a-stopped-run',
      }),
    });

  it('removes the client of an onboarding stopped before storing it (its creation intent, the client not listed yet), by name next to a same-name client made by hand, which it leaves alone', async () => {
    const stoppedId = randomUUID();
    const org = await world.newOrg(
      sampleOrgSeed({
        id: randomUUID(),
        name: 'Stopped org',
        oauthClients: [
          { name: 'acme-data-actions', description: 'Made by hand for the CRM pilot', roles: [SAMPLE_ROLE] },
          {
            id: stoppedId,
            name: 'acme-data-actions',
            description: withMarker('Used by Data Actions'),
            roles: [SAMPLE_ROLE],
          },
        ],
      }),
    );
    const handMade = [...org.state.clients.values()].find(
      (c) => c.name === 'acme-data-actions' && c.id !== stoppedId,
    );
    const stopped = org.state.clients.get(stoppedId);
    const now = Date.now();
    if (stopped) stopped.listedAt = now + INTENT_GRACE_MS - 300;
    await storeIntent(org, now);
    const execution = await org.offboard({ oauthClientName: 'acme-data-actions' });
    expect(execution.status).toBe('SUCCEEDED');
    expect(outputOf(execution).removed).toMatchObject({
      oauthClientIds: [stoppedId],
      secretId: resultSecretName(PREFIX, org.id),
    });
    expect(org.state.clients.get(stoppedId)?.state ?? 'gone').toMatch(/deleted|gone/);
    expect(handMade?.state).toBe('active');
    expect(outputOf(execution).leftAlone).toEqual([
      expect.objectContaining({ kind: 'oauthClient', id: handMade?.id }),
    ]);
    // Longer than one watch: Prepare was retried, the intent kept until its client was listed.
    expect(retriesOf(execution, O.prepare, ONBOARDING_ERRORS.clientCreationPending)).toBeGreaterThanOrEqual(
      1,
    );
  });

  it("removes the client of a creation intent it finds under the intent's name when the request names none", async () => {
    const stoppedId = randomUUID();
    const org = await world.newOrg(
      sampleOrgSeed({
        id: randomUUID(),
        name: 'Stopped org',
        oauthClients: [
          {
            id: stoppedId,
            name: 'acme-data-actions',
            description: withMarker('Used by Data Actions'),
            roles: [SAMPLE_ROLE],
          },
        ],
      }),
    );
    await storeIntent(org, Date.now());
    const execution = await org.offboard();
    expect(execution.status).toBe('SUCCEEDED');
    expect(outputOf(execution).removed.oauthClientIds).toEqual([stoppedId]);
    await nothingOfOursLeft(org);
    expect(await world.secrets.get(resultSecretName(PREFIX, org.id))).toBeUndefined();
  });

  it('removes a creation intent whose client never appears only once its listing grace is over', async () => {
    const org = await world.newOrg();
    const since = Date.now();
    await storeIntent(org, since);
    const execution = await org.offboard({ oauthClientName: 'acme-data-actions' });
    expect(execution.status).toBe('SUCCEEDED');
    expect(outputOf(execution).removed).toMatchObject({
      oauthClientIds: [],
      secretId: resultSecretName(PREFIX, org.id),
    });
    const deleted = world.executions
      .at(-1)
      ?.events.find(
        (e) =>
          e.type === 'StateEntered' && (e as { state?: { name?: string } }).state?.name === O.removeSecret,
      ) as { timestamp?: number } | undefined;
    expect(deleted?.timestamp ?? 0).toBeGreaterThanOrEqual(since + INTENT_GRACE_MS);
    expect(await world.secrets.get(resultSecretName(PREFIX, org.id))).toBeUndefined();
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
    const before = world.simulator.requestLog.length;
    world.simulator.setRandomFaults({ seed: 11, rate: 0.3, kinds: ['429', '500', '503', 'reset'] });
    const execution = await org.offboard();
    world.simulator.setRandomFaults(undefined);
    expect(execution.status).toBe('SUCCEEDED');
    await nothingOfOursLeft(org);
    const injected = world.simulator.requestLog.slice(before).filter((e) => e.fault !== undefined);
    expect(injected.length).toBeGreaterThanOrEqual(1);
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

  describe('when what is left cannot be read at once', () => {
    /**
     * The store, throttled on lookups of the org's result secret (DescribeSecret: DescribeLeftovers never reads its
     * value) once the client DELETE was refused, `times` times.
     */
    const throttledAfterRefusal = (org: OrgUnderTest, clientId: string, times: number) => {
      const resultId = resultSecretName(PREFIX, org.id);
      const reads = { throttled: 0, after: 0 };
      // An injected fault's answer is logged without the org: the client's id tells the DELETE apart.
      const refused = () =>
        world.simulator.requestLog.some(
          (e) => e.method === 'DELETE' && e.path.endsWith(clientId) && e.status === 403,
        );
      const secrets = storeWith(world.secrets, {
        describe: (id) => {
          if (id === resultId && refused()) {
            if (reads.throttled < times) {
              reads.throttled++;
              return Promise.reject(
                new SecretStoreUnavailableError('DescribeSecret failed: ThrottlingException (Rate exceeded)'),
              );
            }
            reads.after++;
          }
          return world.secrets.describe(id);
        },
      });
      return { secrets, reads };
    };
    const refuseClientDelete = () =>
      world.simulator.injectFault({
        method: 'DELETE',
        path: '/api/v2/oauth/clients/{clientId}',
        fault: { kind: 'status', status: 403 },
        times: 100,
      });
    afterEach(() => world.simulator.faults.clear());

    it('retries DescribeLeftovers after a throttled secret lookup, and the cause names what is left', async () => {
      const { org, ids } = await onboarded();
      refuseClientDelete();
      const { secrets, reads } = throttledAfterRefusal(org, ids.oauthClientId, 1);
      const failed = await org.offboard({}, { deps: { secrets } });
      expect(failed.status).toBe('FAILED');
      expect(failed.error).toBe('Genesys.Permission');
      expect(failed.cause).toContain(
        `Still there: OAuth client ${ids.oauthClientId} (inactive), secret ${resultSecretName(PREFIX, org.id)}.`,
      );
      expect(reads).toEqual({ throttled: 1, after: 1 });
      expect(retriesOf(failed, O.describeLeftovers, SECRET_STORE_TRANSIENT)).toBe(1);
    });

    it('fails with the error that stopped the run and its cause when the reads stay throttled', async () => {
      const { org, ids } = await onboarded();
      refuseClientDelete();
      const { secrets, reads } = throttledAfterRefusal(org, ids.oauthClientId, Number.POSITIVE_INFINITY);
      const failed = await org.offboard({}, { deps: { secrets } });
      expect(failed.status).toBe('FAILED');
      expect(failed.error).toBe('Genesys.Permission');
      expect(failed.cause).toMatch(/403/);
      expect(failed.cause).not.toMatch(/ThrottlingException/);
      expect(reads.throttled).toBeGreaterThan(1);
      expect(retriesOf(failed, O.describeLeftovers, SECRET_STORE_TRANSIENT)).toBe(reads.throttled - 1);
    });
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
    // No write of any kind, to either org (a token request is no write).
    const sent = world.simulator.requestLog.slice(before);
    expect(sent.length).toBeGreaterThan(0);
    expect(sent.filter((e) => e.method !== 'GET' && e.path !== '/oauth/token')).toEqual([]);
    expect(await world.secrets.get(resultSecretName(PREFIX, other.org.id))).toBeUndefined();
  });

  it('never lets a secret into state, events, outputs, errors or logs', async () => {
    const { org } = await onboarded();
    const secrets = new Set([
      org.seeded.bootstrap.clientSecret,
      ...[...org.state.clients.values()].map((c) => c.secret),
      // The onboarded client's tokens, revoked (and forgotten by the simulator) when offboarding deletes it.
      ...world.simulator.tokens.keys(),
    ]);
    const ids = [...org.state.clients.keys()];
    expect((await org.offboard()).status).toBe('SUCCEEDED');
    for (const token of world.simulator.tokens.keys()) secrets.add(token);
    const outputs = [...world.logs, ...world.executions.map((e) => JSON.stringify(e))];
    expect(findLeaks(outputs, secrets, ids)).toEqual([]);
  });
});
