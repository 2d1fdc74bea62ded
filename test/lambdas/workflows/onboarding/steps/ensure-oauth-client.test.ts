import { DEFAULT_CONSISTENCY } from '../../../../../lambdas/shared/deps';
import { withMarker } from '../../../../../lambdas/shared/ownership';
import type { SecretStore } from '../../../../../lambdas/shared/secret-store';
import { serializeResultSecret } from '../../../../../lambdas/shared/secrets';
import type { IntegrationDecision } from '../../../../../lambdas/workflows/onboarding/state';
import { ensureOAuthClient } from '../../../../../lambdas/workflows/onboarding/steps/ensure-oauth-client';
import { apiError } from '../../../../support/fake-genesys';
import { START_TIME, type StepWorld, stepWorld } from '../../../../support/step-deps';
import { storeWith } from '../../../../support/stores';
import {
  CLIENT_NAME,
  errorOf,
  INTEGRATION_NAME,
  intent,
  ourClient,
  plan,
  ROLE_DIVISIONS,
  resultSecret,
  storeRecord,
  useClient,
} from '../fixtures';

const DESCRIPTION = 'Used by the Genesys Cloud Data Actions integration';
/** ISO time `ms` from the moment every fake clock starts at. */
const startIso = (ms: number) => new Date(START_TIME + ms).toISOString();
const NEW_SECRET_LINE = 'new secret (the stored one was missing or no longer worked)';

/** Prepare's decision to use the recorded integration: nothing for this step to announce. */
const INTEGRATION_USED: IntegrationDecision = {
  action: 'use',
  integrationId: 'integration-7',
  basis: 'recorded',
  intendedState: 'ENABLED',
};

/** The deps of `w` with another secret store. */
const withStore = (w: StepWorld, secrets: SecretStore) => ({ ...w.deps, secrets });

