import { NO_WAITS, simulatorHarness } from './harness';

/** What the official SDK's own types allow is accepted; what they do not is a 400 naming the field. */
describe('simulator: OAuth client and credential bodies', () => {
  const harness = simulatorHarness(NO_WAITS);
  const { call, clientBody } = harness;

  describe('OAuth clients', () => {
    it('takes a PUT whose body is the GET result, ignoring the read-only fields', async () => {
      const created = await call(
        'POST',
        '/api/v2/oauth/clients',
        clientBody({ name: 'read-back', description: 'one' }),
      );
      const id = created.body.id as string;
      const read = (await call('GET', `/api/v2/oauth/clients/${id}`)).body;
      const put = await call('PUT', `/api/v2/oauth/clients/${id}`, {
        ...read,
        id: 'some-other-id',
        dateCreated: '2000-01-01T00:00:00.000Z',
        createdBy: { id: 'someone-else' },
        roleIds: ['not-a-role'],
        selfUri: '/elsewhere',
        description: 'two',
      });
      expect(put.status).toBe(200);
      expect(put.body).toMatchObject({
        id,
        description: 'two',
        dateCreated: read.dateCreated,
        createdBy: read.createdBy,
        modifiedBy: { id: harness.seeded.bootstrap.clientId },
        roleIds: [harness.roleId('Data Actions Runtime')],
        selfUri: `/api/v2/oauth/clients/${id}`,
      });
      expect(put.body).not.toHaveProperty('secret');
    });

    it('takes null in an optional field as absent', async () => {
      const created = await call(
        'POST',
        '/api/v2/oauth/clients',
        clientBody({ name: 'nulls', description: null, scope: null }),
      );
      expect(created.status).toBe(200);
      expect(created.body).not.toHaveProperty('description');
      expect(created.body.scope).toEqual([]);
    });

    it('reports null in a required field as that field missing', async () => {
      const refused = await call('POST', '/api/v2/oauth/clients', clientBody({ name: null }));
      expect(refused.status).toBe(400);
      expect(refused.body.details).toEqual([{ errorCode: 'invalid.value', fieldName: 'name' }]);
    });

    it('keeps refusing unknown fields and the CLIENT_CREDENTIALS spelling, naming the field', async () => {
      const unknown = await call('POST', '/api/v2/oauth/clients', clientBody({ roleDivisionIds: [] }));
      expect(unknown.status).toBe(400);
      expect(unknown.body.message).toBe('Unrecognized field "roleDivisionIds"');
      expect(unknown.body.details).toEqual([{ errorCode: 'invalid.value', fieldName: 'roleDivisionIds' }]);
      const spelling = await call(
        'POST',
        '/api/v2/oauth/clients',
        clientBody({ authorizedGrantType: 'CLIENT_CREDENTIALS' }),
      );
      expect(spelling.status).toBe(400);
      expect(spelling.body.details).toEqual([
        { errorCode: 'invalid.value', fieldName: 'authorizedGrantType' },
      ]);
    });
  });

  describe('credentials', () => {
    const credential = (overrides: Record<string, unknown> = {}) => ({
      type: { name: 'pureCloudOAuthClient' },
      credentialFields: { clientId: 'id', clientSecret: 'secret' },
      ...overrides,
    });

    it('creates one without a name; reads and lists it without one', async () => {
      const created = await call('POST', '/api/v2/integrations/credentials', credential());
      expect(created.status).toBe(200);
      expect(created.body).not.toHaveProperty('name');
      const id = created.body.id as string;
      expect((await call('GET', `/api/v2/integrations/credentials/${id}`)).body).toEqual({
        id,
        type: { name: 'pureCloudOAuthClient' },
        credentialFields: { clientId: '********', clientSecret: '********' },
        selfUri: `/api/v2/integrations/credentials/${id}`,
      });
      const listing = (await call('GET', '/api/v2/integrations/credentials/listing?pageSize=200')).body
        .entities as Array<Record<string, unknown>>;
      expect(listing.find((c) => c.id === id)).not.toHaveProperty('name');
    });

    it('takes name: null as no name, and a type read back with its other fields', async () => {
      const created = await call(
        'POST',
        '/api/v2/integrations/credentials',
        credential({
          name: null,
          type: { name: 'pureCloudOAuthClient', displayOrder: ['clientId', 'clientSecret'] },
        }),
      );
      expect(created.status).toBe(200);
      expect(created.body).not.toHaveProperty('name');
    });

    it('refuses an unknown field inside type, naming it', async () => {
      const refused = await call(
        'POST',
        '/api/v2/integrations/credentials',
        credential({ type: { name: 'pureCloudOAuthClient', flavour: 'x' } }),
      );
      expect(refused.status).toBe(400);
      expect(refused.body.details).toEqual([{ errorCode: 'invalid.value', fieldName: 'type.flavour' }]);
    });
  });
});
