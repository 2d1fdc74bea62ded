import { randomUUID } from 'node:crypto';
import { credentialName } from '../../lambdas/shared/naming';
import { OWNERSHIP_MARKER } from '../../lambdas/shared/ownership';
import { realisticOrgSeed, SAMPLE_ROLE, sampleOrgSeed } from '../../simulator/seeds';
import type { OrgSeed } from '../../simulator/state';
import { type OrgUnderTest, resultOf, WorkflowWorld } from '../support/workflow';

/** Issue: touch only what is provably ours. Each test seeds the real-org shape it needs. */
describe('onboarding only takes what is provably its own', () => {
  let world: WorkflowWorld;

  beforeAll(async () => {
    world = await WorkflowWorld.start({ readAfterCreateNotFoundMs: 200, oauthClientListingLagMs: 300 });
  });
  afterAll(() => world.stop());

  const orgWith = (extra: Partial<OrgSeed>) =>
    world.newOrg(sampleOrgSeed({ id: randomUUID(), name: 'Shaped org', ...extra }));
  /** A snapshot of a client's fields that a takeover would change. */
  const snapshot = (org: OrgUnderTest, id: string) => {
    const client = org.state.clients.get(id);
    return (
      client && {
        secret: client.secret,
        roles: JSON.stringify(client.roleDivisions),
        description: client.description,
        state: client.state,
      }
    );
  };

  it("refuses the bootstrap client's own name and leaves the bootstrap client as it was", async () => {
    const org = await world.newOrg();
    const bootstrapId = org.seeded.bootstrap.clientId;
    const before = snapshot(org, bootstrapId);
    const start = world.simulator.requestLog.length;
    const execution = await org.run(
      org.request({ oauthClient: { name: 'onboarding-bootstrap', roles: [SAMPLE_ROLE] } }),
    );
    expect(execution.status).toBe('FAILED');
    expect(execution.error).toBe('Onboarding.NameTaken');
    expect(execution.cause).toContain(`(id ${bootstrapId}, state active) is the bootstrap client`);
    expect(snapshot(org, bootstrapId)).toEqual(before);
    expect(org.writesSince(start)).toEqual([]);
  });

  it('does not adopt the bootstrap client even when asked to adopt', async () => {
    const org = await world.newOrg();
    const before = snapshot(org, org.seeded.bootstrap.clientId);
    const execution = await org.run(
      org.request({
        adoptExisting: true,
        oauthClient: { name: 'onboarding-bootstrap', roles: [SAMPLE_ROLE] },
      }),
    );
    expect(execution.error).toBe('Onboarding.NameTaken');
    expect(snapshot(org, org.seeded.bootstrap.clientId)).toEqual(before);
  });

  it('refuses an unrelated same-name client (crm-sync, 2 roles) and writes nothing at all', async () => {
    const org = await world.newOrg(realisticOrgSeed({ id: randomUUID() }));
    const crm = [...org.state.clients.values()].find((c) => c.name === 'crm-sync');
    if (!crm) throw new Error('no crm-sync');
    const before = snapshot(org, crm.id);
    const start = world.simulator.requestLog.length;
    const execution = await org.run(org.request({ oauthClient: { name: 'crm-sync', roles: [SAMPLE_ROLE] } }));
    expect(execution.status).toBe('FAILED');
    expect(execution.error).toBe('Onboarding.NameTaken');
    expect(execution.cause).toContain(
      `OAuth client "crm-sync" exists (id ${crm.id}, state active) and was not created by genesys-onboarding`,
    );
    expect(snapshot(org, crm.id)).toEqual(before);
    expect(JSON.parse(before?.roles ?? '[]')).toHaveLength(2);
    // Prepare found the name taken before either provisioning branch ran.
    expect(org.writesSince(start)).toEqual([]);
  });

  it('adopts an unrelated same-name client on request, and says what it changed', async () => {
    const org = await world.newOrg(realisticOrgSeed({ id: randomUUID() }));
    const crm = [...org.state.clients.values()].find((c) => c.name === 'crm-sync');
    if (!crm) throw new Error('no crm-sync');
    const oldSecret = crm.secret;
    const execution = await org.run(
      org.request({ adoptExisting: true, oauthClient: { name: 'crm-sync', roles: [SAMPLE_ROLE] } }),
    );
    expect(execution.status).toBe('SUCCEEDED');
    expect(resultOf(execution).oauthClientId).toBe(crm.id);
    expect(resultOf(execution).changed.oauthClient).toEqual([
      `OAuth client ${crm.id}: adopted on request (it carried no ownership marker)`,
      `OAuth client ${crm.id}: roles set to 1 role-division pair(s) (were 2)`,
      `OAuth client ${crm.id}: description set (with the ownership marker)`,
      `OAuth client ${crm.id}: new secret (the stored one was missing or no longer worked)`,
    ]);
    expect(crm.secret).not.toBe(oldSecret);
    expect(crm.description).toBe(`Used by the Genesys Cloud Data Actions integration ${OWNERSHIP_MARKER}`);
  });

  it.each(['disabled'] as const)(
    'refuses a same-name client that is %s, naming it, and writes nothing to it',
    async (state) => {
      const org = await orgWith({
        oauthClients: [{ name: 'acme-data-actions', roles: [SAMPLE_ROLE], state }],
      });
      const [client] = [...org.state.clients.values()].filter((c) => c.name === 'acme-data-actions');
      if (!client) throw new Error('not seeded');
      const before = snapshot(org, client.id);
      for (const adoptExisting of [false, true]) {
        const execution = await org.run(org.request({ adoptExisting }));
        expect(execution.error).toBe('Onboarding.ClientDisabled');
        expect(execution.cause).toContain(`OAuth client "acme-data-actions" (id ${client.id}) is disabled`);
      }
      expect(snapshot(org, client.id)).toEqual(before);
    },
  );

  it.each(['inactive', 'deleted'] as const)(
    'never counts a same-name client that is %s: a new one is created and the old one left alone',
    async (state) => {
      const org = await orgWith({
        oauthClients: [{ name: 'acme-data-actions', roles: [SAMPLE_ROLE], state }],
      });
      const [old] = [...org.state.clients.values()].filter((c) => c.name === 'acme-data-actions');
      if (!old) throw new Error('not seeded');
      const before = snapshot(org, old.id);
      const execution = await org.run();
      expect(execution.status).toBe('SUCCEEDED');
      expect(resultOf(execution).oauthClientId).not.toBe(old.id);
      expect(snapshot(org, old.id)).toEqual(before);
    },
  );

  it('onboards the realistic org (31 clients over two pages, a lingering deleted client of the same name)', async () => {
    const org = await world.newOrg(realisticOrgSeed({ id: randomUUID() }));
    const execution = await org.run();
    expect(execution.status).toBe('SUCCEEDED');
    const ours = org.dataActionClients().filter((c) => c.name === 'acme-data-actions');
    expect(ours).toHaveLength(1);
    expect(ours[0]?.id).toBe(resultOf(execution).oauthClientId);
  });

  it('refuses a configured same-name integration that is not ours, and leaves it and its credential alone', async () => {
    const org = await world.newOrg(realisticOrgSeed({ id: randomUUID() }));
    const crm = [...org.state.integrations.values()].find((i) => i.name === 'CRM Data Actions');
    if (!crm) throw new Error('no CRM integration');
    const before = JSON.stringify(crm.config);
    const execution = await org.run(org.request({ integration: { name: 'CRM Data Actions' } }));
    expect(execution.error).toBe('Onboarding.NameTaken');
    expect(execution.cause).toContain(`Integration "CRM Data Actions" exists (id ${crm.id}, ENABLED`);
    expect(JSON.stringify(crm.config)).toBe(before);
    expect(org.dataActionClients().filter((c) => c.name === 'acme-data-actions')).toEqual([]);
    expect(
      world.simulator.requestLog.filter(
        (e) => e.orgId === org.id && e.method === 'POST' && e.path !== '/oauth/token',
      ),
    ).toEqual([]);
  });

  it('adopts a configured same-name integration on request with its own credential, leaving the old credential alone', async () => {
    const org = await world.newOrg(realisticOrgSeed({ id: randomUUID() }));
    const crm = [...org.state.integrations.values()].find((i) => i.name === 'CRM Data Actions');
    const oldCredentialId = crm?.config.credentials.pureCloudOAuthClient?.id as string;
    const oldCredential = JSON.stringify(org.state.credentials.get(oldCredentialId));
    const execution = await org.run(
      org.request({ adoptExisting: true, integration: { name: 'CRM Data Actions' } }),
    );
    expect(execution.status).toBe('SUCCEEDED');
    const result = resultOf(execution);
    expect(result.integrationId).toBe(crm?.id);
    expect(result.credentialId).not.toBe(oldCredentialId);
    expect(crm?.config.credentials.pureCloudOAuthClient?.id).toBe(result.credentialId);
    expect(crm?.config.notes).toBe(`Managed by the CRM team ${OWNERSHIP_MARKER}`);
    expect(JSON.stringify(org.state.credentials.get(oldCredentialId))).toBe(oldCredential);
    expect(result.changed.integration).toEqual([
      `Integration ${crm?.id}: adopted on request`,
      `Integration ${crm?.id}: its credential ${oldCredentialId} is replaced by ours and left as it is`,
      `Integration ${crm?.id}: ownership marker added to its notes`,
      `Integration ${crm?.id}: configured with credential ${result.credentialId} (was ${oldCredentialId})`,
    ]);
  });

  it('adopts an unconfigured same-name integration, as before', async () => {
    const org = await orgWith({
      integrations: [{ name: 'Acme Data Actions', type: 'purecloud-data-actions' }],
    });
    const [existing] = [...org.state.integrations.values()];
    const execution = await org.run();
    expect(execution.status).toBe('SUCCEEDED');
    expect(resultOf(execution).integrationId).toBe(existing?.id);
    expect(org.state.integrations.size).toBe(1);
    expect(resultOf(execution).changed.integration).toEqual([
      `Integration ${existing?.id}: adopted: it had no credential configured`,
      `Integration ${existing?.id}: ownership marker added to its notes`,
      `Integration ${existing?.id}: configured with credential ${resultOf(execution).credentialId} (was none)`,
      `Integration ${existing?.id}: enabled (was DISABLED)`,
    ]);
  });

  it('refuses an unconfigured same-name integration that has data actions, naming it and its action count, and adopts it only on request', async () => {
    const org = await orgWith({
      integrations: [{ name: 'Acme Data Actions', type: 'purecloud-data-actions' }],
    });
    const [existing] = [...org.state.integrations.values()];
    if (!existing) throw new Error('no integration');
    for (const name of ['Get user', 'Get queue']) {
      const id = `custom_-_${randomUUID()}`;
      org.state.actions.set(id, {
        id,
        name,
        category: 'Support',
        integrationId: existing.id,
        secure: false,
        version: 1,
        config: {},
        contract: {},
      });
    }
    const start = world.simulator.requestLog.length;
    const refused = await org.run();
    expect(refused.status).toBe('FAILED');
    expect(refused.error).toBe('Onboarding.NameTaken');
    expect(refused.cause).toContain(
      `Integration "Acme Data Actions" exists (id ${existing.id}, 2 data actions) and was not created by genesys-onboarding`,
    );
    expect(org.writesSince(start)).toEqual([]);

    const adopted = await org.run(org.request({ adoptExisting: true }));
    expect(adopted.status).toBe('SUCCEEDED');
    expect(resultOf(adopted).integrationId).toBe(existing.id);
    expect(resultOf(adopted).changed.integration).toEqual([
      `Integration ${existing.id}: adopted on request`,
      `Integration ${existing.id}: ownership marker added to its notes`,
      `Integration ${existing.id}: configured with credential ${resultOf(adopted).credentialId} (was none)`,
      `Integration ${existing.id}: enabled (was DISABLED)`,
    ]);
    expect(org.state.actions.size).toBe(2);
  });

  it('refuses a new integration name for an onboarded org, naming the one on record and how to proceed', async () => {
    const org = await world.newOrg();
    const first = await org.run();
    const recordedId = resultOf(first).integrationId;
    const execution = await org.run(org.request({ integration: { name: 'Acme Data Actions v2' } }));
    expect(execution.status).toBe('FAILED');
    expect(execution.error).toBe('Onboarding.OtherIntegrationOnboarded');
    expect(execution.cause).toContain(`onboarded with integration ${recordedId} ("Acme Data Actions")`);
    expect(execution.cause).toContain('renameIntegration');
    expect(org.state.integrations.size).toBe(1);
  });

  it('renames the recorded integration when asked, keeping one integration and one credential', async () => {
    const org = await world.newOrg();
    const first = await org.run();
    const recordedId = resultOf(first).integrationId;
    const execution = await org.run(
      org.request({ renameIntegration: true, integration: { name: 'Acme Data Actions v2' } }),
    );
    expect(execution.status).toBe('SUCCEEDED');
    expect(resultOf(execution).integrationId).toBe(recordedId);
    expect(org.state.integrations.get(recordedId)?.name).toBe('Acme Data Actions v2');
    expect(org.state.integrations.size).toBe(1);
    expect([...org.state.credentials.values()].map((c) => c.name)).toEqual([credentialName(recordedId)]);
    expect(resultOf(execution).changed.integration).toEqual([
      `Integration ${recordedId}: renamed from "Acme Data Actions"`,
    ]);
  });
});
