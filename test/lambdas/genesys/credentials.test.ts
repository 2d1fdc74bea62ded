import { clearTokenCache } from '../../../lambdas/genesys/auth';
import type { CredentialRequest } from '../../../lambdas/genesys/models';
import { errorBody, FakeApi, FakeClock, fakeClient, json, type RecordedCall } from './fake-api';

const BASE = '/api/v2/integrations/credentials';
const ONE = `${BASE}/cred-1`;
const request: CredentialRequest = {
  name: 'Integration-i-1',
  type: { name: 'pureCloudOAuthClient' },
  credentialFields: { clientId: 'client-1', clientSecret: 'client-secret-1' },
};
const inUse = () => errorBody(400, 'bad.request', 'The credential is in use by an integration');
const noContent = () => new Response(null, { status: 204 });

describe('credentials.delete', () => {
  beforeEach(() => clearTokenCache());

  it('answers deleted', async () => {
    const api = new FakeApi().on('DELETE', ONE, noContent());
    expect(await fakeClient(api).credentials.delete('cred-1')).toBe('deleted');
  });

  it.each([404, 410])('answers absent for a %i', async (status) => {
    const api = new FakeApi().on('DELETE', ONE, errorBody(status, 'not.found', 'gone'));
    expect(await fakeClient(api).credentials.delete('cred-1')).toBe('absent');
  });

  it.each([
    ['400', inUse],
    ['409', () => errorBody(409, 'general.conflict', 'in use')],
  ])('retries a %s while the integration holding it is being deleted', async (_label, refusal) => {
    const api = new FakeApi().on('DELETE', ONE, refusal(), refusal(), noContent());
    const clock = new FakeClock();
    expect(await fakeClient(api, clock).credentials.delete('cred-1')).toBe('deleted');
    expect(api.apiLines).toEqual([`DELETE ${ONE}`, `DELETE ${ONE}`, `DELETE ${ONE}`]);
    // Equal jitter at 0.5 over 500 and 1000 ms steps.
    expect(clock.sleeps).toEqual([375, 750]);
  });

  it('gives up after releaseTimeoutMs with the refusal', async () => {
    const api = new FakeApi().on('DELETE', ONE, inUse());
    const clock = new FakeClock();
    const error = await fakeClient(api, clock)
      .credentials.delete('cred-1', { releaseTimeoutMs: 3000 })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      kind: 'bad-request',
      status: 400,
      genesysMessage: 'The credential is in use by an integration',
    });
    // 375 + 750 + 1500 = 2625; the next wait (3000) would end past 3000.
    expect(clock.sleeps).toEqual([375, 750, 1500]);
  });

  it('waits about 30 s by default', async () => {
    const api = new FakeApi().on('DELETE', ONE, inUse());
    const clock = new FakeClock();
    await expect(fakeClient(api, clock).credentials.delete('cred-1')).rejects.toMatchObject({ status: 400 });
    const waited = clock.sleeps.reduce((a, b) => a + b, 0);
    expect(waited).toBeLessThanOrEqual(30_000);
    expect(waited).toBeGreaterThan(27_000);
  });

  it('rethrows other errors at once', async () => {
    const api = new FakeApi().on('DELETE', ONE, errorBody(403, 'missing.any.permissions', 'no'));
    await expect(fakeClient(api).credentials.delete('cred-1')).rejects.toMatchObject({ kind: 'permission' });
    expect(api.apiLines).toHaveLength(1);
  });

  it('takes the 404 window for a credential created moments ago', async () => {
    const api = new FakeApi().on('DELETE', ONE, errorBody(404, 'not.found', 'not yet'), noContent());
    expect(await fakeClient(api).credentials.delete('cred-1', { retryNotFoundMs: 1000 })).toBe('deleted');
  });
});

describe('credentials listing and writes', () => {
  beforeEach(() => clearTokenCache());

  it('pages the cursor listing until an empty page, whether or not nextUri is given', async () => {
    const pages: Record<string, unknown> = {
      '': {
        entities: [
          { id: 'a', name: 'x' },
          { id: 'b', name: 'Integration-i-1' },
        ],
      },
      b: { entities: [{ id: 'c', name: 'Integration-i-1' }], nextUri: `${BASE}/listing?after=c` },
      c: { entities: [] },
    };
    const api = new FakeApi().on('GET', `${BASE}/listing`, (call: RecordedCall) =>
      json(200, pages[call.url.searchParams.get('after') ?? '']),
    );
    const client = fakeClient(api);
    expect((await client.credentials.findByName('Integration-i-1')).map((c) => c.id)).toEqual(['b', 'c']);
    expect(api.apiLines).toEqual([
      `GET ${BASE}/listing?pageSize=200`,
      `GET ${BASE}/listing?after=b&pageSize=200`,
      `GET ${BASE}/listing?after=c&pageSize=200`,
    ]);
  });

  it('refuses a listing whose server ignores the cursor, naming the listing', async () => {
    const api = new FakeApi().on('GET', `${BASE}/listing`, json(200, { entities: [{ id: 'a', name: 'x' }] }));
    await expect(fakeClient(api).credentials.listAll()).rejects.toMatchObject({
      code: 'incomplete.listing',
      method: 'GET',
      path: `${BASE}/listing`,
    });
  });

  it('creates and updates with the whole body, the update through the 404 window', async () => {
    const api = new FakeApi()
      .on('POST', BASE, json(200, { id: 'cred-1', name: request.name }))
      .on('PUT', ONE, errorBody(404, 'not.found', 'x'), json(200, { id: 'cred-1', name: request.name }));
    const client = fakeClient(api);
    expect((await client.credentials.create(request)).id).toBe('cred-1');
    expect((await client.credentials.update('cred-1', request, { retryNotFoundMs: 1000 })).id).toBe('cred-1');
    const bodies = api.calls.filter((c) => c.method !== 'POST' || c.url.pathname === BASE).map((c) => c.body);
    expect(bodies.every((body) => body === JSON.stringify(request))).toBe(true);
    expect(api.apiLines).toEqual([`POST ${BASE}`, `PUT ${ONE}`, `PUT ${ONE}`]);
  });
});

describe('credentials.find', () => {
  beforeEach(() => clearTokenCache());

  it('answers the credential read by id', async () => {
    const info = { id: 'cred-1', name: 'Integration-i-1', type: { name: 'pureCloudOAuthClient' } };
    const api = new FakeApi().on('GET', ONE, json(200, info));
    expect(await fakeClient(api).credentials.find('cred-1')).toEqual(info);
  });

  it('answers undefined for a 404', async () => {
    const api = new FakeApi().on('GET', ONE, errorBody(404, 'not.found', 'gone'));
    expect(await fakeClient(api).credentials.find('cred-1')).toBeUndefined();
  });

  it('passes on any other failure', async () => {
    const api = new FakeApi().on('GET', ONE, errorBody(403, 'missing.permissions', 'no'));
    await expect(fakeClient(api).credentials.find('cred-1')).rejects.toMatchObject({ kind: 'permission' });
  });
});
