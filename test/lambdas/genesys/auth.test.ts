import { clearTokenCache, TokenCache } from '../../../lambdas/genesys/auth';
import { GenesysApiError } from '../../../lambdas/genesys/errors';
import type { HttpEvent } from '../../../lambdas/genesys/http';
import { type SimulatorFixture, startSimulator } from '../../support/simulator';
import { errorBody, FakeApi, FakeClock, fakeClient, json } from './fake-api';

const LOCAL = { allowedHosts: ['127.0.0.1'] };

describe('client-credentials token against the simulator', () => {
  let fixture: SimulatorFixture;

  beforeAll(async () => {
    fixture = await startSimulator();
  });
  afterAll(() => fixture.simulator.stop());
  beforeEach(() => {
    clearTokenCache();
    fixture.simulator.requestLog.length = 0;
  });

  const tokenRequests = () => fixture.simulator.requestLog.filter((e) => e.path === '/oauth/token');

  it('is fetched once and shared by calls and by clients with the same credentials', async () => {
    const first = fixture.client(LOCAL);
    await Promise.all([
      first.organization.tokenInfo(),
      first.authorization.homeDivision(),
      first.authorization.listDivisions(),
    ]);
    await fixture.client(LOCAL).organization.tokenInfo();
    expect(tokenRequests()).toHaveLength(1);
  });

  it('is kept in the cache a client is given, apart from the process cache (one per Lambda container)', async () => {
    const container = new TokenCache();
    await fixture.client({ ...LOCAL, tokenCache: container }).organization.tokenInfo();
    await fixture.client({ ...LOCAL, tokenCache: container }).authorization.homeDivision();
    expect(tokenRequests()).toHaveLength(1);
    await fixture.client(LOCAL).organization.tokenInfo();
    expect(tokenRequests()).toHaveLength(2);
    await fixture.client({ ...LOCAL, tokenCache: new TokenCache() }).organization.tokenInfo();
    expect(tokenRequests()).toHaveLength(3);
  });

  it('is minted again once when the API answers 401', async () => {
    const client = fixture.client(LOCAL);
    await client.organization.tokenInfo();
    fixture.simulator.tokens.clear();
    await expect(client.organization.tokenInfo()).resolves.toBeDefined();
    expect(tokenRequests()).toHaveLength(2);
  });

  it('fails with an authentication error that names the fix, without retrying', async () => {
    const events: HttpEvent[] = [];
    const client = fixture.client({
      ...LOCAL,
      credentials: { clientId: fixture.seeded.bootstrap.clientId, clientSecret: 'wrong-secret-value' },
      onEvent: (e) => events.push(e),
    });
    const error = (await client.organization.tokenInfo().catch((e: unknown) => e)) as GenesysApiError;
    expect(error).toBeInstanceOf(GenesysApiError);
    expect(error).toMatchObject({
      kind: 'authentication',
      code: 'invalid_client',
      name: 'Genesys.Authentication',
    });
    expect(error.message).toMatch(/Check the client id, client secret and region/);
    expect(events.filter((e) => e.type === 'retry')).toHaveLength(0);
    expect(error.message).not.toContain('wrong-secret-value');
  });

  it('never reuses a cached token for a wrong secret', async () => {
    await fixture.client(LOCAL).organization.tokenInfo();
    const wrong = fixture.client({
      ...LOCAL,
      credentials: { clientId: fixture.seeded.bootstrap.clientId, clientSecret: 'another-wrong-secret' },
    });
    await expect(wrong.organization.tokenInfo()).rejects.toMatchObject({ kind: 'authentication' });
  });
});

