import { clearTokenCache } from '../../../lambdas/genesys/auth';
import { errorBody, FakeApi, FakeClock, fakeClient, json, type RecordedCall } from './fake-api';

const BASE = '/api/v2/oauth/clients';
const CLIENT = `${BASE}/c-1`;
const clients = (...ids: string[]) => ids.map((id) => ({ id, name: `client ${id}` }));

const activeClient = {
  id: 'c-1',
  name: 'Data Actions',
  description: 'ours',
  authorizedGrantType: 'CLIENT-CREDENTIALS',
  accessTokenValiditySeconds: 86400,
  registeredRedirectUri: [],
  scope: [],
  roleDivisions: [{ roleId: 'r-1', divisionId: 'd-1' }],
  state: 'active',
  dateCreated: '2026-01-01T00:00:00Z',
  selfUri: CLIENT,
};

describe('oauthClients.list over every paging variant', () => {
  beforeEach(() => clearTokenCache());

  it('reads one page that holds everything, with no paging parameters', async () => {
    const api = new FakeApi().on(
      'GET',
      BASE,
      json(200, { entities: clients('a', 'b'), pageSize: 2, pageNumber: 1, total: 2, pageCount: 1 }),
    );
    expect((await fakeClient(api).oauthClients.list()).map((c) => c.id)).toEqual(['a', 'b']);
    expect(api.apiLines).toEqual([`GET ${BASE}`]);
  });

  it('follows nextUri', async () => {
    const api = new FakeApi().on(
      'GET',
      BASE,
      json(200, {
        entities: clients('a'),
        pageSize: 1,
        pageNumber: 1,
        pageCount: 2,
        nextUri: `${BASE}?pageSize=1&pageNumber=2`,
      }),
      json(200, { entities: clients('b'), pageSize: 1, pageNumber: 2, pageCount: 2 }),
    );
    expect((await fakeClient(api).oauthClients.list()).map((c) => c.id)).toEqual(['a', 'b']);
    expect(api.apiLines).toEqual([`GET ${BASE}`, `GET ${BASE}?pageSize=1&pageNumber=2`]);
  });

  it('asks for the next pageNumber when only pageCount says there is more', async () => {
    const pages: Record<string, unknown> = {
      '1': { entities: clients('a', 'b'), pageSize: 2, pageNumber: 1, pageCount: 2 },
      '2': { entities: clients('c'), pageSize: 2, pageNumber: 2, pageCount: 2 },
    };
    const api = new FakeApi().on('GET', BASE, (call: RecordedCall) =>
      json(200, pages[call.url.searchParams.get('pageNumber') ?? '1']),
    );
    expect((await fakeClient(api).oauthClients.list()).map((c) => c.id)).toEqual(['a', 'b', 'c']);
    expect(api.apiLines).toEqual([`GET ${BASE}`, `GET ${BASE}?pageNumber=2&pageSize=2`]);
  });

  it('refuses a server that ignores the page parameter instead of returning a partial list', async () => {
    const api = new FakeApi().on(
      'GET',
      BASE,
      json(200, { entities: clients('a', 'b'), pageSize: 2, pageNumber: 1, pageCount: 3, total: 5 }),
    );
    await expect(fakeClient(api).oauthClients.list()).rejects.toMatchObject({
      kind: 'transient',
      code: 'incomplete.listing',
      message:
        'Genesys GET /api/v2/oauth/clients failed (HTTP 200 incomplete.listing): the listing cannot be read completely (asked for page 2, the server answered page 1: it ignores the page parameter); refusing to use a partial view',
    });
  });
});

