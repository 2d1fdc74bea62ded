import { SecretStoreUnavailableError } from '../../../../../lambdas/shared/secret-store';
import type { WorkflowState } from '../../../../../lambdas/workflows/onboarding/state';
import { compensate, describeFailure } from '../../../../../lambdas/workflows/onboarding/steps/compensate';
import { apiError } from '../../../../support/fake-genesys';
import { type StepWorld, stepWorld } from '../../../../support/step-deps';
import { storeWith } from '../../../../support/stores';
import {
  clientOutcome,
  configureOutcome,
  INTEGRATION_NAME,
  integrationOutcome,
  ourClient,
  plan,
  resultSecret,
  storeRecord,
} from '../fixtures';

const FAILURE = {
  Error: 'Onboarding.IntegrationNotActive',
  Cause: 'Integration i is still ACTIVATING after 5 checks',
};
const BRANCH_FAILURE = {
  failed: true as const,
  error: { Error: 'Genesys.Permission', Cause: 'no permission' },
};

/**
 * A run that created everything: our client (with its result secret), the integration configured with the
 * credential Configure created, and a credential an earlier attempt left under the integration's name.
 */
async function createdEverything() {
  const w = await stepWorld();
  const client = ourClient(w);
  const secretArn = await storeRecord(w, resultSecret(w, client));
  const integration = w.genesys.addIntegration({ name: INTEGRATION_NAME });
  const credential = w.genesys.addCredential({ name: `Integration-${integration.id}` });
  const leftover = w.genesys.addCredential({ name: `Integration-${integration.id}` });
  integration.config.current.credentials = { pureCloudOAuthClient: { id: credential.id as string } };
  const state: WorkflowState = {
    plan: plan(w),
    provisioned: [
      clientOutcome({ oauthClientId: client.id, clientCreated: true, secretArn, secretCreated: true }),
      integrationOutcome({ integrationId: integration.id, integrationCreated: true }),
    ],
    configured: configureOutcome({ credentialId: credential.id as string, credentialCreated: true }),
    error: FAILURE,
  };
  return {
    w,
    state,
    client,
    secretArn,
    integration,
    credential: credential.id as string,
    leftover: leftover.id as string,
  };
}

/** Deps whose store remembers which Genesys writes had happened when a secret was deleted. */
function watchingSecretDeletes(w: StepWorld): { deps: StepWorld['deps']; writesBefore: string[][] } {
  const writesBefore: string[][] = [];
  const secrets = storeWith(w.secrets, {
    delete: (id, options) => {
      writesBefore.push(w.genesys.writes());
      return w.secrets.delete(id, options);
    },
  });
  return { deps: { ...w.deps, secrets }, writesBefore };
}

