import type { ProvisionedInput } from '../../../../../lambdas/workflows/onboarding/state';
import { verify } from '../../../../../lambdas/workflows/onboarding/steps/verify';
import { apiError, type FakeIntegration } from '../../../../support/fake-genesys';
import { type StepWorld, stepWorld } from '../../../../support/step-deps';
import {
  clientOutcome,
  configureOutcome,
  errorOf,
  INTEGRATION_NAME,
  integrationOutcome,
  ourClient,
  provisioned,
  resultSecret,
  storeRecord,
} from '../fixtures';

/**
 * A world with our client recorded and an integration reporting `reported`; Verify's input for them, with
 * `parts` overriding the outcomes.
 */
async function setUp(
  reported: FakeIntegration['reportedState'] | undefined,
  parts: (ids: {
    clientId: string;
    integrationId: string;
  }) => Partial<Omit<ProvisionedInput, 'plan'>> = () => ({}),
) {
  const w: StepWorld = await stepWorld();
  const client = ourClient(w);
  await storeRecord(w, resultSecret(w, client));
  const integration = w.genesys.addIntegration({
    name: INTEGRATION_NAME,
    intendedState: 'ENABLED',
    reportedState: reported,
  });
  const ids = { clientId: client.id, integrationId: integration.id };
  const input = provisioned(w, {
    client: clientOutcome({ oauthClientId: client.id }),
    integration: integrationOutcome({ integrationId: integration.id }),
    configured: configureOutcome({ enabled: true }),
    ...parts(ids),
  });
  return { w, client, integration, input };
}

const untouched = configureOutcome();

