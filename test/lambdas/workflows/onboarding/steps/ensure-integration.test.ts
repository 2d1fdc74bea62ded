import { DEFAULT_CONSISTENCY } from '../../../../../lambdas/shared/deps';
import { withMarker } from '../../../../../lambdas/shared/ownership';
import type { IntegrationDecision } from '../../../../../lambdas/workflows/onboarding/state';
import { ensureIntegration } from '../../../../../lambdas/workflows/onboarding/steps/ensure-integration';
import { apiError } from '../../../../support/fake-genesys';
import { type StepWorld, stepWorld } from '../../../../support/step-deps';
import { errorOf, INTEGRATION_NAME, intent, plan, storeRecord } from '../fixtures';

type Use = Extract<IntegrationDecision, { action: 'use' }>;
const use = (overrides: Partial<Use>): Use => ({
  action: 'use',
  integrationId: 'integration-7',
  basis: 'recorded',
  intendedState: 'ENABLED',
  ...overrides,
});

const FIRST_ATTEMPT = { retryCount: 0, redriveCount: 0 };

/** The intent of the fixtures' run (`run-1`) to install the integration, announced `agoMs` before now. */
const ownIntent = (w: StepWorld, agoMs = 0) => ({
  name: INTEGRATION_NAME,
  runId: 'run-1',
  since: w.clock.iso(-agoMs),
});

/**
 * A step world whose result secret holds the fixtures' run's client creation intent with its intent to
 * install the integration, as EnsureOAuthClient writes it beside this step.
 */
async function announcedWorld(): Promise<StepWorld> {
  const w = await stepWorld();
  await storeRecord(w, { ...intent(w, 0), runId: 'run-1', integrationCreation: ownIntent(w) });
  return w;
}