describe('compensate', () => {
  it('removes what the run created: integration, its credentials, the client (inactive first), the secret', async () => {
    const { w, state, client, secretArn, integration, credential, leftover } = await createdEverything();
    const { deps, writesBefore } = watchingSecretDeletes(w);

    const outcome = await compensate(state, deps);

    expect(outcome).toEqual({
      error: FAILURE.Error,
      cause: FAILURE.Cause,
      rolledBack: [
        `integration ${integration.id}`,
        `credential ${credential}`,
        `credential ${leftover}`,
        `OAuth client ${client.id}`,
        `secret ${secretArn}`,
      ],
      leftBehind: [],
    });
    expect(w.genesys.writes()).toEqual([
      `integrations.delete ${integration.id}`,
      `credentials.delete ${credential}`,
      `credentials.delete ${leftover}`,
      `oauthClients.update ${client.id}`,
      `oauthClients.delete ${client.id}`,
    ]);
    // The secret goes last, once the client is gone.
    expect(writesBefore).toEqual([w.genesys.writes()]);
    expect(w.secrets.callsOf('delete')).toEqual([{ operation: 'delete', secretId: secretArn }]);
    expect(w.genesys.callsOf('oauthClients.update')[0]?.args[1]).toMatchObject({ state: 'inactive' });
    expect(w.genesys.integrations.size).toBe(0);
    expect(w.genesys.credentials.size).toBe(0);
    expect(w.genesys.clients.has(client.id)).toBe(false);
    expect(await w.secrets.get(w.resultSecretId)).toBeUndefined();
  });

  it('waits for each removal within the consistency windows of the settings', async () => {
    const { w, state, client, integration, credential } = await createdEverything();
    await compensate(state, w.deps);
    const options = { goneTimeoutMs: 30_000, retryNotFoundMs: 15_000 };
    expect(w.genesys.callsOf('integrations.deleteAndWait').map((c) => c.args)).toEqual([
      [integration.id, options],
    ]);
    expect(w.genesys.callsOf('credentials.delete')[0]?.args).toEqual([credential, options]);
    expect(w.genesys.callsOf('oauthClients.deactivateAndDelete').map((c) => c.args)).toEqual([
      [client.id, options],
    ]);
  });

  it('counts what is already gone as removed', async () => {
    const { w, state, client, secretArn, integration, credential, leftover } = await createdEverything();
    w.genesys.integrations.clear();
    w.genesys.credentials.clear();
    w.genesys.clients.delete(client.id);
    const outcome = await compensate(state, w.deps);
    expect(outcome.rolledBack).toEqual([
      `integration ${integration.id}`,
      `credential ${credential}`,
      `OAuth client ${client.id}`,
      `secret ${secretArn}`,
    ]);
    expect(outcome.rolledBack).not.toContain(`credential ${leftover}`);
    expect(outcome.leftBehind).toEqual([]);
  });

  it('names a credential that is both known and named after the integration once', async () => {
    const { w, state, credential } = await createdEverything();
    const outcome = await compensate(state, w.deps);
    expect(outcome.rolledBack.filter((line) => line === `credential ${credential}`)).toHaveLength(1);
  });

  it('touches nothing that existed before the run, and opens no session', async () => {
    const w = await stepWorld();
    const state: WorkflowState = {
      plan: plan(w),
      provisioned: [clientOutcome({ secretCreated: true }), integrationOutcome()],
      configured: configureOutcome({ credentialUpdated: true, configUpdated: true, enabled: true }),
      error: FAILURE,
    };
    expect(await compensate(state, w.deps)).toEqual({
      error: FAILURE.Error,
      cause: FAILURE.Cause,
      rolledBack: [],
      leftBehind: [],
    });
    expect(w.genesys.sessions).toEqual([]);
    expect(w.secrets.calls).toEqual([]);
  });

  it('does nothing without a plan (Prepare failed)', async () => {
    const w = await stepWorld();
    const state: WorkflowState = {
      provisioned: [clientOutcome({ clientCreated: true }), integrationOutcome({ integrationCreated: true })],
      error: FAILURE,
    };
    expect(await compensate(state, w.deps)).toMatchObject({ rolledBack: [], leftBehind: [] });
    expect(w.genesys.sessions).toEqual([]);
  });

  it('does nothing when the provisioning branches left no outcome (the Parallel state failed as a whole)', async () => {
    const w = await stepWorld();
    const state: WorkflowState = { plan: plan(w), error: FAILURE };
    expect(await compensate(state, w.deps)).toEqual({
      error: FAILURE.Error,
      cause: FAILURE.Cause,
      rolledBack: [],
      leftBehind: [],
    });
    expect(w.genesys.sessions).toEqual([]);
    expect(w.secrets.calls).toEqual([]);
  });

  it('removes only the credential it created on an integration that existed before', async () => {
    const w = await stepWorld();
    const integration = w.genesys.addIntegration({ name: INTEGRATION_NAME });
    const credential = w.genesys.addCredential({ name: `Integration-${integration.id}` });
    const outcome = await compensate(
      {
        plan: plan(w),
        provisioned: [clientOutcome(), integrationOutcome({ integrationId: integration.id })],
        configured: configureOutcome({ credentialId: credential.id as string, credentialCreated: true }),
      },
      w.deps,
    );
    expect(outcome.rolledBack).toEqual([`credential ${credential.id}`]);
    expect(w.genesys.writes()).toEqual([`credentials.delete ${credential.id}`]);
    expect(w.genesys.integrations.has(integration.id)).toBe(true);
  });

  it('leaves a credential still in use behind, saying why', async () => {
    const w = await stepWorld();
    const integration = w.genesys.addIntegration({ name: INTEGRATION_NAME });
    const credential = w.genesys.addCredential({ name: `Integration-${integration.id}` });
    integration.config.current.credentials = { pureCloudOAuthClient: { id: credential.id as string } };
    const outcome = await compensate(
      {
        plan: plan(w),
        provisioned: [clientOutcome(), integrationOutcome({ integrationId: integration.id })],
        configured: configureOutcome({ credentialId: credential.id as string, credentialCreated: true }),
      },
      w.deps,
    );
    expect(outcome.rolledBack).toEqual([]);
    expect(outcome.leftBehind).toEqual([
      `credential ${credential.id}: Genesys DELETE /api/v2/integrations/credentials/${credential.id} failed (HTTP 409 in.use): fake conflict`,
    ]);
  });

  it('removes the created integration while the client branch failed, and reports the branch error', async () => {
    const w = await stepWorld();
    const integration = w.genesys.addIntegration({ name: INTEGRATION_NAME });
    const outcome = await compensate(
      {
        plan: plan(w),
        provisioned: [
          BRANCH_FAILURE,
          integrationOutcome({ integrationId: integration.id, integrationCreated: true }),
        ],
      },
      w.deps,
    );
    expect(outcome).toEqual({
      error: 'Genesys.Permission',
      cause: 'no permission',
      rolledBack: [`integration ${integration.id}`],
      leftBehind: [],
    });
  });

  it('removes the created client while the integration branch failed', async () => {
    const w = await stepWorld();
    const client = ourClient(w);
    const secretArn = await storeRecord(w, resultSecret(w, client));
    const outcome = await compensate(
      {
        plan: plan(w),
        provisioned: [
          clientOutcome({ oauthClientId: client.id, clientCreated: true, secretArn, secretCreated: true }),
          BRANCH_FAILURE,
        ],
      },
      w.deps,
    );
    expect(outcome.rolledBack).toEqual([`OAuth client ${client.id}`, `secret ${secretArn}`]);
  });

  it('keeps a secret this run did not create (it was there before)', async () => {
    const w = await stepWorld();
    const client = ourClient(w);
    const secretArn = await storeRecord(w, resultSecret(w, client));
    const recordBefore = (await w.secrets.get(w.resultSecretId))?.value;
    const outcome = await compensate(
      {
        plan: plan(w),
        provisioned: [
          clientOutcome({ oauthClientId: client.id, clientCreated: true, secretArn, secretCreated: false }),
          integrationOutcome(),
        ],
      },
      w.deps,
    );
    expect(outcome.rolledBack).toEqual([`OAuth client ${client.id}`]);
    expect((await w.secrets.get(w.resultSecretId))?.value).toBe(recordBefore);
  });

  it('goes on after a failed integration removal, leaving its credentials behind too', async () => {
    const { w, state, client, secretArn, integration, credential, leftover } = await createdEverything();
    w.genesys.failOn(
      'integrations.delete',
      apiError('permission', 'DELETE', `/api/v2/integrations/${integration.id}`),
    );
    const outcome = await compensate(state, w.deps);
    expect(outcome.leftBehind).toEqual([
      `integration ${integration.id}: Genesys DELETE /api/v2/integrations/${integration.id} failed (HTTP 403): fake permission`,
      `credential ${credential}: Genesys DELETE /api/v2/integrations/credentials/${credential} failed (HTTP 409 in.use): fake conflict`,
    ]);
    expect(outcome.rolledBack).toEqual([
      `credential ${leftover}`,
      `OAuth client ${client.id}`,
      `secret ${secretArn}`,
    ]);
  });

  it('deletes the known credential when the credential listing fails, and says what it could not check', async () => {
    const { w, state, integration, credential, leftover } = await createdEverything();
    w.genesys.failOn(
      'credentials.listAll',
      apiError('permission', 'GET', '/api/v2/integrations/credentials/listing'),
    );
    const outcome = await compensate(state, w.deps);
    expect(outcome.leftBehind).toEqual([
      `credentials named Integration-${integration.id}, if any: Genesys GET /api/v2/integrations/credentials/listing failed (HTTP 403): fake permission`,
    ]);
    expect(outcome.rolledBack).toContain(`credential ${credential}`);
    expect(w.genesys.credentials.has(leftover)).toBe(true);
  });

  it('deletes no credential when the listing fails and Configure created none', async () => {
    const { w, state, integration } = await createdEverything();
    w.genesys.failOn('credentials.listAll', new Error('listing down'));
    const outcome = await compensate({ ...state, configured: undefined }, w.deps);
    expect(outcome.leftBehind).toEqual([
      `credentials named Integration-${integration.id}, if any: listing down`,
    ]);
    expect(w.genesys.writes().filter((line) => line.startsWith('credentials.delete'))).toEqual([]);
  });

  it.each([
    ['left inactive', 'oauthClients.delete' as const, 'left inactive'],
    ['left active', 'oauthClients.update' as const, 'left active'],
  ])('says the client was %s when its removal failed', async (_, failing, leftAs) => {
    const { w, state, client, secretArn } = await createdEverything();
    w.genesys.failOn(failing, apiError('permission', 'DELETE', `/api/v2/oauth/clients/${client.id}`));
    const outcome = await compensate(state, w.deps);
    expect(outcome.leftBehind).toEqual([
      `OAuth client ${client.id} (${leftAs}): Genesys DELETE /api/v2/oauth/clients/${client.id} failed (HTTP 403): fake permission`,
    ]);
    // The secret this run created goes anyway: a later run finds the marked client and regenerates it.
    expect(outcome.rolledBack).toContain(`secret ${secretArn}`);
  });

  it('says the client is gone when the removal failed after it went', async () => {
    const { w, state, client } = await createdEverything();
    w.genesys.intercept('oauthClients.deactivateAndDelete', () => {
      w.genesys.clients.delete(client.id);
      throw new Error('delete not confirmed');
    });
    const outcome = await compensate(state, w.deps);
    expect(outcome.leftBehind).toEqual([`OAuth client ${client.id} (gone): delete not confirmed`]);
  });

  it('says the client state is unknown when it cannot be read after a failed removal', async () => {
    const { w, state, client } = await createdEverything();
    w.genesys.failOn('oauthClients.deactivateAndDelete', new Error('removal failed'));
    w.genesys.failOn('oauthClients.get', new Error('read failed'));
    const outcome = await compensate(state, w.deps);
    expect(outcome.leftBehind).toEqual([`OAuth client ${client.id} (in an unknown state): removal failed`]);
  });

  it('leaves the secret behind when it cannot be deleted', async () => {
    const { w, state, secretArn } = await createdEverything();
    const secrets = storeWith(w.secrets, { delete: () => Promise.reject(new Error('access denied')) });
    const outcome = await compensate(state, { ...w.deps, secrets });
    expect(outcome.leftBehind).toEqual([`secret ${secretArn}: access denied`]);
  });

  it('reports a thrown value that is not an Error as text', async () => {
    const { w, state, integration } = await createdEverything();
    w.genesys.intercept('integrations.deleteAndWait', () => {
      throw 'plain failure';
    });
    const outcome = await compensate(state, w.deps);
    expect(outcome.leftBehind[0]).toBe(`integration ${integration.id}: plain failure`);
  });

  it.each([
    ['a throttled', 'rate-limited' as const],
    ['an unavailable', 'transient' as const],
  ])('throws %s Genesys removal, so that the state machine runs Compensate again', async (_, kind) => {
    const { w, state, integration } = await createdEverything();
    const error = apiError(kind, 'DELETE', `/api/v2/integrations/${integration.id}`);
    w.genesys.failOn('integrations.delete', error);
    await expect(compensate(state, w.deps)).rejects.toBe(error);
  });

  it('throws a credential listing failure that may pass, instead of reporting what it could not check', async () => {
    const { w, state } = await createdEverything();
    const error = apiError('transient', 'GET', '/api/v2/integrations/credentials/listing');
    w.genesys.failOn('credentials.listAll', error);
    await expect(compensate(state, w.deps)).rejects.toBe(error);
  });

  it('fails as the bootstrap session does when its secret is gone', async () => {
    const { w, state } = await createdEverything();
    await w.secrets.delete(w.bootstrapSecretId);
    await expect(compensate(state, w.deps)).rejects.toMatchObject({
      name: 'Onboarding.BootstrapSecretMissing',
    });
  });
});