describe('verify', () => {
  it('checks the new credentials and reads the integration on the first check', async () => {
    const { w, client, integration, input } = await setUp({ code: 'ACTIVATING' });
    expect(await verify(input, w.deps)).toEqual({ attempt: 1, reportedState: 'ACTIVATING' });
    expect(w.genesys.operations((c) => c.caller === client.id)).toEqual(['tokens.getToken']);
    expect(w.genesys.callsOf('integrations.get').map((c) => c.args)).toEqual([
      [integration.id, { retryNotFoundMs: 15_000 }],
    ]);
  });

  it('reports ACTIVE', async () => {
    const { w, input } = await setUp({ code: 'ACTIVE' });
    expect(await verify(input, w.deps)).toEqual({ attempt: 1, reportedState: 'ACTIVE' });
  });

  it('counts checks from the previous verification and checks the credentials only on the first', async () => {
    const { w, client, input } = await setUp({ code: 'ACTIVATING' });
    w.genesys.notYetUsable.add(client.id);
    expect(
      await verify({ ...input, verification: { attempt: 2, reportedState: 'ACTIVATING' } }, w.deps),
    ).toEqual({
      attempt: 3,
      reportedState: 'ACTIVATING',
    });
    expect(w.genesys.operations((c) => c.caller === client.id)).toEqual([]);
  });

  it('does not check credentials the OAuth-client step has just seen work', async () => {
    const { w, client, input } = await setUp({ code: 'ACTIVATING' }, ({ clientId }) => ({
      client: clientOutcome({ oauthClientId: clientId, credentialsVerified: true }),
    }));
    await verify(input, w.deps);
    expect(w.genesys.operations((c) => c.caller === client.id)).toEqual([]);
  });

  it('fails while the new credentials mint no token yet: Onboarding.CredentialsNotYetUsable', async () => {
    const { w, client, input } = await setUp({ code: 'ACTIVE' });
    w.genesys.notYetUsable.add(client.id);
    const error = await errorOf(() => verify(input, w.deps));
    expect(error.name).toBe('Onboarding.CredentialsNotYetUsable');
    expect(error.message).toBe(`OAuth client ${client.id} cannot get a token yet`);
  });

  it('passes on a token failure that is not about the credentials', async () => {
    const { w, input } = await setUp({ code: 'ACTIVE' });
    const failure = apiError('transient', 'POST', '/oauth/token');
    w.genesys.intercept('tokens.getToken', () => {
      throw failure;
    });
    await expect(verify(input, w.deps)).rejects.toBe(failure);
  });

  it('fails when the result secret is gone: Onboarding.ResultSecretMissing', async () => {
    const { w, input } = await setUp({ code: 'ACTIVE' });
    await w.secrets.delete(w.resultSecretId);
    const error = await errorOf(() => verify(input, w.deps));
    expect(error.name).toBe('Onboarding.ResultSecretMissing');
    expect(error.message).toBe(`${w.resultSecretId} is missing`);
  });

  it.each([
    ['its message', { message: 'Invalid credentials', messageWithParams: 'x {a}' }, 'Invalid credentials'],
    [
      'its messageWithParams, filled',
      { messageWithParams: 'Credential {id} is invalid', messageParams: { id: 'cred-1' } },
      'Credential cred-1 is invalid',
    ],
    ['its code alone', { localizableMessageCode: 'INVALID_CREDENTIALS' }, 'INVALID_CREDENTIALS'],
    ['a plain text detail', 'Token rejected', 'Token rejected'],
  ])('fails on ERROR with %s: Onboarding.IntegrationError', async (_, detail, text) => {
    const { w, integration, input } = await setUp({ code: 'ERROR', detail });
    const error = await errorOf(() => verify(input, w.deps));
    expect(error.name).toBe('Onboarding.IntegrationError');
    expect(error.message).toBe(`Integration ${integration.id} reports ERROR: ${text}`);
  });

  it('fails on ERROR without detail, saying so', async () => {
    const { w, integration, input } = await setUp({ code: 'ERROR', detail: { message: '  ' } });
    expect((await errorOf(() => verify(input, w.deps))).message).toBe(
      `Integration ${integration.id} reports ERROR (no detail given)`,
    );
  });

  it('fails on ERROR even before the limit and on a later check', async () => {
    const { w, input } = await setUp({ code: 'ERROR' });
    const error = await errorOf(() =>
      verify({ ...input, verification: { attempt: 1, reportedState: 'ACTIVATING' } }, w.deps),
    );
    expect(error.name).toBe('Onboarding.IntegrationError');
  });

  it('fails when the integration is not ACTIVE at the last check: Onboarding.IntegrationNotActive', async () => {
    const { w, integration, input } = await setUp({ code: 'ACTIVATING' });
    const error = await errorOf(() =>
      verify({ ...input, verification: { attempt: 4, reportedState: 'ACTIVATING' } }, w.deps),
    );
    expect(error.name).toBe('Onboarding.IntegrationNotActive');
    expect(error.message).toBe(`Integration ${integration.id} is still ACTIVATING after 5 checks`);
  });

  it('says UNKNOWN for an integration that reports no state', async () => {
    const { w, integration, input } = await setUp(undefined);
    expect(await verify(input, w.deps)).toEqual({ attempt: 1, reportedState: 'UNKNOWN' });
    const error = await errorOf(() =>
      verify({ ...input, verification: { attempt: 4, reportedState: 'UNKNOWN' } }, w.deps),
    );
    expect(error.message).toBe(`Integration ${integration.id} is still UNKNOWN after 5 checks`);
  });

  it('succeeds when the integration turns ACTIVE at the last check', async () => {
    const { w, input } = await setUp({ code: 'ACTIVE' });
    expect(
      await verify({ ...input, verification: { attempt: 4, reportedState: 'ACTIVATING' } }, w.deps),
    ).toEqual({
      attempt: 5,
      reportedState: 'ACTIVE',
    });
  });

  it('honours the configured number of checks', async () => {
    const { w, input } = await setUp({ code: 'ACTIVATING' });
    const deps = { ...w.deps, settings: { ...w.deps.settings, maxVerifyAttempts: 1 } };
    expect((await errorOf(() => verify(input, deps))).name).toBe('Onboarding.IntegrationNotActive');
  });

  describe('an integration known to be ACTIVE', () => {
    it('is not read again when Configure left it untouched and it was found ACTIVE', async () => {
      const { w, client, input } = await setUp({ code: 'ERROR' }, ({ clientId, integrationId }) => ({
        integration: integrationOutcome({ integrationId, reportedState: 'ACTIVE' }),
        configured: untouched,
        client: clientOutcome({ oauthClientId: clientId }),
      }));
      expect(await verify(input, w.deps)).toEqual({ attempt: 1, reportedState: 'ACTIVE' });
      expect(w.genesys.callsOf('integrations.get')).toEqual([]);
      expect(w.genesys.operations((c) => c.caller === client.id)).toEqual(['tokens.getToken']);
      expect(w.genesys.sessions.map((s) => s.clientId)).toEqual([client.id]);
    });

    it('is not read again when the enable PATCH answered ACTIVE', async () => {
      const { w, input } = await setUp({ code: 'ERROR' }, () => ({
        configured: configureOutcome({ enabled: true, configUpdated: true, reportedState: 'ACTIVE' }),
      }));
      expect(await verify(input, w.deps)).toEqual({ attempt: 1, reportedState: 'ACTIVE' });
      expect(w.genesys.callsOf('integrations.get')).toEqual([]);
    });

    it('still fails on credentials that mint no token yet', async () => {
      const { w, client, input } = await setUp({ code: 'ACTIVE' }, ({ integrationId }) => ({
        integration: integrationOutcome({ integrationId, reportedState: 'ACTIVE' }),
        configured: untouched,
      }));
      w.genesys.notYetUsable.add(client.id);
      const error = await errorOf(() =>
        verify({ ...input, client: clientOutcome({ oauthClientId: client.id }) }, w.deps),
      );
      expect(error.name).toBe('Onboarding.CredentialsNotYetUsable');
    });

    it('needs no token when the credentials were verified', async () => {
      const { w, input } = await setUp({ code: 'ERROR' }, ({ clientId, integrationId }) => ({
        integration: integrationOutcome({ integrationId, reportedState: 'ACTIVE' }),
        configured: untouched,
        client: clientOutcome({ oauthClientId: clientId, credentialsVerified: true }),
      }));
      expect(await verify(input, w.deps)).toEqual({ attempt: 1, reportedState: 'ACTIVE' });
      expect(w.genesys.calls).toEqual([]);
    });

    it.each([
      ['a created credential', { credentialCreated: true }],
      ['an updated credential', { credentialUpdated: true }],
      ['an updated config', { configUpdated: true }],
      ['an enable', { enabled: true }],
    ])('is read again after %s', async (_, change) => {
      const { w, input } = await setUp({ code: 'ACTIVATING' }, ({ integrationId }) => ({
        integration: integrationOutcome({ integrationId, reportedState: 'ACTIVE' }),
        configured: configureOutcome(change),
      }));
      expect(await verify(input, w.deps)).toEqual({ attempt: 1, reportedState: 'ACTIVATING' });
    });

    it('is read when Configure left it untouched but it was not found ACTIVE', async () => {
      const { w, input } = await setUp({ code: 'ACTIVE' }, ({ integrationId }) => ({
        integration: integrationOutcome({ integrationId, reportedState: 'ACTIVATING' }),
        configured: untouched,
      }));
      expect(await verify(input, w.deps)).toEqual({ attempt: 1, reportedState: 'ACTIVE' });
      expect(w.genesys.callsOf('integrations.get').map((c) => c.args[0])).toEqual([
        input.integration.integrationId,
      ]);
    });

    it('is read when Configure did not run', async () => {
      const { w, input } = await setUp({ code: 'ACTIVATING' }, ({ integrationId }) => ({
        integration: integrationOutcome({ integrationId, reportedState: 'ACTIVE' }),
      }));
      const { configured: _configured, ...withoutConfigure } = input;
      expect(await verify(withoutConfigure, w.deps)).toEqual({ attempt: 1, reportedState: 'ACTIVATING' });
    });

    it('is read again on a later check', async () => {
      const { w, input } = await setUp({ code: 'ACTIVATING' }, () => ({
        configured: configureOutcome({ enabled: true, reportedState: 'ACTIVE' }),
      }));
      expect(
        await verify({ ...input, verification: { attempt: 1, reportedState: 'ACTIVE' } }, w.deps),
      ).toEqual({
        attempt: 2,
        reportedState: 'ACTIVATING',
      });
    });
  });
});
