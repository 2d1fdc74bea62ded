import { clearTokenCache } from '../../../lambdas/genesys/auth';
import { GenesysApiError } from '../../../lambdas/genesys/errors';
import type { HttpEvent } from '../../../lambdas/genesys/http';
import { messageInfoText } from '../../../lambdas/genesys/messages';
import { SAMPLE_ROLE } from '../../../simulator/seeds';
import { type SimulatorFixture, startSimulator } from '../../support/simulator';
import { FakeClock } from './fake-api';

const LOCAL = { allowedHosts: ['127.0.0.1'] };

describe('GenesysClient against the simulator', () => {
  let fixture: SimulatorFixture;

  // Eventual consistency off: these tests check the calls' semantics with a fake clock; the realistic windows
  // are exercised with real time below and in the workflow tests.
  beforeAll(async () => {
    fixture = await startSimulator({ readAfterCreateNotFoundMs: 0, oauthClientListingLagMs: 0 });
  });
  afterAll(() => fixture.simulator.stop());
  beforeEach(() => {
    clearTokenCache();
    fixture.simulator.faults.clear();
  });

  /** A client whose waits (404 windows, polls, conflict retries) take no real time. */
  const client = (overrides = {}) => {
    const clock = new FakeClock();
    return fixture.client({ ...LOCAL, sleep: clock.sleep, random: clock.random, ...overrides });
  };

  it('refuses the simulator URL without an allow-list entry', () => {
    expect(() => fixture.client()).toThrow(
      `apiUrl host ${new URL(fixture.simulator.url).host} is not a Genesys Cloud host`,
    );
  });

  it('reads the calling client and its org', async () => {
    const info = await client().organization.tokenInfo();
    expect(info.organization?.id).toBe(fixture.seeded.org.id);
    expect(info.OAuthClient?.id).toBe(fixture.seeded.bootstrap.clientId);
    expect(info.OAuthClient?.roleDivisions).toHaveLength(2);
  });

  it('creates, reads, updates, regenerates and removes an OAuth client', async () => {
    const genesys = client();
    const role = await genesys.authorization.findRoleByName(SAMPLE_ROLE);
    const home = await genesys.authorization.homeDivision();
    const created = await genesys.oauthClients.create({
      name: 'crud-client',
      authorizedGrantType: 'CLIENT-CREDENTIALS',
      roleDivisions: [{ roleId: role?.id as string, divisionId: home.id }],
    });
    expect(created.secret).toEqual(expect.any(String));
    const read = await genesys.oauthClients.get(created.id, { retryNotFoundMs: 5000 });
    expect(read).not.toHaveProperty('secret');
    expect(
      (await genesys.oauthClients.list()).filter((c) => c.name === 'crud-client').map((c) => c.id),
    ).toEqual([created.id]);
    const updated = await genesys.oauthClients.update(created.id, {
      name: 'crud-client',
      description: 'updated',
      authorizedGrantType: 'CLIENT-CREDENTIALS',
      roleDivisions: read.roleDivisions,
      state: 'disabled',
    });
    expect(updated).toMatchObject({ description: 'updated', state: 'disabled' });
    expect(updated).not.toHaveProperty('secret');
    const regenerated = await genesys.oauthClients.regenerateSecret(created.id);
    expect(regenerated.secret).not.toBe(created.secret);
    await expect(genesys.oauthClients.delete(created.id)).rejects.toMatchObject({ kind: 'bad-request' });
    expect(await genesys.oauthClients.deactivateAndDelete(created.id)).toBe('deleted');
    // A deleted client lingers, readable as deleted, for a while (genesys-cloud-api.md §14).
    expect((await genesys.oauthClients.find(created.id))?.state).toBe('deleted');
    expect(await genesys.oauthClients.deactivateAndDelete(created.id)).toBe('absent');
  });

  it('installs, configures, enables and tears down an integration with its credential', async () => {
    fixture.simulator.options.activationDelayMs = 0;
    const genesys = client();
    const integration = await genesys.integrations.create({
      name: 'Acme Data Actions',
      integrationType: { id: 'purecloud-data-actions' },
    });
    expect(integration.intendedState).toBe('DISABLED');
    expect(
      (await genesys.integrations.findByName('purecloud-data-actions', 'Acme Data Actions')).map((i) => i.id),
    ).toEqual([integration.id]);
    const body = {
      name: `Integration-${integration.id}`,
      type: { name: 'pureCloudOAuthClient' as const },
      credentialFields: fixture.seeded.bootstrap,
    };
    const credential = await genesys.credentials.create(body);
    expect((await genesys.credentials.findByName(body.name)).map((c) => c.id)).toEqual([credential.id]);
    expect((await genesys.credentials.update(credential.id, body)).id).toBe(credential.id);

    const stale = await genesys.integrations.getConfig(integration.id);
    expect(stale).toMatchObject({ version: 1, notes: '' });
    const configured = await genesys.integrations.updateConfig(
      integration.id,
      (current) => ({ ...current, credentials: { pureCloudOAuthClient: { id: credential.id } } }),
      { knownCurrent: stale },
    );
    expect(configured.version).toBe(2);
    await expect(genesys.integrations.putConfig(integration.id, stale)).rejects.toMatchObject({
      kind: 'conflict',
      status: 409,
    });
    // A stale knownCurrent is read again after the conflict.
    const renamed = await genesys.integrations.updateConfig(
      integration.id,
      (current) => ({ ...current, notes: 'owned by genesys-onboarding' }),
      { knownCurrent: stale },
    );
    expect(renamed).toMatchObject({ version: 3, notes: 'owned by genesys-onboarding' });
    expect(renamed.credentials?.pureCloudOAuthClient?.id).toBe(credential.id);

    const enabled = await genesys.integrations.patch(integration.id, { intendedState: 'ENABLED' });
    expect(enabled.intendedState).toBe('ENABLED');
    const active = await genesys.integrations.get(integration.id, { expandConfig: true });
    expect(active.reportedState?.code).toBe('ACTIVE');
    expect(active.config?.current?.credentials?.pureCloudOAuthClient?.id).toBe(credential.id);

    // Still held by the integration: refused (400) until the integration is gone.
    await expect(genesys.credentials.delete(credential.id, { releaseTimeoutMs: 0 })).rejects.toMatchObject({
      status: 400,
    });
    expect(await genesys.integrations.deleteAndWait(integration.id)).toBe('deleted');
    expect(await genesys.integrations.find(integration.id)).toBeUndefined();
    expect(await genesys.credentials.delete(credential.id)).toBe('deleted');
    expect(await genesys.credentials.delete(credential.id)).toBe('absent');
    expect(await genesys.integrations.deleteAndWait(integration.id)).toBe('absent');
  });

  it('reports why an integration is in ERROR', async () => {
    fixture.simulator.options.activationDelayMs = 0;
    const genesys = client();
    const integration = await genesys.integrations.create({
      name: 'Broken Data Actions',
      integrationType: { id: 'purecloud-data-actions' },
    });
    const credential = await genesys.credentials.create({
      name: `Integration-${integration.id}`,
      type: { name: 'pureCloudOAuthClient' },
      credentialFields: { clientId: 'no-such-client', clientSecret: 'no-such-secret' },
    });
    await genesys.integrations.updateConfig(integration.id, (current) => ({
      ...current,
      credentials: { pureCloudOAuthClient: { id: credential.id } },
    }));
    await genesys.integrations.patch(integration.id, { intendedState: 'ENABLED' });
    const failed = await genesys.integrations.get(integration.id);
    expect(failed.reportedState?.code).toBe('ERROR');
    expect(messageInfoText(failed.reportedState?.detail)).toBe(
      'The configured OAuth client credentials could not be used to authenticate',
    );
  });

  it('walks integration pages and cursor-paged credentials', async () => {
    const genesys = client();
    for (let i = 0; i < 105; i++) {
      await genesys.integrations.create({
        name: `bulk-${i}`,
        integrationType: { id: 'purecloud-data-actions' },
      });
    }
    await genesys.integrations.create({ name: 'bulk-0', integrationType: { id: 'custom-rest-actions' } });
    const all = (await genesys.integrations.listByType('purecloud-data-actions')).filter((i) =>
      i.name?.startsWith('bulk-'),
    );
    expect(all).toHaveLength(105);
    expect(await genesys.integrations.findByName('purecloud-data-actions', 'bulk-0')).toHaveLength(1);

    const before = (await genesys.credentials.listAll()).length;
    for (let i = 0; i < 205; i++) {
      await genesys.credentials.create({
        name: `cred-${i}`,
        type: { name: 'pureCloudOAuthClient' },
        credentialFields: { clientId: `id-${i}`, clientSecret: `secret-${i}-xxxxxx` },
      });
    }
    fixture.simulator.requestLog.length = 0;
    const credentials = await genesys.credentials.listAll();
    expect(credentials).toHaveLength(before + 205);
    const pages = Math.ceil((before + 205) / 200) + 1;
    expect(fixture.simulator.requestLog.filter((e) => e.path.endsWith('/credentials/listing'))).toHaveLength(
      pages,
    );
  });

  it('reports every call and retry through the event hook', async () => {
    const events: HttpEvent[] = [];
    const genesys = client({ onEvent: (event: HttpEvent) => events.push(event) });
    fixture.simulator.injectFault({ path: '/api/v2/tokens/me', fault: { kind: 'status', status: 503 } });
    await genesys.organization.tokenInfo();
    expect(events.map((e) => `${e.type} ${e.method} ${e.path} ${e.status}`)).toEqual([
      'call POST /oauth/token 200',
      'call GET /api/v2/tokens/me 503',
      'retry GET /api/v2/tokens/me 503',
      'call GET /api/v2/tokens/me 200',
    ]);
  });

  it('answers permission errors with the Genesys code, message and contextId', async () => {
    const limited = fixture.simulator.addOrg({ name: 'Limited', bootstrap: { roles: ['employee'] } });
    const error = await client({ credentials: limited.bootstrap })
      .oauthClients.list()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GenesysApiError);
    expect(error).toMatchObject({
      kind: 'permission',
      status: 403,
      code: 'missing.any.permissions',
      contextId: expect.any(String),
      name: 'Genesys.Permission',
    });
  });

  it('names the bad field of a rejected create', async () => {
    const error = await client()
      .oauthClients.create({ name: 'no-roles', authorizedGrantType: 'CLIENT-CREDENTIALS' })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      kind: 'bad-request',
      details: [{ errorCode: 'invalid.value', fieldName: 'roleDivisions' }],
    });
    expect((error as Error).message).toContain('[details: roleDivisions invalid.value]');
  });
});

