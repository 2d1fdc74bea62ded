import { GenesysSimulator, realisticOrgSeed, SAMPLE_ROLE, sampleOrgSeed } from '../../simulator';
import { NO_WAITS, simulatorHarness } from './harness';

interface IntegrationBody {
  id: string;
  name: string;
  integrationType: { id: string };
  intendedState: string;
  reportedState: { code: string; detail?: Record<string, unknown> };
  config: { current: { version: number; notes: string; credentials: Record<string, { id: string }> } };
}

describe('simulator: the realistic org seed', () => {
  const harness = simulatorHarness(
    { ...NO_WAITS, oauthClientPaging: 'single-page', deletedClientLingerMs: 60_000 },
    realisticOrgSeed(),
  );
  const { call } = harness;
  const { org } = harness.seeded;
  const clientNamed = (name: string) => [...org.clients.values()].find((c) => c.name === name);
  const integrations = async () =>
    (await call('GET', '/api/v2/integrations?expand=config.current&pageSize=100')).body
      .entities as IntegrationBody[];

  it('has 30 OAuth clients besides the bootstrap client, in every state', async () => {
    const listed = (await call('GET', '/api/v2/oauth/clients')).body.entities as Array<{ state: string }>;
    expect(listed).toHaveLength(31);
    const states = listed.map((c) => c.state);
    expect(states.filter((s) => s === 'disabled')).toHaveLength(1);
    expect(states.filter((s) => s === 'deleted')).toHaveLength(1);
    expect(states.filter((s) => s === 'inactive')).toHaveLength(1);
    expect(states.filter((s) => s === 'active')).toHaveLength(28);
  });

  it('has crm-sync with two roles in Home, as a read by id shows it', async () => {
    const crm = clientNamed('crm-sync');
    const read = await call('GET', `/api/v2/oauth/clients/${crm?.id}`);
    expect(read.body).toMatchObject({
      name: 'crm-sync',
      description: 'Data Actions for the CRM team',
      authorizedGrantType: 'CLIENT-CREDENTIALS',
      state: 'active',
      roleDivisions: [
        { roleId: harness.roleId(SAMPLE_ROLE), divisionId: harness.homeDivisionId() },
        { roleId: harness.roleId('Supervisor'), divisionId: harness.homeDivisionId() },
      ],
      dateCreated: '2024-12-11T09:00:00.000Z',
    });
  });

  it("has a lingering deleted client named like the sample onboarding's client", () => {
    expect(clientNamed('acme-data-actions')?.state).toBe('deleted');
  });

  it('has a Data Actions integration configured by someone else with crm-sync, ACTIVE', async () => {
    const crm = (await integrations()).find((i) => i.name === 'CRM Data Actions');
    expect(crm).toMatchObject({
      integrationType: { id: 'purecloud-data-actions' },
      intendedState: 'ENABLED',
      reportedState: { code: 'ACTIVE' },
      config: { current: { version: 2, notes: 'Managed by the CRM team' } },
    });
    const credential = org.credentials.get(crm?.config.current.credentials.pureCloudOAuthClient?.id ?? '');
    expect(credential?.name).toBe(`Integration-${crm?.id}`);
    expect(credential?.fields.clientId).toBe(clientNamed('crm-sync')?.id);
  });

  it('has a Data Actions integration in ERROR because its client is disabled', async () => {
    const billing = (await integrations()).find((i) => i.name === 'Billing Data Actions');
    expect(billing?.reportedState).toEqual({
      code: 'ERROR',
      effective: 'Error',
      lastUpdated: expect.any(String),
      detail: {
        localizableMessageCode: 'INTEGRATION_ACTIVATION_FAILED',
        message: 'The configured OAuth client credentials could not be used to authenticate',
        messageWithParams: 'The configured OAuth client credentials could not be used to authenticate',
        messageParams: {},
      },
    });
  });

  it('has integrations of other types and an unconfigured Data Actions one', async () => {
    const byName = new Map((await integrations()).map((i) => [i.name, i]));
    expect(byName.get('Zendesk Web Services')).toMatchObject({
      integrationType: { id: 'custom-rest-actions' },
      reportedState: { code: 'ACTIVE' },
    });
    expect(byName.get('Agent Script Helper')).toMatchObject({
      integrationType: { id: 'embedded-client-app' },
      reportedState: { code: 'INACTIVE' },
    });
    expect(byName.get('Data Actions')).toMatchObject({
      integrationType: { id: 'purecloud-data-actions' },
      intendedState: 'DISABLED',
      config: { current: { version: 1, credentials: {} } },
    });
    expect(byName.size).toBe(5);
  });

  it('has a left-over credential that no integration uses', () => {
    const used = new Set(
      [...org.integrations.values()].flatMap((i) => Object.values(i.config.credentials).map((ref) => ref.id)),
    );
    const unused = [...org.credentials.values()].filter((c) => !used.has(c.id));
    expect(unused).toHaveLength(1);
    expect(unused[0]?.typeName).toBe('pureCloudOAuthClient');
  });
});