describe('ensureIntegration', () => {
  it('installs a Data Actions integration of the plan name when Prepare found none', async () => {
    const w = await announcedWorld();
    const outcome = await ensureIntegration({ plan: plan(w) }, w.deps);
    expect(w.genesys.callsOf('integrations.create').map((c) => c.args)).toEqual([
      [{ name: INTEGRATION_NAME, integrationType: { id: 'purecloud-data-actions' } }],
    ]);
    const [installed] = w.genesys.integrations.values();
    expect(installed).toMatchObject({ name: INTEGRATION_NAME, intendedState: 'DISABLED' });
    // Marked as ours at once, before Configure: version 1 is what a new integration has, 2 after the PUT.
    expect(installed?.config.current.notes).toBe(withMarker(''));
    expect(outcome).toEqual({
      integrationId: installed?.id,
      integrationCreated: true,
      integrationAdopted: false,
      configVersion: 2,
      // A credential an earlier attempt made for it is found by name (Configure).
      credentialByName: true,
      intendedState: 'DISABLED',
      rename: false,
      changes: [],
    });
  });

  it('reports the intended state the create answered, DISABLED when it gave none', async () => {
    const w = await announcedWorld();
    w.genesys.intercept('integrations.create', () => ({
      id: 'i-new',
      name: INTEGRATION_NAME,
      intendedState: 'ENABLED',
    }));
    w.genesys.intercept('integrations.updateConfig', () => ({ version: 2 }));
    expect(await ensureIntegration({ plan: plan(w) }, w.deps)).toMatchObject({
      integrationId: 'i-new',
      intendedState: 'ENABLED',
    });
    const bare = await announcedWorld();
    bare.genesys.intercept('integrations.create', () => ({ id: 'i-new', name: INTEGRATION_NAME }));
    bare.genesys.intercept('integrations.updateConfig', () => ({ version: 2 }));
    expect(await ensureIntegration({ plan: plan(bare) }, bare.deps)).toMatchObject({
      intendedState: 'DISABLED',
    });
  });

  it('passes on a failed install', async () => {
    const w = await announcedWorld();
    const failure = apiError('permission', 'POST', '/api/v2/integrations');
    w.genesys.failOn('integrations.create', failure);
    await expect(ensureIntegration({ plan: plan(w) }, w.deps)).rejects.toBe(failure);
  });

  it('uses the recorded integration with no call at all, its configured credential as ours', async () => {
    const w = await announcedWorld();
    const outcome = await ensureIntegration(
      { plan: plan(w, { integration: use({ configuredCredentialId: 'cred-1', reportedState: 'ACTIVE' }) }) },
      w.deps,
    );
    expect(outcome).toEqual({
      integrationId: 'integration-7',
      integrationCreated: false,
      configuredCredentialId: 'cred-1',
      ourCredentialId: 'cred-1',
      credentialByName: true,
      intendedState: 'ENABLED',
      reportedState: 'ACTIVE',
      rename: false,
      changes: [],
    });
    expect(w.genesys.sessions).toEqual([]);
    expect(w.genesys.calls).toEqual([]);
  });

  it('passes on the config Prepare read of the recorded integration', async () => {
    const w = await announcedWorld();
    const readConfig = { name: INTEGRATION_NAME, notes: withMarker('') };
    const outcome = await ensureIntegration({ plan: plan(w, { integration: use({ readConfig }) }) }, w.deps);
    expect(outcome.readConfig).toEqual(readConfig);
  });

  it('takes the record’s credential over the configured one', async () => {
    const w = await announcedWorld();
    const outcome = await ensureIntegration(
      {
        plan: plan(w, {
          integration: use({ configuredCredentialId: 'cred-1', recordedCredentialId: 'cred-2' }),
        }),
      },
      w.deps,
    );
    expect(outcome).toMatchObject({ configuredCredentialId: 'cred-1', ourCredentialId: 'cred-2' });
  });

  it('leaves out the credential ids of an unconfigured recorded integration', async () => {
    const w = await announcedWorld();
    const outcome = await ensureIntegration({ plan: plan(w, { integration: use({}) }) }, w.deps);
    expect(outcome).not.toHaveProperty('configuredCredentialId');
    expect(outcome).not.toHaveProperty('ourCredentialId');
    expect(outcome).not.toHaveProperty('reportedState');
    expect(outcome.credentialByName).toBe(true);
  });

  it('plans the rename it was asked for', async () => {
    const w = await announcedWorld();
    const outcome = await ensureIntegration(
      { plan: plan(w, { integration: use({ renameFrom: 'Old "name"' }) }) },
      w.deps,
    );
    expect(outcome.rename).toBe(true);
    expect(outcome.changes).toEqual(['Integration integration-7: renamed from "Old \\"name\\""']);
  });

  it('plans a rename from an empty name', async () => {
    const w = await announcedWorld();
    const outcome = await ensureIntegration(
      { plan: plan(w, { integration: use({ renameFrom: '' }) }) },
      w.deps,
    );
    expect(outcome).toMatchObject({ rename: true, changes: ['Integration integration-7: renamed from ""'] });
  });

  it('says a marked integration was found by its marker and counts its credential as ours', async () => {
    const w = await announcedWorld();
    const outcome = await ensureIntegration(
      { plan: plan(w, { integration: use({ basis: 'marked', configuredCredentialId: 'cred-1' }) }) },
      w.deps,
    );
    expect(outcome).toMatchObject({ ourCredentialId: 'cred-1', credentialByName: true });
    expect(outcome.changes).toEqual([
      'Integration integration-7: found by its ownership marker (the stored record did not name it)',
    ]);
  });

  it("adopts an unconfigured integration, never taking a credential by its name (it may be another team's)", async () => {
    const w = await announcedWorld();
    const outcome = await ensureIntegration(
      { plan: plan(w, { integration: use({ basis: 'unconfigured' }) }) },
      w.deps,
    );
    expect(outcome).toMatchObject({
      credentialByName: false,
      changes: ['Integration integration-7: adopted: it had no credential configured'],
    });
    expect(outcome).not.toHaveProperty('ourCredentialId');
  });

  it('never counts the credential of an adopted integration as ours, and says it is left as it is', async () => {
    const w = await announcedWorld();
    const outcome = await ensureIntegration(
      {
        plan: plan(w, {
          integration: use({ basis: 'adopted', configuredCredentialId: 'cred-theirs', renameFrom: 'x' }),
        }),
      },
      w.deps,
    );
    expect(outcome).toMatchObject({ configuredCredentialId: 'cred-theirs', credentialByName: false });
    expect(outcome).not.toHaveProperty('ourCredentialId');
    expect(outcome.changes).toEqual([
      'Integration integration-7: adopted on request',
      'Integration integration-7: its credential cred-theirs is replaced by ours and left as it is',
      'Integration integration-7: renamed from "x"',
    ]);
  });

  it('takes no credential by name on an integration adopted on request with none configured', async () => {
    const w = await announcedWorld();
    const outcome = await ensureIntegration(
      { plan: plan(w, { integration: use({ basis: 'adopted' }) }) },
      w.deps,
    );
    expect(outcome).toMatchObject({
      credentialByName: false,
      changes: ['Integration integration-7: adopted on request'],
    });
  });
});

