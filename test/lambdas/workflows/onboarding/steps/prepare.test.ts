import { OnboardingError } from '../../../../../lambdas/shared/errors';
import { withMarker } from '../../../../../lambdas/shared/ownership';
import { serializeResultSecret } from '../../../../../lambdas/shared/secrets';
import { prepare } from '../../../../../lambdas/workflows/onboarding/steps/prepare';
import { apiError } from '../../../../support/fake-genesys';
import { type StepWorld, stepWorld, TEST_PREFIX } from '../../../../support/step-deps';
import {
  CLIENT_NAME,
  errorOf,
  INTEGRATION_NAME,
  onboardingRequest,
  resultSecret,
  storeRecord,
} from '../fixtures';

const ROLE = 'Data Actions Role';
const DIVISION = '5a6b7c8d-1e2f-4a3b-8c4d-5e6f7a8b9c0d';

/** A world whose bootstrap client holds ROLE in every division. */
async function world(): Promise<StepWorld & { roleId: string }> {
  const w = await stepWorld();
  const role = w.genesys.addRole(ROLE, ['*']);
  return { ...w, roleId: role.id };
}

describe('prepare', () => {
  it('plans both creations for an org with nothing of ours, reading only', async () => {
    const w = await world();
    const plan = await prepare(onboardingRequest(w), w.deps);
    expect(plan).toEqual({
      orgId: w.orgId,
      region: 'eu-west-1',
      bootstrapSecretId: w.bootstrapSecretId,
      resultSecretId: `${TEST_PREFIX}/${w.orgId}/data-actions-client`,
      runId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      bootstrapClientId: w.genesys.bootstrap.id,
      adoptExisting: false,
      renameIntegration: false,
      oauthClient: {
        name: CLIENT_NAME,
        description: 'Used by the Genesys Cloud Data Actions integration',
        accessTokenValiditySeconds: 86_400,
        roleDivisions: [{ roleId: w.roleId, divisionId: 'division-home' }],
      },
      integration: { name: INTEGRATION_NAME, notes: '' },
      request: onboardingRequest(w),
      found: { client: { action: 'create' }, integration: { action: 'create' } },
    });
    expect(w.genesys.writes()).toEqual([]);
    expect(w.secrets.callsOf('put')).toEqual([]);
  });

  it('carries adoptExisting, renameIntegration, the description, token validity and notes of the request', async () => {
    const w = await world();
    const plan = await prepare(
      onboardingRequest(w, {
        adoptExisting: true,
        renameIntegration: true,
        oauthClient: {
          name: CLIENT_NAME,
          roles: [ROLE],
          description: 'for actions',
          accessTokenValiditySeconds: 3600,
        },
        integration: { name: INTEGRATION_NAME, notes: 'see wiki' },
      }),
      w.deps,
    );
    expect(plan.adoptExisting).toBe(true);
    expect(plan.renameIntegration).toBe(true);
    expect(plan.oauthClient.description).toBe('for actions');
    expect(plan.oauthClient.accessTokenValiditySeconds).toBe(3600);
    expect(plan.integration).toEqual({ name: INTEGRATION_NAME, notes: 'see wiki' });
  });

  it('resolves a requested division (listed in capitals) and grants the roles there', async () => {
    const w = await world();
    w.genesys.divisions.push({ id: DIVISION.toUpperCase(), name: 'Support', description: '' });
    const plan = await prepare(
      onboardingRequest(w, { oauthClient: { name: CLIENT_NAME, roles: [ROLE], divisionId: DIVISION } }),
      w.deps,
    );
    expect(plan.oauthClient.roleDivisions).toEqual([{ roleId: w.roleId, divisionId: DIVISION }]);
    expect(w.genesys.operations()).not.toContain('authorization.homeDivision');
  });

  it('grants every division for "*" without listing divisions', async () => {
    const w = await world();
    const plan = await prepare(
      onboardingRequest(w, { oauthClient: { name: CLIENT_NAME, roles: [ROLE], divisionId: '*' } }),
      w.deps,
    );
    expect(plan.oauthClient.roleDivisions).toEqual([{ roleId: w.roleId, divisionId: '*' }]);
    expect(w.genesys.operations()).not.toContain('authorization.listDivisions');
    expect(w.genesys.operations()).not.toContain('authorization.homeDivision');
  });

  it('refuses an unknown division: Onboarding.UnknownDivision', async () => {
    const w = await world();
    const error = await errorOf(() =>
      prepare(
        onboardingRequest(w, { oauthClient: { name: CLIENT_NAME, roles: [ROLE], divisionId: DIVISION } }),
        w.deps,
      ),
    );
    expect(error).toBeInstanceOf(OnboardingError);
    expect(error.name).toBe('Onboarding.UnknownDivision');
    expect(error.message).toBe(`The org has no division ${DIVISION}`);
  });

  it.each<[string, (orgId: string) => string]>([
    [
      'this org by an ARN with a line break after the name',
      (orgId) => `arn:aws:secretsmanager:eu-west-1:123456789012:secret:${TEST_PREFIX}/${orgId}/bootstrap\nx`,
    ],
    ['another org by name', () => `${TEST_PREFIX}/11111111-2222-4333-8444-555555555555/bootstrap`],
    [
      'another org by ARN',
      () => `arn:aws:secretsmanager:eu-west-1:123456789012:secret:${TEST_PREFIX}/other/bootstrap-AbCdEf`,
    ],
    ['an ARN that names no secret', () => 'arn:aws:secretsmanager:eu-west-1:123456789012:bootstrap'],
    ['another prefix', () => 'other-prefix/bootstrap'],
  ])('refuses a bootstrap secret of %s before any call: Onboarding.InvalidRequest', async (_, secretId) => {
    const w = await world();
    const request = { ...onboardingRequest(w), bootstrapSecretId: secretId(w.orgId) };
    const error = await errorOf(() => prepare(request, w.deps));
    expect(error).toBeInstanceOf(OnboardingError);
    expect(error.name).toBe('Onboarding.InvalidRequest');
    expect(error.message).toBe(
      `bootstrapSecretId must name a secret of this org (${TEST_PREFIX}/${w.orgId}/...)`,
    );
    expect(w.genesys.sessions).toEqual([]);
    expect(w.secrets.calls).toEqual([]);
  });

  it('accepts its own bootstrap secret by ARN, and by a name with the org id in capitals', async () => {
    const w = await world();
    const arn = (await w.secrets.get(w.bootstrapSecretId))?.arn as string;
    await expect(prepare({ ...onboardingRequest(w), bootstrapSecretId: arn }, w.deps)).resolves.toMatchObject(
      {
        bootstrapSecretId: arn,
      },
    );
    const upper = `${TEST_PREFIX}/${w.orgId.toUpperCase()}/bootstrap`;
    await w.secrets.put({ name: upper, value: (await w.secrets.get(w.bootstrapSecretId))?.value as string });
    await expect(
      prepare({ ...onboardingRequest(w), bootstrapSecretId: upper }, w.deps),
    ).resolves.toMatchObject({
      bootstrapSecretId: upper,
    });
  });

  it('refuses a bootstrap client of another org: Onboarding.WrongOrg, before roles are checked', async () => {
    const w = await world();
    w.genesys.intercept('organization.tokenInfo', () => ({
      organization: { id: '99999999-2222-4333-8444-555555555555' },
      OAuthClient: {
        id: w.genesys.bootstrap.id,
        name: 'Bootstrap',
        authorizedGrantType: 'CLIENT-CREDENTIALS',
      },
    }));
    const error = await errorOf(() =>
      prepare(onboardingRequest(w, { oauthClient: { name: CLIENT_NAME, roles: ['No such role'] } }), w.deps),
    );
    expect(error.name).toBe('Onboarding.WrongOrg');
    expect(error.message).toBe(
      `The bootstrap client belongs to another org than the requested org ${w.orgId}: nothing was changed`,
    );
    expect(w.genesys.writes()).toEqual([]);
  });

  it('refuses a token that names no org: Onboarding.WrongOrg', async () => {
    const w = await world();
    w.genesys.intercept('organization.tokenInfo', () => ({
      OAuthClient: { id: 'x', name: 'x', authorizedGrantType: '' },
    }));
    expect((await errorOf(() => prepare(onboardingRequest(w), w.deps))).name).toBe('Onboarding.WrongOrg');
  });

  it('accepts the org id in capitals from tokens/me', async () => {
    const w = await world();
    w.genesys.intercept('organization.tokenInfo', () => ({
      organization: { id: w.orgId.toUpperCase() },
      OAuthClient: {
        id: w.genesys.bootstrap.id,
        name: 'Bootstrap',
        authorizedGrantType: 'CLIENT-CREDENTIALS',
        roleDivisions: w.genesys.bootstrap.roleDivisions,
      },
    }));
    await expect(prepare(onboardingRequest(w), w.deps)).resolves.toMatchObject({ orgId: w.orgId });
  });

  it.each([
    ['a token without OAuthClient', () => undefined],
    ['an OAuthClient without id', () => ({ name: 'x', authorizedGrantType: 'CODE' })],
    [
      'a built-in client (a user token)',
      () => ({
        id: 'builtin',
        name: 'x',
        authorizedGrantType: 'CODE',
        organization: { id: 'purecloud-builtin' },
      }),
    ],
  ])('refuses %s: Onboarding.NotClientCredentials', async (_, caller) => {
    const w = await world();
    w.genesys.intercept('organization.tokenInfo', () => ({
      organization: { id: w.orgId },
      ...(caller() ? { OAuthClient: caller() } : {}),
    }));
    const error = await errorOf(() => prepare(onboardingRequest(w), w.deps));
    expect(error.name).toBe('Onboarding.NotClientCredentials');
    expect(error.message).toBe('The bootstrap credentials must belong to a client-credentials OAuth client');
  });

  it('refuses a token of another client than the one the bootstrap secret names: Onboarding.NotClientCredentials', async () => {
    const w = await world();
    w.genesys.intercept('organization.tokenInfo', () => ({
      organization: { id: w.orgId },
      OAuthClient: { id: 'another-client', name: 'x', authorizedGrantType: 'CLIENT-CREDENTIALS' },
    }));
    const error = await errorOf(() => prepare(onboardingRequest(w), w.deps));
    expect(error.name).toBe('Onboarding.NotClientCredentials');
    expect(error.message).toBe(
      `The token of bootstrap secret ${w.bootstrapSecretId} belongs to OAuth client another-client, not to the client id the secret holds: store the id exactly as Genesys Cloud shows it`,
    );
  });

  it('names every role that does not exist by exact name: Onboarding.UnknownRoles', async () => {
    const w = await world();
    w.genesys.addRole('Data Actions Role Extra');
    const error = await errorOf(() =>
      prepare(
        onboardingRequest(w, {
          oauthClient: { name: CLIENT_NAME, roles: ['data actions role', ROLE, 'Data Actions'] },
        }),
        w.deps,
      ),
    );
    expect(error.name).toBe('Onboarding.UnknownRoles');
    expect(error.message).toBe(
      `No role in org ${w.orgId} is named exactly "data actions role", "Data Actions"`,
    );
  });

  it('names the roles the bootstrap client does not hold in the division: Onboarding.MissingRoles', async () => {
    const w = await world();
    w.genesys.addRole('Auditor', []);
    w.genesys.addRole('Integrator', ['another-division']);
    const error = await errorOf(() =>
      prepare(
        onboardingRequest(w, { oauthClient: { name: CLIENT_NAME, roles: [ROLE, 'Auditor', 'Integrator'] } }),
        w.deps,
      ),
    );
    expect(error.name).toBe('Onboarding.MissingRoles');
    expect(error.message).toBe(
      'The bootstrap client Bootstrap does not hold "Auditor", "Integrator" in division division-home; a client can only grant roles it holds. Assign them to the bootstrap client first',
    );
    expect(w.genesys.writes()).toEqual([]);
  });

  it('counts a role held in the requested division itself', async () => {
    const w = await stepWorld();
    const role = w.genesys.addRole('Scoped', ['division-home']);
    const plan = await prepare(
      onboardingRequest(w, { oauthClient: { name: CLIENT_NAME, roles: ['Scoped'] } }),
      w.deps,
    );
    expect(plan.oauthClient.roleDivisions).toEqual([{ roleId: role.id, divisionId: 'division-home' }]);
  });

  it('names the caller by id when tokens/me gives no name', async () => {
    const w = await stepWorld();
    w.genesys.addRole(ROLE, []);
    w.genesys.intercept('organization.tokenInfo', () => ({
      organization: { id: w.orgId },
      OAuthClient: { id: w.genesys.bootstrap.id, roleDivisions: [] },
    }));
    const error = await errorOf(() => prepare(onboardingRequest(w), w.deps));
    expect(error.message).toMatch(
      /^The bootstrap client bootstrap-client does not hold "Data Actions Role" in/,
    );
  });

  it('reads the caller client when tokens/me carries no roleDivisions', async () => {
    const w = await world();
    w.genesys.tokensMeHasRoleDivisions = false;
    const plan = await prepare(onboardingRequest(w), w.deps);
    expect(plan.oauthClient.roleDivisions).toEqual([{ roleId: w.roleId, divisionId: 'division-home' }]);
    expect(w.genesys.operations()).toContain(`oauthClients.get ${w.genesys.bootstrap.id}`);
  });

  it('does not read the caller client when tokens/me carries roleDivisions', async () => {
    const w = await world();
    await prepare(onboardingRequest(w), w.deps);
    expect(w.genesys.operations()).not.toContain(`oauthClients.get ${w.genesys.bootstrap.id}`);
  });

  it('refuses when neither tokens/me nor the caller client carries roles: Onboarding.MissingRoles', async () => {
    const w = await world();
    w.genesys.tokensMeHasRoleDivisions = false;
    w.genesys.intercept('oauthClients.get', () => ({ id: w.genesys.bootstrap.id, name: 'Bootstrap' }));
    expect((await errorOf(() => prepare(onboardingRequest(w), w.deps))).name).toBe('Onboarding.MissingRoles');
  });

  it('fails with the bootstrap session errors before any Genesys call (no bootstrap secret)', async () => {
    const w = await world();
    await w.secrets.delete(w.bootstrapSecretId);
    const error = await errorOf(() => prepare(onboardingRequest(w), w.deps));
    expect(error.name).toBe('Onboarding.BootstrapSecretMissing');
    expect(w.genesys.sessions).toEqual([]);
  });

  it('passes on a Genesys failure of a check as it is', async () => {
    const w = await world();
    const failure = apiError('permission', 'GET', '/api/v2/authorization/roles');
    w.genesys.failOn('authorization.findRoleByName', failure);
    await expect(prepare(onboardingRequest(w), w.deps)).rejects.toBe(failure);
  });

  it('finds the recorded client and integration with the stored record, and the bootstrap client id', async () => {
    const w = await world();
    const client = w.genesys.addClient({
      name: CLIENT_NAME,
      description: withMarker('x'),
      dateCreated: '2026-01-01T00:00:00.000Z',
    });
    const integration = w.genesys.addIntegration({ name: INTEGRATION_NAME });
    await storeRecord(w, resultSecret(w, client, { integrationId: integration.id }));
    const plan = await prepare(onboardingRequest(w), w.deps);
    expect(plan.found.client).toMatchObject({ action: 'use', oauthClientId: client.id, basis: 'recorded' });
    expect(plan.found.integration).toMatchObject({
      action: 'use',
      integrationId: integration.id,
      basis: 'recorded',
    });
    expect(plan.bootstrapClientId).toBe(w.genesys.bootstrap.id);
  });

  it('fails before any write when the client name is taken: Onboarding.NameTaken', async () => {
    const w = await world();
    w.genesys.addClient({ name: CLIENT_NAME, description: 'hand-made' });
    const error = await errorOf(() => prepare(onboardingRequest(w), w.deps));
    expect(error.name).toBe('Onboarding.NameTaken');
    expect(w.genesys.writes()).toEqual([]);
  });

  it('refuses to take the bootstrap client by name, with the caller id tokens/me reported', async () => {
    const w = await world();
    const error = await errorOf(() =>
      prepare(onboardingRequest(w, { oauthClient: { name: 'Bootstrap', roles: [ROLE] } }), w.deps),
    );
    expect(error.name).toBe('Onboarding.NameTaken');
    expect(error.message).toContain('is the bootstrap client this run authenticates with');
  });

  describe('during a rotation (an AWSPENDING version of the record for another client)', () => {
    const PENDING = { id: 'client-pending', secret: 'pending-secret' };

    /** The org onboarded with a client and an integration configured with `configuredWith`. */
    async function rotating(configuredWith: string | undefined, records: { liveCredential?: boolean } = {}) {
      const w = await world();
      const client = w.genesys.addClient({
        name: CLIENT_NAME,
        description: withMarker('x'),
        dateCreated: '2026-01-01T00:00:00.000Z',
      });
      const integration = w.genesys.addIntegration({
        name: INTEGRATION_NAME,
        config: configuredWith ? { credentials: { pureCloudOAuthClient: { id: configuredWith } } } : {},
      });
      const credential = records.liveCredential === false ? {} : { credentialId: 'credential-live' };
      await storeRecord(w, resultSecret(w, client, { integrationId: integration.id, ...credential }));
      return { w, client, integration };
    }
    const putPending = (w: StepWorld, pending: Record<string, unknown>) =>
      w.secrets.putPending(
        w.resultSecretId,
        'rotation-1',
        serializeResultSecret(resultSecret(w, PENDING, pending)),
      );

    it('names the current client live while the integration still uses its credential', async () => {
      const { w, client, integration } = await rotating('credential-live');
      await putPending(w, { integrationId: integration.id, credentialId: 'credential-pending' });
      const plan = await prepare(onboardingRequest(w), w.deps);
      expect(plan.rotation).toEqual({
        pendingClientId: PENDING.id,
        liveClientId: client.id,
        liveCredentialId: 'credential-live',
      });
      expect(w.genesys.writes()).toEqual([]);
    });

    it('names the pending client live once the integration was switched to its credential', async () => {
      const { w, integration } = await rotating('credential-pending');
      await putPending(w, { integrationId: integration.id, credentialId: 'credential-pending' });
      const plan = await prepare(onboardingRequest(w), w.deps);
      expect(plan.rotation).toEqual({
        pendingClientId: PENDING.id,
        liveClientId: PENDING.id,
        liveCredentialId: 'credential-pending',
      });
    });

    it('keeps the current client live when neither the integration nor the pending record names a credential', async () => {
      const { w, client } = await rotating(undefined, { liveCredential: false });
      await putPending(w, {});
      const plan = await prepare(onboardingRequest(w), w.deps);
      expect(plan.rotation).toEqual({ pendingClientId: PENDING.id, liveClientId: client.id });
    });

    it('sees no rotation in a pending version of the same client', async () => {
      const { w, client, integration } = await rotating('credential-live');
      await w.secrets.putPending(
        w.resultSecretId,
        'rotation-1',
        serializeResultSecret(resultSecret(w, client, { integrationId: integration.id })),
      );
      expect(await prepare(onboardingRequest(w), w.deps)).not.toHaveProperty('rotation');
    });
  });
});
