import { DEFAULT_CONSISTENCY } from '../../../../lambdas/shared/deps';
import { ONBOARDING_ERRORS, OnboardingError } from '../../../../lambdas/shared/errors';
import { withMarker } from '../../../../lambdas/shared/ownership';
import { readResultRecord } from '../../../../lambdas/shared/secrets';
import {
  findIntegrationOfEarlierAttempt,
  findOurClient,
  findOurIntegration,
} from '../../../../lambdas/workflows/onboarding/find-ours';
import { apiError } from '../../../support/fake-genesys';
import { type StepWorld, stepWorld } from '../../../support/step-deps';
import { FakeApi, FakeClock, fakeClient, json } from '../../genesys/fake-api';
import {
  bootstrapApi,
  CLIENT_NAME,
  errorOf,
  INTEGRATION_NAME,
  intent,
  lookupContext,
  ourClient,
  resultSecret,
  storeRecord,
} from './fixtures';
import { samplePlan, stepDeps, temporaryStore } from './sample-plan';

const MARKED = withMarker('Used by the Genesys Cloud Data Actions integration');

const record = (w: StepWorld) => readResultRecord(w.secrets, w.resultSecretId);

async function findClient(w: StepWorld, context = lookupContext(w)) {
  return findOurClient(bootstrapApi(w), context, await record(w), w.deps);
}

async function findIntegration(w: StepWorld, context = lookupContext(w)) {
  return findOurIntegration(bootstrapApi(w), context, await record(w), w.deps);
}

