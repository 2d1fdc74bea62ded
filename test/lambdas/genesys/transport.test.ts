import { clearTokenCache } from '../../../lambdas/genesys/auth';
import { GenesysApiError } from '../../../lambdas/genesys/errors';
import { errorBody, FakeApi, FakeClock, fakeClient, json } from './fake-api';

const CLIENT = '/api/v2/oauth/clients/c-1';
const notFound = () => errorBody(404, 'not.found', 'OAuth client not found');

describe('ApiTransport', () => {
  beforeEach(() => clearTokenCache());

  it('retries a 404 within retryNotFoundMs, with growing jittered waits', async () => {
    const api = new FakeApi().on('GET', CLIENT, notFound(), notFound(), json(200, { id: 'c-1' }));
    const clock = new FakeClock();
    const client = fakeClient(api, clock);
    await expect(client.oauthClients.get('c-1', { retryNotFoundMs: 5000 })).resolves.toEqual({ id: 'c-1' });
    // Equal jitter at 0.5: 200 ms step -> 150, 400 ms step -> 300.
    expect(clock.sleeps).toEqual([150, 300]);
    expect(api.apiLines).toEqual([`GET ${CLIENT}`, `GET ${CLIENT}`, `GET ${CLIENT}`]);
  });

  it('lets the 404 stand once the window is over', async () => {
    const api = new FakeApi().on('GET', CLIENT, notFound());
    const clock = new FakeClock();
    const error = await fakeClient(api, clock)
      .oauthClients.get('c-1', { retryNotFoundMs: 1000 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GenesysApiError);
    expect(error).toMatchObject({ kind: 'not-found', status: 404, name: 'Genesys.NotFound' });
    // 150 + 300 = 450; the next wait (600) would end at 1050 > 1000.
    expect(clock.sleeps).toEqual([150, 300]);
    expect(api.apiLines).toHaveLength(3);
  });

  it('answers a 404 at once without the option', async () => {
    const api = new FakeApi().on('GET', CLIENT, notFound(), json(200, { id: 'c-1' }));
    const clock = new FakeClock();
    await expect(fakeClient(api, clock).oauthClients.get('c-1')).rejects.toMatchObject({ kind: 'not-found' });
    expect(clock.sleeps).toEqual([]);
  });

  it('does not retry other errors within the 404 window', async () => {
    const api = new FakeApi().on('GET', CLIENT, errorBody(403, 'missing.any.permissions', 'no'));
    const clock = new FakeClock();
    await expect(
      fakeClient(api, clock).oauthClients.get('c-1', { retryNotFoundMs: 5000 }),
    ).rejects.toMatchObject({ kind: 'permission' });
    expect(api.apiLines).toHaveLength(1);
  });

  it('mints a new token once when the API answers 401, then gives up', async () => {
    let tokens = 0;
    const api = new FakeApi()
      .on('POST', '/oauth/token', () =>
        json(200, { access_token: `token-number-${++tokens}`, expires_in: 3600 }),
      )
      .on('GET', '/api/v2/tokens/me', errorBody(401, 'bad.credentials', 'expired'), json(200, { ok: 1 }));
    const client = fakeClient(api);
    await expect(client.organization.tokenInfo()).resolves.toEqual({ ok: 1 });
    const auth = api.calls
      .filter((c) => c.url.pathname === '/api/v2/tokens/me')
      .map((c) => c.headers.get('authorization'));
    expect(auth).toEqual(['Bearer token-number-1', 'Bearer token-number-2']);

    api.on('GET', '/api/v2/tokens/me', errorBody(401, 'bad.credentials', 'expired'));
    await expect(client.organization.tokenInfo()).rejects.toMatchObject({
      kind: 'authentication',
      status: 401,
    });
    expect(tokens).toBe(3);
  });

  it('sends JSON bodies with their content type and reads an empty answer as undefined', async () => {
    const api = new FakeApi().on('DELETE', CLIENT, new Response(null, { status: 204 }));
    const client = fakeClient(api);
    await expect(client.oauthClients.delete('c-1')).resolves.toBeUndefined();
    api.on('PUT', CLIENT, json(200, { id: 'c-1' }));
    await client.oauthClients.update('c-1', { name: 'n', authorizedGrantType: 'CLIENT-CREDENTIALS' });
    const put = api.calls.find((c) => c.method === 'PUT');
    expect(put?.headers.get('content-type')).toBe('application/json');
    expect(put?.body).toBe('{"name":"n","authorizedGrantType":"CLIENT-CREDENTIALS"}');
    expect(api.calls.find((c) => c.method === 'DELETE')?.headers.get('content-type')).toBeNull();
    expect(api.calls.find((c) => c.method === 'DELETE')?.body).toBeUndefined();
    expect(api.calls.filter((c) => c.method !== 'POST').map((c) => c.headers.get('accept'))).toEqual([
      'application/json',
      'application/json',
    ]);
  });

  it('reads a whitespace-only answer as undefined', async () => {
    const api = new FakeApi().on('GET', '/api/v2/tokens/me', new Response(' \n\t', { status: 200 }));
    await expect(fakeClient(api).organization.tokenInfo()).resolves.toBeUndefined();
  });

  it('reports an answer that is not JSON', async () => {
    const api = new FakeApi().on('GET', '/api/v2/tokens/me', new Response('<html>', { status: 200 }));
    await expect(fakeClient(api).organization.tokenInfo()).rejects.toMatchObject({
      kind: 'transient',
      code: 'invalid.response',
      path: '/api/v2/tokens/me',
      message: 'Genesys GET /api/v2/tokens/me failed (HTTP 200 invalid.response): the response is not JSON',
    });
  });

  it('follows an absolute nextUri on the API host', async () => {
    const api = new FakeApi().on(
      'GET',
      '/api/v2/oauth/clients',
      json(200, {
        entities: [{ id: 'a' }],
        pageNumber: 1,
        nextUri: 'https://api.mypurecloud.ie/api/v2/oauth/clients?pageNumber=2',
      }),
      json(200, { entities: [{ id: 'b' }], pageNumber: 2 }),
    );
    expect(await fakeClient(api).oauthClients.list()).toEqual([{ id: 'a' }, { id: 'b' }]);
    expect(api.apiLines).toEqual(['GET /api/v2/oauth/clients', 'GET /api/v2/oauth/clients?pageNumber=2']);
  });

  it.each([
    ['https://evil.example/api/v2/oauth/clients?pageNumber=2', 'evil.example'],
    ['//evil.example/api/v2/oauth/clients', 'a path that does not start with /'],
    ['api/v2/oauth/clients', 'a path that does not start with /'],
  ])('never sends the token to the nextUri %s', async (nextUri, target) => {
    const api = new FakeApi().on(
      'GET',
      '/api/v2/oauth/clients',
      json(200, { entities: [{ id: 'a' }], pageNumber: 1, nextUri }),
    );
    const error = await fakeClient(api)
      .oauthClients.list()
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'bad-request', code: 'foreign.uri' });
    expect((error as Error).message).toContain(
      `refusing to send the token to ${target}, which is not the API host`,
    );
    expect(api.apiLines).toEqual(['GET /api/v2/oauth/clients']);
  });
});