describe('GenesysClient against the simulator with its realistic consistency windows', () => {
  let fixture: SimulatorFixture;

  beforeAll(async () => {
    fixture = await startSimulator({ readAfterCreateNotFoundMs: 400, oauthClientListingLagMs: 400 });
  });
  afterAll(() => fixture.simulator.stop());

  it('reads a client just created only with a 404 window, and finds it in the listing only after the lag', async () => {
    clearTokenCache();
    const genesys = fixture.client(LOCAL);
    const role = await genesys.authorization.findRoleByName(SAMPLE_ROLE);
    const home = await genesys.authorization.homeDivision();
    const created = await genesys.oauthClients.create({
      name: 'fresh-client',
      authorizedGrantType: 'CLIENT-CREDENTIALS',
      roleDivisions: [{ roleId: role?.id as string, divisionId: home.id }],
    });
    await expect(genesys.oauthClients.get(created.id)).rejects.toMatchObject({
      kind: 'not-found',
      status: 404,
    });
    expect((await genesys.oauthClients.list()).map((c) => c.id)).not.toContain(created.id);
    const started = Date.now();
    expect((await genesys.oauthClients.get(created.id, { retryNotFoundMs: 5_000 })).id).toBe(created.id);
    expect(Date.now() - started).toBeLessThan(2_000);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect((await genesys.oauthClients.list()).map((c) => c.id)).toContain(created.id);
  });
});