describe('ensureIntegration, by the attempt of its state', () => {
  // The marker's config PUT, with the config a new integration has (no read first).
  const install = [
    'integrations.create',
    expect.stringMatching(/^integrations\.updateConfig integration-\d+$/),
    expect.stringMatching(/^integrations\.putConfig integration-\d+$/),
  ];
  const listing = [
    'integrations.findByName purecloud-data-actions',
    'integrations.listByType purecloud-data-actions',
  ];

  it('installs without looking on the first attempt: no earlier attempt made one', async () => {
    const w = await announcedWorld();
    const outcome = await ensureIntegration({ plan: plan(w), attempt: FIRST_ATTEMPT }, w.deps);
    expect(w.genesys.operations()).toEqual(install);
    expect(outcome).toMatchObject({ integrationCreated: true, credentialByName: true, configVersion: 2 });
  });

  it("never takes over a racing run's new integration on the first attempt", async () => {
    const w = await announcedWorld();
    const racing = w.genesys.addIntegration({ name: INTEGRATION_NAME });
    const outcome = await ensureIntegration({ plan: plan(w), attempt: FIRST_ATTEMPT }, w.deps);
    expect(outcome.integrationId).not.toBe(racing.id);
    expect(w.genesys.operations()).toEqual(install);
    expect(w.genesys.integrations.get(racing.id)?.config.current.notes).toBe('');
  });

  it.each([
    ['a retry', { retryCount: 1, redriveCount: 0 }],
    ['the first attempt of a redriven execution', { retryCount: 0, redriveCount: 1 }],
    ['an attempt not known', undefined],
  ])('looks for an earlier attempt’s integration on %s before installing', async (_, attempt) => {
    const w = await announcedWorld();
    await ensureIntegration({ plan: plan(w), attempt }, w.deps);
    expect(w.genesys.operations()).toEqual([...listing, ...install]);
  });

  it('uses the integration an earlier attempt created (its answer lost) on a retry, and marks it', async () => {
    const w = await announcedWorld();
    const earlier = w.genesys.addIntegration({ name: INTEGRATION_NAME });
    const outcome = await ensureIntegration(
      { plan: plan(w), attempt: { retryCount: 2, redriveCount: 0 } },
      w.deps,
    );
    expect(w.genesys.operations()).toEqual([
      ...listing,
      `integrations.updateConfig ${earlier.id}`,
      `integrations.getConfig ${earlier.id}`,
      `integrations.putConfig ${earlier.id}`,
    ]);
    expect(outcome).toMatchObject({ integrationId: earlier.id, integrationCreated: true });
    expect(w.genesys.integrations.get(earlier.id)?.config.current.notes).toBe(withMarker(''));
  });

  it('finds what a create whose answer was lost made, on the first attempt too', async () => {
    const w = await announcedWorld();
    w.genesys.intercept(
      'integrations.create',
      (request: { name: string }) => {
        w.genesys.addIntegration({ id: 'integration-lost', name: request.name });
        throw apiError('transient', 'POST', '/api/v2/integrations');
      },
      1,
    );
    const outcome = await ensureIntegration({ plan: plan(w), attempt: FIRST_ATTEMPT }, w.deps);
    expect(w.genesys.operations()).toEqual([
      'integrations.create',
      ...listing,
      'integrations.updateConfig integration-lost',
      'integrations.putConfig integration-lost',
    ]);
    expect(outcome).toMatchObject({ integrationId: 'integration-lost', integrationCreated: true });
  });
});

