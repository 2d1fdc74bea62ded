import { configuredIntegration, NO_WAITS, simulatorHarness, sleep } from './harness';

const ACTIVATION_MS = 20;

describe('simulator: integrations, their state and types', () => {
  const harness = simulatorHarness({ ...NO_WAITS, activationDelayMs: ACTIVATION_MS });
  const { simulator, call } = harness;

  afterEach(() => {
    simulator.options.activationError = undefined;
  });

  async function enableAndSettle(integrationId: string) {
    const patched = await call('PATCH', `/api/v2/integrations/${integrationId}`, {
      intendedState: 'ENABLED',
    });
    expect(patched.body.reportedState).toMatchObject({ code: 'ACTIVATING' });
    await sleep(ACTIVATION_MS + 15);
    return (await call('GET', `/api/v2/integrations/${integrationId}`)).body.reportedState as Record<
      string,
      unknown
    >;
  }

  describe('reportedState', () => {
    it('carries detail as a MessageInfo object when a credential does not authenticate', async () => {
      const { integrationId, clientId } = await configuredIntegration(harness, 'bad-secret');
      const client = harness.seeded.org.clients.get(clientId);
      if (client) client.secret = 'changed-behind-its-back';
      expect(await enableAndSettle(integrationId)).toEqual({
        code: 'ERROR',
        effective: 'Error',
        lastUpdated: expect.any(String),
        detail: {
          localizableMessageCode: 'INTEGRATION_ACTIVATION_FAILED',
          message: 'The configured OAuth client credentials could not be used to authenticate',
          messageWithParams: 'The configured OAuth client credentials could not be used to authenticate',
          messageParams: {},
        },
      });
    });

    it('has no detail when ACTIVE', async () => {
      const { integrationId } = await configuredIntegration(harness, 'fine');
      expect(await enableAndSettle(integrationId)).toEqual({
        code: 'ACTIVE',
        effective: 'Active',
        lastUpdated: expect.any(String),
      });
    });

    it('ends an activation in ERROR with the message of the activationError knob', async () => {
      simulator.options.activationError = {
        message: 'Remote endpoint unreachable',
        localizableMessageCode: 'X_CODE',
      };
      const { integrationId } = await configuredIntegration(harness, 'scripted');
      expect(await enableAndSettle(integrationId)).toMatchObject({
        code: 'ERROR',
        detail: {
          localizableMessageCode: 'X_CODE',
          message: 'Remote endpoint unreachable',
          messageWithParams: 'Remote endpoint unreachable',
          messageParams: {},
        },
      });
      simulator.options.activationError = undefined;
      expect(await enableAndSettle(integrationId)).toMatchObject({ code: 'ACTIVE' });
    });

    it('fails only the named integration when the knob names one, as set when the activation starts', async () => {
      simulator.options.activationError = { message: 'Nope', integrationName: 'targeted' };
      const targeted = await configuredIntegration(harness, 'targeted');
      const spared = await configuredIntegration(harness, 'spared');
      for (const { integrationId } of [targeted, spared])
        await call('PATCH', `/api/v2/integrations/${integrationId}`, { intendedState: 'ENABLED' });
      simulator.options.activationError = undefined;
      await sleep(ACTIVATION_MS + 15);
      const state = (id: string) =>
        call('GET', `/api/v2/integrations/${id}`).then(
          (r) => r.body.reportedState as Record<string, unknown>,
        );
      expect(await state(targeted.integrationId)).toMatchObject({
        code: 'ERROR',
        detail: { message: 'Nope' },
      });
      expect(await state(spared.integrationId)).toEqual({
        code: 'ACTIVE',
        effective: 'Active',
        lastUpdated: expect.any(String),
      });
    });
  });

  describe('config versions', () => {
    it('answers a stale version with 409 general.conflict', async () => {
      const created = await call('POST', '/api/v2/integrations', {
        name: 'versioned',
        integrationType: { id: 'purecloud-data-actions' },
      });
      const path = `/api/v2/integrations/${created.body.id}/config/current`;
      const config = (await call('GET', path)).body;
      expect((await call('PUT', path, { ...config, notes: 'first' })).body.version).toBe(2);
      const stale = await call('PUT', path, { ...config, notes: 'second' });
      expect(stale.status).toBe(409);
      expect(stale.body).toEqual({
        message: 'The version number of the modified resource must match the version number in the database',
        code: 'general.conflict',
        status: 409,
        messageWithParams:
          'The version number of the modified resource must match the version number in the database',
        messageParams: {},
        contextId: stale.headers.get('inin-correlation-id'),
        details: [],
        errors: [],
      });
      expect((await call('GET', path)).body.notes).toBe('first');
    });
  });

  describe('types', () => {
    it('lists the integration types as an entity listing', async () => {
      const listing = await call('GET', '/api/v2/integrations/types');
      expect(listing.status).toBe(200);
      expect(listing.body).toMatchObject({ pageSize: 25, pageNumber: 1, total: 4, pageCount: 1 });
      expect((listing.body.entities as Array<{ id: string }>).map((t) => t.id)).toEqual([
        'purecloud-data-actions',
        'custom-rest-actions',
        'function-data-actions',
        'embedded-client-app',
      ]);
    });

    it('reads one type, with the credential it takes', async () => {
      const type = await call('GET', '/api/v2/integrations/types/purecloud-data-actions');
      expect(type.body).toEqual({
        id: 'purecloud-data-actions',
        name: 'Genesys Cloud Data Actions',
        description: 'Data actions that call the Genesys Cloud Platform API',
        provider: 'genesys',
        category: 'Data Actions',
        credentials: {
          pureCloudOAuthClient: {
            required: true,
            title: 'OAuth Client',
            credentialTypes: ['pureCloudOAuthClient'],
          },
        },
        nonInstallable: false,
        selfUri: '/api/v2/integrations/types/purecloud-data-actions',
      });
    });

    it('answers 404 for an unknown type, 403 without the view permission', async () => {
      const unknown = await call('GET', '/api/v2/integrations/types/nope');
      expect(unknown.status).toBe(404);
      expect(unknown.body.message).toBe('Integration type not found');
      const limited = simulator.addOrg({ name: 'Employees', bootstrap: { roles: ['employee'] } });
      const token = (await harness.tokenFor(limited.bootstrap.clientId, limited.bootstrap.clientSecret)).body
        .access_token as string;
      expect((await call('GET', '/api/v2/integrations/types', undefined, token)).status).toBe(403);
    });
  });

  describe('bodies the SDK types allow', () => {
    it('takes a PATCH whose body is the integration read back, applying only intendedState', async () => {
      const { integrationId } = await configuredIntegration(harness, 'read-back');
      const read = (await call('GET', `/api/v2/integrations/${integrationId}?expand=config.current`)).body;
      const patched = await call('PATCH', `/api/v2/integrations/${integrationId}`, {
        ...read,
        name: 'renamed in the body',
        notes: 'ignored',
        intendedState: 'ENABLED',
      });
      expect(patched.status).toBe(200);
      expect(patched.body).toMatchObject({ name: 'read-back', notes: '', intendedState: 'ENABLED' });
    });

    it('still refuses unknown PATCH fields and a PATCH without intendedState, naming the field', async () => {
      const { integrationId } = await configuredIntegration(harness, 'strict-patch');
      const unknown = await call('PATCH', `/api/v2/integrations/${integrationId}`, {
        intendedState: 'DISABLED',
        state: 'x',
      });
      expect(unknown.status).toBe(400);
      expect(unknown.body.details).toEqual([{ errorCode: 'invalid.value', fieldName: 'state' }]);
      const missing = await call('PATCH', `/api/v2/integrations/${integrationId}`, { intendedState: null });
      expect(missing.status).toBe(400);
      expect(missing.body.details).toEqual([{ errorCode: 'invalid.value', fieldName: 'intendedState' }]);
    });

    it('creates an integration without a name (as TF does), named after its type', async () => {
      const created = await call('POST', '/api/v2/integrations', {
        integrationType: { id: 'purecloud-data-actions' },
      });
      expect(created.status).toBe(200);
      expect(created.body.name).toBe('Genesys Cloud Data Actions');
    });

    it('takes an integration type read back in a create, refuses unknown fields inside it', async () => {
      const type = (await call('GET', '/api/v2/integrations/types/embedded-client-app')).body;
      const created = await call('POST', '/api/v2/integrations', { name: 'app', integrationType: type });
      expect(created.status).toBe(200);
      expect((created.body.integrationType as { id: string }).id).toBe('embedded-client-app');
      const refused = await call('POST', '/api/v2/integrations', {
        name: 'app',
        integrationType: { id: 'embedded-client-app', kind: 'x' },
      });
      expect(refused.status).toBe(400);
      expect(refused.body.details).toEqual([
        { errorCode: 'invalid.value', fieldName: 'integrationType.kind' },
      ]);
    });
  });
});