describe('ensureOAuthClient: creating the client', () => {
  it('writes the intent create-only, creates the marked client, then stores its secret', async () => {
    const w = await stepWorld({ resultSecretKmsKeyId: 'alias/results' });
    let storedWhenCreated: unknown;
    w.genesys.intercept('oauthClients.create', () => {
      storedWhenCreated = w.secrets.json(w.resultSecretId);
      return undefined;
    });
    const outcome = await ensureOAuthClient(plan(w), w.deps);

    // Prepare's "create" stands when no record appeared since: the clients are not listed again.
    expect(w.genesys.callsOf('oauthClients.list')).toEqual([]);
    expect(storedWhenCreated).toEqual({
      orgId: w.orgId,
      region: 'eu-west-1',
      oauthClientName: CLIENT_NAME,
      creatingSince: w.clock.iso(),
      runId: 'run-1',
      // Prepare decided to install the integration too: announced in the same write, before anything exists.
      integrationCreation: { name: INTEGRATION_NAME, runId: 'run-1', since: w.clock.iso() },
    });
    expect(w.secrets.callsOf('put')).toEqual([
      { operation: 'put', secretId: w.resultSecretId, createOnly: true },
      { operation: 'put', secretId: w.resultSecretId, createOnly: false },
    ]);
    const created = w.genesys.clients.get(outcome.oauthClientId);
    expect(created).toMatchObject({
      name: CLIENT_NAME,
      description: withMarker(DESCRIPTION),
      authorizedGrantType: 'CLIENT-CREDENTIALS',
      accessTokenValiditySeconds: 86_400,
      roleDivisions: ROLE_DIVISIONS,
      state: 'active',
    });
    expect(w.secrets.json(w.resultSecretId)).toEqual({
      clientId: created?.id,
      clientSecret: created?.secret,
      orgId: w.orgId,
      region: 'eu-west-1',
      oauthClientName: CLIENT_NAME,
      recordedAt: '2026-03-02T10:00:00.000Z',
      onboardedWith: plan(w).request,
      integrationCreation: { name: INTEGRATION_NAME, runId: 'run-1', since: w.clock.iso() },
    });
    expect(w.secrets.metadata(w.resultSecretId)).toEqual({
      description: `Genesys Cloud Data Actions OAuth client ${CLIENT_NAME} of org ${w.orgId}`,
      tags: { 'genesys-onboarding:org-id': w.orgId },
      kmsKeyId: 'alias/results',
    });
    expect(outcome).toEqual({
      oauthClientId: created?.id,
      clientCreated: true,
      secretArn: (await w.secrets.get(w.resultSecretId))?.arn,
      secretCreated: true,
      credentialsVerified: false,
      changes: [],
    });
  });

  it('stores the endpoints of the bootstrap secret with the new secret', async () => {
    const w = await stepWorld();
    await w.secrets.put({
      name: w.bootstrapSecretId,
      value: JSON.stringify({
        clientId: w.genesys.bootstrap.id,
        clientSecret: w.genesys.bootstrap.secret,
        apiUrl: 'https://api.mypurecloud.ie',
        loginUrl: 'https://login.mypurecloud.ie',
      }),
    });
    await ensureOAuthClient(plan(w), w.deps);
    expect(w.secrets.json(w.resultSecretId)).toMatchObject({
      apiUrl: 'https://api.mypurecloud.ie',
      loginUrl: 'https://login.mypurecloud.ie',
    });
  });

  it('overwrites an unreadable record (not create-only): the secret exists, this run did not create it', async () => {
    const w = await stepWorld();
    const { arn } = await w.secrets.put({ name: w.resultSecretId, value: 'not json' });
    w.secrets.calls.length = 0;
    const outcome = await ensureOAuthClient(plan(w), w.deps);
    expect(w.secrets.callsOf('put')[0]).toEqual({
      operation: 'put',
      secretId: w.resultSecretId,
      createOnly: false,
    });
    expect(outcome).toMatchObject({ clientCreated: true, secretArn: arn, secretCreated: false });
  });

  it('creates over a creation intent whose grace is over (not create-only)', async () => {
    const w = await stepWorld();
    await storeRecord(w, intent(w, 90_000));
    const outcome = await ensureOAuthClient(plan(w), w.deps);
    expect(w.secrets.callsOf('put')[0]).toMatchObject({ createOnly: false });
    expect(outcome).toMatchObject({ clientCreated: true, secretCreated: false });
    expect(w.secrets.json(w.resultSecretId)).toMatchObject({ clientId: outcome.oauthClientId });
  });

  it('gives way to a run that wrote its intent first: Onboarding.ConcurrentRun, no client created', async () => {
    const w = await stepWorld();
    const racing = storeWith(w.secrets, {
      put: async (secret) => {
        if (secret.createOnly)
          await w.secrets.put({ name: secret.name, value: serializeResultSecret(intent(w, 0)) });
        return w.secrets.put(secret);
      },
    });
    const error = await errorOf(() => ensureOAuthClient(plan(w), withStore(w, racing)));
    expect(error.name).toBe('Onboarding.ConcurrentRun');
    expect(error.message).toBe(
      `Another run of org ${w.orgId} started creating its client first; this run will use that one`,
    );
    expect(w.genesys.writes()).toEqual([]);
  });

  it('passes on any other failure to write the intent, with no client created', async () => {
    const w = await stepWorld();
    const failure = new Error('store down');
    const failing = storeWith(w.secrets, { put: () => Promise.reject(failure) });
    await expect(ensureOAuthClient(plan(w), withStore(w, failing))).rejects.toBe(failure);
    expect(w.genesys.writes()).toEqual([]);
  });

  it('removes the new client when its secret cannot be stored, and fails with the store error', async () => {
    const w = await stepWorld();
    const failure = new Error('store refused the secret');
    const failing = storeWith(w.secrets, {
      put: (secret) => (secret.createOnly ? w.secrets.put(secret) : Promise.reject(failure)),
    });
    await expect(ensureOAuthClient(plan(w), withStore(w, failing))).rejects.toBe(failure);
    const created = w.genesys.callsOf('oauthClients.create');
    expect(created).toHaveLength(1);
    expect(w.genesys.writes()).toEqual([
      'oauthClients.create',
      expect.stringMatching(/^oauthClients\.update client-\d+$/),
      expect.stringMatching(/^oauthClients\.delete client-\d+$/),
    ]);
    expect([...w.genesys.clients.values()].filter((c) => c.name === CLIENT_NAME)).toEqual([]);
    // Created moments ago: its reads by id may answer 404 for readAfterCreateMs without it being gone.
    expect(w.genesys.callsOf('oauthClients.deactivateAndDelete').map((c) => c.args)).toEqual([
      [expect.stringMatching(/^client-\d+$/), { retryNotFoundMs: 15_000, goneTimeoutMs: 30_000 }],
    ]);
  });

  it('fails with the store error even when the new client cannot be removed', async () => {
    const w = await stepWorld();
    const failure = new Error('store refused the secret');
    const failing = storeWith(w.secrets, {
      put: (secret) => (secret.createOnly ? w.secrets.put(secret) : Promise.reject(failure)),
    });
    w.genesys.failOn(
      'oauthClients.deactivateAndDelete',
      apiError('transient', 'DELETE', '/api/v2/oauth/clients/x'),
    );
    await expect(ensureOAuthClient(plan(w), withStore(w, failing))).rejects.toBe(failure);
  });

  it('uses the client a racing run recorded since Prepare looked, instead of creating one', async () => {
    const w = await stepWorld();
    const client = ourClient(w, { dateCreated: w.clock.iso(-30_000) });
    const arn = await storeRecord(w, resultSecret(w, client));
    const outcome = await ensureOAuthClient(plan(w), w.deps);
    expect(outcome).toEqual({
      oauthClientId: client.id,
      clientCreated: false,
      secretArn: arn,
      secretCreated: false,
      credentialsVerified: false,
      changes: [],
    });
    expect(w.genesys.writes()).toEqual([]);
  });
});