describe('ensureIntegration, the origin of the integration it uses', () => {
  it.each([
    ['recorded, of an origin not recorded', use({ basis: 'recorded' }), 'absent', true],
    ['recorded as created by this tool', use({ basis: 'recorded', recordedAdopted: false }), false, true],
    ['recorded as adopted', use({ basis: 'recorded', recordedAdopted: true }), true, false],
    ['found by its marker', use({ basis: 'marked' }), 'absent', true],
    ['unconfigured', use({ basis: 'unconfigured' }), true, false],
    ['adopted on request', use({ basis: 'adopted' }), true, false],
  ])(
    'reports integrationAdopted of one %s, and takes credentials by name only on one it created',
    async (_, found, adopted, byName) => {
      const w = await announcedWorld();
      const outcome = await ensureIntegration({ plan: plan(w, { integration: found }) }, w.deps);
      expect(Object.hasOwn(outcome, 'integrationAdopted') ? outcome.integrationAdopted : 'absent').toBe(
        adopted,
      );
      expect(outcome.credentialByName).toBe(byName);
    },
  );
});

describe('ensureIntegration when the marker write fails', () => {
  /** The calls of the deletion, after a failed marker write on the first attempt. */
  async function failedMarkerWrite(failure: Error) {
    const w = await announcedWorld();
    w.genesys.failOn('integrations.putConfig', failure);
    await expect(ensureIntegration({ plan: plan(w), attempt: FIRST_ATTEMPT }, w.deps)).rejects.toBe(failure);
    return { w, deletions: w.genesys.callsOf('integrations.deleteAndWait').map((c) => c.args) };
  }

  it.each([
    ['a refusal', apiError('permission', 'PUT', '/api/v2/integrations/x/config/current')],
    ['an error that is not from Genesys', new Error('socket closed')],
  ])('deletes the integration it created after %s, within the consistency windows', async (_, failure) => {
    const { w, deletions } = await failedMarkerWrite(failure);
    const [created] = w.genesys.callsOf('integrations.putConfig').map((c) => c.args[0]);
    expect(deletions).toEqual([[created, { goneTimeoutMs: 30_000, retryNotFoundMs: 15_000 }]]);
    expect([...w.genesys.integrations.keys()]).toEqual([]);
  });

  it('keeps the integration after a failure that may pass: the retry finds it by name', async () => {
    const { w, deletions } = await failedMarkerWrite(
      apiError('transient', 'PUT', '/api/v2/integrations/x/config/current'),
    );
    expect(deletions).toEqual([]);
    expect(w.genesys.integrations.size).toBe(1);
  });

  it('never deletes an integration it found by name on a retry (it may be a racing run’s) after a refusal', async () => {
    const w = await announcedWorld();
    const found = w.genesys.addIntegration({ name: INTEGRATION_NAME });
    const failure = apiError('permission', 'PUT', '/api/v2/integrations/x/config/current');
    w.genesys.failOn('integrations.putConfig', failure);
    await expect(
      ensureIntegration({ plan: plan(w), attempt: { retryCount: 1, redriveCount: 0 } }, w.deps),
    ).rejects.toBe(failure);
    expect(w.genesys.callsOf('integrations.create')).toEqual([]);
    expect(w.genesys.callsOf('integrations.deleteAndWait')).toEqual([]);
    expect([...w.genesys.integrations.keys()]).toEqual([found.id]);
  });

  it('throws the write’s error when the deletion fails too', async () => {
    const w = await announcedWorld();
    const failure = apiError('permission', 'PUT', '/api/v2/integrations/x/config/current');
    w.genesys.failOn('integrations.putConfig', failure);
    w.genesys.failOn('integrations.delete', apiError('transient', 'DELETE', '/api/v2/integrations/x'));
    await expect(ensureIntegration({ plan: plan(w), attempt: FIRST_ATTEMPT }, w.deps)).rejects.toBe(failure);
  });
});

