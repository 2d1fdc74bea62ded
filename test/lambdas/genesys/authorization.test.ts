import { clearTokenCache } from '../../../lambdas/genesys/auth';
import { SAMPLE_ROLE } from '../../../simulator/seeds';
import { type SimulatorFixture, startSimulator } from '../../support/simulator';
import { FakeApi, fakeClient, json, type RecordedCall } from './fake-api';

const ROLES = '/api/v2/authorization/roles';
const LOCAL = { allowedHosts: ['127.0.0.1'] };

describe('authorization against the simulator', () => {
  let fixture: SimulatorFixture;

  beforeAll(async () => {
    fixture = await startSimulator();
  });
  afterAll(() => fixture.simulator.stop());
  beforeEach(() => clearTokenCache());

  it('finds a role by exact name among look-alikes the name filter also returns', async () => {
    const client = fixture.client(LOCAL);
    expect((await client.authorization.findRoleByName(SAMPLE_ROLE))?.name).toBe(SAMPLE_ROLE);
    expect(await client.authorization.findRoleByName(SAMPLE_ROLE.toUpperCase())).toBeUndefined();
    expect(await client.authorization.findRoleByName('Data Actions Runtim')).toBeUndefined();
    const resolved = await client.authorization.resolveRoles([SAMPLE_ROLE, 'admin', 'Nope']);
    expect(resolved.found.map((r) => r.name)).toEqual([SAMPLE_ROLE, 'admin']);
    expect(resolved.missing).toEqual(['Nope']);
  });

  it('matches role names exactly over every page the prefix filter returns', async () => {
    const { simulator } = fixture;
    const org = simulator.org(fixture.seeded.org.id);
    const decoys = Array.from({ length: 230 }, (_, i) => ({
      id: `decoy-${i}`,
      name: `Zeta a${String(i).padStart(3, '0')}`,
      description: '',
      permissions: [],
    }));
    org.roles.push(...decoys);
    try {
      const client = fixture.client(LOCAL);
      simulator.requestLog.length = 0;
      expect(await client.authorization.findRoleByName('Zeta')).toBeUndefined();
      const rolePages = simulator.requestLog.filter((e) => e.path === ROLES);
      expect(rolePages.map((e) => new URLSearchParams(e.query).get('pageNumber'))).toEqual(['1', '2', '3']);
      expect(rolePages.every((e) => e.query.includes('userCount=false'))).toBe(true);
      expect((await client.authorization.findRoleByName('Zeta a229'))?.id).toBe('decoy-229');
    } finally {
      org.roles.splice(-decoys.length);
    }
  });

  it('lists every role of the org over all pages, without counting users', async () => {
    const { simulator } = fixture;
    const org = simulator.org(fixture.seeded.org.id);
    const extra = Array.from({ length: 150 }, (_, i) => ({
      id: `listed-${i}`,
      name: `Listed ${i}`,
      description: '',
      permissions: [],
    }));
    org.roles.push(...extra);
    try {
      const client = fixture.client(LOCAL);
      simulator.requestLog.length = 0;
      const roles = await client.authorization.listRoles();
      expect(roles.map((r) => r.id).sort()).toEqual(org.roles.map((r) => r.id).sort());
      const rolePages = simulator.requestLog.filter((e) => e.path === ROLES);
      expect(rolePages.length).toBeGreaterThan(1);
      expect(rolePages.every((e) => e.query.includes('userCount=false') && !e.query.includes('name='))).toBe(
        true,
      );
    } finally {
      org.roles.splice(-extra.length);
    }
  });

  it('reads the home division and every division', async () => {
    const client = fixture.client(LOCAL);
    const home = await client.authorization.homeDivision();
    expect(home.homeDivision).toBe(true);
    const divisions = await client.authorization.listDivisions();
    expect(divisions.map((d) => d.name).sort()).toEqual(['Home', 'Support']);
  });
});

describe('authorization paging (fake fetch)', () => {
  beforeEach(() => clearTokenCache());

  it('follows the roles nextUri and stops at the page with the exact match', async () => {
    const api = new FakeApi().on(
      'GET',
      ROLES,
      json(200, {
        entities: [{ id: 'r-1', name: 'Ops (legacy)' }],
        pageNumber: 1,
        pageCount: 3,
        nextUri: `${ROLES}?name=Ops&pageNumber=2&pageSize=1`,
      }),
      json(200, {
        entities: [{ id: 'r-2', name: 'Ops' }],
        pageNumber: 2,
        pageCount: 3,
        nextUri: `${ROLES}?name=Ops&pageNumber=3&pageSize=1`,
      }),
    );
    expect((await fakeClient(api).authorization.findRoleByName('Ops'))?.id).toBe('r-2');
    expect(api.apiLines).toEqual([
      `GET ${ROLES}?name=Ops&userCount=false&pageNumber=1&pageSize=100`,
      `GET ${ROLES}?name=Ops&pageNumber=2&pageSize=1`,
    ]);
  });

  it('walks division pages by pageCount', async () => {
    const api = new FakeApi().on('GET', '/api/v2/authorization/divisions', (call: RecordedCall) => {
      const page = Number(call.url.searchParams.get('pageNumber'));
      return json(200, { entities: [{ id: `d-${page}` }], pageNumber: page, pageSize: 100, pageCount: 2 });
    });
    expect((await fakeClient(api).authorization.listDivisions()).map((d) => d.id)).toEqual(['d-1', 'd-2']);
  });
});
