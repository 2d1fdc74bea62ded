import { NO_WAITS, simulatorHarness } from './harness';

const BASE = '/api/v2/integrations/actions';

describe('simulator: data actions', () => {
  const harness = simulatorHarness(NO_WAITS);
  const { call } = harness;

  const config = {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a Velocity template of the action, not a JS one
    request: { requestUrlTemplate: '/api/v2/users/${input.userId}', requestType: 'GET', headers: {} },
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a Velocity template of the action, not a JS one
    response: { translationMap: { name: '$.name' }, successTemplate: '{"name": ${name}}' },
  };
  const contract = {
    input: {
      inputSchema: { type: 'object', required: ['userId'], properties: { userId: { type: 'string' } } },
    },
    output: { successSchema: { type: 'object', properties: { name: { type: 'string' } } } },
  };

  async function integration(type: string, name: string): Promise<string> {
    const created = await call('POST', '/api/v2/integrations', { name, integrationType: { id: type } });
    return created.body.id as string;
  }

  const action = (integrationId: string, name: string, extra: Record<string, unknown> = {}) => ({
    name,
    category: 'Users',
    integrationId,
    config,
    contract,
    ...extra,
  });

  it('creates a published action with a custom id, and reads it back', async () => {
    const integrationId = await integration('purecloud-data-actions', 'with-actions');
    const created = await call('POST', BASE, action(integrationId, 'Get user'));
    expect(created.status).toBe(200);
    const id = created.body.id as string;
    expect(id).toMatch(/^custom_-_[0-9a-f-]{36}$/);
    expect(created.body).toEqual({
      id,
      name: 'Get user',
      integrationId,
      category: 'Users',
      contract,
      version: 1,
      secure: false,
      config,
      selfUri: `${BASE}/${id}`,
    });
    const plain = await call('GET', `${BASE}/${id}`);
    expect(plain.body).toEqual({
      id,
      name: 'Get user',
      integrationId,
      category: 'Users',
      version: 1,
      secure: false,
      selfUri: `${BASE}/${id}`,
    });
    const full = await call('GET', `${BASE}/${id}?expand=contract&includeConfig=true`);
    expect(full.body).toEqual(created.body);
  });

  it('lists actions filtered by category, partial name, ids and secure, paged and sorted', async () => {
    const integrationId = await integration('purecloud-data-actions', 'listing');
    const ids: string[] = [];
    for (const [name, extra] of [
      ['Listing alpha', { category: 'Listing' }],
      ['Listing beta', { category: 'Listing', secure: true }],
      ['Listing gamma', { category: 'Listing other' }],
    ] as const)
      ids.push((await call('POST', BASE, action(integrationId, name, extra))).body.id as string);
    const names = async (query: string) =>
      ((await call('GET', `${BASE}?${query}`)).body.entities as Array<{ name: string }>).map((a) => a.name);
    expect(await names('category=Listing')).toEqual(['Listing alpha', 'Listing beta']);
    expect(await names('name=listing%20G')).toEqual(['Listing gamma']);
    expect(await names(`ids=${ids[0]},${ids[2]}`)).toEqual(['Listing alpha', 'Listing gamma']);
    expect(await names('name=listing&secure=true')).toEqual(['Listing beta']);
    expect(await names('name=listing&sortOrder=DESC')).toEqual([
      'Listing gamma',
      'Listing beta',
      'Listing alpha',
    ]);
    const page = await call('GET', `${BASE}?name=listing&pageSize=2`);
    expect(page.body).toMatchObject({ pageSize: 2, pageNumber: 1, total: 3, pageCount: 2 });
    expect(page.body.nextUri).toBe(`${BASE}?name=listing&pageSize=2&pageNumber=2`);
    const listed = (await call('GET', `${BASE}?ids=${ids[0]}`)).body.entities as Array<
      Record<string, unknown>
    >;
    expect(listed[0]).not.toHaveProperty('config');
    const withConfig = (await call('GET', `${BASE}?ids=${ids[0]}&includeConfig=true`)).body.entities as Array<
      Record<string, unknown>
    >;
    expect(withConfig[0]?.config).toEqual(config);
  });

  it('refuses actions for a missing integration, one without data actions, or a function integration', async () => {
    const missing = await call('POST', BASE, action('no-such-integration', 'x'));
    expect(missing.status).toBe(400);
    expect(missing.body.message).toBe('Integration no-such-integration does not exist');
    expect(missing.body.details).toEqual([{ errorCode: 'invalid.value', fieldName: 'integrationId' }]);
    const app = await integration('embedded-client-app', 'an app');
    expect((await call('POST', BASE, action(app, 'x'))).body.message).toBe(
      `Integration ${app} does not take data actions`,
    );
    const fn = await integration('function-data-actions', 'functions');
    expect((await call('POST', BASE, action(fn, 'x'))).body.message).toBe(
      'Actions of a function integration are created as drafts',
    );
  });

  it('validates the body, naming the field', async () => {
    const integrationId = await integration('purecloud-data-actions', 'validated');
    const badType = await call(
      'POST',
      BASE,
      action(integrationId, 'x', { config: { request: { requestUrlTemplate: '/x', requestType: 'GETS' } } }),
    );
    expect(badType.status).toBe(400);
    expect(badType.body.details).toEqual([
      { errorCode: 'invalid.value', fieldName: 'config.request.requestType' },
    ]);
    const { contract: _contract, ...noContract } = action(integrationId, 'x');
    expect((await call('POST', BASE, noContract)).body.details).toEqual([
      { errorCode: 'invalid.value', fieldName: 'contract' },
    ]);
  });

  it('deletes an action: 204, then 404', async () => {
    const integrationId = await integration('custom-rest-actions', 'web services');
    const id = (await call('POST', BASE, action(integrationId, 'Call it'))).body.id as string;
    expect((await call('DELETE', `${BASE}/${id}`)).status).toBe(204);
    const gone = await call('GET', `${BASE}/${id}`);
    expect(gone.status).toBe(404);
    expect(gone.body.message).toBe('Action not found');
    expect((await call('DELETE', `${BASE}/${id}`)).status).toBe(404);
  });

  it('deletes the actions of a deleted integration', async () => {
    const integrationId = await integration('purecloud-data-actions', 'doomed');
    const other = await integration('purecloud-data-actions', 'survivor');
    const doomed = (await call('POST', BASE, action(integrationId, 'Doomed action'))).body.id as string;
    const kept = (await call('POST', BASE, action(other, 'Kept action'))).body.id as string;
    expect((await call('DELETE', `/api/v2/integrations/${integrationId}`)).status).toBe(200);
    expect((await call('GET', `${BASE}/${doomed}`)).status).toBe(404);
    expect((await call('GET', `${BASE}/${kept}`)).status).toBe(200);
  });
});
