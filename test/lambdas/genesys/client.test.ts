import { GenesysApiError, type HttpEvent } from '../../../lambdas/genesys';
import { SAMPLE_ROLE } from '../../../simulator/seeds';
import { clearTokenCache, type SimulatorFixture, startSimulator } from '../../support/simulator';

describe('GenesysClient against the simulator', () => {
  let fixture: SimulatorFixture;

  beforeAll(async () => {
    fixture = await startSimulator();
  });
  afterAll(() => fixture.simulator.stop());
  beforeEach(() => clearTokenCache());

  it('reads the org and the calling client', async () => {
    const client = fixture.client();
    const org = await client.organization.me();
    expect(org.id).toBe(fixture.seeded.org.id);
    const info = await client.organization.tokenInfo();
    expect(info.OAuthClient?.id).toBe(fixture.seeded.bootstrap.clientId);
    expect(info.OAuthClient?.roleDivisions).toHaveLength(2);
  });

  it('finds a role by exact name among look-alikes the name filter also returns', async () => {
    const client = fixture.client();
    const page = await client.authorization.listRolesPage({ name: SAMPLE_ROLE });
    expect(page.entities?.map((r) => r.name).sort()).toEqual(
      [SAMPLE_ROLE, `${SAMPLE_ROLE} (legacy)`, SAMPLE_ROLE.toLowerCase()].sort(),
    );
    const role = await client.authorization.findRoleByName(SAMPLE_ROLE);
    expect(role?.name).toBe(SAMPLE_ROLE);
    expect(await client.authorization.findRoleByName('Data Actions Runtim')).toBeUndefined();
    const resolved = await client.authorization.resolveRoles([SAMPLE_ROLE, 'admin', 'Nope']);
    expect(resolved.found.map((r) => r.name)).toEqual([SAMPLE_ROLE, 'admin']);
    expect(resolved.missing).toEqual(['Nope']);
  });

  it('matches role names exactly over every page the prefix filter returns', async () => {
    const { simulator } = fixture;
    const org = simulator.org(fixture.seeded.org.id);
    for (let i = 0; i < 230; i++) {
      org.roles.push({
        id: `decoy-${i}`,
        name: `Zeta a${String(i).padStart(3, '0')}`,
        description: '',
        permissions: [],
      });
    }
    const client = fixture.client();
    simulator.requestLog.length = 0;
    expect(await client.authorization.findRoleByName('Zeta')).toBeUndefined();
    const rolePages = simulator.requestLog.filter((e) => e.path === '/api/v2/authorization/roles');
    expect(rolePages.map((e) => new URLSearchParams(e.query).get('pageNumber'))).toEqual(['1', '2', '3']);
    expect(rolePages.every((e) => e.query.includes('userCount=false'))).toBe(true);
    expect((await client.authorization.findRoleByName('Zeta a229'))?.id).toBe('decoy-229');
    org.roles.splice(-230);
  });

  it('reads the home division and every division', async () => {
    const client = fixture.client();
    const home = await client.authorization.homeDivision();
    expect(home.homeDivision).toBe(true);
    const divisions = await client.authorization.listDivisions();
    expect(divisions.map((d) => d.name).sort()).toEqual(['Home', 'Support']);
  });

  it('creates, reads, updates, regenerates and deletes an OAuth client', async () => {
    const client = fixture.client();
    const role = await client.authorization.findRoleByName(SAMPLE_ROLE);
    const home = await client.authorization.homeDivision();
    const created = await client.oauthClients.create({
      name: 'crud-client',
      authorizedGrantType: 'CLIENT-CREDENTIALS',
      roleDivisions: [{ roleId: role?.id as string, divisionId: home.id as string }],
    });
    expect(created.secret).toEqual(expect.any(String));
    const read = await client.oauthClients.get(created.id);
    expect(read).not.toHaveProperty('secret');
    expect((await client.oauthClients.findByName('crud-client')).map((c) => c.id)).toEqual([created.id]);
    const updated = await client.oauthClients.update(created.id, {
      name: 'crud-client',
      description: 'updated',
      authorizedGrantType: 'CLIENT-CREDENTIALS',
      roleDivisions: read.roleDivisions,
    });
    expect(updated.description).toBe('updated');
    expect(updated).not.toHaveProperty('secret');
    const regenerated = await client.oauthClients.regenerateSecret(created.id);
    expect(regenerated.secret).not.toBe(created.secret);
    const disabled = await client.oauthClients.setState(created.id, 'disabled');
    expect(disabled.state).toBe('disabled');
    expect(disabled.description).toBe('updated');
    await expect(client.oauthClients.delete(created.id)).rejects.toMatchObject({ kind: 'bad-request' });
    await client.oauthClients.deactivateAndDelete(created.id);
    await expect(client.oauthClients.get(created.id)).rejects.toMatchObject({
      kind: 'not-found',
      status: 404,
    });
  });

  it('installs, configures, enables and removes an integration with its credential', async () => {
    const client = fixture.client();
    const integration = await client.integrations.create({
      name: 'Acme Data Actions',
      integrationType: { id: 'purecloud-data-actions' },
    });
    expect(integration.intendedState).toBe('DISABLED');
    expect(
      (await client.integrations.findByName('purecloud-data-actions', 'Acme Data Actions')).map((i) => i.id),
    ).toEqual([integration.id]);
    const credential = await client.credentials.create({
      name: `Integration-${integration.id}`,
      type: { name: 'pureCloudOAuthClient' },
      credentialFields: fixture.seeded.bootstrap,
    });
    expect((await client.credentials.get(credential.id)).credentialFields?.clientSecret).not.toBe(
      fixture.seeded.bootstrap.clientSecret,
    );
    expect((await client.credentials.findByName(`Integration-${integration.id}`)).map((c) => c.id)).toEqual([
      credential.id,
    ]);
    expect((await client.credentials.listAllNumbered()).map((c) => c.id)).toContain(credential.id);
    const updatedCredential = await client.credentials.update(credential.id, {
      name: `Integration-${integration.id}`,
      type: { name: 'pureCloudOAuthClient' },
      credentialFields: fixture.seeded.bootstrap,
    });
    expect(updatedCredential.id).toBe(credential.id);

    const config = await client.integrations.getConfig(integration.id);
    expect(config.version).toBe(1);
    const put = await client.integrations.putConfig(integration.id, {
      ...config,
      credentials: { pureCloudOAuthClient: { id: credential.id } },
    });
    expect(put.version).toBe(2);
    await expect(client.integrations.putConfig(integration.id, { ...config })).rejects.toMatchObject({
      kind: 'conflict',
      status: 409,
    });
    const enabled = await client.integrations.patch(integration.id, { intendedState: 'ENABLED' });
    expect(enabled.reportedState?.code).toBe('ACTIVATING');
    await new Promise((r) => setTimeout(r, 80));
    const active = await client.integrations.get(integration.id, { expandConfig: true });
    expect(active.reportedState?.code).toBe('ACTIVE');
    expect(active.config?.current?.credentials?.pureCloudOAuthClient?.id).toBe(credential.id);

    const deleted = await client.integrations.delete(integration.id);
    expect(deleted?.id).toBe(integration.id);
    await client.credentials.delete(credential.id);
    await expect(client.credentials.get(credential.id)).rejects.toMatchObject({ kind: 'not-found' });
  });

  it('walks integration pages and cursor-paged credentials', async () => {
    const client = fixture.client();
    const ids: string[] = [];
    for (let i = 0; i < 105; i++) {
      const created = await client.integrations.create({
        name: `bulk-${i}`,
        integrationType: { id: 'purecloud-data-actions' },
      });
      ids.push(created.id);
    }
    await client.integrations.create({ name: 'bulk-0', integrationType: { id: 'custom-rest-actions' } });
    const all = await client.integrations.listByType('purecloud-data-actions');
    expect(all).toHaveLength(105);
    const sameName = await client.integrations.findByName('purecloud-data-actions', 'bulk-0');
    expect(sameName).toHaveLength(1);

    for (let i = 0; i < 205; i++) {
      await client.credentials.create({
        name: `cred-${i}`,
        type: { name: 'pureCloudOAuthClient' },
        credentialFields: { clientId: `id-${i}`, clientSecret: `secret-${i}-xxxxxx` },
      });
    }
    fixture.simulator.requestLog.length = 0;
    const credentials = await client.credentials.listAll();
    expect(credentials).toHaveLength(205);
    expect(fixture.simulator.requestLog.filter((e) => e.path.endsWith('/credentials/listing'))).toHaveLength(
      2,
    );
  });

  it('reports every call and retry through the event hook', async () => {
    const events: HttpEvent[] = [];
    const client = fixture.client({ onEvent: (event) => events.push(event) });
    fixture.simulator.injectFault({
      path: '/api/v2/organizations/me',
      fault: { kind: 'status', status: 503 },
    });
    await client.organization.me();
    expect(events.map((e) => `${e.type} ${e.method} ${e.path} ${e.status}`)).toEqual([
      'call POST /oauth/token 200',
      'call GET /api/v2/organizations/me 503',
      'retry GET /api/v2/organizations/me 503',
      'call GET /api/v2/organizations/me 200',
    ]);
  });

  it('answers permission errors with the Genesys code, message and contextId', async () => {
    const { simulator } = fixture;
    const limited = simulator.addOrg({
      name: 'Limited',
      bootstrap: { roles: ['employee'] },
    });
    const client = fixture.client({ credentials: limited.bootstrap });
    const error = await client.oauthClients.list().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GenesysApiError);
    expect(error).toMatchObject({
      kind: 'permission',
      status: 403,
      code: 'missing.any.permissions',
      contextId: expect.any(String),
      name: 'Genesys.Permission',
    });
  });
});