describe('ensureOAuthClient: a client that exists', () => {
  /** A world with our client, recorded with its current secret, created long ago. */
  async function recorded(overrides: Parameters<typeof ourClient>[1] = {}) {
    const w = await stepWorld();
    const client = ourClient(w, overrides);
    const arn = await storeRecord(
      w,
      resultSecret(w, client, { integrationId: 'integration-1', credentialId: 'credential-1' }),
    );
    return { w, client, arn };
  }

  it('changes nothing when it matches the plan and its stored secret works (verified)', async () => {
    const { w, client, arn } = await recorded();
    const outcome = await ensureOAuthClient(
      plan(w, { client: useClient(client), integration: INTEGRATION_USED }),
      w.deps,
    );
    expect(outcome).toEqual({
      oauthClientId: client.id,
      clientCreated: false,
      secretArn: arn,
      secretCreated: false,
      credentialsVerified: true,
      changes: [],
    });
    expect(w.genesys.writes()).toEqual([]);
    expect(w.secrets.callsOf('put')).toEqual([]);
    expect(w.genesys.sessions.at(-1)).toMatchObject({ clientId: client.id, region: 'eu-west-1' });
    expect(w.genesys.operations((c) => c.caller === client.id)).toEqual(['tokens.getToken']);
    // The plan's decision stands: no second lookup of the client.
    expect(w.genesys.operations((c) => c.caller === w.genesys.bootstrap.id)).toEqual([]);
  });

  it('treats role pairs as a set: order and repeats make no change', async () => {
    const roles = [
      { roleId: 'role-b', divisionId: 'd' },
      { roleId: 'role-a', divisionId: 'd' },
    ];
    const { w, client } = await recorded({ roleDivisions: [roles[1], roles[0], roles[0]] as typeof roles });
    await ensureOAuthClient(
      plan(
        w,
        { client: useClient(client) },
        { oauthClient: { ...plan(w).oauthClient, roleDivisions: roles } },
      ),
      w.deps,
    );
    expect(w.genesys.writes()).toEqual([]);
  });

  it.each([
    ['an extra pair', [ROLE_DIVISIONS[0], { roleId: 'role-z', divisionId: 'division-home' }], 'were 2'],
    ['another role', [{ roleId: 'role-z', divisionId: 'division-home' }], 'were 1'],
    ['another division', [{ roleId: 'role-a', divisionId: 'division-other' }], 'were 1'],
    ['no roles', [], 'were 0'],
  ])('puts the plan roles over %s', async (_, roleDivisions, were) => {
    const { w, client } = await recorded({ roleDivisions: roleDivisions as typeof ROLE_DIVISIONS });
    const outcome = await ensureOAuthClient(plan(w, { client: useClient(client) }), w.deps);
    expect(outcome.changes).toEqual([
      `OAuth client ${client.id}: roles set to 1 role-division pair(s) (${were})`,
    ]);
    expect(w.genesys.clients.get(client.id)?.roleDivisions).toEqual(ROLE_DIVISIONS);
  });

  it('puts the plan roles over as many pairs of which one differs', async () => {
    const wanted = [ROLE_DIVISIONS[0], { roleId: 'role-b', divisionId: 'division-home' }];
    const { w, client } = await recorded({
      roleDivisions: [ROLE_DIVISIONS[0], { roleId: 'role-z', divisionId: 'division-home' }] as typeof wanted,
    });
    const outcome = await ensureOAuthClient(
      plan(
        w,
        { client: useClient(client) },
        { oauthClient: { ...plan(w).oauthClient, roleDivisions: wanted as typeof ROLE_DIVISIONS } },
      ),
      w.deps,
    );
    expect(outcome.changes).toEqual([
      `OAuth client ${client.id}: roles set to 2 role-division pair(s) (were 2)`,
    ]);
    expect(w.genesys.clients.get(client.id)?.roleDivisions).toEqual(wanted);
  });

  it('counts the roles of a decision without any as 0', async () => {
    const { w, client } = await recorded();
    const decision = useClient(client);
    const { roleDivisions: _omitted, ...current } = decision.current;
    const outcome = await ensureOAuthClient(
      plan(w, { client: { ...decision, current: current as typeof decision.current } }),
      w.deps,
    );
    expect(outcome.changes).toEqual([
      `OAuth client ${client.id}: roles set to 1 role-division pair(s) (were 0)`,
    ]);
  });

  it('replaces the whole client in one PUT when token validity, description and state differ', async () => {
    const { w, client } = await recorded({
      accessTokenValiditySeconds: 600,
      description: 'hand-edited',
      state: 'inactive',
    });
    const outcome = await ensureOAuthClient(plan(w, { client: useClient(client) }), w.deps);
    expect(outcome.changes).toEqual([
      `OAuth client ${client.id}: token validity set to 86400 s`,
      `OAuth client ${client.id}: description set (with the ownership marker)`,
      `OAuth client ${client.id}: state set to active (was inactive)`,
    ]);
    expect(w.genesys.callsOf('oauthClients.update').map((c) => c.args)).toEqual([
      [
        client.id,
        {
          name: CLIENT_NAME,
          description: withMarker(DESCRIPTION),
          authorizedGrantType: 'CLIENT-CREDENTIALS',
          accessTokenValiditySeconds: 86_400,
          roleDivisions: ROLE_DIVISIONS,
          state: 'active',
        },
      ],
    ]);
  });

  it('sets the token validity of a client that reported none', async () => {
    const { w, client } = await recorded();
    const decision = useClient(client);
    const { accessTokenValiditySeconds: _omitted, ...current } = decision.current;
    const outcome = await ensureOAuthClient(plan(w, { client: { ...decision, current } }), w.deps);
    expect(outcome.changes).toEqual([`OAuth client ${client.id}: token validity set to 86400 s`]);
  });

  it('says why it took a client found by its marker or adopted, before what it changed', async () => {
    const marked = await recorded();
    expect(
      (await ensureOAuthClient(plan(marked.w, { client: useClient(marked.client, 'marked') }), marked.w.deps))
        .changes,
    ).toEqual([
      `OAuth client ${marked.client.id}: found by its ownership marker (the stored record did not name it)`,
    ]);

    const adopted = await recorded({ description: 'theirs' });
    expect(
      (
        await ensureOAuthClient(
          plan(adopted.w, { client: useClient(adopted.client, 'adopted') }),
          adopted.w.deps,
        )
      ).changes,
    ).toEqual([
      `OAuth client ${adopted.client.id}: adopted on request (it carried no ownership marker)`,
      `OAuth client ${adopted.client.id}: description set (with the ownership marker)`,
    ]);
  });

  it.each([
    ['under two minutes ago', startIso(-119_000)],
    ['this very moment', startIso(0)],
  ])('trusts the stored secret of a client created %s, without a token', async (_, dateCreated) => {
    const { w, client, arn } = await recorded({ dateCreated });
    w.genesys.notYetUsable.add(client.id);
    const outcome = await ensureOAuthClient(plan(w, { client: useClient(client) }), w.deps);
    expect(outcome).toMatchObject({ secretArn: arn, credentialsVerified: false, changes: [] });
    expect(w.genesys.operations((c) => c.caller === client.id)).toEqual([]);
    expect(w.genesys.writes()).toEqual([]);
  });

  it.each([
    ['exactly two minutes old', startIso(-120_000)],
    ['dated in the future', startIso(1_000)],
    ['undated', undefined],
  ])('checks the stored secret of a client %s with a token', async (_, dateCreated) => {
    const { w, client } = await recorded({ dateCreated });
    const outcome = await ensureOAuthClient(plan(w, { client: useClient(client) }), w.deps);
    expect(outcome.credentialsVerified).toBe(true);
    expect(w.genesys.operations((c) => c.caller === client.id)).toEqual(['tokens.getToken']);
  });

  it('regenerates a stale secret and stores it, keeping the integration and credential ids', async () => {
    const { w, client, arn } = await recorded();
    const stale = resultSecret(
      w,
      { id: client.id, secret: 'stale' },
      {
        integrationId: 'integration-1',
        credentialId: 'credential-1',
        credentialFingerprint: 'fingerprint-of-stale',
      },
    );
    await storeRecord(w, stale);
    const outcome = await ensureOAuthClient(
      plan(w, { client: useClient(client), integration: INTEGRATION_USED }),
      w.deps,
    );
    expect(w.genesys.writes()).toEqual([`oauthClients.regenerateSecret ${client.id}`]);
    expect(w.secrets.json(w.resultSecretId)).toEqual({
      clientId: client.id,
      clientSecret: w.genesys.clients.get(client.id)?.secret,
      orgId: w.orgId,
      region: 'eu-west-1',
      oauthClientName: CLIENT_NAME,
      recordedAt: '2026-03-02T10:00:00.000Z',
      onboardedWith: plan(w).request,
      integrationId: 'integration-1',
      credentialId: 'credential-1',
    });
    expect(outcome).toEqual({
      oauthClientId: client.id,
      clientCreated: false,
      secretArn: arn,
      secretCreated: false,
      credentialsVerified: false,
      changes: [`OAuth client ${client.id}: ${NEW_SECRET_LINE}`],
    });
  });

  it('regenerates and creates the result secret when none is stored', async () => {
    const w = await stepWorld();
    const client = ourClient(w);
    const outcome = await ensureOAuthClient(
      plan(w, { client: useClient(client, 'marked'), integration: INTEGRATION_USED }),
      w.deps,
    );
    expect(outcome).toMatchObject({ secretCreated: true, credentialsVerified: false });
    expect(outcome.changes.at(-1)).toBe(`OAuth client ${client.id}: ${NEW_SECRET_LINE}`);
    expect(w.secrets.json(w.resultSecretId)).toEqual({
      clientId: client.id,
      clientSecret: w.genesys.clients.get(client.id)?.secret,
      orgId: w.orgId,
      region: 'eu-west-1',
      oauthClientName: CLIENT_NAME,
      recordedAt: '2026-03-02T10:00:00.000Z',
      onboardedWith: plan(w).request,
    });
  });

  it('regenerates when the stored secret is another client’s, keeping none of its ids', async () => {
    const w = await stepWorld();
    const client = ourClient(w);
    await storeRecord(
      w,
      resultSecret(w, { id: 'client-other', secret: 'x' }, { integrationId: 'i', credentialId: 'c' }),
    );
    const outcome = await ensureOAuthClient(plan(w, { client: useClient(client, 'marked') }), w.deps);
    expect(outcome).toMatchObject({ secretCreated: false });
    expect(w.secrets.json(w.resultSecretId)).not.toHaveProperty('integrationId');
    expect(w.secrets.json(w.resultSecretId)).not.toHaveProperty('credentialId');
    expect(w.secrets.json(w.resultSecretId)).toMatchObject({ clientId: client.id });
  });

  describe('found while the record holds a racing run’s creation intent', () => {
    /** A client a racing run created 1 s ago, announced by its intent: listed, its secret not stored yet. */
    async function racing(intentAgoMs = 1_000) {
      const w = await stepWorld();
      const client = ourClient(w, { dateCreated: w.clock.iso(-intentAgoMs) });
      const arn = await storeRecord(w, intent(w, intentAgoMs));
      return { w, client, arn };
    }

    it('waits for the creator to store the secret and uses it, regenerating nothing', async () => {
      const { w, client, arn } = await racing();
      // The creating run stores its client's secret while this one sleeps between two reads of the record.
      const clock = {
        now: w.clock.now,
        sleep: async (ms: number) => {
          await w.clock.sleep(ms);
          await w.secrets.put({
            name: w.resultSecretId,
            value: serializeResultSecret(resultSecret(w, client)),
          });
        },
      };
      const outcome = await ensureOAuthClient(
        plan(w, { client: useClient(client, 'marked'), integration: INTEGRATION_USED }),
        { ...w.deps, clock },
      );
      expect(w.genesys.writes()).toEqual([]);
      expect(w.clock.sleeps).toEqual([2_000]);
      expect(w.secrets.json(w.resultSecretId)).toEqual(resultSecret(w, client));
      expect(outcome).toMatchObject({
        oauthClientId: client.id,
        secretArn: arn,
        secretCreated: false,
        credentialsVerified: false,
      });
    });

    it('takes the secret the creator stored since this step read the record, without waiting', async () => {
      const { w, client } = await racing();
      let reads = 0;
      const storedAfterFirstRead = storeWith(w.secrets, {
        get: async (id, options) => {
          const value = await w.secrets.get(id, options);
          if (id === w.resultSecretId && ++reads === 1) {
            await w.secrets.put({ name: id, value: serializeResultSecret(resultSecret(w, client)) });
          }
          return value;
        },
      });
      await ensureOAuthClient(
        plan(w, { client: useClient(client, 'marked') }),
        withStore(w, storedAfterFirstRead),
      );
      expect(reads).toBe(2);
      expect(w.clock.sleeps).toEqual([]);
      expect(w.genesys.writes()).toEqual([]);
    });

    it('throws Onboarding.ClientCreationPending when the secret is not stored within the watch', async () => {
      const { w, client } = await racing();
      const error = await errorOf(() =>
        ensureOAuthClient(plan(w, { client: useClient(client, 'marked') }), w.deps),
      );
      expect(error.name).toBe('Onboarding.ClientCreationPending');
      expect(w.genesys.writes()).toEqual([]);
      expect(w.clock.sleeps.reduce((a, b) => a + b, 0)).toBe(20_000);
    });

    it('regenerates once the intent’s listing grace is over with no secret stored (the creator stopped)', async () => {
      const { w, client } = await racing(59_000);
      const outcome = await ensureOAuthClient(plan(w, { client: useClient(client, 'marked') }), w.deps);
      expect(w.clock.sleeps).toEqual([1_000]);
      expect(w.genesys.writes()).toEqual([`oauthClients.regenerateSecret ${client.id}`]);
      expect(outcome.changes.at(-1)).toBe(`OAuth client ${client.id}: ${NEW_SECRET_LINE}`);
    });

    /** A clock whose sleeps store `client`'s secret as its creator would, on the `storeOnSleep`th sleep. */
    function creatorStoresOnSleep(
      w: StepWorld,
      client: { id: string; secret: string },
      storeOnSleep: number,
    ) {
      let sleeps = 0;
      return {
        now: w.clock.now,
        sleep: async (ms: number) => {
          await w.clock.sleep(ms);
          if (++sleeps === storeOnSleep) {
            await w.secrets.put({
              name: w.resultSecretId,
              value: serializeResultSecret(resultSecret(w, client)),
            });
          }
        },
      };
    }

    it('waits past the intent’s grace for a creator whose create answer landed late, and uses its stored secret', async () => {
      const w = await stepWorld();
      // The intent is 70 s old (its 60 s listing grace is over), but a create slowed by rate limits made the
      // client only 5 s ago: its creator stores the secret 4 s later, within creatorSecretStoreMs (30 s).
      const client = ourClient(w, { dateCreated: w.clock.iso(-5_000) });
      const arn = await storeRecord(w, intent(w, 70_000));
      const outcome = await ensureOAuthClient(plan(w, { client: useClient(client, 'marked') }), {
        ...w.deps,
        clock: creatorStoresOnSleep(w, client, 2),
      });
      expect(w.clock.sleeps).toEqual([2_000, 2_000]);
      expect(w.genesys.writes()).toEqual([]);
      // The creator's intent is past its listing grace, so this run announces its own integration install.
      expect(w.secrets.json(w.resultSecretId)).toEqual({
        ...resultSecret(w, client),
        integrationCreation: { name: INTEGRATION_NAME, runId: 'run-1', since: w.clock.iso() },
      });
      expect(outcome).toMatchObject({ oauthClientId: client.id, secretArn: arn, secretCreated: false });
      expect(outcome.changes).toEqual([
        `OAuth client ${client.id}: found by its ownership marker (the stored record did not name it)`,
      ]);
    });

    it('throws Onboarding.ClientCreationPending, naming the missing secret, while a late creator may still store it', async () => {
      const w = await stepWorld();
      const client = ourClient(w, { dateCreated: w.clock.iso(-5_000) });
      await storeRecord(w, intent(w, 70_000));
      const error = await errorOf(() =>
        ensureOAuthClient(plan(w, { client: useClient(client, 'marked') }), w.deps),
      );
      expect(error.name).toBe('Onboarding.ClientCreationPending');
      expect(error.message).toBe(
        `A run started creating OAuth client "${CLIENT_NAME}" at ${startIso(-70_000)} and its client ${client.id} has no stored secret yet; looking again until ${startIso(25_000)}`,
      );
      expect(w.clock.sleeps.reduce((a, b) => a + b, 0)).toBe(20_000);
      expect(w.genesys.writes()).toEqual([]);
    });

    it('regenerates once creatorSecretStoreMs after the client’s creation has passed with no secret stored (the creator stopped)', async () => {
      const w = await stepWorld();
      const client = ourClient(w, { dateCreated: w.clock.iso(-29_000) });
      await storeRecord(w, intent(w, 70_000));
      await ensureOAuthClient(plan(w, { client: useClient(client, 'marked') }), w.deps);
      expect(w.clock.sleeps).toEqual([1_000]);
      expect(w.genesys.writes()).toEqual([`oauthClients.regenerateSecret ${client.id}`]);
    });

    it('a re-run after a stopped creator waits no longer than a short creatorSecretStoreMs', async () => {
      const w = await stepWorld({
        consistency: { ...DEFAULT_CONSISTENCY, clientListingGraceMs: 1_000, creatorSecretStoreMs: 3_000 },
      });
      const client = ourClient(w, { dateCreated: w.clock.iso(-2_000) });
      await storeRecord(w, intent(w, 2_500));
      await ensureOAuthClient(plan(w, { client: useClient(client, 'marked') }), w.deps);
      expect(w.clock.sleeps).toEqual([1_000]);
      expect(w.genesys.writes()).toEqual([`oauthClients.regenerateSecret ${client.id}`]);
    });

    it('ends its wait for the creator early enough to leave the 3 calls after it their whole budgets', async () => {
      const w = await stepWorld();
      const client = ourClient(w, { dateCreated: w.clock.iso(-1_000) });
      await storeRecord(w, intent(w, 1_000));
      // 5 s more than the 3 calls (105 s each) and the 10 s reserve: the wait may last 5 s, not the watch's 20 s.
      const invocationEndsAt = w.clock.now() + 3 * 105_000 + 10_000 + 5_000;
      const error = await errorOf(() =>
        ensureOAuthClient(plan(w, { client: useClient(client, 'marked') }), { ...w.deps, invocationEndsAt }),
      );
      expect(error.name).toBe('Onboarding.ClientCreationPending');
      expect(w.clock.sleeps).toEqual([2_000, 2_000, 1_000]);
      expect(w.genesys.writes()).toEqual([]);
    });

    it('regenerates at once over this run’s own intent: its earlier attempt stopped before storing', async () => {
      const w = await stepWorld();
      const client = ourClient(w, { dateCreated: w.clock.iso(-1_000) });
      await storeRecord(w, { ...intent(w, 1_000), runId: plan(w).runId });
      await ensureOAuthClient(plan(w, { client: useClient(client, 'marked') }), w.deps);
      expect(w.clock.sleeps).toEqual([]);
      expect(w.genesys.writes()).toEqual([`oauthClients.regenerateSecret ${client.id}`]);
    });
  });

  it('passes on a token failure that is not about the credentials, without regenerating', async () => {
    const { w, client } = await recorded();
    const failure = apiError('transient', 'POST', '/oauth/token');
    w.genesys.intercept('tokens.getToken', () => {
      throw failure;
    });
    await expect(ensureOAuthClient(plan(w, { client: useClient(client) }), w.deps)).rejects.toBe(failure);
    expect(w.genesys.writes()).toEqual([]);
  });
});