describe('oauthClients reads and updates of known ids', () => {
  beforeEach(() => clearTokenCache());

  it('find answers undefined for a client that is gone', async () => {
    const api = new FakeApi().on('GET', CLIENT, errorBody(404, 'not.found', 'gone'));
    expect(await fakeClient(api).oauthClients.find('c-1')).toBeUndefined();
  });

  it('find waits out a 404 right after a create when asked to', async () => {
    const api = new FakeApi().on(
      'GET',
      CLIENT,
      errorBody(404, 'not.found', 'not yet'),
      json(200, activeClient),
    );
    const clock = new FakeClock();
    expect(await fakeClient(api, clock).oauthClients.find('c-1', { retryNotFoundMs: 3000 })).toEqual(
      activeClient,
    );
    expect(clock.sleeps).toEqual([150]);
  });

  it('find rethrows anything but a 404', async () => {
    const api = new FakeApi().on('GET', CLIENT, errorBody(403, 'missing.any.permissions', 'no'));
    await expect(fakeClient(api).oauthClients.find('c-1')).rejects.toMatchObject({ kind: 'permission' });
  });

  it('update and regenerateSecret take the 404 window too, and encode the id', async () => {
    const api = new FakeApi()
      .on('PUT', '/api/v2/oauth/clients/a%2Fb', errorBody(404, 'not.found', 'x'), json(200, { id: 'a/b' }))
      .on(
        'POST',
        '/api/v2/oauth/clients/a%2Fb/secret',
        errorBody(404, 'not.found', 'x'),
        json(200, { id: 'a/b', secret: 'new-secret-value' }),
      );
    const clock = new FakeClock();
    const client = fakeClient(api, clock);
    await client.oauthClients.update(
      'a/b',
      { name: 'n', authorizedGrantType: 'CLIENT-CREDENTIALS' },
      { retryNotFoundMs: 1000 },
    );
    const regenerated = await client.oauthClients.regenerateSecret('a/b', { retryNotFoundMs: 1000 });
    expect(regenerated.secret).toBe('new-secret-value');
    expect(api.apiLines).toEqual([
      'PUT /api/v2/oauth/clients/a%2Fb',
      'PUT /api/v2/oauth/clients/a%2Fb',
      'POST /api/v2/oauth/clients/a%2Fb/secret',
      'POST /api/v2/oauth/clients/a%2Fb/secret',
    ]);
  });
});

