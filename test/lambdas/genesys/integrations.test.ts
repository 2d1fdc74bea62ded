import { clearTokenCache } from '../../../lambdas/genesys/auth';
import type { IntegrationConfiguration } from '../../../lambdas/genesys/models';
import { errorBody, FakeApi, FakeClock, fakeClient, json, type RecordedCall } from './fake-api';

const BASE = '/api/v2/integrations';
const ONE = `${BASE}/i-1`;
const CONFIG = `${ONE}/config/current`;

const integration = (id: string, type = 'purecloud-data-actions', notes = 'ours') => ({
  id,
  name: `name ${id}`,
  integrationType: { id: type },
  config: { current: { id, name: `name ${id}`, version: 1, notes, credentials: {} } },
});

const config = (
  version: number,
  extra: Partial<IntegrationConfiguration> = {},
): IntegrationConfiguration => ({
  name: 'Acme',
  version,
  properties: {},
  advanced: {},
  notes: '',
  credentials: {},
  ...extra,
});

const withCredential = (current: IntegrationConfiguration): IntegrationConfiguration => ({
  ...current,
  credentials: { pureCloudOAuthClient: { id: 'cred-1' } },
});

const putBodies = (api: FakeApi) =>
  api.calls
    .filter((c) => c.method === 'PUT')
    .map((c) => JSON.parse(c.body ?? '') as IntegrationConfiguration);

describe('integrations listings and reads', () => {
  beforeEach(() => clearTokenCache());

  it('lists a type over every page with config inline, keeping only that type', async () => {
    const pages: Record<string, unknown> = {
      '1': {
        entities: [integration('a'), integration('x', 'custom-rest-actions')],
        pageSize: 100,
        pageNumber: 1,
        pageCount: 2,
      },
      '2': {
        entities: [integration('b', 'purecloud-data-actions', 'node_dynamodb_empty_string')],
        pageNumber: 2,
        pageCount: 2,
      },
    };
    const api = new FakeApi().on('GET', BASE, (call: RecordedCall) =>
      json(200, pages[call.url.searchParams.get('pageNumber') ?? '']),
    );
    const all = await fakeClient(api).integrations.listByType('purecloud-data-actions');
    expect(all.map((i) => i.id)).toEqual(['a', 'b']);
    expect(all[1]?.config?.current?.notes).toBe('');
    expect(api.apiLines).toEqual([
      `GET ${BASE}?integrationType=purecloud-data-actions&expand=config.current&pageNumber=1&pageSize=100`,
      `GET ${BASE}?integrationType=purecloud-data-actions&expand=config.current&pageNumber=2&pageSize=100`,
    ]);
  });

  it('lists every custom data action over every page', async () => {
    const pages: Record<string, unknown> = {
      '1': { entities: [{ id: 'act-1', integrationId: 'i-1' }], pageNumber: 1, pageCount: 2 },
      '2': { entities: [{ id: 'act-2', integrationId: 'i-2' }], pageNumber: 2, pageCount: 2 },
    };
    const api = new FakeApi().on('GET', `${BASE}/actions`, (call: RecordedCall) =>
      json(200, pages[call.url.searchParams.get('pageNumber') ?? '']),
    );
    expect(await fakeClient(api).integrations.listActions()).toEqual([
      { id: 'act-1', integrationId: 'i-1' },
      { id: 'act-2', integrationId: 'i-2' },
    ]);
    expect(api.apiLines).toEqual([
      `GET ${BASE}/actions?pageNumber=1&pageSize=100`,
      `GET ${BASE}/actions?pageNumber=2&pageSize=100`,
    ]);
  });

  it('finds by exact name', async () => {
    const api = new FakeApi().on(
      'GET',
      BASE,
      json(200, {
        entities: [integration('a'), { ...integration('b'), name: 'name a ' }],
        pageCount: 1,
        pageNumber: 1,
      }),
    );
    expect(
      (await fakeClient(api).integrations.findByName('purecloud-data-actions', 'name a')).map((i) => i.id),
    ).toEqual(['a']);
  });

  it('gets one with its config expanded on request and empty notes as ""', async () => {
    const api = new FakeApi().on(
      'GET',
      ONE,
      json(200, integration('i-1', 'purecloud-data-actions', 'node_dynamodb_empty_string')),
    );
    const client = fakeClient(api);
    const read = await client.integrations.get('i-1', { expandConfig: true });
    expect(read.config?.current?.notes).toBe('');
    await client.integrations.get('i-1');
    expect(api.apiLines).toEqual([`GET ${ONE}?expand=config.current`, `GET ${ONE}`]);
  });

  it('leaves an integration without config as it is', async () => {
    const bare = { id: 'i-1', name: 'n' };
    const api = new FakeApi().on('GET', ONE, json(200, bare));
    expect(await fakeClient(api).integrations.get('i-1')).toEqual(bare);
  });

  it('find answers undefined after the 404 window, and the integration when it shows up', async () => {
    const api = new FakeApi().on('GET', ONE, errorBody(404, 'not.found', 'x'));
    const clock = new FakeClock();
    const client = fakeClient(api, clock);
    expect(await client.integrations.find('i-1', { retryNotFoundMs: 400 })).toBeUndefined();
    expect(clock.sleeps).toEqual([150]);
    api.on('GET', ONE, errorBody(404, 'not.found', 'x'), json(200, integration('i-1')));
    expect((await client.integrations.find('i-1', { retryNotFoundMs: 400 }))?.id).toBe('i-1');
  });

  it('find rethrows anything but a 404', async () => {
    const api = new FakeApi().on('GET', ONE, errorBody(403, 'missing.any.permissions', 'no'));
    await expect(fakeClient(api).integrations.find('i-1')).rejects.toMatchObject({ kind: 'permission' });
  });

  it('patches with the 404 window', async () => {
    const api = new FakeApi().on(
      'PATCH',
      ONE,
      errorBody(404, 'not.found', 'x'),
      json(200, { id: 'i-1', intendedState: 'ENABLED' }),
    );
    const patched = await fakeClient(api).integrations.patch(
      'i-1',
      { intendedState: 'ENABLED' },
      { retryNotFoundMs: 1000 },
    );
    expect(patched.intendedState).toBe('ENABLED');
    expect(api.calls.filter((c) => c.method === 'PATCH').map((c) => c.body)).toEqual([
      '{"intendedState":"ENABLED"}',
      '{"intendedState":"ENABLED"}',
    ]);
  });
});