describe('findOurClient', () => {
  describe('the recorded client', () => {
    it('is read by id, with the read-after-create window, even when the listing does not show it', async () => {
      const w = await stepWorld();
      const client = ourClient(w, {
        accessTokenValiditySeconds: 3600,
        roleDivisions: [{ roleId: 'r', divisionId: 'd' }],
      });
      w.genesys.hiddenFromListing.add(client.id);
      await storeRecord(w, resultSecret(w, client));
      expect(await findClient(w)).toEqual({
        action: 'use',
        oauthClientId: client.id,
        basis: 'recorded',
        current: {
          description: MARKED,
          accessTokenValiditySeconds: 3600,
          state: 'active',
          roleDivisions: [{ roleId: 'r', divisionId: 'd' }],
          dateCreated: '2026-01-10T08:00:00.000Z',
        },
      });
      expect(w.genesys.callsOf('oauthClients.find')[0]?.args).toEqual([
        client.id,
        { retryNotFoundMs: 15_000 },
      ]);
      expect(w.genesys.operations()).not.toContain('oauthClients.list');
    });

    it('is used without a marker: the record is proof enough', async () => {
      const w = await stepWorld();
      const client = ourClient(w, { description: 'edited by an admin' });
      await storeRecord(w, resultSecret(w, client));
      expect(await findClient(w)).toMatchObject({
        basis: 'recorded',
        current: { description: 'edited by an admin' },
      });
    });

    it('fills what the API left out: no description, no roles, no validity, no date', async () => {
      const w = await stepWorld();
      const client = ourClient(w);
      await storeRecord(w, resultSecret(w, client));
      w.genesys.intercept('oauthClients.get', () => ({ id: client.id, name: CLIENT_NAME, state: 'active' }));
      expect(await findClient(w)).toStrictEqual({
        action: 'use',
        oauthClientId: client.id,
        basis: 'recorded',
        current: { description: '', state: 'active', roleDivisions: [] },
      });
    });

    it('counts a listed client without a state as active', async () => {
      const w = await stepWorld();
      const client = ourClient(w);
      w.genesys.intercept('oauthClients.list', () => [
        { id: client.id, name: CLIENT_NAME, description: MARKED },
      ]);
      expect(await findClient(w)).toEqual({
        action: 'use',
        oauthClientId: client.id,
        basis: 'marked',
        current: { description: MARKED, state: 'active', roleDivisions: [] },
      });
    });

    it('that is gone (404 after the window) makes the record stale: the name is looked up', async () => {
      const w = await stepWorld();
      await storeRecord(w, resultSecret(w, { id: 'client-gone', secret: 'old' }));
      const marked = ourClient(w);
      expect(await findClient(w)).toMatchObject({ action: 'use', oauthClientId: marked.id, basis: 'marked' });
    });

    it.each(['inactive', 'deleted'])(
      'that is %s makes the record stale: a new client is planned',
      async (state) => {
        const w = await stepWorld();
        const client = ourClient(w, { state });
        await storeRecord(w, resultSecret(w, client));
        expect(await findClient(w)).toEqual({ action: 'create' });
      },
    );

    it('that is disabled is refused: Onboarding.ClientDisabled', async () => {
      const w = await stepWorld();
      const client = ourClient(w, { state: 'disabled' });
      await storeRecord(w, resultSecret(w, client));
      const error = await errorOf(() => findClient(w));
      expect(error).toBeInstanceOf(OnboardingError);
      expect(error.name).toBe('Onboarding.ClientDisabled');
      expect(error.message).toBe(
        `OAuth client "${CLIENT_NAME}" (id ${client.id}) is disabled (Genesys support sets this state): it is not re-activated or used, and nothing was changed. Ask Genesys support, or choose another client name`,
      );
    });

    it('that is disabled is refused under another name too: Onboarding.ClientDisabled', async () => {
      const w = await stepWorld();
      const client = ourClient(w, { state: 'disabled', name: 'old-name' });
      await storeRecord(w, resultSecret(w, client));
      expect((await errorOf(() => findClient(w))).name).toBe('Onboarding.ClientDisabled');
      expect(w.genesys.callsOf('oauthClients.list')).toEqual([]);
    });

    it('under another name is refused: Onboarding.OtherClientOnboarded', async () => {
      const w = await stepWorld();
      const client = ourClient(w, { name: 'old-name' });
      await storeRecord(w, resultSecret(w, client));
      const error = await errorOf(() => findClient(w));
      expect(error.name).toBe('Onboarding.OtherClientOnboarded');
      expect(error.message).toBe(
        `Org ${w.orgId} is onboarded with OAuth client ${client.id} ("old-name"), whose secret ${w.resultSecretId} holds; this request names "${CLIENT_NAME}". Use that client name, or offboard the org first`,
      );
    });

    it('that is the bootstrap client is refused: Onboarding.NameTaken', async () => {
      const w = await stepWorld();
      await storeRecord(w, resultSecret(w, w.genesys.bootstrap));
      const error = await errorOf(() =>
        findClient(
          w,
          lookupContext(w, { oauthClient: { ...lookupContext(w).oauthClient, name: 'Bootstrap' } }),
        ),
      );
      expect(error.name).toBe('Onboarding.NameTaken');
      expect(error.message).toBe(
        `OAuth client "Bootstrap" (id ${w.genesys.bootstrap.id}, state active) is the bootstrap client this run authenticates with: it is never adopted, changed or deleted. Choose another client name`,
      );
    });

    it('passes on a read failure other than 404', async () => {
      const w = await stepWorld();
      const client = ourClient(w);
      await storeRecord(w, resultSecret(w, client));
      const failure = apiError('transient', 'GET', `/api/v2/oauth/clients/${client.id}`);
      w.genesys.failOn('oauthClients.get', failure);
      await expect(findClient(w)).rejects.toBe(failure);
    });
  });

  describe('by name, over the whole listing', () => {
    it('plans a creation when no client has the name', async () => {
      const w = await stepWorld();
      w.genesys.addClient({ name: 'other', description: MARKED });
      expect(await findClient(w)).toEqual({ action: 'create' });
    });

    it('refuses the bootstrap client name: Onboarding.NameTaken', async () => {
      const w = await stepWorld();
      const context = lookupContext(w, {
        oauthClient: { ...lookupContext(w).oauthClient, name: 'Bootstrap' },
      });
      const error = await errorOf(() => findClient(w, context));
      expect(error.name).toBe('Onboarding.NameTaken');
      expect(error.message).toContain(`(id ${w.genesys.bootstrap.id}, state active) is the bootstrap client`);
    });

    it('refuses a disabled client of the name, even beside a marked one: Onboarding.ClientDisabled', async () => {
      const w = await stepWorld();
      ourClient(w);
      const disabled = w.genesys.addClient({ name: CLIENT_NAME, state: 'disabled' });
      const error = await errorOf(() => findClient(w));
      expect(error.name).toBe('Onboarding.ClientDisabled');
      expect(error.message).toContain(`(id ${disabled.id}) is disabled`);
    });

    it('uses the marked client and leaves a foreign one of the same name alone', async () => {
      const w = await stepWorld();
      w.genesys.addClient({
        name: CLIENT_NAME,
        description: 'hand-made',
        dateCreated: '2020-01-01T00:00:00.000Z',
      });
      const marked = ourClient(w);
      expect(await findClient(w)).toMatchObject({ action: 'use', oauthClientId: marked.id, basis: 'marked' });
    });

    it('uses the oldest of several marked clients, then the lowest id on equal dates', async () => {
      const w = await stepWorld();
      ourClient(w, { id: 'c-3', dateCreated: '2026-02-01T00:00:00.000Z' });
      ourClient(w, { id: 'c-2', dateCreated: '2026-01-01T00:00:00.000Z' });
      ourClient(w, { id: 'c-1', dateCreated: '2026-03-01T00:00:00.000Z' });
      expect(await findClient(w)).toMatchObject({ oauthClientId: 'c-2' });
      const tie = await stepWorld();
      ourClient(tie, { id: 'c-b', dateCreated: '2026-01-01T00:00:00.000Z' });
      ourClient(tie, { id: 'c-a', dateCreated: '2026-01-01T00:00:00.000Z' });
      expect(await findClient(tie)).toMatchObject({ oauthClientId: 'c-a' });
    });

    it.each([
      ['listed after a dated one', ['c-1', 'c-2']],
      ['listed before a dated one', ['c-2', 'c-1']],
    ])('counts a client without a date as the oldest, %s', async (_, order) => {
      const w = await stepWorld();
      for (const id of order) {
        ourClient(w, { id, dateCreated: id === 'c-1' ? '2026-01-01T00:00:00.000Z' : undefined });
      }
      expect(await findClient(w)).toMatchObject({ oauthClientId: 'c-2' });
    });

    it('refuses a foreign client of the name: Onboarding.NameTaken, naming it and adoptExisting', async () => {
      const w = await stepWorld();
      const foreign = w.genesys.addClient({ name: CLIENT_NAME, description: 'hand-made' });
      const error = await errorOf(() => findClient(w));
      expect(error.name).toBe('Onboarding.NameTaken');
      expect(error.message).toBe(
        `OAuth client "${CLIENT_NAME}" exists (id ${foreign.id}, state active) and was not created by genesys-onboarding: nothing was changed. Choose another client name, or set adoptExisting (CLI --adopt-existing) to take it over: its roles and description are then replaced and its secret regenerated`,
      );
    });

    it('adopts the oldest foreign client with adoptExisting', async () => {
      const w = await stepWorld();
      w.genesys.addClient({ id: 'f-2', name: CLIENT_NAME, dateCreated: '2026-02-01T00:00:00.000Z' });
      w.genesys.addClient({ id: 'f-1', name: CLIENT_NAME, dateCreated: '2026-01-01T00:00:00.000Z' });
      const found = await findClient(w, lookupContext(w, { adoptExisting: true }));
      expect(found).toMatchObject({ action: 'use', oauthClientId: 'f-1', basis: 'adopted' });
    });

    it.each(['inactive', 'deleted'])('never counts an %s client of the name', async (state) => {
      const w = await stepWorld();
      w.genesys.addClient({ name: CLIENT_NAME, state });
      ourClient(w, { state });
      expect(await findClient(w)).toEqual({ action: 'create' });
    });

    it('passes on a listing failure (a partial view is never taken for "absent")', async () => {
      const w = await stepWorld();
      const failure = apiError('transient', 'GET', '/api/v2/oauth/clients');
      w.genesys.failOn('oauthClients.list', failure);
      await expect(findClient(w)).rejects.toBe(failure);
    });
  });

  describe('a recorded creation intent', () => {
    it('is waited on until the client shows in the listing', async () => {
      const w = await stepWorld();
      await storeRecord(w, intent(w, 5_000));
      const client = ourClient(w);
      w.genesys.hiddenFromListing.add(client.id);
      let lists = 0;
      w.genesys.intercept('oauthClients.list', () => {
        lists += 1;
        if (lists === 3) w.genesys.hiddenFromListing.delete(client.id);
        return undefined;
      });
      expect(await findClient(w)).toMatchObject({ action: 'use', oauthClientId: client.id, basis: 'marked' });
      expect(w.clock.sleeps).toEqual([2_000, 2_000]);
    });

    it('is waited on until the other run records its client, then read by id', async () => {
      const w = await stepWorld();
      await storeRecord(w, intent(w, 5_000));
      const client = ourClient(w);
      w.genesys.hiddenFromListing.add(client.id);
      w.genesys.intercept('oauthClients.list', async () => {
        if (w.clock.sleeps.length === 1) await storeRecord(w, resultSecret(w, client));
        return undefined;
      });
      expect(await findClient(w)).toMatchObject({ oauthClientId: client.id, basis: 'recorded' });
      expect(w.clock.sleeps).toEqual([2_000, 2_000]);
    });

    it('fails with Onboarding.ClientCreationPending after 20 s of watching inside the grace', async () => {
      const w = await stepWorld();
      await storeRecord(w, intent(w, 0));
      const error = await errorOf(() => findClient(w));
      expect(error.name).toBe('Onboarding.ClientCreationPending');
      expect(error.message).toBe(
        `A run started creating OAuth client "${CLIENT_NAME}" at ${w.clock.iso(-20_000)} and it is not listed yet; looking again until 2026-03-02T10:01:00.000Z`,
      );
      expect(w.clock.sleeps).toEqual(Array(10).fill(2_000));
      expect(w.genesys.writes()).toEqual([]);
    });

    it('plans a creation at once when the grace after the intent is over', async () => {
      const w = await stepWorld();
      await storeRecord(w, intent(w, 60_000));
      expect(await findClient(w)).toEqual({ action: 'create' });
      expect(w.clock.sleeps).toEqual([]);
    });

    it('plans a creation once the grace ends during the watch', async () => {
      const w = await stepWorld();
      await storeRecord(w, intent(w, 55_000));
      expect(await findClient(w)).toEqual({ action: 'create' });
      // The last wait ends with the grace: the listing then taken is conclusive.
      expect(w.clock.sleeps).toEqual([2_000, 2_000, 1_000]);
    });

    it('honours the configured listing grace', async () => {
      const w = await stepWorld({
        consistency: { ...DEFAULT_CONSISTENCY, clientListingGraceMs: 4_000 },
      });
      await storeRecord(w, intent(w, 0));
      expect(await findClient(w)).toEqual({ action: 'create' });
      expect(w.clock.sleeps).toEqual([2_000, 2_000]);
    });

    it('plans a creation when the intent disappears (the other run gave up)', async () => {
      const w = await stepWorld();
      await storeRecord(w, intent(w, 0));
      w.genesys.intercept('oauthClients.list', async () => {
        if (w.clock.sleeps.length === 1) await w.secrets.delete(w.resultSecretId);
        return undefined;
      });
      expect(await findClient(w)).toEqual({ action: 'create' });
      // The record read after the first sleep still held the intent; the one after the second is empty.
      expect(w.clock.sleeps).toEqual([2_000, 2_000]);
    });

    it('does not wait when a client is found at once', async () => {
      const w = await stepWorld();
      await storeRecord(w, intent(w, 0));
      ourClient(w);
      expect(await findClient(w)).toMatchObject({ basis: 'marked' });
      expect(w.clock.sleeps).toEqual([]);
    });

    it('still refuses a foreign client of the name while waiting', async () => {
      const w = await stepWorld();
      await storeRecord(w, intent(w, 0));
      const foreign = w.genesys.addClient({ name: CLIENT_NAME, description: 'hand-made' });
      w.genesys.hiddenFromListing.add(foreign.id);
      w.genesys.intercept('oauthClients.list', () => {
        w.genesys.hiddenFromListing.clear();
        return undefined;
      });
      expect((await errorOf(() => findClient(w))).name).toBe('Onboarding.NameTaken');
    });
  });
});