describe('client-credentials token (fake fetch)', () => {
  beforeEach(() => clearTokenCache());

  it('posts the client-credentials grant with Basic auth', async () => {
    const api = new FakeApi();
    await fakeClient(api).tokens.getToken();
    const [call] = api.calls;
    expect(call?.url.toString()).toBe('https://login.mypurecloud.ie/oauth/token');
    expect(call?.headers.get('authorization')).toBe(
      `Basic ${Buffer.from('bootstrap-id:bootstrap-secret-value').toString('base64')}`,
    );
    expect(call?.headers.get('content-type')).toBe('application/x-www-form-urlencoded');
    expect(call?.headers.get('accept')).toBe('application/json');
    expect(call?.body).toBe('grant_type=client_credentials');
  });

  it('is refreshed a margin (10% of its life, at most 60 s) before expires_in runs out', async () => {
    let minted = 0;
    const api = new FakeApi().on('POST', '/oauth/token', () =>
      json(200, { access_token: `token-value-${++minted}`, expires_in: 100 }),
    );
    const clock = new FakeClock();
    const client = fakeClient(api, clock);
    expect(await client.tokens.getToken()).toBe('token-value-1');
    clock.time += 89_999;
    expect(await client.tokens.getToken()).toBe('token-value-1');
    clock.time += 1;
    expect(await client.tokens.getToken()).toBe('token-value-2');
  });

  it('takes 24 h when expires_in is missing, refreshing 60 s before', async () => {
    let minted = 0;
    const api = new FakeApi().on('POST', '/oauth/token', () =>
      json(200, { access_token: `token-value-${++minted}` }),
    );
    const clock = new FakeClock();
    const client = fakeClient(api, clock);
    await client.tokens.getToken();
    clock.time += 86_400_000 - 60_001;
    expect(await client.tokens.getToken()).toBe('token-value-1');
    clock.time += 1;
    expect(await client.tokens.getToken()).toBe('token-value-2');
  });

  it('mints one token for concurrent callers', async () => {
    const api = new FakeApi();
    const client = fakeClient(api);
    await Promise.all([client.tokens.getToken(), client.tokens.getToken(), client.tokens.getToken()]);
    expect(api.calls).toHaveLength(1);
  });

  it.each([
    ['no access_token', '{"token_type":"bearer"}'],
    ['an empty access_token', '{"access_token":""}'],
    ['no JSON', '<html>'],
  ])('reports a token response with %s', async (_label, body) => {
    const api = new FakeApi().on('POST', '/oauth/token', new Response(body, { status: 200 }));
    await expect(fakeClient(api).tokens.getToken()).rejects.toMatchObject({
      kind: 'transient',
      code: 'invalid.token.response',
      message:
        'Genesys POST /oauth/token failed (HTTP 200 invalid.token.response): the token response has no access_token',
    });
  });

  it('retries a token request that failed with a 502 (the grant is sent as idempotent)', async () => {
    const api = new FakeApi().on(
      'POST',
      '/oauth/token',
      errorBody(502, 'bad.gateway', 'upstream down'),
      json(200, { access_token: 'token-after-502', expires_in: 3600 }),
    );
    expect(await fakeClient(api).tokens.getToken()).toBe('token-after-502');
    expect(api.calls.map((c) => c.line)).toEqual(['POST /oauth/token', 'POST /oauth/token']);
  });

  it('verifyCredentials requests a token even while one is cached', async () => {
    let minted = 0;
    const api = new FakeApi().on('POST', '/oauth/token', () =>
      json(200, { access_token: `token-value-${++minted}`, expires_in: 3600 }),
    );
    const client = fakeClient(api);
    await client.tokens.getToken();
    await expect(client.tokens.verifyCredentials()).resolves.toBeUndefined();
    expect(minted).toBe(2);
  });

  it('verifyCredentials rejects a secret the login service refuses', async () => {
    const api = new FakeApi().on(
      'POST',
      '/oauth/token',
      errorBody(401, 'invalid_client', 'Invalid client credentials'),
    );
    await expect(fakeClient(api).tokens.verifyCredentials()).rejects.toMatchObject({
      kind: 'authentication',
      status: 401,
    });
  });
});

describe('TokenCache', () => {
  it('invalidate drops the cached token only while it is the one given', async () => {
    const cache = new TokenCache();
    await cache.request('key', async () => ({ accessToken: 'current-token', refreshAt: 1000 }));
    cache.invalidate('key', 'older-token');
    expect(cache.fresh('key', 0)).toBe('current-token');
    cache.invalidate('key', 'current-token');
    expect(cache.fresh('key', 0)).toBeUndefined();
  });
});
