import { clearTokenCache } from '../../../lambdas/genesys/auth';
import { GenesysApiError } from '../../../lambdas/genesys/errors';
import type { HttpEvent } from '../../../lambdas/genesys/http';
import { SAMPLE_ROLE } from '../../../simulator/seeds';
import { type SimulatorFixture, startSimulator } from '../../support/simulator';
import { FakeApi, fakeClient, json } from './fake-api';

const LOCAL = { allowedHosts: ['127.0.0.1'] };

describe('secrets never leave the client', () => {
  let fixture: SimulatorFixture;

  beforeAll(async () => {
    fixture = await startSimulator({ readAfterCreateNotFoundMs: 0, oauthClientListingLagMs: 0 });
  });
  afterAll(() => fixture.simulator.stop());
  beforeEach(() => clearTokenCache());

  it('keeps secrets and tokens out of every error and event of a failing session', async () => {
    const outputs: string[] = [];
    const record = (e: HttpEvent) => outputs.push(JSON.stringify(e));
    const client = fixture.client({ ...LOCAL, onEvent: record, retry: { maxAttempts: 2, baseDelayMs: 1 } });
    const capture = async (promise: Promise<unknown>) => {
      const error = await promise.then(
        () => undefined,
        (e: unknown) => e,
      );
      if (error instanceof GenesysApiError)
        outputs.push(error.message, JSON.stringify(error), String(error.stack));
    };

    const role = await client.authorization.findRoleByName(SAMPLE_ROLE);
    const created = await client.oauthClients.create({
      name: 'leak-check',
      authorizedGrantType: 'CLIENT-CREDENTIALS',
      roleDivisions: [{ roleId: role?.id as string, divisionId: '*' }],
    });
    const regenerated = await client.oauthClients.regenerateSecret(created.id);
    const token = await client.tokens.getToken();
    const simulator = fixture.simulator;
    simulator.injectFault({
      path: '/api/v2/integrations/credentials',
      fault: { kind: 'status', status: 500 },
    });
    await capture(
      client.credentials.create({
        name: 'leak',
        type: { name: 'pureCloudOAuthClient' },
        credentialFields: { clientId: created.id, clientSecret: regenerated.secret },
      }),
    );
    await capture(
      client.credentials.create({
        name: 'leak',
        type: { name: 'unknownType' },
        credentialFields: { clientId: created.id, clientSecret: regenerated.secret },
      } as never),
    );
    await capture(client.oauthClients.delete(created.id));
    await capture(
      fixture
        .client({
          ...LOCAL,
          credentials: { clientId: created.id, clientSecret: created.secret },
          onEvent: record,
        })
        .organization.tokenInfo(),
    );

    const secrets = [fixture.seeded.bootstrap.clientSecret, created.secret, regenerated.secret, token];
    expect(outputs.length).toBeGreaterThan(10);
    for (const secret of secrets) {
      expect(outputs.filter((text) => text.includes(secret))).toEqual([]);
    }
  });

  it('blanks a secret that a server echoes in its error message', async () => {
    const api = new FakeApi().on(
      'GET',
      '/api/v2/tokens/me',
      json(400, { message: 'bad value bootstrap-secret-value and fake-access-token', code: 'bad.request' }),
    );
    const error = (await fakeClient(api)
      .organization.tokenInfo()
      .catch((e: unknown) => e)) as GenesysApiError;
    expect(error.message).toContain('bad value [REDACTED] and [REDACTED]');
    expect(error.message).not.toContain('bootstrap-secret-value');
  });

  it('never puts a secret into a URL, even URL-encoded', async () => {
    const api = new FakeApi()
      .on('POST', '/api/v2/oauth/clients', json(200, { id: 'c-1', secret: 'created-secret/+=value' }))
      .on('POST', '/api/v2/integrations/credentials', json(200, { id: 'cred-1' }));
    const client = fakeClient(api);
    const created = await client.oauthClients.create({
      name: 'n',
      authorizedGrantType: 'CLIENT-CREDENTIALS',
    });
    await client.credentials.create({
      name: 'Integration-i',
      type: { name: 'pureCloudOAuthClient' },
      credentialFields: { clientId: created.id, clientSecret: created.secret },
    });
    const urls = api.calls.map((c) => c.url.toString());
    for (const form of [created.secret, encodeURIComponent(created.secret), 'bootstrap-secret-value']) {
      expect(urls.filter((url) => url.includes(form))).toEqual([]);
    }
  });
});