describe('simulator: OrgSeed fields', () => {
  const harness = simulatorHarness(
    NO_WAITS,
    sampleOrgSeed({
      oauthClients: [
        {
          id: '11111111-2222-4333-8444-555555555555',
          name: 'custom',
          description: 'seeded',
          roles: ['employee', { role: 'Supervisor', division: 'Support' }],
          state: 'inactive',
          dateCreated: '2025-01-02T03:04:05.000Z',
        },
      ],
      credentials: [{ type: 'basicAuth', fields: { userName: 'u', password: 'p' } }],
      integrations: [
        {
          name: 'Scripted failure',
          type: 'purecloud-data-actions',
          intendedState: 'ENABLED',
          credential: { forClient: 'onboarding-bootstrap' },
          activationError: 'Quota exceeded',
        },
        { name: 'Not configured', type: 'purecloud-data-actions', intendedState: 'ENABLED' },
      ],
    }),
  );
  const { call } = harness;
  const { org } = harness.seeded;

  it('seeds a client with its id, description, roles per division, state and creation date', async () => {
    const read = await call('GET', '/api/v2/oauth/clients/11111111-2222-4333-8444-555555555555');
    const support = org.divisions.find((d) => d.name === 'Support')?.id;
    expect(read.body).toMatchObject({
      name: 'custom',
      description: 'seeded',
      state: 'inactive',
      dateCreated: '2025-01-02T03:04:05.000Z',
      roleDivisions: [
        { roleId: harness.roleId('employee'), divisionId: harness.homeDivisionId() },
        { roleId: harness.roleId('Supervisor'), divisionId: support },
      ],
    });
  });

  it('seeds a credential without a name', async () => {
    const [credential] = [...org.credentials.values()].filter((c) => c.typeName === 'basicAuth');
    const read = await call('GET', `/api/v2/integrations/credentials/${credential?.id}`);
    expect(read.body).toEqual({
      id: credential?.id,
      type: { name: 'basicAuth' },
      credentialFields: { userName: '********', password: '********' },
      selfUri: `/api/v2/integrations/credentials/${credential?.id}`,
    });
  });

  it('settles seeded ENABLED integrations: a scripted error, and ERROR without a credential', async () => {
    const entities = (await call('GET', '/api/v2/integrations')).body.entities as IntegrationBody[];
    const byName = new Map(entities.map((i) => [i.name, i.reportedState]));
    expect(byName.get('Scripted failure')?.detail).toEqual({
      localizableMessageCode: 'INTEGRATION_ACTIVATION_FAILED',
      message: 'Quota exceeded',
      messageWithParams: 'Quota exceeded',
      messageParams: {},
    });
    expect(byName.get('Not configured')).toMatchObject({
      code: 'ERROR',
      detail: { message: 'The integration has no credential configured' },
    });
  });

  it('refuses a seed that names what the org does not have', () => {
    const simulator = new GenesysSimulator();
    const seed = (extra: Parameters<typeof sampleOrgSeed>[0]) => () =>
      simulator.addOrg(sampleOrgSeed({ id: undefined, ...extra }));
    expect(seed({ oauthClients: [{ name: 'x', roles: ['nope'] }] })).toThrow(
      'role nope is not a role of org Acme Contact Center',
    );
    expect(seed({ oauthClients: [{ name: 'x', roles: [{ role: 'employee', division: 'Mars' }] }] })).toThrow(
      'division Mars is not a division of org Acme Contact Center',
    );
    expect(seed({ integrations: [{ name: 'x', type: 'nope' }] })).toThrow(
      'integration type nope is not known',
    );
    expect(seed({ credentials: [{ forClient: 'ghost' }] })).toThrow(
      'credential seed: no seeded OAuth client named ghost',
    );
    expect(seed({ credentials: [{ name: 'c', fields: { clientId: 'a' } }] })).toThrow(
      'credential seed c: field clientSecret is required',
    );
    expect(
      seed({
        integrations: [
          {
            name: 'x',
            type: 'embedded-client-app',
            credential: { fields: { clientId: 'a', clientSecret: 'b' } },
          },
        ],
      }),
    ).toThrow('integration type embedded-client-app takes no credential (integration x)');
  });
});