describe('ensureOAuthClient during a rotation', () => {
  const rotation = (liveClientId: string) => ({ pendingClientId: 'client-pending', liveClientId });

  it('touches nothing and reports the live client: the rotation owns the clients and their secrets', async () => {
    const w = await stepWorld();
    const client = ourClient(w, { accessTokenValiditySeconds: 60 });
    const arn = await storeRecord(w, resultSecret(w, { id: client.id, secret: 'stale' }));
    const outcome = await ensureOAuthClient(
      { ...plan(w, { client: useClient(client) }), rotation: rotation('client-pending') },
      w.deps,
    );
    expect(outcome).toEqual({
      oauthClientId: 'client-pending',
      clientCreated: false,
      secretArn: arn,
      secretCreated: false,
      credentialsVerified: false,
      changes: [],
    });
    expect(w.genesys.calls).toEqual([]);
    expect(w.secrets.callsOf('put')).toEqual([]);
  });

  it('ensures the client as usual when the record is gone', async () => {
    const w = await stepWorld();
    const outcome = await ensureOAuthClient({ ...plan(w), rotation: rotation('client-live') }, w.deps);
    expect(outcome).toMatchObject({ clientCreated: true, secretCreated: true });
    expect(w.secrets.json(w.resultSecretId)?.clientId).toBe(outcome.oauthClientId);
  });
});