describe('findOurIntegration', () => {
  const configured = (credentialId: string) => ({
    credentials: { pureCloudOAuthClient: { id: credentialId } },
  });

  it('reads the recorded integration by id with its config, and keeps the recorded credential', async () => {
    const w = await stepWorld();
    const integration = w.genesys.addIntegration({
      name: INTEGRATION_NAME,
      intendedState: 'ENABLED',
      reportedState: { code: 'ACTIVE' },
      config: configured('cred-configured'),
    });
    await storeRecord(
      w,
      resultSecret(
        w,
        { id: 'c', secret: 's' },
        { integrationId: integration.id, credentialId: 'cred-recorded' },
      ),
    );
    expect(await findIntegration(w)).toEqual({
      action: 'use',
      integrationId: integration.id,
      basis: 'recorded',
      configuredCredentialId: 'cred-configured',
      recordedCredentialId: 'cred-recorded',
      // Read by id: Configure need not read it again to see that it is as wanted.
      readConfig: { name: INTEGRATION_NAME, notes: '' },
      intendedState: 'ENABLED',
      reportedState: 'ACTIVE',
    });
    expect(w.genesys.callsOf('integrations.find')[0]?.args).toEqual([
      integration.id,
      { expandConfig: true, retryNotFoundMs: 15_000 },
    ]);
    expect(w.genesys.operations()).not.toContain('integrations.findByName');
  });

  it('passes on no config it saw in a listing, which may lag (a marked integration)', async () => {
    const w = await stepWorld();
    const marked = w.genesys.addIntegration({ name: INTEGRATION_NAME, config: { notes: withMarker('') } });
    const decision = await findIntegration(w);
    expect(decision).toMatchObject({ action: 'use', integrationId: marked.id, basis: 'marked' });
    expect(decision).not.toHaveProperty('readConfig');
  });

  it('reads a recorded integration without config, state or credential as DISABLED and unconfigured', async () => {
    const w = await stepWorld();
    const integration = w.genesys.addIntegration({ name: INTEGRATION_NAME });
    await storeRecord(w, resultSecret(w, { id: 'c', secret: 's' }, { integrationId: integration.id }));
    w.genesys.intercept('integrations.get', () => ({ id: integration.id, name: INTEGRATION_NAME }));
    expect(await findIntegration(w)).toEqual({
      action: 'use',
      integrationId: integration.id,
      basis: 'recorded',
      intendedState: 'DISABLED',
    });
  });

  it('refuses a new name for the recorded integration: Onboarding.OtherIntegrationOnboarded', async () => {
    const w = await stepWorld();
    const integration = w.genesys.addIntegration({ name: 'Old name' });
    await storeRecord(w, resultSecret(w, { id: 'c', secret: 's' }, { integrationId: integration.id }));
    const error = await errorOf(() => findIntegration(w));
    expect(error.name).toBe('Onboarding.OtherIntegrationOnboarded');
    expect(error.message).toBe(
      `Org ${w.orgId} is onboarded with integration ${integration.id} ("Old name"); this request names "${INTEGRATION_NAME}". Use that name, rename the recorded integration with renameIntegration (CLI --rename-integration), or offboard the org first`,
    );
  });

  it('plans the rename of the recorded integration with renameIntegration', async () => {
    const w = await stepWorld();
    const integration = w.genesys.addIntegration({ name: 'Old name' });
    await storeRecord(w, resultSecret(w, { id: 'c', secret: 's' }, { integrationId: integration.id }));
    expect(await findIntegration(w, lookupContext(w, { renameIntegration: true }))).toMatchObject({
      basis: 'recorded',
      renameFrom: 'Old name',
    });
  });

  it('plans a rename from "" when the recorded integration has no name', async () => {
    const w = await stepWorld();
    const integration = w.genesys.addIntegration({ name: INTEGRATION_NAME });
    await storeRecord(w, resultSecret(w, { id: 'c', secret: 's' }, { integrationId: integration.id }));
    w.genesys.intercept('integrations.get', () => ({ id: integration.id }));
    expect(await findIntegration(w, lookupContext(w, { renameIntegration: true }))).toMatchObject({
      renameFrom: '',
    });
  });

  it('has no renameFrom when the name is unchanged, even with renameIntegration', async () => {
    const w = await stepWorld();
    const integration = w.genesys.addIntegration({ name: INTEGRATION_NAME });
    await storeRecord(w, resultSecret(w, { id: 'c', secret: 's' }, { integrationId: integration.id }));
    expect(await findIntegration(w, lookupContext(w, { renameIntegration: true }))).not.toHaveProperty(
      'renameFrom',
    );
  });

  it('looks the name up when the recorded integration is gone', async () => {
    const w = await stepWorld();
    await storeRecord(w, resultSecret(w, { id: 'c', secret: 's' }, { integrationId: 'integration-gone' }));
    expect(await findIntegration(w)).toEqual({ action: 'create' });
    expect(w.genesys.operations()).toContain('integrations.findByName purecloud-data-actions');
  });

  it('plans a creation when no Data Actions integration has the name', async () => {
    const w = await stepWorld();
    w.genesys.addIntegration({ name: 'Another' });
    w.genesys.addIntegration({ name: INTEGRATION_NAME, integrationType: { id: 'custom-rest-actions' } });
    expect(await findIntegration(w)).toEqual({ action: 'create' });
  });

  it('uses the marked one (lowest id) before an unconfigured or foreign one', async () => {
    const w = await stepWorld();
    w.genesys.addIntegration({ id: 'i-1', name: INTEGRATION_NAME });
    w.genesys.addIntegration({ id: 'i-2', name: INTEGRATION_NAME, config: configured('cred-foreign') });
    w.genesys.addIntegration({
      id: 'i-4',
      name: INTEGRATION_NAME,
      config: { notes: MARKED, ...configured('c4') },
    });
    w.genesys.addIntegration({
      id: 'i-3',
      name: INTEGRATION_NAME,
      config: { notes: MARKED, ...configured('c3') },
    });
    expect(await findIntegration(w)).toEqual({
      action: 'use',
      integrationId: 'i-3',
      basis: 'marked',
      configuredCredentialId: 'c3',
      intendedState: 'DISABLED',
    });
  });

  it('counts one whose config has no credentials at all as unconfigured', async () => {
    const w = await stepWorld();
    w.genesys.addIntegration({ id: 'i-1', name: INTEGRATION_NAME, config: { credentials: undefined } });
    expect(await findIntegration(w)).toEqual({
      action: 'use',
      integrationId: 'i-1',
      basis: 'unconfigured',
      intendedState: 'DISABLED',
    });
  });

  it('adopts an unconfigured one (lowest id) before a foreign one', async () => {
    const w = await stepWorld();
    w.genesys.addIntegration({ id: 'i-1', name: INTEGRATION_NAME, config: configured('cred-foreign') });
    w.genesys.addIntegration({ id: 'i-3', name: INTEGRATION_NAME });
    w.genesys.addIntegration({ id: 'i-2', name: INTEGRATION_NAME });
    expect(await findIntegration(w)).toEqual({
      action: 'use',
      integrationId: 'i-2',
      basis: 'unconfigured',
      intendedState: 'DISABLED',
    });
  });

  it('refuses a configured foreign one: Onboarding.NameTaken, naming its states and credential', async () => {
    const w = await stepWorld();
    w.genesys.addIntegration({
      id: 'i-9',
      name: INTEGRATION_NAME,
      intendedState: 'ENABLED',
      reportedState: { code: 'ACTIVE' },
      config: configured('cred-foreign'),
    });
    const error = await errorOf(() => findIntegration(w));
    expect(error.name).toBe('Onboarding.NameTaken');
    expect(error.message).toBe(
      `Integration "${INTEGRATION_NAME}" exists (id i-9, ENABLED, reported ACTIVE), is configured with a credential and was not created by genesys-onboarding: nothing was changed. Choose another integration name, or set adoptExisting (CLI --adopt-existing) to take it over: it is then configured with this org's client and its current credential (cred-foreign) is left as it is`,
    );
  });

  it('says "unknown" for the states of a foreign one that reports none', async () => {
    const w = await stepWorld();
    w.genesys.addIntegration({ id: 'i-9', name: INTEGRATION_NAME, config: configured('cred-foreign') });
    w.genesys.intercept('integrations.listByType', () => [
      { id: 'i-9', name: INTEGRATION_NAME, config: { current: configured('cred-foreign') } },
    ]);
    expect((await errorOf(() => findIntegration(w))).message).toContain(
      '(id i-9, unknown, reported unknown)',
    );
  });

  it('adopts the configured foreign one with the lowest id with adoptExisting', async () => {
    const w = await stepWorld();
    w.genesys.addIntegration({ id: 'i-2', name: INTEGRATION_NAME, config: configured('cred-2') });
    w.genesys.addIntegration({ id: 'i-1', name: INTEGRATION_NAME, config: configured('cred-1') });
    expect(await findIntegration(w, lookupContext(w, { adoptExisting: true }))).toEqual({
      action: 'use',
      integrationId: 'i-1',
      basis: 'adopted',
      configuredCredentialId: 'cred-1',
      intendedState: 'DISABLED',
    });
  });

  it('passes on a read failure of the recorded integration other than 404', async () => {
    const w = await stepWorld();
    const integration = w.genesys.addIntegration({ name: INTEGRATION_NAME });
    await storeRecord(w, resultSecret(w, { id: 'c', secret: 's' }, { integrationId: integration.id }));
    const failure = apiError('permission', 'GET', `/api/v2/integrations/${integration.id}`);
    w.genesys.failOn('integrations.get', failure);
    await expect(findIntegration(w)).rejects.toBe(failure);
  });
});