describe('integrations.deleteAndWait', () => {
  beforeEach(() => clearTokenCache());

  it('deletes, then polls GET until 404', async () => {
    const api = new FakeApi()
      .on('DELETE', ONE, json(200, integration('i-1')))
      .on(
        'GET',
        ONE,
        json(200, integration('i-1')),
        json(200, integration('i-1')),
        errorBody(404, 'not.found', 'gone'),
      );
    const clock = new FakeClock();
    expect(await fakeClient(api, clock).integrations.deleteAndWait('i-1')).toBe('deleted');
    expect(api.apiLines).toEqual([`DELETE ${ONE}`, `GET ${ONE}`, `GET ${ONE}`, `GET ${ONE}`]);
    expect(clock.sleeps).toEqual([375, 750]);
  });

  it('is absent when the DELETE answers 404 after its window', async () => {
    const api = new FakeApi().on('DELETE', ONE, errorBody(404, 'not.found', 'gone'));
    const clock = new FakeClock();
    expect(await fakeClient(api, clock).integrations.deleteAndWait('i-1', { retryNotFoundMs: 200 })).toBe(
      'absent',
    );
    expect(api.apiLines).toEqual([`DELETE ${ONE}`, `DELETE ${ONE}`]);
  });

  it('gives up after about 30 s by default', async () => {
    const api = new FakeApi()
      .on('DELETE', ONE, json(200, integration('i-1')))
      .on('GET', ONE, json(200, integration('i-1')));
    const clock = new FakeClock();
    const error = await fakeClient(api, clock)
      .integrations.deleteAndWait('i-1')
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'delete.not.confirmed', path: ONE });
    const waited = clock.sleeps.reduce((a, b) => a + b, 0);
    expect(waited).toBeLessThanOrEqual(30_000);
    expect(waited).toBeGreaterThan(30_000 - 3_000);
  });

  it('honours goneTimeoutMs', async () => {
    const api = new FakeApi()
      .on('DELETE', ONE, json(200, integration('i-1')))
      .on('GET', ONE, json(200, integration('i-1')));
    const clock = new FakeClock();
    await expect(
      fakeClient(api, clock).integrations.deleteAndWait('i-1', { goneTimeoutMs: 1000 }),
    ).rejects.toMatchObject({
      message: `Genesys DELETE ${ONE} failed (HTTP 200 delete.not.confirmed): still readable 1000 ms after it was deleted`,
    });
    expect(clock.sleeps).toEqual([375]);
  });
});