describe('ensureOAuthClient: the intent to install the integration', () => {
  const ours = (w: StepWorld, agoMs = 0) => ({
    name: INTEGRATION_NAME,
    runId: 'run-1',
    since: w.clock.iso(-agoMs),
  });
  const racing = (w: StepWorld, agoMs: number) => ({
    name: INTEGRATION_NAME,
    runId: 'run-2',
    since: w.clock.iso(-agoMs),
  });

  async function recorded(extra: Parameters<typeof resultSecret>[2] = {}) {
    const w = await stepWorld();
    const client = ourClient(w);
    const record = resultSecret(w, client, extra);
    await storeRecord(w, record);
    return { w, client, record };
  }

  it('adds it to a record it otherwise leaves as it is, with one write, when Prepare decided to install one', async () => {
    const { w, client, record } = await recorded();
    const outcome = await ensureOAuthClient(plan(w, { client: useClient(client) }), w.deps);
    expect(outcome.credentialsVerified).toBe(true);
    expect(w.secrets.callsOf('put')).toEqual([
      { operation: 'put', secretId: w.resultSecretId, createOnly: false },
    ]);
    expect(w.secrets.json(w.resultSecretId)).toEqual({ ...record, integrationCreation: ours(w) });
  });

  it.each([
    ['5 s later', 5_000],
    ['60 s later, past its listing grace', 60_000],
  ])(
    'writes nothing more when the record holds this run’s intent already (a retry %s)',
    async (_, laterMs) => {
      const { w, client, record } = await recorded({
        integrationCreation: { name: INTEGRATION_NAME, runId: 'run-1', since: startIso(0) },
      });
      w.clock.advance(laterMs);
      await ensureOAuthClient(plan(w, { client: useClient(client) }), w.deps);
      expect(w.secrets.callsOf('put')).toEqual([]);
      expect(w.secrets.json(w.resultSecretId)).toEqual(record);
    },
  );

  it('keeps another run’s intent inside its listing grace and writes none of its own', async () => {
    const { w, client, record } = await recorded();
    await storeRecord(w, { ...record, integrationCreation: racing(w, 59_999) });
    await ensureOAuthClient(plan(w, { client: useClient(client) }), w.deps);
    expect(w.secrets.callsOf('put')).toEqual([]);
    expect(w.secrets.json(w.resultSecretId)).toEqual({ ...record, integrationCreation: racing(w, 59_999) });
  });

  it('replaces another run’s intent once its listing grace is over (that run stopped)', async () => {
    const { w, client, record } = await recorded();
    await storeRecord(w, { ...record, integrationCreation: racing(w, 60_000) });
    await ensureOAuthClient(plan(w, { client: useClient(client) }), w.deps);
    expect(w.secrets.json(w.resultSecretId)).toEqual({ ...record, integrationCreation: ours(w) });
  });

  it('keeps the record’s intent when the integration is used, and announces none in a client creation intent', async () => {
    const { w, client, record } = await recorded({
      integrationCreation: { name: INTEGRATION_NAME, runId: 'run-2', since: startIso(-120_000) },
    });
    await ensureOAuthClient(plan(w, { client: useClient(client), integration: INTEGRATION_USED }), w.deps);
    expect(w.secrets.callsOf('put')).toEqual([]);
    expect(w.secrets.json(w.resultSecretId)).toEqual(record);

    const fresh = await stepWorld();
    let intentWritten: unknown;
    fresh.genesys.intercept('oauthClients.create', () => {
      intentWritten = fresh.secrets.json(fresh.resultSecretId);
      return undefined;
    });
    await ensureOAuthClient(plan(fresh, { integration: INTEGRATION_USED }), fresh.deps);
    expect(intentWritten).not.toHaveProperty('integrationCreation');
  });

  it('carries it into the record it writes with a regenerated secret', async () => {
    const { w, client, record } = await recorded();
    await storeRecord(w, { ...record, clientSecret: 'stale' });
    await ensureOAuthClient(plan(w, { client: useClient(client) }), w.deps);
    expect(w.genesys.writes()).toEqual([`oauthClients.regenerateSecret ${client.id}`]);
    expect(w.secrets.callsOf('put')).toHaveLength(1);
    expect(w.secrets.json(w.resultSecretId)).toMatchObject({
      clientSecret: w.genesys.clients.get(client.id)?.secret,
      integrationCreation: ours(w),
    });
  });
});