describe('ensureIntegration, the marker write', () => {
  const RETRY = { retryCount: 1, redriveCount: 0 };

  it('leaves out configVersion when the write answers no version', async () => {
    const w = await announcedWorld();
    w.genesys.intercept('integrations.updateConfig', () => ({}));
    const outcome = await ensureIntegration({ plan: plan(w), attempt: FIRST_ATTEMPT }, w.deps);
    expect(outcome.integrationCreated).toBe(true);
    expect(outcome).not.toHaveProperty('configVersion');
  });

  it('keeps the name, properties, advanced, notes and credentials of the config it reads', async () => {
    const w = await announcedWorld();
    const earlier = w.genesys.addIntegration({
      name: INTEGRATION_NAME,
      config: {
        name: 'Named in its config',
        properties: { timeout: 5 },
        advanced: { verbose: true },
        notes: 'Notes someone wrote',
        credentials: { basicAuth: { id: 'cred-basic' } },
      },
    });
    await ensureIntegration({ plan: plan(w), attempt: RETRY }, w.deps);
    expect(w.genesys.callsOf('integrations.putConfig').map((c) => c.args)).toEqual([
      [
        earlier.id,
        {
          name: 'Named in its config',
          version: 1,
          properties: { timeout: 5 },
          advanced: { verbose: true },
          notes: withMarker('Notes someone wrote'),
          credentials: { basicAuth: { id: 'cred-basic' } },
        },
        expect.anything(),
      ],
    ]);
  });

  it('fills the parts a config it reads came without', async () => {
    const w = await announcedWorld();
    const earlier = w.genesys.addIntegration({
      name: INTEGRATION_NAME,
      config: {
        name: undefined,
        properties: undefined,
        advanced: undefined,
        notes: undefined,
        credentials: undefined,
      },
    });
    await ensureIntegration({ plan: plan(w), attempt: RETRY }, w.deps);
    expect(w.genesys.callsOf('integrations.putConfig').map((c) => c.args[1])).toEqual([
      {
        name: INTEGRATION_NAME,
        version: 1,
        properties: {},
        advanced: {},
        notes: withMarker(''),
        credentials: {},
      },
    ]);
    expect(w.genesys.integrations.get(earlier.id)?.config.current.notes).toBe(withMarker(''));
  });
});