describe('integrations config', () => {
  beforeEach(() => clearTokenCache());

  it('reads and writes config/current with empty notes as ""', async () => {
    const api = new FakeApi()
      .on('GET', CONFIG, json(200, config(3, { notes: 'node_dynamodb_empty_string' })))
      .on('PUT', CONFIG, json(200, config(4, { notes: 'node_dynamodb_empty_string' })));
    const client = fakeClient(api);
    expect((await client.integrations.getConfig('i-1')).notes).toBe('');
    expect(await client.integrations.putConfig('i-1', config(3))).toEqual(config(4));
  });

  it('updateConfig GETs, applies the change and PUTs it with the version just read', async () => {
    const api = new FakeApi()
      .on('GET', CONFIG, json(200, config(3, { notes: 'node_dynamodb_empty_string' })))
      .on('PUT', CONFIG, (call: RecordedCall) => json(200, { ...JSON.parse(call.body ?? ''), version: 4 }));
    const seen: IntegrationConfiguration[] = [];
    const saved = await fakeClient(api).integrations.updateConfig('i-1', (current) => {
      seen.push(current);
      return { ...withCredential(current), version: 99 };
    });
    expect(seen).toEqual([config(3)]);
    expect(putBodies(api)).toEqual([withCredential(config(3))]);
    expect(saved.version).toBe(4);
  });

  it('uses knownCurrent for the first attempt instead of a GET', async () => {
    const api = new FakeApi().on('PUT', CONFIG, json(200, config(8)));
    await fakeClient(api).integrations.updateConfig('i-1', withCredential, {
      knownCurrent: config(7, { notes: 'node_dynamodb_empty_string' }),
    });
    expect(api.apiLines).toEqual([`PUT ${CONFIG}`]);
    expect(putBodies(api)).toEqual([withCredential(config(7))]);
  });

  it('sends nothing when the change answers undefined', async () => {
    const api = new FakeApi().on('GET', CONFIG, json(200, config(2)));
    expect(await fakeClient(api).integrations.updateConfig('i-1', () => undefined)).toEqual(config(2));
    expect(api.apiLines).toEqual([`GET ${CONFIG}`]);
  });

  it.each([
    [
      '409',
      () => errorBody(409, 'general.conflict', 'The version number of the modified resource must match'),
    ],
    [
      '400 version mismatch',
      () => errorBody(400, 'bad.request', 'Version 1 does not match the current version'),
    ],
    ['408', () => errorBody(408, 'client.timeout', 'timeout')],
  ])('on a %s conflict reads again and retries with the new version', async (_label, conflict) => {
    const api = new FakeApi()
      .on('GET', CONFIG, json(200, config(1)), json(200, config(2)))
      .on('PUT', CONFIG, conflict(), json(200, config(3)));
    const clock = new FakeClock();
    const client = fakeClient(api, clock, { retry: { maxAttempts: 1 } });
    await client.integrations.updateConfig('i-1', withCredential, { knownCurrent: config(0) });
    expect(api.apiLines).toEqual([`PUT ${CONFIG}`, `GET ${CONFIG}`, `PUT ${CONFIG}`]);
    expect(putBodies(api).map((c) => c.version)).toEqual([0, 1]);
    expect(clock.sleeps).toEqual([125]);
  });

  it('throws the last conflict once the window is over', async () => {
    const api = new FakeApi()
      .on('GET', CONFIG, json(200, config(1)))
      .on('PUT', CONFIG, errorBody(409, 'general.conflict', 'version mismatch'));
    const clock = new FakeClock();
    await expect(
      fakeClient(api, clock).integrations.updateConfig('i-1', withCredential, { conflictWindowMs: 1000 }),
    ).rejects.toMatchObject({ kind: 'conflict', status: 409 });
    // Full jitter at 0.5 over 250, 500, 1000, 2000 ms steps: 125 + 250 + 500 = 875; + 1000 > 1000.
    expect(clock.sleeps).toEqual([125, 250, 500]);
    expect(api.apiLines.filter((l) => l.startsWith('PUT'))).toHaveLength(4);
  });

  it('keeps trying for about 8 s by default, at most 10 times', async () => {
    const api = new FakeApi()
      .on('GET', CONFIG, json(200, config(1)))
      .on('PUT', CONFIG, errorBody(409, 'general.conflict', 'version mismatch'));
    const clock = new FakeClock();
    clock.randomValue = 0.999;
    await expect(
      fakeClient(api, clock).integrations.updateConfig('i-1', withCredential),
    ).rejects.toMatchObject({
      kind: 'conflict',
    });
    // 250 + 500 + 999 + 1998 × 3 = 7743 ms; one more wait would end past 8000.
    expect(clock.sleeps).toEqual([250, 500, 999, 1998, 1998, 1998]);

    const quick = new FakeClock();
    quick.randomValue = 0;
    api.calls.length = 0;
    await expect(
      fakeClient(api, quick).integrations.updateConfig('i-1', withCredential),
    ).rejects.toMatchObject({
      kind: 'conflict',
    });
    expect(api.apiLines.filter((l) => l.startsWith('PUT'))).toHaveLength(10);
  });

  it('does not retry an error that is not a version conflict', async () => {
    const api = new FakeApi()
      .on('GET', CONFIG, json(200, config(1)))
      .on('PUT', CONFIG, errorBody(400, 'bad.request', 'Credential cred-1 does not exist'));
    await expect(fakeClient(api).integrations.updateConfig('i-1', withCredential)).rejects.toMatchObject({
      kind: 'bad-request',
    });
    expect(api.apiLines).toEqual([`GET ${CONFIG}`, `PUT ${CONFIG}`]);
  });

  it('reads a config created moments ago through its 404 window', async () => {
    const api = new FakeApi()
      .on('GET', CONFIG, errorBody(404, 'not.found', 'x'), json(200, config(1)))
      .on('PUT', CONFIG, json(200, config(2)));
    await fakeClient(api).integrations.updateConfig('i-1', withCredential, { retryNotFoundMs: 1000 });
    expect(api.apiLines).toEqual([`GET ${CONFIG}`, `GET ${CONFIG}`, `PUT ${CONFIG}`]);
  });
});
