import platformClient from 'purecloud-platform-client-v2';
import { GenesysSimulator, SAMPLE_ROLE, sampleOrgSeed } from '../../simulator';
import { sleep } from './harness';

type ErrorBody = { status: number; code: string; details: Array<{ fieldName?: string }> };

/**
 * The official JavaScript SDK (purecloud-platform-client-v2) drives the simulator through the whole onboarding
 * sequence and its error paths: what the SDK's types and serialisation produce, the simulator must take, and
 * its answers must be what the SDK's models describe.
 */
describe('simulator conformance with the official JavaScript SDK', () => {
  const simulator = new GenesysSimulator({
    activationDelayMs: 20,
    oauthClientListingLagMs: 0,
    readAfterCreateNotFoundMs: 0,
    deletedClientLingerMs: 60_000,
  });
  const { org, bootstrap } = simulator.addOrg(sampleOrgSeed());
  const client = platformClient.ApiClient;
  const oauth = new platformClient.OAuthApi();
  const integrations = new platformClient.IntegrationsApi();
  const authorization = new platformClient.AuthorizationApi();
  const tokens = new platformClient.TokensApi();

  beforeAll(async () => {
    const url = new URL(await simulator.start());
    client.setEnvironment('mypurecloud.ie');
    client.setGateway({ host: url.hostname, protocol: 'http', port: Number(url.port) });
    await client.loginClientCredentialsGrant(bootstrap.clientId, bootstrap.clientSecret);
  });
  afterAll(() => simulator.stop());

  /** The bootstrap's role and the Home division, as the SDK resolves them. */
  async function roleAndHome(): Promise<platformClient.Models.RoleDivision> {
    const roles = await authorization.getAuthorizationRoles({
      name: SAMPLE_ROLE,
      userCount: false,
      pageSize: 100,
    });
    const role = roles.entities?.find((r) => r.name === SAMPLE_ROLE);
    const home = await authorization.getAuthorizationDivisionsHome();
    return { roleId: role?.id as string, divisionId: home.id as string };
  }

  it('logs in, introspects the token, resolves roles and the home division', async () => {
    const me = await tokens.getTokensMe();
    expect(me.OAuthClient?.id).toBe(bootstrap.clientId);
    expect(me.organization?.id).toBe(org.id);
    const roles = await authorization.getAuthorizationRoles({
      name: SAMPLE_ROLE,
      userCount: false,
      pageSize: 100,
    });
    expect(roles.entities?.map((r) => r.name)).toContain(SAMPLE_ROLE);
    const home = await authorization.getAuthorizationDivisionsHome();
    expect(home).toMatchObject({ name: 'Home', homeDivision: true });
  });

  it('lists, creates, reads, updates with the read-back body, regenerates the secret of and deletes a client', async () => {
    const listed = await oauth.getOauthClients();
    expect(listed.entities?.map((c) => c.id)).toContain(bootstrap.clientId);
    expect(listed.pageCount).toBe(1);

    const created = await oauth.postOauthClients({
      name: 'sdk-client',
      description: 'made by the SDK',
      authorizedGrantType: 'CLIENT-CREDENTIALS',
      roleDivisions: [await roleAndHome()],
    });
    expect(created.secret).toEqual(expect.any(String));
    const id = created.id as string;
    const read = await oauth.getOauthClient(id);
    expect(read).toMatchObject({ id, name: 'sdk-client', state: 'active' });
    expect(read.secret).toBeUndefined();

    const updated = await oauth.putOauthClient(id, { ...read, description: 'changed by the SDK' });
    expect(updated).toMatchObject({ id, description: 'changed by the SDK' });
    const regenerated = await oauth.postOauthClientSecret(id);
    expect(regenerated.secret).toEqual(expect.any(String));
    expect(regenerated.secret).not.toBe(created.secret);

    await oauth.putOauthClient(id, { ...(await oauth.getOauthClient(id)), state: 'inactive' });
    await oauth.deleteOauthClient(id);
    expect((await oauth.getOauthClient(id)).state).toBe('deleted');
  });

  it('installs, configures, enables and removes an integration with its credential', async () => {
    const types = await integrations.getIntegrationsTypes();
    expect(types.entities?.map((t) => t.id)).toContain('purecloud-data-actions');
    const type = await integrations.getIntegrationsType('purecloud-data-actions');
    expect(type.credentials?.pureCloudOAuthClient?.credentialTypes).toEqual(['pureCloudOAuthClient']);

    const created = await integrations.postIntegrations({
      body: { name: 'SDK Data Actions', integrationType: { id: 'purecloud-data-actions' } },
    });
    const integrationId = created.id as string;
    const listed = await integrations.getIntegrations({
      integrationType: 'purecloud-data-actions',
      expand: ['config.current'],
      pageSize: 100,
    });
    expect(listed.entities?.find((i) => i.id === integrationId)?.config?.current?.version).toBe(1);
    expect((await integrations.getIntegration(integrationId)).intendedState).toBe('DISABLED');

    const dataActionsClient = await oauth.postOauthClients({
      name: 'sdk-data-actions',
      authorizedGrantType: 'CLIENT-CREDENTIALS',
      roleDivisions: [await roleAndHome()],
    });
    const fields = {
      clientId: dataActionsClient.id as string,
      clientSecret: dataActionsClient.secret as string,
    };
    const credential = await integrations.postIntegrationsCredentials({
      body: {
        name: `Integration-${integrationId}`,
        type: { name: 'pureCloudOAuthClient' },
        credentialFields: fields,
      },
    });
    const unnamed = await integrations.postIntegrationsCredentials({
      body: { type: { name: 'pureCloudOAuthClient' }, credentialFields: fields },
    });
    expect(unnamed.name).toBeUndefined();
    const credentialId = credential.id as string;
    const redacted = await integrations.getIntegrationsCredential(credentialId);
    expect(redacted.credentialFields).toEqual({ clientId: '********', clientSecret: '********' });
    const renamed = await integrations.putIntegrationsCredential(credentialId, {
      body: {
        name: `Integration-${integrationId}`,
        type: { name: 'pureCloudOAuthClient' },
        credentialFields: fields,
      },
    });
    expect(renamed.id).toBe(credentialId);
    const credentialListing = await integrations.getIntegrationsCredentialsListing({ pageSize: '200' });
    expect(credentialListing.entities?.map((c) => c.id)).toEqual(
      expect.arrayContaining([credentialId, unnamed.id]),
    );

    const config = await integrations.getIntegrationConfigCurrent(integrationId);
    const configured = await integrations.putIntegrationConfigCurrent(integrationId, {
      body: {
        ...config,
        notes: 'Onboarded by the SDK',
        credentials: { pureCloudOAuthClient: { id: credentialId } },
      },
    });
    expect(configured.version).toBe(2);

    const readBack = await integrations.getIntegration(integrationId, { expand: ['config.current'] });
    const enabled = await integrations.patchIntegration(integrationId, {
      body: { ...readBack, intendedState: 'ENABLED' },
    });
    expect(enabled.reportedState?.code).toBe('ACTIVATING');
    await sleep(40);
    expect((await integrations.getIntegration(integrationId)).reportedState?.code).toBe('ACTIVE');

    const action = await integrations.postIntegrationsActions({
      name: 'SDK action',
      category: 'SDK',
      integrationId,
      config: { request: { requestUrlTemplate: '/api/v2/users', requestType: 'GET' } },
      contract: { input: { inputSchema: { type: 'object' } }, output: { successSchema: { type: 'object' } } },
    });
    expect(
      (await integrations.getIntegrationsActions({ category: 'SDK' })).entities?.map((a) => a.id),
    ).toEqual([action.id]);
    expect(
      (await integrations.getIntegrationsAction(action.id as string, { includeConfig: true })).config,
    ).toEqual({
      request: { requestUrlTemplate: '/api/v2/users', requestType: 'GET' },
    });

    const deleted = await integrations.deleteIntegration(integrationId);
    expect(deleted.id).toBe(integrationId);
    await expect(integrations.getIntegrationsAction(action.id as string)).rejects.toMatchObject({
      status: 404,
    });
    await integrations.deleteIntegrationsCredential(credentialId);
    await expect(integrations.deleteIntegrationsAction(action.id as string)).rejects.toMatchObject({
      status: 404,
    });
  });

  it('rejects with the ErrorBody: 404 not.found, 409 general.conflict, 400 naming the field', async () => {
    await expect(oauth.getOauthClient('no-such-client')).rejects.toMatchObject({
      status: 404,
      code: 'not.found',
    });

    const created = await integrations.postIntegrations({
      body: { name: 'SDK conflict', integrationType: { id: 'purecloud-data-actions' } },
    });
    const config = await integrations.getIntegrationConfigCurrent(created.id as string);
    await integrations.putIntegrationConfigCurrent(created.id as string, {
      body: { ...config, notes: 'first' },
    });
    await expect(
      integrations.putIntegrationConfigCurrent(created.id as string, { body: { ...config, notes: 'stale' } }),
    ).rejects.toMatchObject({ status: 409, code: 'general.conflict' });

    const refused = await oauth
      .postOauthClients({
        name: 'bad-grant',
        authorizedGrantType: 'CLIENT_CREDENTIALS',
        roleDivisions: [await roleAndHome()],
      })
      .then(
        () => undefined,
        (error: ErrorBody) => error,
      );
    expect(refused).toMatchObject({ status: 400, code: 'bad.request' });
    expect(refused?.details.map((d) => d.fieldName)).toEqual(['authorizedGrantType']);
  });
});
