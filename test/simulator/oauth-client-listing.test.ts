import { realisticOrgSeed } from '../../simulator';
import { NO_WAITS, simulatorHarness } from './harness';

/** `GET /api/v2/oauth/clients` paging: whether the real endpoint pages is UNVERIFIED, so every variant is a mode. */
describe('simulator: OAuth client listing paging', () => {
  const harness = simulatorHarness(NO_WAITS, realisticOrgSeed());
  const { simulator, call } = harness;
  const { org } = harness.seeded;
  const idsOf = (body: Record<string, unknown>) => (body.entities as Array<{ id: string }>).map((c) => c.id);
  const allIds = () => [...org.clients.keys()].sort();

  afterEach(() => {
    simulator.options.oauthClientPaging = undefined;
    simulator.options.oauthClientPageSize = undefined;
  });

  it('pages by 25 with nextUri by default, and following nextUri reaches every client', async () => {
    const first = await call('GET', '/api/v2/oauth/clients');
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ pageSize: 25, pageNumber: 1, total: 31, pageCount: 2 });
    expect(first.body.entities).toHaveLength(25);
    expect(first.body.nextUri).toBe('/api/v2/oauth/clients?pageSize=25&pageNumber=2');
    expect(first.body.previousUri).toBeUndefined();
    const second = await call('GET', first.body.nextUri as string);
    expect(second.body).toMatchObject({ pageSize: 25, pageNumber: 2, total: 31, pageCount: 2 });
    expect(second.body.entities).toHaveLength(6);
    expect(second.body.nextUri).toBeUndefined();
    expect(second.body.previousUri).toBe('/api/v2/oauth/clients?pageSize=25&pageNumber=1');
    expect([...idsOf(first.body), ...idsOf(second.body)].sort()).toEqual(allIds());
  });

  it('honours pageNumber and pageSize', async () => {
    const page = await call('GET', '/api/v2/oauth/clients?pageSize=10&pageNumber=4');
    expect(page.body).toMatchObject({ pageSize: 10, pageNumber: 4, total: 31, pageCount: 4 });
    expect(page.body.entities).toHaveLength(1);
    expect(page.body.nextUri).toBeUndefined();
  });

  it('takes its default page size from the oauthClientPageSize knob', async () => {
    simulator.options.oauthClientPageSize = 10;
    const page = await call('GET', '/api/v2/oauth/clients');
    expect(page.body).toMatchObject({ pageSize: 10, pageCount: 4 });
    expect(page.body.nextUri).toBe('/api/v2/oauth/clients?pageSize=10&pageNumber=2');
  });

  it('page-count: pages that only pageCount announces, without nextUri or other links', async () => {
    simulator.options.oauthClientPaging = 'page-count';
    const first = await call('GET', '/api/v2/oauth/clients');
    expect(first.body).toMatchObject({ pageSize: 25, pageNumber: 1, total: 31, pageCount: 2 });
    for (const link of ['nextUri', 'previousUri', 'firstUri', 'lastUri'])
      expect(first.body).not.toHaveProperty(link);
    const second = await call('GET', '/api/v2/oauth/clients?pageNumber=2');
    expect(second.body.entities).toHaveLength(6);
    expect([...idsOf(first.body), ...idsOf(second.body)].sort()).toEqual(allIds());
  });

  it('first-page-only: the query is ignored, so clients past page 1 are reachable only by id', async () => {
    simulator.options.oauthClientPaging = 'first-page-only';
    const first = await call('GET', '/api/v2/oauth/clients');
    const again = await call('GET', '/api/v2/oauth/clients?pageNumber=2&pageSize=100');
    expect(again.body).toMatchObject({ pageSize: 25, pageNumber: 1, total: 31, pageCount: 2 });
    expect(again.body).not.toHaveProperty('nextUri');
    expect(idsOf(again.body)).toEqual(idsOf(first.body));
    const unlisted = allIds().filter((id) => !idsOf(first.body).includes(id));
    expect(unlisted).toHaveLength(6);
    for (const id of unlisted) expect((await call('GET', `/api/v2/oauth/clients/${id}`)).status).toBe(200);
  });

  it('single-page: every client in one page, paging parameters ignored', async () => {
    simulator.options.oauthClientPaging = 'single-page';
    const page = await call('GET', '/api/v2/oauth/clients?pageSize=5&pageNumber=3');
    expect(page.body).toMatchObject({ pageSize: 31, pageNumber: 1, total: 31, pageCount: 1 });
    expect(page.body).not.toHaveProperty('nextUri');
    expect(idsOf(page.body).sort()).toEqual(allIds());
  });

  it('lists clients in every state, the secret never', async () => {
    simulator.options.oauthClientPaging = 'single-page';
    const entities = (await call('GET', '/api/v2/oauth/clients')).body.entities as Array<
      Record<string, unknown>
    >;
    const stateOf = (name: string) => entities.find((c) => c.name === name)?.state;
    expect(stateOf('crm-sync')).toBe('active');
    expect(stateOf('wfm-export')).toBe('disabled');
    expect(stateOf('legacy-ivr-bridge')).toBe('inactive');
    expect(stateOf('acme-data-actions')).toBe('deleted');
    expect(entities.some((c) => 'secret' in c)).toBe(false);
  });
});