/** Prepare and EnsureOAuthClient looking for the org's client while a run's creation intent is recorded. */
describe('findOurClient while a client is being created', () => {
  const { store, remove } = temporaryStore();
  afterAll(remove);
  const plan = samplePlan();
  const listing = (entities: object[]) => json(200, { entities, pageNumber: 1, pageCount: 1 });
  const ours = {
    id: 'c0ffee00-0000-4000-8000-000000000001',
    name: plan.oauthClient.name,
    description: withMarker('Used by Data Actions'),
    state: 'active',
    roleDivisions: [],
    dateCreated: '2026-11-30T10:00:00.000Z',
  };

  async function intentAged(clock: FakeClock, ageMs: number) {
    await store.put({
      name: plan.resultSecretId,
      value: JSON.stringify({
        orgId: plan.orgId,
        region: plan.region,
        oauthClientName: plan.oauthClient.name,
        creatingSince: new Date(clock.now() - ageMs).toISOString(),
        runId: 'another-run',
      }),
    });
    return readResultRecord(store, plan.resultSecretId);
  }

  const listings = (api: FakeApi) => api.apiLines.filter((line) => line === 'GET /api/v2/oauth/clients');

  it('watches the listing for clientCreationWatchMs (20 s), then throws ClientCreationPending for a retry', async () => {
    const clock = new FakeClock();
    const api = new FakeApi().on('GET', '/api/v2/oauth/clients', listing([]));
    const record = await intentAged(clock, 0);
    const started = clock.now();
    await expect(
      findOurClient(fakeClient(api, clock), plan, record, stepDeps(store, clock)),
    ).rejects.toMatchObject({ name: ONBOARDING_ERRORS.clientCreationPending });
    expect(clock.now() - started).toBe(20_000);
    // A look at once and every 2 s until the watch ends, the last at its end.
    expect(listings(api)).toHaveLength(11);
  });

  it('creates once a listing taken after the grace (60 s after the intent) shows no client', async () => {
    const clock = new FakeClock();
    const api = new FakeApi().on('GET', '/api/v2/oauth/clients', listing([]));
    const record = await intentAged(clock, 55_000);
    const started = clock.now();
    const found = await findOurClient(fakeClient(api, clock), plan, record, stepDeps(store, clock));
    expect(found).toEqual({ action: 'create' });
    expect(clock.now() - started).toBe(5_000);
    expect(clock.sleeps).toEqual([2_000, 2_000, 1_000]);
  });

  it('uses the client once the listing shows it', async () => {
    const clock = new FakeClock();
    const api = new FakeApi().on('GET', '/api/v2/oauth/clients', listing([]), listing([]), listing([ours]));
    const record = await intentAged(clock, 0);
    const found = await findOurClient(fakeClient(api, clock), plan, record, stepDeps(store, clock));
    expect(found).toMatchObject({ action: 'use', oauthClientId: ours.id, basis: 'marked' });
    expect(clock.sleeps).toEqual([2_000, 2_000]);
  });

  it('creates at once after an intent whose grace is over, with one look', async () => {
    const clock = new FakeClock();
    const api = new FakeApi().on('GET', '/api/v2/oauth/clients', listing([]));
    const record = await intentAged(clock, 61_000);
    const found = await findOurClient(fakeClient(api, clock), plan, record, stepDeps(store, clock));
    expect(found).toEqual({ action: 'create' });
    expect(clock.sleeps).toEqual([]);
    expect(listings(api)).toHaveLength(1);
  });
});