describe('ensureIntegration, the intent to install', () => {
  const racingIntent = (w: StepWorld, agoMs: number) => ({
    name: INTEGRATION_NAME,
    runId: 'run-2',
    since: w.clock.iso(-agoMs),
  });
  const ROTATION = { pendingClientId: 'client-pending', liveClientId: 'client-live' };

  it('installs once its OAuth client step wrote this run’s intent, reading the record every 100 ms until then', async () => {
    const w = await stepWorld();
    let reads = 0;
    const clock = {
      now: w.clock.now,
      sleep: async (ms: number) => {
        await w.clock.sleep(ms);
        reads += 1;
        if (reads === 2) {
          await storeRecord(w, { ...intent(w, 0), runId: 'run-1', integrationCreation: ownIntent(w) });
        }
      },
    };
    const outcome = await ensureIntegration({ plan: plan(w), attempt: FIRST_ATTEMPT }, { ...w.deps, clock });
    expect(w.clock.sleeps).toEqual([100, 100]);
    expect(outcome.integrationCreated).toBe(true);
    expect(w.genesys.integrations.size).toBe(1);
  });

  it('finds this run’s intent in a complete record too', async () => {
    const w = await stepWorld();
    await storeRecord(w, {
      clientId: 'client-1',
      clientSecret: 'secret-1',
      orgId: w.orgId,
      region: 'eu-west-1',
      oauthClientName: 'acme-data-actions',
      integrationCreation: ownIntent(w, 1_000),
    });
    await ensureIntegration({ plan: plan(w), attempt: FIRST_ATTEMPT }, w.deps);
    expect(w.clock.sleeps).toEqual([]);
    expect(w.genesys.integrations.size).toBe(1);
  });

  it.each([
    ['the first attempt', FIRST_ATTEMPT],
    ['a retry', { retryCount: 1, redriveCount: 0 }],
  ])(
    'installs none and takes none on %s while another run’s intent holds: Onboarding.ConcurrentRun',
    async (_, attempt) => {
      const w = await stepWorld();
      await storeRecord(w, { ...intent(w, 0), runId: 'run-2', integrationCreation: racingIntent(w, 59_999) });
      // The racing run's new integration, unconfigured: never taken as an earlier attempt's.
      w.genesys.addIntegration({ name: INTEGRATION_NAME });
      const error = await errorOf(() => ensureIntegration({ plan: plan(w), attempt }, w.deps));
      expect(error).toMatchObject({
        name: 'Onboarding.ConcurrentRun',
        message: `Another run of org ${w.orgId} started installing integration "${INTEGRATION_NAME}" at ${w.clock.iso(-59_999)}: this run installed none. Run it again once that run has finished; it then uses that integration`,
      });
      expect(w.genesys.operations().filter((op) => op.startsWith('integrations.'))).toEqual([]);
      expect(w.clock.sleeps).toEqual([]);
    },
  );

  it('waits out another run’s intent whose grace is over, and installs none when its own does not come', async () => {
    const w = await stepWorld();
    await storeRecord(w, {
      ...intent(w, 60_000),
      runId: 'run-2',
      integrationCreation: racingIntent(w, 60_000),
    });
    const error = await errorOf(() => ensureIntegration({ plan: plan(w), attempt: FIRST_ATTEMPT }, w.deps));
    expect(error).toMatchObject({
      name: 'Onboarding.ConcurrentRun',
      message: `This run's intent to install integration "${INTEGRATION_NAME}" was not in secret ${w.resultSecretId} after 20000 ms (its OAuth client step writes it): this run installed none. Run it again`,
    });
    // Every 100 ms for the first second, then every second, for the 20 s watch.
    expect(w.clock.sleeps).toEqual([...Array(10).fill(100), ...Array(19).fill(1_000)]);
    expect(w.genesys.operations().filter((op) => op.startsWith('integrations.'))).toEqual([]);
  });

  it('ends its last wait at the end of the watch, not a whole poll interval later', async () => {
    const w = await stepWorld({ consistency: { ...DEFAULT_CONSISTENCY, clientCreationWatchMs: 1_250 } });
    const error = await errorOf(() => ensureIntegration({ plan: plan(w), attempt: FIRST_ATTEMPT }, w.deps));
    expect(error).toMatchObject({ name: 'Onboarding.ConcurrentRun' });
    // Ten reads 100 ms apart, then one 250 ms later, when the 1.25 s watch ends.
    expect(w.clock.sleeps).toEqual([...Array(10).fill(100), 250]);
  });

  it('installs none when no record holds any intent within the watch', async () => {
    const w = await stepWorld();
    await expect(ensureIntegration({ plan: plan(w), attempt: FIRST_ATTEMPT }, w.deps)).rejects.toMatchObject({
      name: 'Onboarding.ConcurrentRun',
    });
    expect(w.genesys.integrations.size).toBe(0);
  });

  it('does not look for the intent during a rotation (its OAuth client step writes nothing then)', async () => {
    const w = await stepWorld();
    const outcome = await ensureIntegration(
      { plan: { ...plan(w), rotation: ROTATION }, attempt: FIRST_ATTEMPT },
      w.deps,
    );
    expect(outcome.integrationCreated).toBe(true);
    expect(w.secrets.calls.filter((call) => call.secretId === w.resultSecretId)).toEqual([]);
  });

  it('uses an integration an earlier run announced as this tool’s, not as adopted', async () => {
    const w = await stepWorld();
    const outcome = await ensureIntegration(
      {
        plan: plan(w, {
          integration: {
            action: 'use',
            integrationId: 'integration-7',
            basis: 'announced',
            intendedState: 'DISABLED',
          },
        }),
      },
      w.deps,
    );
    expect(outcome).toEqual({
      integrationId: 'integration-7',
      integrationCreated: false,
      integrationAdopted: false,
      credentialByName: true,
      intendedState: 'DISABLED',
      rename: false,
      changes: [
        'Integration integration-7: installed by an earlier run of genesys-onboarding that stopped before marking it (its creation intent names it)',
      ],
    });
  });
});
