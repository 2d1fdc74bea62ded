import { randomUUID } from 'node:crypto';
import { type OffboardingOutput, offboardingResult } from '../../lambdas/api/offboardings';
import { credentialName, resultSecretName } from '../../lambdas/shared/naming';
import { OWNERSHIP_MARKER } from '../../lambdas/shared/ownership';
import { ONBOARDING_STATES } from '../../lambdas/workflows/onboarding/states';
import { realisticOrgSeed } from '../../simulator/seeds';
import type { SimOAuthClient } from '../../simulator/state';
import { type OrgUnderTest, PREFIX, resultOf, WorkflowWorld } from '../support/workflow';

/** Offboarding removes only what is provably ours, and leaves nothing of ours it can find. */
describe('offboarding removes only what is provably ours', () => {
  let world: WorkflowWorld;

  beforeAll(async () => {
    world = await WorkflowWorld.start(
      { readAfterCreateNotFoundMs: 200, oauthClientListingLagMs: 300, deletedClientLingerMs: 500 },
      { readAfterCreateMs: 1_000, clientListingLagMs: 1_200 },
    );
  });
  afterAll(() => world.stop());

  const outputOf = (execution: { output?: string }) =>
    offboardingResult(JSON.parse(execution.output ?? '{}') as OffboardingOutput);

  /** The realistic org, onboarded with adoptExisting onto "CRM Data Actions" (crm-sync's credential on it). */
  const adoptedCrm = async () => {
    const org = await world.newOrg(realisticOrgSeed({ id: randomUUID() }));
    const crm = [...org.state.integrations.values()].find((i) => i.name === 'CRM Data Actions');
    if (!crm) throw new Error('no CRM integration');
    const theirCredentialId = crm.config.credentials.pureCloudOAuthClient?.id as string;
    // Another team's data action on the integration: deleting the integration would delete it.
    const actionId = `custom_-_${randomUUID()}`;
    org.state.actions.set(actionId, {
      id: actionId,
      name: 'Get CRM account',
      category: 'CRM',
      integrationId: crm.id,
      secure: false,
      version: 1,
      config: {},
      contract: {},
    });
    const execution = await org.run(
      org.request({ adoptExisting: true, integration: { name: 'CRM Data Actions' } }),
    );
    expect(execution.status).toBe('SUCCEEDED');
    return { org, crm, theirCredentialId, actionId, ids: resultOf(execution) };
  };

  const recordOf = async (org: OrgUnderTest) => {
    const stored = await world.secrets.get(resultSecretName(PREFIX, org.id));
    return JSON.parse(stored?.value ?? '{}') as Record<string, unknown>;
  };

  it('records whether the integration was created (integrationAdopted false) or adopted (true)', async () => {
    const created = await world.newOrg();
    expect((await created.run()).status).toBe('SUCCEEDED');
    expect((await recordOf(created)).integrationAdopted).toBe(false);
    const { org } = await adoptedCrm();
    expect((await recordOf(org)).integrationAdopted).toBe(true);
  });

  it("after adopting an integration, removes our credential and leaves the other team's (named Integration-<id>) alone", async () => {
    const { org, crm, theirCredentialId, ids } = await adoptedCrm();
    expect(org.state.credentials.get(theirCredentialId)?.name).toBe(credentialName(crm.id));
    const execution = await org.offboard();
    expect(execution.status).toBe('SUCCEEDED');
    expect(outputOf(execution).removed.credentialIds).toEqual([ids.credentialId]);
    expect(org.state.credentials.has(theirCredentialId)).toBe(true);
    expect(org.state.credentials.has(ids.credentialId)).toBe(false);
  });

  it("rotating an adopted integration neither reuses nor removes the other team's credential named after it", async () => {
    const { org, theirCredentialId, ids } = await adoptedCrm();
    const theirs = JSON.stringify(org.state.credentials.get(theirCredentialId));
    const rotated = await org.rotate();
    expect(rotated.credentialId).not.toBe(theirCredentialId);
    expect(rotated.credentialId).not.toBe(ids.credentialId);
    expect(JSON.stringify(org.state.credentials.get(theirCredentialId))).toBe(theirs);
    expect(org.state.credentials.has(ids.credentialId)).toBe(false);
  });

  it("adopting an unconfigured integration neither updates nor reuses another team's credential named after it", async () => {
    const org = await world.newOrg(realisticOrgSeed({ id: randomUUID() }));
    const unused = [...org.state.integrations.values()].find((i) => i.name === 'Data Actions');
    if (!unused) throw new Error('no unconfigured integration');
    const theirCredentialId = randomUUID();
    const createdDate = new Date(Date.now() - 86_400_000).toISOString();
    org.state.credentials.set(theirCredentialId, {
      id: theirCredentialId,
      name: credentialName(unused.id),
      typeName: 'pureCloudOAuthClient',
      fields: { clientId: 'their-client', clientSecret: 'their-secret' },
      createdDate,
      modifiedDate: createdDate,
      readableAt: 0,
    });
    const theirs = JSON.stringify(org.state.credentials.get(theirCredentialId));
    const execution = await org.run(org.request({ integration: { name: 'Data Actions' } }));
    expect(execution.status).toBe('SUCCEEDED');
    expect(resultOf(execution).integrationId).toBe(unused.id);
    expect(resultOf(execution).credentialId).not.toBe(theirCredentialId);
    expect(JSON.stringify(org.state.credentials.get(theirCredentialId))).toBe(theirs);
  });

  it('leaves an adopted integration and its data actions, disabled before our credential is removed', async () => {
    const { org, crm, actionId, ids } = await adoptedCrm();
    expect(crm.intendedState).toBe('ENABLED');
    const offboardingStart = world.simulator.requestLog.length;
    const execution = await org.offboard();
    expect(execution.status).toBe('SUCCEEDED');
    const result = outputOf(execution);
    expect(result.removed.integrationId).toBeNull();
    expect(result.disabled).toEqual([{ kind: 'integration', id: crm.id }]);
    expect(result.leftAlone).toEqual([
      {
        kind: 'integration',
        id: crm.id,
        name: 'CRM Data Actions',
        why: `taken over (adopted), not created, by genesys-onboarding: not deleted (deleting it would delete its data actions); disabled (intendedState DISABLED) and our credential ${ids.credentialId} and ownership marker taken out of its configuration before that credential is removed`,
      },
    ]);
    expect(org.state.integrations.get(crm.id)?.intendedState).toBe('DISABLED');
    expect(org.state.integrations.get(crm.id)?.config.credentials).toEqual({});
    expect(org.state.integrations.get(crm.id)?.config.notes).toBe('Managed by the CRM team');
    expect(org.state.actions.has(actionId)).toBe(true);
    expect(org.dataActionClients().filter((c) => c.name === 'acme-data-actions')).toEqual([]);
    // Disabled before the credential it runs on was deleted (the offboarding's own requests only: onboarding
    // PATCHed the integration too). A DELETE retried on a loaded machine is one removal.
    const writes = world.simulator.requestLog
      .slice(offboardingStart)
      .filter((e) => e.orgId === org.id && (e.method === 'PATCH' || e.method === 'DELETE'))
      .map((e) => `${e.method} ${e.route}`)
      .filter((write, i, all) => write !== all[i - 1]);
    expect(writes).toEqual([
      'PATCH /api/v2/integrations/{integrationId}',
      'DELETE /api/v2/integrations/credentials/{credentialId}',
      'DELETE /api/v2/oauth/clients/{clientId}',
    ]);
  });

  it('reads a record without integrationAdopted as adopted when another credential named after the integration is beside it, and leaves both', async () => {
    const { org, crm, theirCredentialId, ids } = await adoptedCrm();
    const { integrationAdopted: _, ...oldRecord } = await recordOf(org);
    await world.secrets.put({
      name: resultSecretName(PREFIX, org.id),
      value: JSON.stringify(oldRecord),
    });
    const execution = await org.offboard();
    expect(execution.status).toBe('SUCCEEDED');
    expect(outputOf(execution).removed).toMatchObject({
      integrationId: null,
      credentialIds: [ids.credentialId],
    });
    expect(org.state.integrations.has(crm.id)).toBe(true);
    expect(org.state.credentials.has(theirCredentialId)).toBe(true);
  });

  it('removes the integration and credential of an onboarding stopped before recording them, by the recorded request name', async () => {
    const org = await world.newOrg();
    const stopped = await org.run(org.request(), {}, { crashAt: ONBOARDING_STATES.record });
    expect(stopped.status).not.toBe('SUCCEEDED');
    const record = await recordOf(org);
    expect(record.clientId).toBeDefined();
    expect(record.integrationId).toBeUndefined();
    const [integration] = [...org.state.integrations.values()];
    expect(integration?.intendedState).toBe('ENABLED');

    const execution = await org.offboard();
    expect(execution.status).toBe('SUCCEEDED');
    expect(outputOf(execution).removed).toMatchObject({
      integrationId: integration?.id,
      credentialIds: [expect.any(String)],
    });
    expect(org.state.integrations.size).toBe(0);
    expect(org.state.credentials.size).toBe(0);
    expect(org.dataActionClients()).toEqual([]);
  });

  it('removes the integration of an onboarding killed between EnsureIntegration and Configure: marked from its creation', async () => {
    const org = await world.newOrg();
    const stopped = await org.run(org.request(), {}, { crashAt: ONBOARDING_STATES.configure });
    expect(stopped.status).not.toBe('SUCCEEDED');
    const [integration] = [...org.state.integrations.values()];
    expect(integration?.config.credentials).toEqual({});
    expect(integration?.config.notes).toBe(OWNERSHIP_MARKER);

    const execution = await org.offboard({ integrationName: 'Acme Data Actions' });
    expect(execution.status).toBe('SUCCEEDED');
    expect(outputOf(execution).removed.integrationId).toBe(integration?.id);
    expect(outputOf(execution).leftAlone).toEqual([]);
    expect(org.state.integrations.size).toBe(0);
    expect(org.dataActionClients()).toEqual([]);
  });

  it('removes, with force, the integration of an onboarding stopped inside Configure, and the credential made for it', async () => {
    const org = await world.newOrg();
    const stopped = await org.run(org.request(), {}, { crashAt: ONBOARDING_STATES.configure });
    expect(stopped.status).not.toBe('SUCCEEDED');
    const [integration] = [...org.state.integrations.values()];
    if (!integration) throw new Error('no integration');
    // Configure stopped after creating the credential, before the configuration names it.
    const credentialId = randomUUID();
    const createdDate = new Date().toISOString();
    org.state.credentials.set(credentialId, {
      id: credentialId,
      name: credentialName(integration.id),
      typeName: 'pureCloudOAuthClient',
      fields: { clientId: 'ours', clientSecret: 'ours' },
      createdDate,
      modifiedDate: createdDate,
      readableAt: 0,
    });

    const cautious = await org.offboard({ integrationName: 'Acme Data Actions' });
    expect(cautious.status).toBe('SUCCEEDED');
    expect(outputOf(cautious).leftAlone).toEqual([
      expect.objectContaining({ kind: 'integration', id: integration.id }),
    ]);
    expect(org.state.integrations.has(integration.id)).toBe(true);

    const forced = await org.offboard({ integrationName: 'Acme Data Actions', force: true });
    expect(forced.status).toBe('SUCCEEDED');
    expect(outputOf(forced).removed).toMatchObject({
      integrationId: integration.id,
      credentialIds: [credentialId],
    });
    expect(org.state.integrations.size).toBe(0);
    expect(org.state.credentials.size).toBe(0);
  });

  it("removes the marked client a crashed rotation created under the record's client name, and leaves an unmarked one", async () => {
    const org = await world.newOrg();
    const onboarded = await org.run();
    expect(onboarded.status).toBe('SUCCEEDED');
    const recordedId = resultOf(onboarded).oauthClientId;
    // The rotation stops after creating its client, before its pending version is stored.
    const crashing = Object.create(world.secrets) as typeof world.secrets;
    crashing.putPending = () => Promise.reject(new Error('crashed before storing the pending version'));
    await expect(org.rotate({ deps: { secrets: crashing } })).rejects.toThrow('crashed');
    const rotationClient = org
      .dataActionClients()
      .find((c) => c.name === 'acme-data-actions' && c.id !== recordedId);
    expect(rotationClient?.state).toBe('active');
    // The rotation crashed a while ago: its client is listed by now.
    await new Promise((resolve) => setTimeout(resolve, 400));
    // Made by hand after the onboarding, without the marker.
    const handMade = { ...rotationClient, id: randomUUID(), description: 'made by hand' } as SimOAuthClient;
    org.state.clients.set(handMade.id, handMade);

    const execution = await org.offboard();
    expect(execution.status).toBe('SUCCEEDED');
    const result = outputOf(execution);
    expect([...result.removed.oauthClientIds].sort()).toEqual([recordedId, rotationClient?.id].sort());
    expect(result.leftAlone).toEqual([
      {
        kind: 'oauthClient',
        id: handMade.id,
        name: 'acme-data-actions',
        why: "named as the stored record's client but not created by genesys-onboarding (no ownership marker)",
      },
    ]);
    expect(org.dataActionClients().map((c) => c.id)).toEqual([handMade.id]);
  });
});
