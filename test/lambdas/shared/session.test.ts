import { ONBOARDING_ERRORS } from '../../../lambdas/shared/errors';
import { openBootstrapSession, openClientSession } from '../../../lambdas/shared/session';
import { type StepWorld, stepWorld } from '../../support/step-deps';

/** Stores the world's bootstrap secret with `fields` instead of its region. */
async function bootstrapWith(w: StepWorld, fields: Record<string, string>): Promise<void> {
  await w.secrets.put({
    name: w.bootstrapSecretId,
    value: JSON.stringify({
      clientId: w.genesys.bootstrap.id,
      clientSecret: w.genesys.bootstrap.secret,
      ...fields,
    }),
  });
}

const target = (w: StepWorld, region = 'eu-west-1') => ({ bootstrapSecretId: w.bootstrapSecretId, region });

describe('openBootstrapSession', () => {
  it('opens a client as the bootstrap client for the region, with the allowed hosts of the settings', async () => {
    const w = await stepWorld({ allowedHosts: ['proxy.example'] });
    const session = await openBootstrapSession(w.deps, target(w));
    expect(session.apiUrl).toBeUndefined();
    expect(session.loginUrl).toBeUndefined();
    await expect(session.client.tokens.getToken()).resolves.toBe(`token-of-${w.genesys.bootstrap.id}`);
    expect(w.genesys.sessions).toEqual([
      {
        region: 'eu-west-1',
        apiUrl: undefined,
        loginUrl: undefined,
        allowedHosts: ['proxy.example'],
        clientId: w.genesys.bootstrap.id,
      },
    ]);
  });

  it('uses and returns the endpoints of the bootstrap secret', async () => {
    const w = await stepWorld({ allowedHosts: ['127.0.0.1'] });
    await bootstrapWith(w, {
      region: 'eu-west-1',
      apiUrl: 'http://127.0.0.1:9000',
      loginUrl: 'http://127.0.0.1:9001',
    });
    const session = await openBootstrapSession(w.deps, target(w));
    expect(session).toMatchObject({ apiUrl: 'http://127.0.0.1:9000', loginUrl: 'http://127.0.0.1:9001' });
    expect(w.genesys.sessions[0]).toMatchObject({
      apiUrl: 'http://127.0.0.1:9000',
      loginUrl: 'http://127.0.0.1:9001',
    });
  });

  it.each([
    ['the same key', 'eu-west-1', 'eu-west-1'],
    ['its domain', 'mypurecloud.ie', 'eu-west-1'],
    ['another case and spaces', ' EU-WEST-1 ', 'eu-west-1'],
    ['an unknown region of the same name', 'xx-new-1', 'XX-New-1 '],
  ])('accepts a bootstrap secret for %s', async (_, secretRegion, requestRegion) => {
    const w = await stepWorld();
    await bootstrapWith(w, { region: secretRegion, apiUrl: 'https://api.mypurecloud.ie' });
    await expect(openBootstrapSession(w.deps, target(w, requestRegion))).resolves.toHaveProperty('client');
  });

  it('accepts a bootstrap secret without a region', async () => {
    const w = await stepWorld();
    await bootstrapWith(w, {});
    await expect(openBootstrapSession(w.deps, target(w, 'us-east-1'))).resolves.toHaveProperty('client');
  });

  it.each([
    ['another region', 'us-east-1', 'eu-west-1'],
    ['another unknown region', 'xx-new-1', 'xx-new-2'],
    ['a known and an unknown region', 'eu-west-1', 'xx-new-1'],
  ])(
    'refuses a bootstrap secret for %s before any call: Onboarding.RegionMismatch',
    async (_, secretRegion, requestRegion) => {
      const w = await stepWorld();
      await bootstrapWith(w, { region: secretRegion });
      await expect(openBootstrapSession(w.deps, target(w, requestRegion))).rejects.toMatchObject({
        name: ONBOARDING_ERRORS.regionMismatch,
        message: `The request is for region ${requestRegion} but bootstrap secret ${w.bootstrapSecretId} is for region ${secretRegion}`,
      });
      expect(w.genesys.sessions).toEqual([]);
    },
  );

  it('refuses a region the table does not know without URLs: Onboarding.UnknownRegion', async () => {
    const w = await stepWorld();
    await bootstrapWith(w, {});
    await expect(openBootstrapSession(w.deps, target(w, 'xx-new-1'))).rejects.toMatchObject({
      name: ONBOARDING_ERRORS.unknownRegion,
      message: expect.stringContaining('Unknown Genesys Cloud region "xx-new-1"'),
    });
  });

  it('refuses an endpoint outside Genesys Cloud and the allowed hosts: Onboarding.EndpointNotAllowed', async () => {
    const w = await stepWorld();
    await bootstrapWith(w, { apiUrl: 'https://api.example.com' });
    await expect(openBootstrapSession(w.deps, target(w))).rejects.toMatchObject({
      name: ONBOARDING_ERRORS.endpointNotAllowed,
      message: expect.stringContaining('apiUrl host api.example.com is not a Genesys Cloud host'),
    });
  });

  it('passes on any other failure of the factory', async () => {
    const w = await stepWorld();
    const failure = new TypeError('factory broke');
    const deps = {
      ...w.deps,
      genesys: () => {
        throw failure;
      },
    };
    await expect(openBootstrapSession(deps, target(w))).rejects.toBe(failure);
  });

  it('fails as readBootstrapSecret does when the secret is missing or invalid', async () => {
    const w = await stepWorld();
    await w.secrets.put({ name: w.bootstrapSecretId, value: '{"clientId":""}' });
    await expect(openBootstrapSession(w.deps, target(w))).rejects.toMatchObject({
      name: ONBOARDING_ERRORS.bootstrapSecretInvalid,
    });
  });
});

describe('openClientSession', () => {
  it('opens a client with the stored credentials, region and endpoints', async () => {
    const w = await stepWorld({ allowedHosts: ['127.0.0.1'] });
    const client = w.genesys.addClient({ name: 'c', secret: 'stored' });
    const session = openClientSession(w.deps, {
      clientId: client.id,
      clientSecret: 'stored',
      region: 'eu-west-1',
      apiUrl: 'http://127.0.0.1:9000',
      loginUrl: 'http://127.0.0.1:9001',
    });
    await expect(session.tokens.getToken()).resolves.toBe(`token-of-${client.id}`);
    expect(w.genesys.sessions).toEqual([
      {
        region: 'eu-west-1',
        apiUrl: 'http://127.0.0.1:9000',
        loginUrl: 'http://127.0.0.1:9001',
        allowedHosts: ['127.0.0.1'],
        clientId: client.id,
      },
    ]);
  });

  it('refuses a stored endpoint that is not allowed: Onboarding.EndpointNotAllowed', async () => {
    const w = await stepWorld();
    expect(() =>
      openClientSession(w.deps, {
        clientId: 'c',
        clientSecret: 's',
        region: 'eu-west-1',
        apiUrl: 'http://127.0.0.1:1',
      }),
    ).toThrow(expect.objectContaining({ name: ONBOARDING_ERRORS.endpointNotAllowed }));
  });
});