describe('findOurIntegration, the data actions of an unconfigured one and the recorded origin', () => {
  const configured = (credentialId: string) => ({
    credentials: { pureCloudOAuthClient: { id: credentialId } },
  });
  const addAction = (w: StepWorld, id: string, integrationId?: string) =>
    w.genesys.actions.set(id, { id, name: `Action ${id}`, ...(integrationId ? { integrationId } : {}) });

  it.each([
    [1, '1 data action'],
    [2, '2 data actions'],
  ])(
    'refuses an unconfigured one with %i data action(s), counting only its own: Onboarding.NameTaken',
    async (count, counted) => {
      const w = await stepWorld();
      w.genesys.addIntegration({ id: 'i-1', name: INTEGRATION_NAME });
      w.genesys.addIntegration({ id: 'i-other', name: 'Another integration' });
      for (let n = 1; n <= count; n++) addAction(w, `a-${n}`, 'i-1');
      addAction(w, 'a-other', 'i-other');
      addAction(w, 'a-unattached');
      const error = await errorOf(() => findIntegration(w));
      expect(error.name).toBe('Onboarding.NameTaken');
      expect(error.message).toBe(
        `Integration "${INTEGRATION_NAME}" exists (id i-1, ${counted}) and was not created by genesys-onboarding: it has no credential configured but its data actions are someone's, so nothing was changed. Choose another integration name, or set adoptExisting (CLI --adopt-existing) to take it over: it is then configured with this org's client`,
      );
    },
  );

  it('adopts an unconfigured one with data actions with adoptExisting', async () => {
    const w = await stepWorld();
    w.genesys.addIntegration({ id: 'i-1', name: INTEGRATION_NAME });
    addAction(w, 'a-1', 'i-1');
    expect(await findIntegration(w, lookupContext(w, { adoptExisting: true }))).toStrictEqual({
      action: 'use',
      integrationId: 'i-1',
      basis: 'adopted',
      intendedState: 'DISABLED',
    });
  });

  it('adopts an unconfigured one without data actions before one with, whatever their ids', async () => {
    const w = await stepWorld();
    w.genesys.addIntegration({ id: 'i-1', name: INTEGRATION_NAME });
    w.genesys.addIntegration({ id: 'i-2', name: INTEGRATION_NAME });
    addAction(w, 'a-1', 'i-1');
    expect(await findIntegration(w)).toMatchObject({ integrationId: 'i-2', basis: 'unconfigured' });
  });

  it('reads no data actions when every one of the name is configured', async () => {
    const w = await stepWorld();
    w.genesys.addIntegration({ id: 'i-1', name: INTEGRATION_NAME, config: configured('cred-1') });
    await findIntegration(w, lookupContext(w, { adoptExisting: true }));
    expect(w.genesys.operations()).not.toContain('integrations.listActions');
  });

  it.each([true, false])('passes on the recorded origin (integrationAdopted %s)', async (adopted) => {
    const w = await stepWorld();
    const integration = w.genesys.addIntegration({ name: INTEGRATION_NAME });
    await storeRecord(
      w,
      resultSecret(
        w,
        { id: 'c', secret: 's' },
        { integrationId: integration.id, integrationAdopted: adopted },
      ),
    );
    expect(await findIntegration(w)).toMatchObject({ basis: 'recorded', recordedAdopted: adopted });
  });

  it.each([
    ['no notes', { notes: undefined }],
    ['no name', { name: undefined }],
  ])(
    'has no recordedAdopted or readConfig when the record has no origin and the config %s',
    async (_, config) => {
      const w = await stepWorld();
      const integration = w.genesys.addIntegration({ name: INTEGRATION_NAME, config });
      await storeRecord(w, resultSecret(w, { id: 'c', secret: 's' }, { integrationId: integration.id }));
      expect(await findIntegration(w)).toStrictEqual({
        action: 'use',
        integrationId: integration.id,
        basis: 'recorded',
        intendedState: 'DISABLED',
      });
    },
  );
});

