import { GenesysSimulator, type OrgSeed, type SimulatorOptions, sampleOrgSeed } from '../../simulator';
import type { SeededOrg } from '../../simulator/state';

export interface Reply {
  status: number;
  body: Record<string, unknown>;
  headers: Headers;
}

/** Knobs that take the waiting out of a test that is not about them. */
export const NO_WAITS: SimulatorOptions = {
  activationDelayMs: 20,
  oauthClientListingLagMs: 0,
  readAfterCreateNotFoundMs: 0,
};

export interface SimulatorHarness {
  readonly simulator: GenesysSimulator;
  readonly seeded: SeededOrg;
  readonly url: () => string;
  /** The bootstrap client's token. */
  readonly token: () => string;
  tokenFor(clientId: string, clientSecret: string): Promise<Reply>;
  /** A call with raw fetch, with the bootstrap token unless another is given. */
  call(method: string, path: string, body?: unknown, bearer?: string): Promise<Reply>;
  roleId(name: string): string;
  homeDivisionId(): string;
  /** A valid CLIENT-CREDENTIALS OAuthClientRequest granting `Data Actions Runtime` in Home. */
  clientBody(overrides?: Record<string, unknown>): Record<string, unknown>;
}

/** Starts a simulator for a test file (in `beforeAll`) and stops it after (in `afterAll`). */
export function simulatorHarness(
  options: SimulatorOptions,
  seed: OrgSeed = sampleOrgSeed(),
): SimulatorHarness {
  const simulator = new GenesysSimulator(options);
  const seeded = simulator.addOrg(seed);
  let url = '';
  let token = '';

  async function tokenFor(clientId: string, clientSecret: string): Promise<Reply> {
    const response = await fetch(`${url}/oauth/token`, {
      method: 'POST',
      headers: {
        Authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`,
        'Content-Type': 'application/x-www-form-urlencoded',
      },
      body: 'grant_type=client_credentials',
    });
    return {
      status: response.status,
      body: (await response.json()) as Record<string, unknown>,
      headers: response.headers,
    };
  }

  async function call(method: string, path: string, body?: unknown, bearer = token): Promise<Reply> {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${bearer}`,
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : {}, headers: response.headers };
  }

  const roleId = (name: string) => {
    const role = seeded.org.roles.find((r) => r.name === name);
    if (!role) throw new Error(`no role ${name}`);
    return role.id;
  };
  const homeDivisionId = () => seeded.org.divisions.find((d) => d.homeDivision)?.id as string;

  beforeAll(async () => {
    url = await simulator.start();
    token = (await tokenFor(seeded.bootstrap.clientId, seeded.bootstrap.clientSecret)).body
      .access_token as string;
  });
  afterAll(() => simulator.stop());

  return {
    simulator,
    seeded,
    url: () => url,
    token: () => token,
    tokenFor,
    call,
    roleId,
    homeDivisionId,
    clientBody: (overrides = {}) => ({
      name: 'rules-client',
      authorizedGrantType: 'CLIENT-CREDENTIALS',
      roleDivisions: [{ roleId: roleId('Data Actions Runtime'), divisionId: homeDivisionId() }],
      ...overrides,
    }),
  };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Creates a Data Actions integration with a working pureCloudOAuthClient credential configured. */
export async function configuredIntegration(
  harness: SimulatorHarness,
  name: string,
): Promise<{ integrationId: string; credentialId: string; clientId: string }> {
  const { call, clientBody } = harness;
  const integration = await call('POST', '/api/v2/integrations', {
    name,
    integrationType: { id: 'purecloud-data-actions' },
  });
  const client = await call('POST', '/api/v2/oauth/clients', clientBody({ name: `${name}-client` }));
  const credential = await call('POST', '/api/v2/integrations/credentials', {
    name: `Integration-${integration.body.id}`,
    type: { name: 'pureCloudOAuthClient' },
    credentialFields: { clientId: client.body.id, clientSecret: client.body.secret },
  });
  const integrationId = integration.body.id as string;
  const config = (await call('GET', `/api/v2/integrations/${integrationId}/config/current`)).body;
  const put = await call('PUT', `/api/v2/integrations/${integrationId}/config/current`, {
    ...config,
    credentials: { pureCloudOAuthClient: { id: credential.body.id } },
  });
  if (put.status !== 200) throw new Error(`config PUT answered ${put.status}`);
  return { integrationId, credentialId: credential.body.id as string, clientId: client.body.id as string };
}