describe('describeFailure', () => {
  it('takes the caught error over a failed branch', () => {
    expect(describeFailure({ provisioned: [BRANCH_FAILURE, integrationOutcome()], error: FAILURE })).toEqual({
      error: FAILURE.Error,
      cause: FAILURE.Cause,
    });
  });

  it('takes the first failed branch when nothing was caught', () => {
    const second = { failed: true as const, error: { Error: 'Genesys.Conflict', Cause: 'second' } };
    expect(describeFailure({ provisioned: [clientOutcome(), second] })).toEqual({
      error: 'Genesys.Conflict',
      cause: 'second',
    });
    expect(describeFailure({ provisioned: [BRANCH_FAILURE, second] })).toEqual({
      error: 'Genesys.Permission',
      cause: 'no permission',
    });
  });

  it('names an unnamed failure Onboarding.Failed with an unknown cause', () => {
    expect(describeFailure({})).toEqual({ error: 'Onboarding.Failed', cause: 'unknown cause' });
    expect(describeFailure({ error: { Cause: 'x' } })).toEqual({ error: 'Onboarding.Failed', cause: 'x' });
  });
});

describe("compensate: the run's intent to install the integration", () => {
  /** A run that installed the integration for a client an earlier run created (its record existed before). */
  async function installedForAnEarlierClient(intentRunId: string) {
    const w = await stepWorld();
    const client = ourClient(w);
    const integrationCreation = { name: INTEGRATION_NAME, runId: intentRunId, since: w.clock.iso(0) };
    const secretArn = await storeRecord(w, resultSecret(w, client, { integrationCreation }));
    const integration = w.genesys.addIntegration({ name: INTEGRATION_NAME });
    const state: WorkflowState = {
      plan: plan(w),
      provisioned: [
        clientOutcome({ oauthClientId: client.id, clientCreated: false, secretArn, secretCreated: false }),
        integrationOutcome({ integrationId: integration.id, integrationCreated: true }),
      ],
      error: FAILURE,
    };
    const record = async () => JSON.parse((await w.secrets.get(w.resultSecretId))?.value ?? '{}');
    return { w, state, client, integration, record };
  }

  it('is taken out of the record once the integration it installed is removed; the rest of the record stays', async () => {
    const { w, state, client, record } = await installedForAnEarlierClient('run-1');
    const before = await record();
    const outcome = await compensate(state, w.deps);
    expect(outcome.leftBehind).toEqual([]);
    const { integrationCreation, ...rest } = before;
    expect(integrationCreation).toBeDefined();
    expect(await record()).toEqual(rest);
    expect(rest.clientId).toBe(client.id);
  });

  it("leaves another run's intent as it is", async () => {
    const { w, state, record } = await installedForAnEarlierClient('run-2');
    const before = await record();
    await compensate(state, w.deps);
    expect(await record()).toEqual(before);
  });

  it('is reported left behind when the record cannot be rewritten, with the rest of the rollback done', async () => {
    const { w, state, integration, record } = await installedForAnEarlierClient('run-1');
    const secrets = storeWith(w.secrets, { put: () => Promise.reject(new Error('access denied')) });
    const before = await record();
    const outcome = await compensate(state, { ...w.deps, secrets });
    expect(outcome.rolledBack).toEqual([`integration ${integration.id}`]);
    expect(outcome.leftBehind).toEqual([
      `this run's intent to install integration "${INTEGRATION_NAME}" in secret ${w.resultSecretId}: access denied (the next run waits out its listing grace)`,
    ]);
    expect(await record()).toEqual(before);
  });

  it('throws a secret store failure that may pass, so that the state machine runs Compensate again', async () => {
    const { w, state } = await installedForAnEarlierClient('run-1');
    const failure = new SecretStoreUnavailableError('put: throttled');
    const secrets = storeWith(w.secrets, { put: () => Promise.reject(failure) });
    await expect(compensate(state, { ...w.deps, secrets })).rejects.toBe(failure);
  });

  it('stays while the integration it installed could not be removed', async () => {
    const { w, state, integration, record } = await installedForAnEarlierClient('run-1');
    w.genesys.failOn(
      'integrations.deleteAndWait',
      apiError('permission', 'DELETE', `/api/v2/integrations/${integration.id}`),
    );
    const before = await record();
    await compensate(state, w.deps);
    expect(await record()).toEqual(before);
  });
});
