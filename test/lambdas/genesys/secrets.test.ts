import { GenesysApiError, type HttpEvent } from '../../../lambdas/genesys';
import { SAMPLE_ROLE } from '../../../simulator/seeds';
import { clearTokenCache, type SimulatorFixture, startSimulator } from '../../support/simulator';

describe('secrets never leave the client', () => {
  let fixture: SimulatorFixture;

  beforeAll(async () => {
    fixture = await startSimulator();
  });
  afterAll(() => fixture.simulator.stop());
  beforeEach(() => clearTokenCache());

  it('keeps secrets and tokens out of every error and event of a failing session', async () => {
    const outputs: string[] = [];
    const record = (e: HttpEvent) => outputs.push(JSON.stringify(e));
    const client = fixture.client({ onEvent: record, retry: { maxAttempts: 2, baseDelayMs: 1 } });
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
        .client({ credentials: { clientId: created.id, clientSecret: created.secret }, onEvent: record })
        .organization.me(),
    );

    const secrets = [fixture.seeded.bootstrap.clientSecret, created.secret, regenerated.secret, token];
    expect(outputs.length).toBeGreaterThan(10);
    for (const secret of secrets) {
      expect(outputs.filter((text) => text.includes(secret))).toEqual([]);
    }
  });

  it('blanks a secret that a server echoes in its error message', async () => {
    const secret = fixture.seeded.bootstrap.clientSecret;
    const client = fixture.client({
      fetch: async (input) =>
        String(input).endsWith('/oauth/token')
          ? new Response(JSON.stringify({ access_token: 'token-value-123', expires_in: 60 }), { status: 200 })
          : new Response(
              JSON.stringify({ message: `bad value ${secret} and token-value-123`, code: 'bad.request' }),
              {
                status: 400,
              },
            ),
    });
    const error = (await client.organization.me().catch((e: unknown) => e)) as GenesysApiError;
    expect(error.message).toContain('bad value [REDACTED] and [REDACTED]');
    expect(error.message).not.toContain(secret);
  });
});
