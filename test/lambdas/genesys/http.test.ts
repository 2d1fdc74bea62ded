import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { clearTokenCache } from '../../../lambdas/genesys/auth';
import { GenesysApiError } from '../../../lambdas/genesys/errors';
import { type HttpEvent, parseErrorBody, parseRetryAfter } from '../../../lambdas/genesys/http';
import { type SimulatorFixture, startSimulator } from '../../support/simulator';
import { errorBody, FakeApi, FakeClock, fakeClient, json, networkError } from './fake-api';

const ME = '/api/v2/tokens/me';
const LOCAL = { allowedHosts: ['127.0.0.1'] };

/** A normalised Genesys 429 (genesys-cloud-api.md §9) asking for a wait of `seconds`. */
function tooManyRequests(seconds: number): Response {
  return json(
    429,
    {
      message: `Rate limit exceeded the maximum. Retry the request in [${seconds}] seconds`,
      code: 'too.many.requests.retry.after',
      status: 429,
      contextId: 'ctx-429',
      details: [],
      errors: [],
    },
    { 'retry-after': String(seconds) },
  );
}

async function failure(promise: Promise<unknown>): Promise<GenesysApiError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(GenesysApiError);
  return error as GenesysApiError;
}

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
      ...LOCAL,
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
    await expect(client.organization.tokenInfo()).resolves.toMatchObject({
      organization: { id: fixture.seeded.org.id },
    });
    expect(sleeps).toEqual([2000, 2000]);
  });

  it('fails at once when Retry-After is over the cap', async () => {
    const { client, sleeps } = recordingClient({ maxRetryAfterMs: 1000 });
    fixture.simulator.injectFault({
      path: ME,
      fault: { kind: 'status', status: 429, retryAfterSeconds: 30 },
    });
    await expect(client.organization.tokenInfo()).rejects.toMatchObject({
      kind: 'rate-limited',
      name: 'Genesys.RateLimited',
      code: 'too.many.requests.retry.after',
    });
    expect(sleeps).toEqual([]);
  });

  it('retries 5xx with exponential backoff and jitter, but not 501', async () => {
    const { client, sleeps } = recordingClient({ baseDelayMs: 100, maxDelayMs: 250 });
    fixture.simulator.injectFault({ path: ME, fault: { kind: 'status', status: 500 }, times: 4 });
    await client.organization.tokenInfo();
    expect(sleeps).toHaveLength(4);
    const ceilings = [100, 200, 250, 250];
    sleeps.forEach((ms, i) => {
      expect(ms).toBeGreaterThanOrEqual(0);
      expect(ms).toBeLessThanOrEqual(ceilings[i] as number);
    });
    fixture.simulator.injectFault({ path: ME, fault: { kind: 'status', status: 501 } });
    await expect(client.organization.tokenInfo()).rejects.toMatchObject({ status: 501, attempts: 1 });
  });

  it('gives up after maxAttempts with the attempt count in the error', async () => {
    const { client } = recordingClient({ maxAttempts: 3 });
    fixture.simulator.injectFault({ path: ME, fault: { kind: 'status', status: 503 }, times: 5 });
    const error = await failure(client.organization.tokenInfo());
    expect(error).toMatchObject({ kind: 'transient', status: 503, attempts: 3, code: 'service.unavailable' });
    expect(error.message).toMatch(/after 3 attempts/);
  });

  it('stops when the total time budget would be exceeded', async () => {
    const { client, sleeps } = recordingClient({ totalBudgetMs: 2500 });
    fixture.simulator.injectFault({ path: ME, fault: { kind: 'status', status: 429, retryAfterSeconds: 3 } });
    await expect(client.organization.tokenInfo()).rejects.toMatchObject({ kind: 'rate-limited' });
    expect(sleeps).toEqual([]);
  });

  it('times out a slow attempt and retries it', async () => {
    const { client, events } = recordingClient({ attemptTimeoutMs: 100 });
    await client.tokens.getToken();
    fixture.simulator.injectFault({ path: ME, fault: { kind: 'delay', delayMs: 400 } });
    await client.organization.tokenInfo();
    const calls = events.filter((e) => e.type === 'call' && e.path === ME);
    expect(calls.map((e) => e.status)).toEqual([0, 200]);
  });

  it('retries a reset connection on a read, but not on a create', async () => {
    const { client } = recordingClient();
    fixture.simulator.injectFault({ path: ME, fault: { kind: 'reset' } });
    await expect(client.organization.tokenInfo()).resolves.toBeDefined();

    fixture.simulator.injectFault({ method: 'POST', path: '/api/v2/integrations', fault: { kind: 'reset' } });
    const error = await failure(
      client.integrations.create({ name: 'reset-test', integrationType: { id: 'purecloud-data-actions' } }),
    );
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
    await expect(client.organization.tokenInfo()).rejects.toMatchObject({
      kind: 'conflict',
      status: 409,
      attempts: 1,
    });
  });

  it('fails fast on a closed port of a host that never answered, naming host and code', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const host = `127.0.0.1:${(probe.address() as AddressInfo).port}`;
    await new Promise((resolve) => probe.close(resolve));
    const client = fixture.client({
      ...LOCAL,
      apiUrl: `http://${host}`,
      loginUrl: `http://${host}`,
      retry: { maxAttempts: 2, baseDelayMs: 1 },
    });
    const error = await failure(client.organization.tokenInfo());
    expect(error).toMatchObject({ kind: 'unreachable', status: 0, code: 'ECONNREFUSED', attempts: 2, host });
    expect(error.message).toBe(
      `Genesys POST /oauth/token failed (no response ECONNREFUSED): could not connect to ${host} (ECONNREFUSED) after 2 attempts. Check the region, apiUrl and loginUrl (and the network route to that host)`,
    );
  });
});

