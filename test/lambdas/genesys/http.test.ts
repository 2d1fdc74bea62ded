import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { GenesysApiError, HttpEvent } from '../../../lambdas/genesys';
import { clearTokenCache, type SimulatorFixture, startSimulator } from '../../support/simulator';

const ME = '/api/v2/organizations/me';

describe('request pipeline over real HTTP', () => {
  let fixture: SimulatorFixture;

  beforeAll(async () => {
    fixture = await startSimulator();
  });
  afterAll(() => fixture.simulator.stop());
  beforeEach(() => {
    clearTokenCache();
    fixture.simulator.faults.clear();
    fixture.simulator.requestLog.length = 0;
  });

  function recordingClient(retry = {}) {
    const sleeps: number[] = [];
    const events: HttpEvent[] = [];
    const client = fixture.client({
      sleep: async (ms) => {
        sleeps.push(ms);
      },
      onEvent: (e) => events.push(e),
      retry,
    });
    return { client, sleeps, events };
  }

  it('honours Retry-After on 429', async () => {
    const { client, sleeps } = recordingClient();
    fixture.simulator.injectFault({
      path: ME,
      fault: { kind: 'status', status: 429, retryAfterSeconds: 2 },
      times: 2,
    });
    await expect(client.organization.me()).resolves.toMatchObject({ id: fixture.seeded.org.id });
    expect(sleeps).toEqual([2000, 2000]);
  });

  it('really waits the Retry-After time when sleeping for real', async () => {
    const client = fixture.client();
    await client.tokens.getToken();
    fixture.simulator.injectFault({ path: ME, fault: { kind: 'status', status: 429, retryAfterSeconds: 1 } });
    const started = Date.now();
    await client.organization.me();
    expect(Date.now() - started).toBeGreaterThanOrEqual(990);
  });

  it('fails at once when Retry-After is over the cap', async () => {
    const { client, sleeps } = recordingClient({ maxRetryAfterMs: 1000 });
    fixture.simulator.injectFault({
      path: ME,
      fault: { kind: 'status', status: 429, retryAfterSeconds: 30 },
    });
    await expect(client.organization.me()).rejects.toMatchObject({
      kind: 'rate-limited',
      name: 'Genesys.RateLimited',
      code: 'too.many.requests.retry.after',
    });
    expect(sleeps).toEqual([]);
  });

  it('retries 5xx with exponential backoff and jitter, but not 501', async () => {
    const { client, sleeps } = recordingClient({ baseDelayMs: 100, maxDelayMs: 250 });
    fixture.simulator.injectFault({ path: ME, fault: { kind: 'status', status: 500 }, times: 4 });
    await client.organization.me();
    expect(sleeps).toHaveLength(4);
    const ceilings = [100, 200, 250, 250];
    sleeps.forEach((ms, i) => {
      expect(ms).toBeGreaterThanOrEqual(0);
      expect(ms).toBeLessThanOrEqual(ceilings[i] as number);
    });
    fixture.simulator.injectFault({ path: ME, fault: { kind: 'status', status: 501 } });
    await expect(client.organization.me()).rejects.toMatchObject({ status: 501, attempts: 1 });
  });

  it('gives up after maxAttempts with the attempt count in the error', async () => {
    const { client } = recordingClient({ maxAttempts: 3 });
    fixture.simulator.injectFault({ path: ME, fault: { kind: 'status', status: 503 }, times: 5 });
    const error = (await client.organization.me().catch((e: unknown) => e)) as GenesysApiError;
    expect(error).toMatchObject({ kind: 'transient', status: 503, attempts: 3, code: 'service.unavailable' });
    expect(error.message).toMatch(/after 3 attempts/);
  });

  it('stops when the total time budget would be exceeded', async () => {
    const { client, sleeps } = recordingClient({ totalBudgetMs: 2500 });
    fixture.simulator.injectFault({ path: ME, fault: { kind: 'status', status: 429, retryAfterSeconds: 3 } });
    await expect(client.organization.me()).rejects.toMatchObject({ kind: 'rate-limited' });
    expect(sleeps).toEqual([]);
  });

  it('times out a slow attempt and retries it', async () => {
    const { client, events } = recordingClient({ attemptTimeoutMs: 100 });
    await client.tokens.getToken();
    fixture.simulator.injectFault({ path: ME, fault: { kind: 'delay', delayMs: 400 } });
    await client.organization.me();
    const calls = events.filter((e) => e.type === 'call' && e.path === ME);
    expect(calls.map((e) => e.status)).toEqual([0, 200]);
  });

  it('retries a reset connection on a read, but not on a create', async () => {
    const { client } = recordingClient();
    fixture.simulator.injectFault({ path: ME, fault: { kind: 'reset' } });
    await expect(client.organization.me()).resolves.toBeDefined();

    fixture.simulator.injectFault({ method: 'POST', path: '/api/v2/integrations', fault: { kind: 'reset' } });
    const error = await client.integrations
      .create({ name: 'reset-test', integrationType: { id: 'purecloud-data-actions' } })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'transient', status: 0, attempts: 1 });
  });

  it('retries a create on 429 and 503, where the server surely did nothing', async () => {
    const { client } = recordingClient();
    fixture.simulator.injectFault({
      method: 'POST',
      path: '/api/v2/integrations',
      fault: { kind: 'status', status: 503 },
    });
    fixture.simulator.injectFault({
      method: 'POST',
      path: '/api/v2/integrations',
      fault: { kind: 'status', status: 429, retryAfterSeconds: 0 },
    });
    const created = await client.integrations.create({
      name: 'retry-create',
      integrationType: { id: 'purecloud-data-actions' },
    });
    const org = fixture.simulator.org(fixture.seeded.org.id);
    expect([...org.integrations.values()].filter((i) => i.name === 'retry-create').map((i) => i.id)).toEqual([
      created.id,
    ]);

    fixture.simulator.injectFault({
      method: 'POST',
      path: '/api/v2/integrations',
      fault: { kind: 'status', status: 500 },
    });
    await expect(
      client.integrations.create({
        name: 'no-retry-create',
        integrationType: { id: 'purecloud-data-actions' },
      }),
    ).rejects.toMatchObject({ status: 500, attempts: 1 });
  });

  it('classifies 404 and 409 as permanent', async () => {
    const { client } = recordingClient();
    await expect(client.integrations.get('missing')).rejects.toMatchObject({
      kind: 'not-found',
      attempts: 1,
    });
    fixture.simulator.injectFault({ path: ME, fault: { kind: 'status', status: 409 } });
    await expect(client.organization.me()).rejects.toMatchObject({
      kind: 'conflict',
      status: 409,
      attempts: 1,
    });
  });

  it('treats a 400 "does not match the current version" as a conflict', async () => {
    const client = fixture.client({
      fetch: async (input) =>
        String(input).endsWith('/oauth/token')
          ? new Response(JSON.stringify({ access_token: 'token-value-123', expires_in: 60 }), { status: 200 })
          : new Response(
              JSON.stringify({
                message: 'The version 1 does not match the current version 2',
                code: 'bad.request',
              }),
              { status: 400 },
            ),
    });
    await expect(
      client.integrations.putConfig('i', { name: 'n', version: 1 } as never),
    ).rejects.toMatchObject({
      kind: 'conflict',
      status: 400,
    });
  });

  it('reports a network failure against a closed port as transient', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const closedUrl = `http://127.0.0.1:${(probe.address() as AddressInfo).port}`;
    await new Promise((resolve) => probe.close(resolve));
    const client = fixture.client({
      apiUrl: closedUrl,
      loginUrl: closedUrl,
      retry: { maxAttempts: 2, baseDelayMs: 1 },
    });
    await expect(client.organization.me()).rejects.toMatchObject({
      kind: 'transient',
      status: 0,
      code: 'ECONNREFUSED',
      attempts: 2,
    });
  });
});