describe('findIntegrationOfEarlierAttempt', () => {
  it('takes the unconfigured one of the name, not a configured one of a lower id', async () => {
    const w = await stepWorld();
    w.genesys.addIntegration({
      id: 'i-1',
      name: INTEGRATION_NAME,
      config: { credentials: { pureCloudOAuthClient: { id: 'cred-1' } } },
    });
    w.genesys.addIntegration({ id: 'i-3', name: INTEGRATION_NAME });
    w.genesys.addIntegration({ id: 'i-2', name: INTEGRATION_NAME });
    expect((await findIntegrationOfEarlierAttempt(bootstrapApi(w), INTEGRATION_NAME))?.id).toBe('i-2');
  });

  it('finds none when every one of the name is configured', async () => {
    const w = await stepWorld();
    w.genesys.addIntegration({
      id: 'i-1',
      name: INTEGRATION_NAME,
      config: { credentials: { pureCloudOAuthClient: { id: 'cred-1' } } },
    });
    expect(await findIntegrationOfEarlierAttempt(bootstrapApi(w), INTEGRATION_NAME)).toBeUndefined();
  });
});

describe('findOurIntegration while another run announced installing it', () => {
  /** The record of an org whose client exists and another run (`run-2`) announced the integration `agoMs` ago. */
  async function announced(w: StepWorld, agoMs: number, extra: { name?: string; runId?: string } = {}) {
    const creation = { name: INTEGRATION_NAME, runId: 'run-2', since: w.clock.iso(-agoMs), ...extra };
    await storeRecord(w, resultSecret(w, { id: 'c', secret: 's' }, { integrationCreation: creation }));
  }

  it('takes an unmarked, unconfigured one as that run’s (announced, not adopted) once the grace is over', async () => {
    const w = await stepWorld();
    await announced(w, 60_000);
    const left = w.genesys.addIntegration({ name: INTEGRATION_NAME });
    expect(await findIntegration(w)).toEqual({
      action: 'use',
      integrationId: left.id,
      basis: 'announced',
      intendedState: 'DISABLED',
    });
    expect(w.clock.sleeps).toEqual([]);
  });

  it('looks again every 2 s while inside the grace, and uses the one that run recorded meanwhile', async () => {
    const w = await stepWorld();
    await announced(w, 0);
    const installed = w.genesys.addIntegration({ name: INTEGRATION_NAME });
    const clock = {
      now: w.clock.now,
      sleep: async (ms: number) => {
        await w.clock.sleep(ms);
        if (w.clock.sleeps.length === 2) {
          await storeRecord(w, resultSecret(w, { id: 'c', secret: 's' }, { integrationId: installed.id }));
        }
      },
    };
    const decision = await findOurIntegration(bootstrapApi(w), lookupContext(w), await record(w), {
      ...w.deps,
      clock,
    });
    expect(decision).toMatchObject({ action: 'use', integrationId: installed.id, basis: 'recorded' });
    expect(w.clock.sleeps).toEqual([2_000, 2_000]);
  });

  it('uses a marked one as soon as it is listed', async () => {
    const w = await stepWorld();
    await announced(w, 0);
    const marked = w.genesys.addIntegration({ name: INTEGRATION_NAME, config: { notes: MARKED } });
    expect(await findIntegration(w)).toMatchObject({ integrationId: marked.id, basis: 'marked' });
    expect(w.clock.sleeps).toEqual([]);
  });

  it('throws Onboarding.ClientCreationPending naming the integration when nothing is listed within the watch', async () => {
    const w = await stepWorld();
    await announced(w, 10_000);
    const error = await errorOf(() => findIntegration(w));
    expect(error).toMatchObject({
      name: ONBOARDING_ERRORS.clientCreationPending,
      message: `A run started creating integration "${INTEGRATION_NAME}" at 2026-03-02T09:59:50.000Z and it is not listed yet; looking again until 2026-03-02T10:00:50.000Z`,
    });
    expect(w.clock.sleeps.reduce((a, b) => a + b, 0)).toBe(20_000);
  });

  it('creates once a look after the grace finds none', async () => {
    const w = await stepWorld();
    await announced(w, 55_000);
    expect(await findIntegration(w)).toEqual({ action: 'create' });
    expect(w.clock.sleeps).toEqual([2_000, 2_000, 1_000]);
  });

  it.each([
    ['another name', { name: 'Other Data Actions' }],
    ['this run', { runId: 'run-1' }],
  ])('takes an unconfigured one over at once when the intent is for %s', async (_, extra) => {
    const w = await stepWorld();
    await announced(w, 0, extra);
    const left = w.genesys.addIntegration({ name: INTEGRATION_NAME });
    expect(await findIntegration(w)).toMatchObject({ integrationId: left.id, basis: 'unconfigured' });
    expect(w.clock.sleeps).toEqual([]);
  });

  describe('with a record read before the listing', () => {
    /** The record as read before another run wrote into it: the org's client only. */
    async function readBefore(w: StepWorld) {
      await storeRecord(w, resultSecret(w, { id: 'c', secret: 's' }));
      return record(w);
    }

    it('takes an unconfigured one as announced when the record read after the listing announces it', async () => {
      const w = await stepWorld();
      const before = await readBefore(w);
      await announced(w, 60_000);
      const left = w.genesys.addIntegration({ name: INTEGRATION_NAME });
      expect(await findOurIntegration(bootstrapApi(w), lookupContext(w), before, w.deps)).toMatchObject({
        integrationId: left.id,
        basis: 'announced',
      });
    });

    it('uses the one the record read after the listing names', async () => {
      const w = await stepWorld();
      const before = await readBefore(w);
      const installed = w.genesys.addIntegration({ name: INTEGRATION_NAME });
      await storeRecord(w, resultSecret(w, { id: 'c', secret: 's' }, { integrationId: installed.id }));
      expect(await findOurIntegration(bootstrapApi(w), lookupContext(w), before, w.deps)).toMatchObject({
        integrationId: installed.id,
        basis: 'recorded',
      });
    });

    it('takes an unconfigured one over when the record read after the listing is as before', async () => {
      const w = await stepWorld();
      const before = await readBefore(w);
      const left = w.genesys.addIntegration({ name: INTEGRATION_NAME });
      expect(await findOurIntegration(bootstrapApi(w), lookupContext(w), before, w.deps)).toMatchObject({
        integrationId: left.id,
        basis: 'unconfigured',
      });
      expect(w.genesys.callsOf('integrations.findByName')).toHaveLength(1);
    });

    it('reads the record again only for an unconfigured one: a marked one is decided on the first read', async () => {
      const w = await stepWorld();
      const before = await readBefore(w);
      const marked = w.genesys.addIntegration({ name: INTEGRATION_NAME, config: { notes: MARKED } });
      // A record written since names another integration: only a second read would see it.
      await storeRecord(w, resultSecret(w, { id: 'c', secret: 's' }, { integrationId: 'other-integration' }));
      const reads = w.secrets.callsOf('get').length;
      expect(await findOurIntegration(bootstrapApi(w), lookupContext(w), before, w.deps)).toMatchObject({
        integrationId: marked.id,
        basis: 'marked',
      });
      expect(w.secrets.callsOf('get')).toHaveLength(reads);
    });
  });
});