describe('network failures (fake fetch)', () => {
  beforeEach(() => clearTokenCache());

  it('fails at once when the host does not exist (ENOTFOUND), even for a read', async () => {
    const api = new FakeApi().on('POST', '/oauth/token', () => {
      throw networkError('ENOTFOUND', 'getaddrinfo ENOTFOUND login.mypurecloud.ie');
    });
    const clock = new FakeClock();
    const error = await failure(fakeClient(api, clock).organization.tokenInfo());
    expect(error).toMatchObject({
      kind: 'unreachable',
      name: 'Genesys.Unreachable',
      code: 'ENOTFOUND',
      host: 'login.mypurecloud.ie',
      attempts: 1,
      retryable: false,
    });
    expect(error.message).toBe(
      'Genesys POST /oauth/token failed (no response ENOTFOUND): could not resolve login.mypurecloud.ie (ENOTFOUND): no such host. Check the region, apiUrl and loginUrl (and the network route to that host)',
    );
    expect(api.calls).toHaveLength(1);
    expect(clock.sleeps).toEqual([]);
  });

  it('retries a temporary DNS failure (EAI_AGAIN) twice, quickly', async () => {
    const api = new FakeApi().on('POST', '/oauth/token', () => {
      throw networkError('EAI_AGAIN');
    });
    const clock = new FakeClock();
    const error = await failure(fakeClient(api, clock).tokens.getToken());
    expect(error).toMatchObject({ kind: 'transient', code: 'EAI_AGAIN', attempts: 3 });
    expect(error.message).toContain(
      'could not resolve login.mypurecloud.ie (EAI_AGAIN): DNS lookup failed for now',
    );
    expect(clock.sleeps).toEqual([125, 250]);
  });

  it('gives a refusing host that never answered about 2 s, then fails as unreachable', async () => {
    const api = new FakeApi().on('POST', '/oauth/token', () => {
      throw networkError('ECONNREFUSED');
    });
    const clock = new FakeClock();
    const client = fakeClient(api, clock, { region: 'ap-northeast-3' });
    const error = await failure(client.tokens.getToken());
    expect(error).toMatchObject({ kind: 'unreachable', code: 'ECONNREFUSED', attempts: 5 });
    expect(error.message).toContain(
      'could not connect to login.apne3.pure.cloud (ECONNREFUSED) after 5 attempts',
    );
    // Full jitter at 0.5 over 250, 500, 1000, 2000 ms steps; the next wait (2000) would end past 2000 ms.
    expect(clock.sleeps).toEqual([125, 250, 500, 1000]);
  });

  it('honours unreachableWindowMs', async () => {
    const api = new FakeApi().on('POST', '/oauth/token', () => {
      throw networkError('EHOSTUNREACH');
    });
    const clock = new FakeClock();
    const client = fakeClient(api, clock, { region: 'ap-northeast-2', retry: { unreachableWindowMs: 0 } });
    await expect(client.tokens.getToken()).rejects.toMatchObject({ kind: 'unreachable', attempts: 1 });
  });

  it('keeps the usual retries for a host that has answered before', async () => {
    let refuse = false;
    const api = new FakeApi().on('GET', ME, () => {
      if (refuse) throw networkError('ECONNREFUSED');
      return json(200, { organization: { id: 'o' } });
    });
    const clock = new FakeClock();
    const client = fakeClient(api, clock, { region: 'eu-central-2', retry: { maxAttempts: 4 } });
    await client.organization.tokenInfo();
    refuse = true;
    const error = await failure(client.organization.tokenInfo());
    expect(error).toMatchObject({
      kind: 'transient',
      code: 'ECONNREFUSED',
      attempts: 4,
      host: 'api.euc2.pure.cloud',
    });
    expect(clock.sleeps).toEqual([125, 250, 500]);
  });

  it('retries a create when the connection was refused (nothing reached the server)', async () => {
    const api = new FakeApi().on(
      'POST',
      '/api/v2/integrations',
      () => {
        throw networkError('ECONNREFUSED');
      },
      json(200, { id: 'i-1' }),
    );
    const client = fakeClient(api, new FakeClock(), { region: 'eu-west-2' });
    await expect(
      client.integrations.create({ name: 'n', integrationType: { id: 'purecloud-data-actions' } }),
    ).resolves.toEqual({ id: 'i-1' });
  });

  it('fails at once on a port fetch refuses to use (127.0.0.1:1)', async () => {
    const api = new FakeApi().on('POST', '/oauth/token', () => {
      throw new TypeError('fetch failed', { cause: new Error('bad port') });
    });
    const clock = new FakeClock();
    const client = fakeClient(api, clock, {
      apiUrl: 'http://127.0.0.1:1',
      loginUrl: 'http://127.0.0.1:1',
      allowedHosts: ['127.0.0.1'],
    });
    const error = await failure(client.tokens.getToken());
    expect(error).toMatchObject({ kind: 'unreachable', code: 'bad.port', host: '127.0.0.1:1', attempts: 1 });
    expect(error.message).toContain(
      'could not connect to 127.0.0.1:1 (bad port): fetch never connects to this port',
    );
  });

  it('finds the code inside the AggregateError of a dual-stack connect', async () => {
    const api = new FakeApi().on('POST', '/oauth/token', () => {
      throw new TypeError('fetch failed', {
        cause: new AggregateError([Object.assign(new Error('x'), { code: 'ENETUNREACH' })], 'all failed'),
      });
    });
    const client = fakeClient(api, new FakeClock(), {
      region: 'sa-east-1',
      retry: { unreachableWindowMs: 0 },
    });
    await expect(client.tokens.getToken()).rejects.toMatchObject({
      kind: 'unreachable',
      code: 'ENETUNREACH',
    });
  });

  it('finds the first code among the AggregateError entries, skipping those without one', async () => {
    const api = new FakeApi().on('POST', '/oauth/token', () => {
      throw new TypeError('fetch failed', {
        cause: new AggregateError(
          [null, new Error('no code'), Object.assign(new Error('x'), { code: 'EHOSTUNREACH' })],
          'all failed',
        ),
      });
    });
    const client = fakeClient(api, new FakeClock(), { retry: { maxAttempts: 1 } });
    await expect(client.tokens.getToken()).rejects.toMatchObject({ code: 'EHOSTUNREACH', attempts: 1 });
  });

  it('counts a connect timeout (UND_ERR_CONNECT_TIMEOUT) of a host that never answered as unreachable', async () => {
    const api = new FakeApi().on('POST', '/oauth/token', () => {
      throw networkError('UND_ERR_CONNECT_TIMEOUT', 'Connect Timeout Error');
    });
    const client = fakeClient(api, new FakeClock(), {
      region: 'me-central-1',
      retry: { unreachableWindowMs: 0 },
    });
    const error = await failure(client.tokens.getToken());
    expect(error).toMatchObject({ kind: 'unreachable', code: 'UND_ERR_CONNECT_TIMEOUT', attempts: 1 });
    expect(error.message).toBe(
      'Genesys POST /oauth/token failed (no response UND_ERR_CONNECT_TIMEOUT): could not connect to login.mec1.pure.cloud (UND_ERR_CONNECT_TIMEOUT). Check the region, apiUrl and loginUrl (and the network route to that host)',
    );
  });

  it.each(['EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT'])(
    'retries a create after %s (nothing reached the server)',
    async (code) => {
      const api = new FakeApi().on(
        'POST',
        '/api/v2/integrations',
        () => {
          throw networkError(code);
        },
        json(200, { id: 'i-1' }),
      );
      const clock = new FakeClock();
      const client = fakeClient(api, clock, { region: 'ca-central-1' });
      await expect(
        client.integrations.create({ name: 'n', integrationType: { id: 'purecloud-data-actions' } }),
      ).resolves.toEqual({ id: 'i-1' });
      expect(api.apiLines).toEqual(['POST /api/v2/integrations', 'POST /api/v2/integrations']);
      expect(clock.sleeps).toEqual([125]);
    },
  );

  it('reports how long each attempt took, failed or answered', async () => {
    const clock = new FakeClock();
    const events: HttpEvent[] = [];
    const api = new FakeApi().on(
      'GET',
      ME,
      () => {
        clock.time += 80;
        throw networkError('ECONNRESET');
      },
      () => {
        clock.time += 120;
        return json(200, { organization: { id: 'o' } });
      },
    );
    await fakeClient(api, clock, { onEvent: (e) => events.push(e) }).organization.tokenInfo();
    expect(events.filter((e) => e.path === ME)).toEqual([
      { type: 'call', method: 'GET', path: ME, status: 0, attempt: 1, durationMs: 80 },
      { type: 'retry', method: 'GET', path: ME, status: 0, kind: 'transient', attempt: 1, delayMs: 125 },
      { type: 'call', method: 'GET', path: ME, status: 200, attempt: 2, durationMs: 120 },
    ]);
  });

  it.each([
    [
      'a reset connection',
      networkError('ECONNRESET'),
      'ECONNRESET',
      'the connection to api.mypurecloud.ie was reset (ECONNRESET)',
    ],
    [
      'an error without a code',
      new TypeError('fetch failed'),
      'network.error',
      'could not connect to api.mypurecloud.ie (network.error)',
    ],
    [
      'an AggregateError without codes',
      new TypeError('fetch failed', { cause: new AggregateError([{}], 'no codes') }),
      'network.error',
      'could not connect to api.mypurecloud.ie (network.error)',
    ],
    [
      'a timeout',
      Object.assign(new Error('timed out'), { name: 'TimeoutError' }),
      'client.timeout',
      'no response from api.mypurecloud.ie within 15000 ms',
    ],
    [
      'an aborted request',
      new DOMException('This operation was aborted', 'AbortError'),
      'client.timeout',
      'no response from api.mypurecloud.ie within 15000 ms',
    ],
  ])('names the host for %s', async (_label, thrown, code, text) => {
    const api = new FakeApi().on('GET', ME, () => {
      throw thrown;
    });
    const client = fakeClient(api, new FakeClock(), { retry: { maxAttempts: 1 } });
    const error = await failure(client.organization.tokenInfo());
    expect(error).toMatchObject({ kind: 'transient', code, host: 'api.mypurecloud.ie' });
    expect(error.message).toBe(`Genesys GET ${ME} failed (no response ${code}): ${text}`);
  });
});

