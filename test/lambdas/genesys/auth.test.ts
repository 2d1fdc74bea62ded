import { GenesysApiError, type HttpEvent } from '../../../lambdas/genesys';
import { clearTokenCache, type SimulatorFixture, startSimulator } from '../../support/simulator';

describe('client-credentials token', () => {
  let fixture: SimulatorFixture;

  beforeAll(async () => {
    fixture = await startSimulator();
  });
  afterAll(() => fixture.simulator.stop());
  beforeEach(() => {
    clearTokenCache();
    fixture.simulator.faults.clear();
    fixture.simulator.options.tokenRateLimit = undefined;
    fixture.simulator.options.tokenLifetimeSeconds = undefined;
    fixture.simulator.requestLog.length = 0;
  });

  const tokenRequests = () => fixture.simulator.requestLog.filter((e) => e.path === '/oauth/token');

  it('is fetched once and shared by calls and by clients with the same credentials', async () => {
    const first = fixture.client();
    await Promise.all([
      first.organization.me(),
      first.organization.tokenInfo(),
      first.authorization.homeDivision(),
    ]);
    await fixture.client().organization.me();
    expect(tokenRequests()).toHaveLength(1);
  });

  it('is refreshed before expires_in runs out', async () => {
    fixture.simulator.options.tokenLifetimeSeconds = 1;
    const client = fixture.client();
    await client.organization.me();
    await client.organization.me();
    expect(tokenRequests()).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 950));
    await client.organization.me();
    expect(tokenRequests()).toHaveLength(2);
  });

  it('is minted again once when the API answers 401', async () => {
    const client = fixture.client();
    await client.organization.me();
    fixture.simulator.tokens.clear();
    await expect(client.organization.me()).resolves.toBeDefined();
    expect(tokenRequests()).toHaveLength(2);
  });

  it('fails with an authentication error that names the fix, without retrying', async () => {
    const events: HttpEvent[] = [];
    const client = fixture.client({
      credentials: { clientId: fixture.seeded.bootstrap.clientId, clientSecret: 'wrong-secret-value' },
      onEvent: (e) => events.push(e),
    });
    const error = (await client.organization.me().catch((e: unknown) => e)) as GenesysApiError;
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
    await fixture.client().organization.me();
    const wrong = fixture.client({
      credentials: { clientId: fixture.seeded.bootstrap.clientId, clientSecret: 'another-wrong-secret' },
    });
    await expect(wrong.organization.me()).rejects.toMatchObject({ kind: 'authentication' });
  });

  it('retries the token endpoint\'s 400 invalid_request "rate limit exceeded"', async () => {
    fixture.simulator.options.tokenRateLimit = { requests: 1, windowMs: 300 };
    const sleeps: number[] = [];
    const client = fixture.client({ retry: { baseDelayMs: 200, maxDelayMs: 400 }, random: () => 1 });
    const other = fixture.client({
      sleep: async (ms) => {
        sleeps.push(ms);
        await new Promise((r) => setTimeout(r, ms));
      },
      retry: { baseDelayMs: 200, maxDelayMs: 400 },
      random: () => 1,
    });
    await client.tokens.getToken();
    clearTokenCache();
    await expect(other.tokens.getToken()).resolves.toEqual(expect.any(String));
    expect(sleeps.length).toBeGreaterThanOrEqual(1);
    expect(tokenRequests().some((e) => e.status === 400)).toBe(true);
  });

  it('reports a token response without access_token', async () => {
    const client = fixture.client({
      fetch: async () => new Response('{"token_type":"bearer"}', { status: 200 }),
    });
    await expect(client.tokens.getToken()).rejects.toMatchObject({ code: 'invalid.token.response' });
  });
});
