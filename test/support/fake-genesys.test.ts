import { EndpointPolicyError, UnknownRegionError } from '../../lambdas/genesys/regions';
import { apiError, FakeGenesys } from './fake-genesys';

const ORG = 'org-1';
const fake = () => new FakeGenesys({ orgId: ORG, now: () => Date.parse('2026-03-02T10:00:00.000Z') });
const asBootstrap = (genesys: FakeGenesys) =>
  genesys.factory({
    region: 'eu-west-1',
    credentials: { clientId: genesys.bootstrap.id, clientSecret: genesys.bootstrap.secret },
  });

describe('FakeGenesys', () => {
  it('applies the endpoint policy of the real client and records sessions without secrets', () => {
    const genesys = fake();
    const credentials = { clientId: 'x', clientSecret: 'y' };
    expect(() => genesys.factory({ region: 'mars-1', credentials })).toThrow(UnknownRegionError);
    expect(() =>
      genesys.factory({ region: 'eu-west-1', apiUrl: 'https://evil.example', credentials }),
    ).toThrow(EndpointPolicyError);
    genesys.factory({ region: 'eu-west-1', credentials });
    expect(genesys.sessions).toEqual([{ region: 'eu-west-1', clientId: 'x' }]);
  });

  it('answers only an active client with its current secret, usable by now', async () => {
    const genesys = fake();
    const client = genesys.addClient({ name: 'c', secret: 'right' });
    const session = (secret: string) =>
      genesys.factory({ region: 'eu-west-1', credentials: { clientId: client.id, clientSecret: secret } });
    await expect(session('right').tokens.getToken()).resolves.toBe(`token-of-${client.id}`);
    await expect(session('wrong').tokens.getToken()).rejects.toMatchObject({
      kind: 'authentication',
      code: 'invalid_client',
    });
    await expect(session('wrong').oauthClients.list()).rejects.toMatchObject({ kind: 'authentication' });
    genesys.notYetUsable.add(client.id);
    await expect(session('right').tokens.getToken()).rejects.toMatchObject({ kind: 'authentication' });
    genesys.notYetUsable.clear();
    client.state = 'inactive';
    await expect(session('right').tokens.getToken()).rejects.toMatchObject({ kind: 'authentication' });
    await expect(session('right').tokens.verifyCredentials()).rejects.toMatchObject({
      kind: 'authentication',
    });
    client.state = 'active';
    await expect(session('right').tokens.verifyCredentials()).resolves.toBeUndefined();
  });

  it('tells the caller its org and roles in tokens/me, without roles when so configured', async () => {
    const genesys = fake();
    const role = genesys.addRole('R', ['d-1']);
    const info = await asBootstrap(genesys).organization.tokenInfo();
    expect(info.organization?.id).toBe(ORG);
    expect(info.OAuthClient).toMatchObject({
      id: genesys.bootstrap.id,
      roleDivisions: [{ roleId: role.id, divisionId: 'd-1' }],
    });
    genesys.tokensMeHasRoleDivisions = false;
    expect((await asBootstrap(genesys).organization.tokenInfo()).OAuthClient).not.toHaveProperty(
      'roleDivisions',
    );
  });

  it('never returns a client secret but from create and regenerateSecret', async () => {
    const genesys = fake();
    const api = asBootstrap(genesys);
    const created = await api.oauthClients.create({ name: 'n', authorizedGrantType: 'CLIENT-CREDENTIALS' });
    expect(created.secret).toEqual(expect.any(String));
    expect(await api.oauthClients.get(created.id)).not.toHaveProperty('secret');
    expect((await api.oauthClients.list()).every((c) => !('secret' in c))).toBe(true);
    const regenerated = await api.oauthClients.regenerateSecret(created.id);
    expect(regenerated.secret).not.toBe(created.secret);
  });

  it('hides listed clients that lag, but reads them by id', async () => {
    const genesys = fake();
    const client = genesys.addClient({ name: 'new' });
    genesys.hiddenFromListing.add(client.id);
    const api = asBootstrap(genesys);
    expect((await api.oauthClients.list()).map((c) => c.id)).toEqual([genesys.bootstrap.id]);
    expect(await api.oauthClients.find(client.id)).toMatchObject({ id: client.id });
    expect(await api.oauthClients.find('missing')).toBeUndefined();
    await expect(api.oauthClients.get('missing')).rejects.toMatchObject({ kind: 'not-found', status: 404 });
  });

  it('deletes a client only once it is inactive; deactivateAndDelete does both', async () => {
    const genesys = fake();
    const api = asBootstrap(genesys);
    const client = genesys.addClient({ name: 'c' });
    await expect(api.oauthClients.delete(client.id)).rejects.toMatchObject({ kind: 'bad-request' });
    expect(await api.oauthClients.deactivateAndDelete(client.id)).toBe('deleted');
    // Refused calls are recorded too.
    expect(genesys.writes()).toEqual([
      `oauthClients.delete ${client.id}`,
      `oauthClients.update ${client.id}`,
      `oauthClients.delete ${client.id}`,
    ]);
    expect(await api.oauthClients.deactivateAndDelete(client.id)).toBe('absent');
    const deleted = genesys.addClient({ name: 'd', state: 'deleted' });
    expect(await api.oauthClients.deactivateAndDelete(deleted.id)).toBe('absent');
    const inactive = genesys.addClient({ name: 'i', state: 'inactive' });
    expect(await api.oauthClients.deactivateAndDelete(inactive.id)).toBe('deleted');
    expect(genesys.callsOf('oauthClients.update')).toHaveLength(1);
  });

  it('installs integrations DISABLED with config version 1 and filters them by type and name', async () => {
    const genesys = fake();
    const api = asBootstrap(genesys);
    const created = await api.integrations.create({
      name: 'I',
      integrationType: { id: 'purecloud-data-actions' },
    });
    expect(created).toMatchObject({ name: 'I', intendedState: 'DISABLED' });
    expect(created).not.toHaveProperty('config');
    expect(await api.integrations.getConfig(created.id)).toMatchObject({ name: 'I', version: 1, notes: '' });
    genesys.addIntegration({ name: 'I', integrationType: { id: 'custom-rest-actions' } });
    expect((await api.integrations.findByName('purecloud-data-actions', 'I')).map((i) => i.id)).toEqual([
      created.id,
    ]);
    expect(await api.integrations.get(created.id)).not.toHaveProperty('config');
    expect(await api.integrations.get(created.id, { expandConfig: true })).toHaveProperty(
      'config.current.version',
      1,
    );
  });

  it('puts a config only with the current version, then increments it; updateConfig retries a conflict', async () => {
    const genesys = fake();
    const api = asBootstrap(genesys);
    const integration = genesys.addIntegration({ name: 'I' });
    await expect(
      api.integrations.putConfig(integration.id, { ...integration.config.current, version: 7 }),
    ).rejects.toMatchObject({
      kind: 'conflict',
    });
    let first = true;
    genesys.intercept('integrations.getConfig', () => {
      if (!first) return undefined;
      first = false;
      integration.config.current.version = 2;
      return { ...integration.config.current, version: 1 };
    });
    const saved = await api.integrations.updateConfig(integration.id, (current) => ({
      ...current,
      notes: 'n',
    }));
    expect(saved).toMatchObject({ version: 3, notes: 'n' });
    // The refused PUT at version 7, the conflict at version 1, the PUT at version 2.
    expect(
      genesys.callsOf('integrations.putConfig').map((c) => (c.args[1] as { version: number }).version),
    ).toEqual([7, 1, 2]);
    expect(await api.integrations.updateConfig(integration.id, () => undefined)).toMatchObject({
      version: 3,
    });
    expect(genesys.callsOf('integrations.putConfig')).toHaveLength(3);
  });

  it('sets the reported state on enable, and removes integrations (absent when gone)', async () => {
    const genesys = fake();
    const api = asBootstrap(genesys);
    const integration = genesys.addIntegration({ name: 'I' });
    expect(await api.integrations.patch(integration.id, { intendedState: 'ENABLED' })).toMatchObject({
      intendedState: 'ENABLED',
      reportedState: { code: 'ACTIVATING' },
    });
    expect(await api.integrations.deleteAndWait(integration.id)).toBe('deleted');
    expect(await api.integrations.deleteAndWait(integration.id)).toBe('absent');
    expect(await api.integrations.find(integration.id)).toBeUndefined();
  });

  it('keeps credential fields to itself and refuses to delete a credential in use', async () => {
    const genesys = fake();
    const api = asBootstrap(genesys);
    const info = await api.credentials.create({
      name: 'Integration-i',
      type: { name: 'pureCloudOAuthClient' },
      credentialFields: { clientId: 'c', clientSecret: 's3cret' },
    });
    expect(info).not.toHaveProperty('fields');
    expect(genesys.credentials.get(info.id)?.fields).toEqual({ clientId: 'c', clientSecret: 's3cret' });
    expect((await api.credentials.findByName('Integration-i')).map((c) => c.id)).toEqual([info.id]);
    expect(await api.credentials.find(info.id)).toEqual(info);
    genesys.addIntegration({ name: 'I', config: { credentials: { pureCloudOAuthClient: { id: info.id } } } });
    await expect(api.credentials.delete(info.id)).rejects.toMatchObject({ kind: 'conflict' });
    genesys.integrations.clear();
    expect(await api.credentials.delete(info.id)).toBe('deleted');
    expect(await api.credentials.delete(info.id)).toBe('absent');
    expect(await api.credentials.find(info.id)).toBeUndefined();
    await expect(
      api.credentials.update(info.id, {
        name: 'x',
        type: { name: 'pureCloudOAuthClient' },
        credentialFields: { clientId: 'c', clientSecret: 's' },
      }),
    ).rejects.toMatchObject({ kind: 'not-found' });
  });

  it('lets a test make an operation fail a number of times, or answer otherwise', async () => {
    const genesys = fake();
    const api = asBootstrap(genesys);
    const failure = apiError('transient', 'GET', '/api/v2/authorization/divisions');
    genesys.failOn('authorization.listDivisions', failure, 1);
    await expect(api.authorization.listDivisions()).rejects.toBe(failure);
    expect(await api.authorization.listDivisions()).toHaveLength(1);
    genesys.intercept('authorization.homeDivision', () => ({ id: 'elsewhere', description: '' }));
    expect(await api.authorization.homeDivision()).toEqual({ id: 'elsewhere', description: '' });
    const plain = fake();
    plain.homeDivisionId = 'none';
    await expect(asBootstrap(plain).authorization.homeDivision()).rejects.toMatchObject({
      kind: 'not-found',
    });
  });

  it('resolves role names exactly', async () => {
    const genesys = fake();
    const role = genesys.addRole('Role');
    expect(await asBootstrap(genesys).authorization.resolveRoles(['Role', 'role', 'Rol'])).toEqual({
      found: [role],
      missing: ['role', 'Rol'],
    });
  });
});