describe('HTTP error answers (fake fetch)', () => {
  beforeEach(() => clearTokenCache());

  it('never follows a redirect, naming only the host it pointed at', async () => {
    const api = new FakeApi().on(
      'GET',
      ME,
      new Response(null, { status: 302, headers: { location: 'https://elsewhere.example/steal?x=1' } }),
    );
    const error = await failure(fakeClient(api).organization.tokenInfo());
    expect(api.calls.every((call) => call.init.redirect === 'manual')).toBe(true);
    expect(error).toMatchObject({ kind: 'bad-request', status: 302, attempts: 1 });
    expect(error.message).toBe(
      `Genesys GET ${ME} failed (HTTP 302). The server redirected to elsewhere.example; redirects are not followed, so check apiUrl and loginUrl`,
    );
  });

  it('gives the redirect hint for a 300 too', async () => {
    const api = new FakeApi().on('GET', ME, new Response(null, { status: 300 }));
    expect((await failure(fakeClient(api).organization.tokenInfo())).message).toBe(
      `Genesys GET ${ME} failed (HTTP 300). The server redirected; redirects are not followed, so check apiUrl and loginUrl`,
    );
  });

  it('says so when a redirect has no usable location', async () => {
    const api = new FakeApi().on('GET', ME, new Response(null, { status: 307, headers: { location: '/x' } }));
    const error = await failure(fakeClient(api).organization.tokenInfo());
    expect(error.message).toContain('The server redirected to a relative location;');
    const bare = new FakeApi().on('GET', ME, new Response(null, { status: 301 }));
    expect((await failure(fakeClient(bare).organization.tokenInfo())).message).toContain(
      'The server redirected; redirects are not followed',
    );
  });

  it.each([400, 401])(
    'treats invalid_client answered %i as an authentication failure, never retried',
    async (status) => {
      const api = new FakeApi().on(
        'POST',
        '/oauth/token',
        json(status, { error: 'invalid_client', description: 'authentication failed' }),
      );
      const clock = new FakeClock();
      const error = await failure(fakeClient(api, clock).tokens.getToken());
      expect(error).toMatchObject({ kind: 'authentication', status, code: 'invalid_client', attempts: 1 });
      expect(error.message).toBe(
        `Genesys POST /oauth/token failed (HTTP ${status} invalid_client): authentication failed. Check the client id, client secret and region`,
      );
      expect(api.calls).toHaveLength(1);
      expect(clock.sleeps).toEqual([]);
    },
  );

  it('keeps details[] and contextId of an ErrorBody', async () => {
    const api = new FakeApi().on(
      'POST',
      '/api/v2/oauth/clients',
      errorBody(400, 'bad.request', 'Role r-1 does not exist', {
        details: [
          { errorCode: 'invalid.value', fieldName: 'roleDivisions.roleId' },
          { errorCode: 'role.not.grantable', entityId: 'r-1' },
          { fieldName: 'name' },
          { fieldName: '', errorCode: 'invalid.value', entityId: 42 },
          { fieldName: '', entityName: '' },
          {},
          'junk',
          null,
          7,
        ],
      }),
    );
    const error = await failure(
      fakeClient(api).oauthClients.create({ name: 'n', authorizedGrantType: 'CLIENT-CREDENTIALS' }),
    );
    expect(error.details).toEqual([
      { errorCode: 'invalid.value', fieldName: 'roleDivisions.roleId' },
      { errorCode: 'role.not.grantable', entityId: 'r-1' },
      { fieldName: 'name' },
      { errorCode: 'invalid.value' },
    ]);
    expect(error.message).toBe(
      'Genesys POST /api/v2/oauth/clients failed (HTTP 400 bad.request): Role r-1 does not exist [details: roleDivisions.roleId invalid.value; role.not.grantable (entity r-1); name; invalid.value] [contextId ctx-400]',
    );
    expect(JSON.parse(JSON.stringify(error)).details).toHaveLength(4);
  });

  it('uses messageWithParams, filled in, when message is empty', async () => {
    const api = new FakeApi().on(
      'GET',
      ME,
      errorBody(403, 'missing.any.permissions', '', {
        messageWithParams: 'You must have one of: {permissions}',
        messageParams: { permissions: '[oauth:client:view]' },
      }),
    );
    const error = await failure(fakeClient(api).organization.tokenInfo());
    expect(error.genesysMessage).toBe('You must have one of: [oauth:client:view]');
  });

  it('blanks secrets out of details too', async () => {
    const api = new FakeApi().on(
      'PUT',
      '/api/v2/integrations/credentials/c-1',
      errorBody(400, 'bad.request', 'bad', {
        details: [{ fieldName: 'credentialFields', entityName: 'the-secret-123' }],
      }),
    );
    const error = await failure(
      fakeClient(api).credentials.update('c-1', {
        name: 'n',
        type: { name: 'pureCloudOAuthClient' },
        credentialFields: { clientId: 'id', clientSecret: 'the-secret-123' },
      }),
    );
    expect(error.details).toEqual([{ fieldName: 'credentialFields', entityName: '[REDACTED]' }]);
    expect(error.message).not.toContain('the-secret-123');
  });

  it('treats a 400 "does not match the current version" as a conflict', async () => {
    const api = new FakeApi().on(
      'PUT',
      '/api/v2/integrations/i/config/current',
      errorBody(400, 'bad.request', 'The version 1 does not match the current version 2'),
    );
    await expect(
      fakeClient(api).integrations.putConfig('i', { name: 'n', version: 1 } as never),
    ).rejects.toMatchObject({ kind: 'conflict', status: 400 });
  });

  it('files the token endpoint\'s 400 invalid_request "rate limit exceeded" as rate-limited', async () => {
    const api = new FakeApi().on(
      'POST',
      '/oauth/token',
      json(
        400,
        { error: 'invalid_request', error_description: 'rate limit exceeded; try later' },
        { 'retry-after': '3' },
      ),
      json(200, { access_token: 'fresh-token-value', expires_in: 60 }),
    );
    const clock = new FakeClock();
    await expect(fakeClient(api, clock).tokens.getToken()).resolves.toBe('fresh-token-value');
    expect(clock.sleeps).toEqual([3000]);
  });

  it('reads "rate limit exceeded" as throttling only in a 400 invalid_request', async () => {
    // TF retries `Auth Error: 400 - invalid_request (rate limit exceeded; …)` only (genesys-cloud-api.md §14).
    const unauthorized = new FakeApi().on(
      'POST',
      '/oauth/token',
      json(401, {
        error: 'invalid_request',
        description: 'rate limit exceeded; try later',
        error_description: 'rate limit exceeded; try later',
      }),
    );
    const clock = new FakeClock();
    await expect(fakeClient(unauthorized, clock).tokens.getToken()).rejects.toMatchObject({
      kind: 'authentication',
      status: 401,
      code: 'invalid_request',
      attempts: 1,
    });
    expect(clock.sleeps).toEqual([]);

    const invalidValue = new FakeApi().on(
      'POST',
      '/api/v2/integrations',
      errorBody(400, 'invalid.value', 'Value [rate limit exceeded] is not valid for field type [name]'),
    );
    await expect(
      fakeClient(invalidValue, clock).integrations.create({
        name: 'rate limit exceeded',
        integrationType: { id: 'purecloud-data-actions' },
      }),
    ).rejects.toMatchObject({ kind: 'bad-request', status: 400, code: 'invalid.value', attempts: 1 });
    expect(invalidValue.apiLines).toEqual(['POST /api/v2/integrations']);
    expect(clock.sleeps).toEqual([]);
  });

  it('reads "does not match the current version" as a conflict only in a 400', async () => {
    const api = new FakeApi().on(
      'PUT',
      '/api/v2/integrations/i/config/current',
      errorBody(422, 'payload.or.params.invalid', 'The version 1 does not match the current version 2'),
    );
    await expect(
      fakeClient(api).integrations.putConfig('i', { name: 'n', version: 1 } as never),
    ).rejects.toMatchObject({ kind: 'bad-request', status: 422, code: 'payload.or.params.invalid' });
  });

  it('honours a Retry-After of exactly maxRetryAfterMs', async () => {
    const api = new FakeApi().on('GET', ME, tooManyRequests(3), json(200, { organization: { id: 'o' } }));
    const clock = new FakeClock();
    const client = fakeClient(api, clock, { retry: { maxRetryAfterMs: 3000 } });
    await expect(client.organization.tokenInfo()).resolves.toEqual({ organization: { id: 'o' } });
    expect(clock.sleeps).toEqual([3000]);
  });

  it('retries when the wait ends exactly at totalBudgetMs, counting the time already spent', async () => {
    const run = async (totalBudgetMs: number) => {
      const clock = new FakeClock();
      const api = new FakeApi().on(
        'GET',
        ME,
        () => {
          clock.time += 1000;
          return tooManyRequests(2);
        },
        json(200, { organization: { id: 'o' } }),
      );
      const result = await fakeClient(api, clock, { retry: { totalBudgetMs } })
        .organization.tokenInfo()
        .catch((e: unknown) => e);
      return { result, sleeps: clock.sleeps };
    };
    // 1000 ms spent on the first attempt + a 2000 ms wait = 3000 ms.
    expect(await run(3000)).toEqual({ result: { organization: { id: 'o' } }, sleeps: [2000] });
    const over = await run(2999);
    expect(over.result).toMatchObject({ kind: 'rate-limited', status: 429, attempts: 1 });
    expect(over.sleeps).toEqual([]);
  });

  it('reads Retry-After only on a rate-limited answer: a 503 is retried with backoff', async () => {
    const api = new FakeApi().on(
      'GET',
      ME,
      json(
        503,
        { message: 'Service Unavailable', code: 'service.unavailable', status: 503, contextId: 'ctx-503' },
        { 'retry-after': '30' },
      ),
      json(200, { organization: { id: 'o' } }),
    );
    const clock = new FakeClock();
    await expect(fakeClient(api, clock).organization.tokenInfo()).resolves.toEqual({
      organization: { id: 'o' },
    });
    // Full jitter at 0.5 over the first 250 ms step.
    expect(clock.sleeps).toEqual([125]);
  });

  it('fails with a GenesysApiError, not a TypeError, when an error answer is JSON null', async () => {
    const api = new FakeApi().on('GET', ME, new Response('null', { status: 502 }));
    const error = await failure(
      fakeClient(api, new FakeClock(), { retry: { maxAttempts: 1 } }).organization.tokenInfo(),
    );
    expect(error).toMatchObject({ kind: 'transient', status: 502, code: undefined, attempts: 1 });
    expect(error.message).toBe(`Genesys GET ${ME} failed (HTTP 502)`);
  });
});