describe('oauthClients.deactivateAndDelete', () => {
  beforeEach(() => clearTokenCache());

  it('puts the full body back as inactive, deletes, then polls until 404', async () => {
    const api = new FakeApi()
      .on(
        'GET',
        CLIENT,
        json(200, activeClient),
        json(200, { ...activeClient, state: 'inactive' }),
        errorBody(404, 'not.found', 'gone'),
      )
      .on('PUT', CLIENT, json(200, { ...activeClient, state: 'inactive' }))
      .on('DELETE', CLIENT, new Response(null, { status: 204 }));
    const clock = new FakeClock();
    expect(await fakeClient(api, clock).oauthClients.deactivateAndDelete('c-1')).toBe('deleted');
    expect(api.apiLines).toEqual([
      `GET ${CLIENT}`,
      `PUT ${CLIENT}`,
      `DELETE ${CLIENT}`,
      `GET ${CLIENT}`,
      `GET ${CLIENT}`,
    ]);
    expect(JSON.parse(api.calls.find((c) => c.method === 'PUT')?.body ?? '')).toEqual({
      name: 'Data Actions',
      description: 'ours',
      authorizedGrantType: 'CLIENT-CREDENTIALS',
      accessTokenValiditySeconds: 86400,
      registeredRedirectUri: [],
      scope: [],
      roleDivisions: [{ roleId: 'r-1', divisionId: 'd-1' }],
      state: 'inactive',
    });
    expect(clock.sleeps).toEqual([375]);
  });

  it('skips the PUT for an inactive client and takes state "deleted" as gone', async () => {
    const api = new FakeApi()
      .on(
        'GET',
        CLIENT,
        json(200, { ...activeClient, state: 'inactive' }),
        json(200, { ...activeClient, state: 'deleted' }),
      )
      .on('DELETE', CLIENT, new Response(null, { status: 204 }));
    expect(await fakeClient(api).oauthClients.deactivateAndDelete('c-1')).toBe('deleted');
    expect(api.apiLines).toEqual([`GET ${CLIENT}`, `DELETE ${CLIENT}`, `GET ${CLIENT}`]);
  });

  it.each([
    ['answers 404', errorBody(404, 'not.found', 'gone')],
    ['shows state "deleted"', json(200, { ...activeClient, state: 'deleted' })],
  ])('is absent when the client %s at first', async (_label, first) => {
    const api = new FakeApi().on('GET', CLIENT, first);
    expect(await fakeClient(api).oauthClients.deactivateAndDelete('c-1')).toBe('absent');
    expect(api.apiLines).toEqual([`GET ${CLIENT}`]);
  });

  it('reads a client created moments ago through its 404 window before deciding', async () => {
    const api = new FakeApi()
      .on(
        'GET',
        CLIENT,
        errorBody(404, 'not.found', 'not yet'),
        json(200, { ...activeClient, state: 'inactive' }),
        errorBody(404, 'not.found', 'gone'),
      )
      .on('DELETE', CLIENT, new Response(null, { status: 204 }));
    expect(await fakeClient(api).oauthClients.deactivateAndDelete('c-1', { retryNotFoundMs: 2000 })).toBe(
      'deleted',
    );
  });

  it('is absent when someone else deleted it between the PUT and the DELETE', async () => {
    const api = new FakeApi()
      .on('GET', CLIENT, json(200, activeClient))
      .on('PUT', CLIENT, json(200, activeClient))
      .on('DELETE', CLIENT, errorBody(404, 'not.found', 'gone'));
    expect(await fakeClient(api).oauthClients.deactivateAndDelete('c-1')).toBe('absent');
    expect(api.apiLines).toEqual([`GET ${CLIENT}`, `PUT ${CLIENT}`, `DELETE ${CLIENT}`]);
  });

  it.each([408, 410])('takes a %i while polling as gone (TF IsStatus404)', async (status) => {
    const api = new FakeApi()
      .on('GET', CLIENT, json(200, { ...activeClient, state: 'inactive' }), errorBody(status, 'gone', 'gone'))
      .on('DELETE', CLIENT, new Response(null, { status: 204 }));
    const client = fakeClient(api, new FakeClock(), { retry: { maxAttempts: 1 } });
    expect(await client.oauthClients.deactivateAndDelete('c-1')).toBe('deleted');
  });

  it('fails with delete.not.confirmed when the client is still there after the timeout', async () => {
    const api = new FakeApi()
      .on('GET', CLIENT, json(200, { ...activeClient, state: 'inactive' }))
      .on('DELETE', CLIENT, new Response(null, { status: 204 }));
    const clock = new FakeClock();
    const error = await fakeClient(api, clock)
      .oauthClients.deactivateAndDelete('c-1', { goneTimeoutMs: 5000 })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      kind: 'transient',
      code: 'delete.not.confirmed',
      message:
        'Genesys DELETE /api/v2/oauth/clients/c-1 failed (HTTP 200 delete.not.confirmed): still readable 5000 ms after it was deleted',
    });
    // Equal jitter at 0.5 over 500, 1000, 2000, 4000 ms steps: 375 + 750 + 1500 = 2625; + 3000 > 5000.
    expect(clock.sleeps).toEqual([375, 750, 1500]);
  });

  it('rethrows a DELETE refused for another reason', async () => {
    const api = new FakeApi()
      .on('GET', CLIENT, json(200, { ...activeClient, state: 'inactive' }))
      .on('DELETE', CLIENT, errorBody(400, 'bad.request', 'The client must be set to inactive'));
    await expect(fakeClient(api).oauthClients.deactivateAndDelete('c-1')).rejects.toMatchObject({
      kind: 'bad-request',
      status: 400,
    });
  });

  it('rethrows a failing read while polling', async () => {
    const api = new FakeApi()
      .on(
        'GET',
        CLIENT,
        json(200, { ...activeClient, state: 'inactive' }),
        errorBody(403, 'missing.any.permissions', 'no'),
      )
      .on('DELETE', CLIENT, new Response(null, { status: 204 }));
    await expect(fakeClient(api).oauthClients.deactivateAndDelete('c-1')).rejects.toMatchObject({
      kind: 'permission',
    });
  });
});

describe('oauthClients.deactivateAndDelete when the deactivating PUT fails', () => {
  beforeEach(() => clearTokenCache());

  it('is absent when the client is gone by the PUT (404), and sends no DELETE', async () => {
    const api = new FakeApi()
      .on('GET', CLIENT, json(200, activeClient))
      .on('PUT', CLIENT, errorBody(404, 'not.found', 'gone'));
    expect(await fakeClient(api).oauthClients.deactivateAndDelete('c-1')).toBe('absent');
    expect(api.apiLines).toEqual([`GET ${CLIENT}`, `PUT ${CLIENT}`]);
  });

  it('passes on any other refusal of the PUT', async () => {
    const api = new FakeApi()
      .on('GET', CLIENT, json(200, activeClient))
      .on('PUT', CLIENT, errorBody(403, 'missing.permissions', 'no'));
    await expect(fakeClient(api).oauthClients.deactivateAndDelete('c-1')).rejects.toMatchObject({
      kind: 'permission',
      status: 403,
    });
    expect(api.apiLines).toEqual([`GET ${CLIENT}`, `PUT ${CLIENT}`]);
  });
});
