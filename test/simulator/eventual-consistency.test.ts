import { GenesysSimulator, KNOB_DEFAULTS, sampleOrgSeed } from '../../simulator';
import { simulatorHarness, sleep } from './harness';

// Windows long enough that the reads made inside them still are on a loaded machine.
const LISTING_LAG_MS = 1_600;
const NOT_FOUND_MS = 800;

describe('simulator: eventual consistency after a create', () => {
  const harness = simulatorHarness({
    activationDelayMs: 20,
    oauthClientListingLagMs: LISTING_LAG_MS,
    readAfterCreateNotFoundMs: NOT_FOUND_MS,
  });
  const { simulator, call, clientBody } = harness;

  afterEach(() => {
    simulator.options.readAfterCreateNotFoundMs = NOT_FOUND_MS;
  });

  const listedNames = async () =>
    ((await call('GET', '/api/v2/oauth/clients')).body.entities as Array<{ name: string }>).map(
      (c) => c.name,
    );

  it('hides a new client from reads by id for the 404 window, and from the listing for the listing lag', async () => {
    const created = await call('POST', '/api/v2/oauth/clients', clientBody({ name: 'lagging' }));
    const started = Date.now();
    const id = created.body.id as string;
    expect(created.status).toBe(200);

    const notYet = await call('GET', `/api/v2/oauth/clients/${id}`);
    expect(notYet.status).toBe(404);
    expect(notYet.body).toMatchObject({ code: 'not.found', message: 'OAuth client not found' });
    expect((await call('PUT', `/api/v2/oauth/clients/${id}`, clientBody({ name: 'lagging' }))).status).toBe(
      404,
    );
    expect((await call('POST', `/api/v2/oauth/clients/${id}/secret`)).status).toBe(404);
    expect((await call('DELETE', `/api/v2/oauth/clients/${id}`)).status).toBe(404);
    expect(await listedNames()).not.toContain('lagging');
    expect(Date.now() - started).toBeLessThan(NOT_FOUND_MS);

    await sleep(NOT_FOUND_MS + 20 - (Date.now() - started));
    expect((await call('GET', `/api/v2/oauth/clients/${id}`)).status).toBe(200);
    expect(await listedNames()).not.toContain('lagging');
    expect(Date.now() - started).toBeLessThan(LISTING_LAG_MS);

    await sleep(LISTING_LAG_MS + 20 - (Date.now() - started));
    expect(await listedNames()).toContain('lagging');
  });

  it('answers 404 for a new integration and its config, then serves them', async () => {
    const created = await call('POST', '/api/v2/integrations', {
      name: 'lagging-integration',
      integrationType: { id: 'purecloud-data-actions' },
    });
    const started = Date.now();
    const id = created.body.id as string;
    expect(created.status).toBe(200);
    const config = {
      name: 'lagging-integration',
      version: 1,
      properties: {},
      advanced: {},
      notes: '',
      credentials: {},
    };
    const early = [
      await call('GET', `/api/v2/integrations/${id}`),
      await call('PATCH', `/api/v2/integrations/${id}`, { intendedState: 'DISABLED' }),
      await call('GET', `/api/v2/integrations/${id}/config/current`),
      await call('PUT', `/api/v2/integrations/${id}/config/current`, config),
      await call('DELETE', `/api/v2/integrations/${id}`),
    ];
    expect(Date.now() - started).toBeLessThan(NOT_FOUND_MS);
    expect(early.map((reply) => reply.status)).toEqual([404, 404, 404, 404, 404]);
    expect(early[0]?.body.message).toBe('Integration not found');

    await sleep(NOT_FOUND_MS + 20 - (Date.now() - started));
    expect((await call('GET', `/api/v2/integrations/${id}`)).status).toBe(200);
    expect((await call('GET', `/api/v2/integrations/${id}/config/current`)).body.version).toBe(1);
    expect((await call('PUT', `/api/v2/integrations/${id}/config/current`, config)).body.version).toBe(2);
    expect((await call('PATCH', `/api/v2/integrations/${id}`, { intendedState: 'DISABLED' })).status).toBe(
      200,
    );
    expect((await call('DELETE', `/api/v2/integrations/${id}`)).status).toBe(200);
  });

  it('lists a new integration only after integrationListingLagMs, when set (off by default)', async () => {
    expect(KNOB_DEFAULTS.integrationListingLagMs).toBe(0);
    const listed = async () =>
      ((await call('GET', '/api/v2/integrations')).body.entities as Array<{ id: string }>).map((i) => i.id);
    const now = await call('POST', '/api/v2/integrations', {
      name: 'listed-at-once',
      integrationType: { id: 'purecloud-data-actions' },
    });
    expect(await listed()).toContain(now.body.id);
    simulator.options.integrationListingLagMs = LISTING_LAG_MS;
    try {
      const created = await call('POST', '/api/v2/integrations', {
        name: 'lagging-listing',
        integrationType: { id: 'purecloud-data-actions' },
      });
      const started = Date.now();
      expect(await listed()).not.toContain(created.body.id);
      expect(Date.now() - started).toBeLessThan(LISTING_LAG_MS);
      await sleep(LISTING_LAG_MS + 20 - (Date.now() - started));
      expect(await listed()).toContain(created.body.id);
    } finally {
      simulator.options.integrationListingLagMs = 0;
    }
  });

  it('answers 404 for a new credential, then serves it', async () => {
    const body = {
      name: 'lagging-credential',
      type: { name: 'pureCloudOAuthClient' },
      credentialFields: { clientId: 'a', clientSecret: 'b' },
    };
    const created = await call('POST', '/api/v2/integrations/credentials', body);
    const started = Date.now();
    const id = created.body.id as string;
    const early = [
      await call('GET', `/api/v2/integrations/credentials/${id}`),
      await call('PUT', `/api/v2/integrations/credentials/${id}`, body),
      await call('DELETE', `/api/v2/integrations/credentials/${id}`),
    ];
    expect(Date.now() - started).toBeLessThan(NOT_FOUND_MS);
    expect(early.map((reply) => reply.status)).toEqual([404, 404, 404]);
    expect(early[0]?.body.message).toBe('Credential not found');

    await sleep(NOT_FOUND_MS + 20 - (Date.now() - started));
    expect((await call('GET', `/api/v2/integrations/credentials/${id}`)).status).toBe(200);
    expect((await call('DELETE', `/api/v2/integrations/credentials/${id}`)).status).toBe(204);
  });

  it('reads the window when the resource is created, so the knob changes at run time', async () => {
    simulator.options.readAfterCreateNotFoundMs = 0;
    const created = await call('POST', '/api/v2/oauth/clients', clientBody({ name: 'no-window' }));
    expect((await call('GET', `/api/v2/oauth/clients/${created.body.id}`)).status).toBe(200);
  });

  it('serves seeded resources at once', async () => {
    const { bootstrap } = harness.seeded;
    expect((await call('GET', `/api/v2/oauth/clients/${bootstrap.clientId}`)).status).toBe(200);
    expect(await listedNames()).toContain('onboarding-bootstrap');
  });

  it('defaults: listed after 2000 ms, readable by id after 1000 ms', async () => {
    expect(KNOB_DEFAULTS.oauthClientListingLagMs).toBe(2_000);
    expect(KNOB_DEFAULTS.readAfterCreateNotFoundMs).toBe(1_000);
    const defaults = new GenesysSimulator();
    const { org, bootstrap } = defaults.addOrg(sampleOrgSeed());
    const url = await defaults.start();
    try {
      const basic = Buffer.from(`${bootstrap.clientId}:${bootstrap.clientSecret}`).toString('base64');
      const token = (await (
        await fetch(`${url}/oauth/token`, {
          method: 'POST',
          headers: { Authorization: `Basic ${basic}`, 'Content-Type': 'application/x-www-form-urlencoded' },
          body: 'grant_type=client_credentials',
        })
      ).json()) as { access_token: string };
      const before = Date.now();
      const response = await fetch(`${url}/api/v2/oauth/clients`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token.access_token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({
          name: 'default-windows',
          authorizedGrantType: 'CLIENT-CREDENTIALS',
          roleDivisions: [{ roleId: org.roles.find((r) => r.name === 'admin')?.id, divisionId: '*' }],
        }),
      });
      const after = Date.now();
      const client = org.clients.get(((await response.json()) as { id: string }).id);
      expect(client?.readableAt).toBeGreaterThanOrEqual(before + 1_000);
      expect(client?.readableAt).toBeLessThanOrEqual(after + 1_000);
      expect(client?.listedAt).toBeGreaterThanOrEqual(before + 2_000);
      expect(client?.listedAt).toBeLessThanOrEqual(after + 2_000);
    } finally {
      await defaults.stop();
    }
  });
});