describe('parseErrorBody', () => {
  it('reads a Genesys ErrorBody', () => {
    expect(parseErrorBody('{"message":"m","code":"c","status":400,"contextId":"x"}')).toEqual({
      code: 'c',
      message: 'm',
      contextId: 'x',
    });
  });

  it('reads an OAuth error body', () => {
    expect(parseErrorBody('{"error":"invalid_client","description":"authentication failed"}')).toEqual({
      code: 'invalid_client',
      message: 'authentication failed',
    });
  });

  it('never echoes a body that is not JSON', () => {
    expect(parseErrorBody('<html>secret</html>')).toStrictEqual({});
    expect(parseErrorBody('')).toStrictEqual({});
  });

  it.each(['"just a string"', '42', 'true', 'null'])('reads nothing from the JSON value %s', (text) => {
    expect(parseErrorBody(text)).toStrictEqual({});
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates relative to now', () => {
    expect(parseRetryAfter('3')).toBe(3000);
    expect(parseRetryAfter(null)).toBeUndefined();
    expect(parseRetryAfter(' ')).toBeUndefined();
    expect(parseRetryAfter('soon')).toBeUndefined();
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:02 GMT', now)).toBe(2000);
    expect(parseRetryAfter('Wed, 31 Dec 2025 00:00:00 GMT', now)).toBe(0);
  });
});
