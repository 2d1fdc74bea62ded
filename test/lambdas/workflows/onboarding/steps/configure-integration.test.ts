import { credentialFingerprint } from '../../../../../lambdas/shared/naming';
import { OWNERSHIP_MARKER, withMarker } from '../../../../../lambdas/shared/ownership';
import type { ConfigureInput, IntegrationOutcome } from '../../../../../lambdas/workflows/onboarding/state';
import { configureIntegration } from '../../../../../lambdas/workflows/onboarding/steps/configure-integration';
import { apiError, type FakeIntegration } from '../../../../support/fake-genesys';
import { type StepWorld, stepWorld } from '../../../../support/step-deps';
import {
  bootstrapApi,
  clientOutcome,
  errorOf,
  INTEGRATION_NAME,
  integrationOutcome,
  ourClient,
  provisioned,
  resultSecret,
  storeRecord,
} from '../fixtures';

/**
 * A world with our client recorded (with `record` extras) and an integration (`integration` fields), and the
 * input Configure gets for them (`outcome` overrides the integration outcome).
 */
async function setUp(
  options: {
    integration?: Parameters<StepWorld['genesys']['addIntegration']>[0];
    outcome?: (integration: FakeIntegration) => Partial<IntegrationOutcome>;
    record?: (fingerprint: string) => Record<string, string>;
    notes?: string;
  } = {},
) {
  const w = await stepWorld();
  const client = ourClient(w);
  const fingerprint = credentialFingerprint(client.id, client.secret);
  const integration = w.genesys.addIntegration(options.integration ?? { name: INTEGRATION_NAME });
  await storeRecord(w, resultSecret(w, client, options.record?.(fingerprint) ?? {}));
  const input = provisioned(
    w,
    {
      client: clientOutcome({ oauthClientId: client.id }),
      integration: integrationOutcome({ integrationId: integration.id, ...options.outcome?.(integration) }),
    },
    options.notes === undefined ? {} : { integration: { name: INTEGRATION_NAME, notes: options.notes } },
  );
  return { w, client, integration, fingerprint, input, credentialName: `Integration-${integration.id}` };
}

/** Our integration as a run left it: marked, configured with `credentialId`, enabled and active. */
const configuredIntegration = (
  credentialId: string,
  extra: Partial<FakeIntegration['config']['current']> = {},
) => ({
  name: INTEGRATION_NAME,
  intendedState: 'ENABLED',
  reportedState: { code: 'ACTIVE' },
  config: { notes: withMarker(''), credentials: { pureCloudOAuthClient: { id: credentialId } }, ...extra },
});

describe('configureIntegration', () => {
  it('refuses when the result secret is missing: Onboarding.ResultSecretMissing', async () => {
    const { w, client, input } = await setUp();
    await w.secrets.delete(w.resultSecretId);
    const error = await errorOf(() => configureIntegration(input, w.deps));
    expect(error.name).toBe('Onboarding.ResultSecretMissing');
    expect(error.message).toBe(`The credentials of OAuth client ${client.id} are not in ${w.resultSecretId}`);
    expect(w.genesys.calls).toEqual([]);
  });

  it('refuses when the result secret holds another client: Onboarding.ResultSecretMissing', async () => {
    const { w, input } = await setUp();
    await storeRecord(w, resultSecret(w, { id: 'client-other', secret: 'x' }));
    expect((await errorOf(() => configureIntegration(input, w.deps))).name).toBe(
      'Onboarding.ResultSecretMissing',
    );
  });

  it('configures an integration it installed: new credential, known config version 1, enable', async () => {
    const w = await stepWorld();
    const client = ourClient(w);
    await storeRecord(w, resultSecret(w, client));
    const { id: integrationId } = await bootstrapApi(w).integrations.create({
      name: INTEGRATION_NAME,
      integrationType: { id: 'purecloud-data-actions' },
    });
    w.genesys.calls.length = 0;
    const input = provisioned(w, {
      client: clientOutcome({ oauthClientId: client.id }),
      integration: integrationOutcome({ integrationId, integrationCreated: true }),
    });

    const outcome = await configureIntegration(input, w.deps);

    const credentialId = outcome.credentialId;
    expect(w.genesys.callsOf('credentials.create').map((c) => c.args)).toEqual([
      [
        {
          name: `Integration-${integrationId}`,
          type: { name: 'pureCloudOAuthClient' },
          credentialFields: { clientId: client.id, clientSecret: client.secret },
        },
      ],
    ]);
    // A credential of an integration this run installed cannot have a racing twin: none is looked up.
    expect(w.genesys.callsOf('credentials.findByName')).toEqual([]);
    expect(w.genesys.callsOf('integrations.getConfig')).toEqual([]);
    expect(w.genesys.callsOf('integrations.putConfig').map((c) => c.args.slice(0, 2))).toEqual([
      [
        integrationId,
        {
          name: INTEGRATION_NAME,
          version: 1,
          properties: {},
          advanced: {},
          notes: OWNERSHIP_MARKER,
          credentials: { pureCloudOAuthClient: { id: credentialId } },
        },
      ],
    ]);
    expect(w.genesys.callsOf('integrations.patch').map((c) => c.args)).toEqual([
      [integrationId, { intendedState: 'ENABLED' }, { retryNotFoundMs: 15_000 }],
    ]);
    expect(outcome).toEqual({
      credentialId,
      credentialFingerprint: credentialFingerprint(client.id, client.secret),
      credentialCreated: true,
      credentialUpdated: false,
      configUpdated: true,
      enabled: true,
      reportedState: 'ACTIVATING',
      // Set up, not changed: an integration this run created has no changes to report.
      changes: [],
    });
  });

  it('changes nothing on an integration already configured with the current secret and active', async () => {
    const { w, input, fingerprint } = await setUp({
      integration: configuredIntegration('cred-1'),
      outcome: () => ({ ourCredentialId: 'cred-1', intendedState: 'ENABLED', reportedState: 'ACTIVE' }),
      record: (fp) => ({ credentialId: 'cred-1', credentialFingerprint: fp }),
    });
    w.genesys.addCredential({ id: 'cred-1', name: 'Integration-x' });
    const outcome = await configureIntegration(input, w.deps);
    expect(w.genesys.writes()).toEqual([]);
    expect(outcome).toEqual({
      credentialId: 'cred-1',
      credentialFingerprint: fingerprint,
      credentialCreated: false,
      credentialUpdated: false,
      configUpdated: false,
      enabled: false,
      changes: [],
    });
  });

  it.each([
    [
      'the secret changed since it was written',
      (fp: string) => ({ credentialId: 'cred-1', credentialFingerprint: `${fp}-old` }),
    ],
    ['the record does not name it', (fp: string) => ({ credentialFingerprint: fp })],
    [
      'the record names another credential',
      (fp: string) => ({ credentialId: 'cred-2', credentialFingerprint: fp }),
    ],
  ])('rewrites our credential when %s, then enables again', async (_, record) => {
    const { w, client, input, integration } = await setUp({
      integration: configuredIntegration('cred-1'),
      outcome: () => ({ ourCredentialId: 'cred-1', intendedState: 'ENABLED', reportedState: 'ACTIVE' }),
      record,
    });
    w.genesys.addCredential({ id: 'cred-1', name: `Integration-${integration.id}` });
    const outcome = await configureIntegration(input, w.deps);
    expect(w.genesys.callsOf('credentials.update').map((c) => c.args)).toEqual([
      [
        'cred-1',
        {
          name: `Integration-${integration.id}`,
          type: { name: 'pureCloudOAuthClient' },
          credentialFields: { clientId: client.id, clientSecret: client.secret },
        },
        { retryNotFoundMs: 15_000 },
      ],
    ]);
    expect(w.genesys.writes()).toEqual(['credentials.update cred-1', `integrations.patch ${integration.id}`]);
    expect(outcome).toMatchObject({
      credentialId: 'cred-1',
      credentialCreated: false,
      credentialUpdated: true,
      configUpdated: false,
      enabled: true,
    });
  });

  it('rewrites our credential of the current fingerprint when the integration reports ERROR (changed by hand), then enables again', async () => {
    const { w, client, input, integration } = await setUp({
      integration: { ...configuredIntegration('cred-1'), reportedState: { code: 'ERROR' } },
      outcome: () => ({ ourCredentialId: 'cred-1', intendedState: 'ENABLED', reportedState: 'ERROR' }),
      record: (fp) => ({ credentialId: 'cred-1', credentialFingerprint: fp }),
    });
    w.genesys.addCredential({ id: 'cred-1', name: `Integration-${integration.id}` });
    const outcome = await configureIntegration(input, w.deps);
    expect(w.genesys.callsOf('credentials.update').map((c) => c.args[1])).toEqual([
      {
        name: `Integration-${integration.id}`,
        type: { name: 'pureCloudOAuthClient' },
        credentialFields: { clientId: client.id, clientSecret: client.secret },
      },
    ]);
    expect(w.genesys.writes()).toEqual(['credentials.update cred-1', `integrations.patch ${integration.id}`]);
    expect(outcome).toMatchObject({ credentialId: 'cred-1', credentialUpdated: true, enabled: true });
  });

  describe('with the config Prepare read by id (the recorded integration)', () => {
    /** Our recorded integration, configured with cred-1 and active; `read` is what Prepare read of its config. */
    const recorded = (read: { name: string; notes: string }, configured = 'cred-1') =>
      setUp({
        integration: configuredIntegration('cred-1'),
        outcome: () => ({
          ourCredentialId: 'cred-1',
          configuredCredentialId: configured,
          readConfig: read,
          intendedState: 'ENABLED',
          reportedState: 'ACTIVE',
        }),
        record: (fp) => ({ credentialId: 'cred-1', credentialFingerprint: fp }),
      });

    it('makes no call at all when it is as wanted, with the current credential', async () => {
      const { w, input } = await recorded({ name: INTEGRATION_NAME, notes: withMarker('') });
      const outcome = await configureIntegration(input, w.deps);
      // Not even a token.
      expect(w.genesys.calls).toEqual([]);
      expect(outcome).toMatchObject({ credentialId: 'cred-1', configUpdated: false, enabled: false });
      expect(outcome.changes).toEqual([]);
    });

    it.each([
      ['another name', { name: 'Old name', notes: withMarker('') }, 'cred-1'],
      ['notes without the marker', { name: INTEGRATION_NAME, notes: '' }, 'cred-1'],
      ['another credential configured', { name: INTEGRATION_NAME, notes: withMarker('') }, 'cred-other'],
    ])('reads the config again when what Prepare read is not as wanted (%s)', async (_, read, configured) => {
      const { w, input, integration } = await recorded(read, configured);
      await configureIntegration(input, w.deps);
      // Read again: what it holds now decides (here it is as wanted, so no PUT).
      expect(w.genesys.operations()).toEqual([
        `integrations.updateConfig ${integration.id}`,
        `integrations.getConfig ${integration.id}`,
      ]);
    });
  });

  it('creates a credential when ours is gone for good (404), and configures it', async () => {
    const { w, input, integration } = await setUp({
      integration: configuredIntegration('cred-gone'),
      outcome: () => ({ ourCredentialId: 'cred-gone', intendedState: 'ENABLED', reportedState: 'ACTIVE' }),
    });
    const outcome = await configureIntegration(input, w.deps);
    expect(outcome).toMatchObject({
      credentialCreated: true,
      credentialUpdated: false,
      configUpdated: true,
      enabled: true,
    });
    expect(w.genesys.integrations.get(integration.id)?.config.current.credentials).toEqual({
      pureCloudOAuthClient: { id: outcome.credentialId },
    });
  });

  it('passes on a failure to update our credential that is not a 404', async () => {
    const { w, input } = await setUp({
      integration: configuredIntegration('cred-1'),
      outcome: () => ({ ourCredentialId: 'cred-1' }),
    });
    w.genesys.addCredential({ id: 'cred-1', name: 'x' });
    const failure = apiError('permission', 'PUT', '/api/v2/integrations/credentials/cred-1');
    w.genesys.failOn('credentials.update', failure);
    await expect(configureIntegration(input, w.deps)).rejects.toBe(failure);
    expect(w.genesys.writes()).toEqual(['credentials.update cred-1']);
  });

  it('takes the oldest credential named after the integration when ours is not known', async () => {
    const { w, input, credentialName } = await setUp({ outcome: () => ({ credentialByName: true }) });
    w.genesys.addCredential({ id: 'cred-b', name: credentialName, createdDate: '2026-02-01T00:00:00.000Z' });
    w.genesys.addCredential({ id: 'cred-c', name: credentialName, createdDate: '2026-01-01T00:00:00.000Z' });
    w.genesys.addCredential({ id: 'cred-a', name: credentialName, createdDate: '2026-01-01T00:00:00.000Z' });
    w.genesys.addCredential({
      id: 'cred-0',
      name: 'Integration-other',
      createdDate: '2020-01-01T00:00:00.000Z',
    });
    const outcome = await configureIntegration(input, w.deps);
    expect(outcome).toMatchObject({
      credentialId: 'cred-a',
      credentialCreated: false,
      credentialUpdated: true,
    });
    expect(w.genesys.operations()).toContain(`credentials.findByName ${credentialName}`);
  });

  it.each([
    ['listed after a dated one', ['cred-a', 'cred-b']],
    ['listed before a dated one', ['cred-b', 'cred-a']],
  ])('counts an undated credential named after the integration as the oldest, %s', async (_, order) => {
    const { w, input, credentialName } = await setUp({ outcome: () => ({ credentialByName: true }) });
    for (const id of order) {
      const createdDate = id === 'cred-a' ? '2026-01-01T00:00:00.000Z' : undefined;
      w.genesys.addCredential({ id, name: credentialName, createdDate });
    }
    expect((await configureIntegration(input, w.deps)).credentialId).toBe('cred-b');
  });

  it('creates a credential when none is named after the integration, and keeps it', async () => {
    const { w, input, credentialName } = await setUp({ outcome: () => ({ credentialByName: true }) });
    const outcome = await configureIntegration(input, w.deps);
    expect(outcome).toMatchObject({ credentialCreated: true, credentialUpdated: false });
    expect(w.genesys.credentials.get(outcome.credentialId)?.name).toBe(credentialName);
    expect(w.genesys.operations().filter((op) => op.startsWith('credentials.findByName'))).toHaveLength(2);
  });

  it('keeps the oldest credential when a racing run created one first, and removes its own', async () => {
    const { w, client, input, credentialName } = await setUp({ outcome: () => ({ credentialByName: true }) });
    const racing = w.genesys.addCredential({
      id: 'cred-racing',
      name: credentialName,
      createdDate: '2026-01-01T00:00:00.000Z',
    });
    w.genesys.intercept('credentials.listAll', () => [], 1);
    const outcome = await configureIntegration(input, w.deps);
    expect(outcome).toMatchObject({
      credentialId: racing.id,
      credentialCreated: false,
      credentialUpdated: true,
    });
    const created = w.genesys.callsOf('credentials.create');
    expect(created).toHaveLength(1);
    expect(w.genesys.writes().slice(0, 3)).toEqual([
      'credentials.create',
      `credentials.update ${racing.id}`,
      expect.stringMatching(/^credentials\.delete credential-\d+$/),
    ]);
    expect(w.genesys.callsOf('credentials.update').map((c) => c.args[2])).toEqual([
      { retryNotFoundMs: 15_000 },
    ]);
    expect([...w.genesys.credentials.keys()]).toEqual([racing.id]);
    expect(w.genesys.credentials.get(racing.id)?.fields).toEqual({
      clientId: client.id,
      clientSecret: client.secret,
    });
    expect(w.genesys.integrations.get(input.integration.integrationId)?.config.current.credentials).toEqual({
      pureCloudOAuthClient: { id: racing.id },
    });
  });

  it('reads the config of an integration that existed and sends no PUT when it is as wanted', async () => {
    const { w, input, integration } = await setUp({
      integration: configuredIntegration('cred-1', { notes: withMarker('kept notes') }),
      outcome: () => ({ ourCredentialId: 'cred-1', intendedState: 'ENABLED', reportedState: 'ACTIVE' }),
      record: (fp) => ({ credentialId: 'cred-1', credentialFingerprint: fp }),
    });
    const outcome = await configureIntegration(input, w.deps);
    expect(w.genesys.operations()).toContain(`integrations.getConfig ${integration.id}`);
    expect(w.genesys.callsOf('integrations.getConfig')[0]?.args[1]).toEqual({ retryNotFoundMs: 15_000 });
    expect(w.genesys.operations()).not.toContain(`integrations.putConfig ${integration.id}`);
    expect(outcome.configUpdated).toBe(false);
    expect(outcome.changes).toEqual([]);
  });

  it('renames the integration in its config, keeping properties, advanced and other credentials', async () => {
    const { w, input, integration } = await setUp({
      integration: {
        ...configuredIntegration('cred-1', {
          name: 'Old name',
          version: 4,
          properties: { timeout: 3 },
          advanced: { x: 1 },
          credentials: { other: { id: 'cred-other' }, pureCloudOAuthClient: { id: 'cred-1' } },
        }),
        name: 'Old name',
      },
      outcome: () => ({
        ourCredentialId: 'cred-1',
        intendedState: 'ENABLED',
        reportedState: 'ACTIVE',
        rename: true,
      }),
      record: (fp) => ({ credentialId: 'cred-1', credentialFingerprint: fp }),
    });
    const outcome = await configureIntegration(input, w.deps);
    expect(w.genesys.callsOf('integrations.putConfig').map((c) => c.args[1])).toEqual([
      {
        name: INTEGRATION_NAME,
        version: 4,
        properties: { timeout: 3 },
        advanced: { x: 1 },
        notes: OWNERSHIP_MARKER,
        credentials: { other: { id: 'cred-other' }, pureCloudOAuthClient: { id: 'cred-1' } },
      },
    ]);
    expect(w.genesys.integrations.get(integration.id)?.name).toBe(INTEGRATION_NAME);
    expect(outcome).toMatchObject({ configUpdated: true, enabled: true });
  });

  it.each([
    [
      'keeps an admin’s notes and adds the marker',
      'their notes',
      '',
      'their notes [managed-by:genesys-onboarding]',
    ],
    [
      'puts the request notes in, with the marker',
      'their notes',
      'our notes',
      'our notes [managed-by:genesys-onboarding]',
    ],
    ['marks empty notes', '', '', '[managed-by:genesys-onboarding]'],
  ])('%s', async (_, currentNotes, requestNotes, expected) => {
    const { w, input } = await setUp({
      integration: configuredIntegration('cred-1', { notes: currentNotes }),
      outcome: () => ({ ourCredentialId: 'cred-1', intendedState: 'ENABLED', reportedState: 'ACTIVE' }),
      record: (fp) => ({ credentialId: 'cred-1', credentialFingerprint: fp }),
      notes: requestNotes,
    });
    await configureIntegration(input, w.deps);
    expect(
      w.genesys.callsOf('integrations.putConfig').map((c) => (c.args[1] as { notes: string }).notes),
    ).toEqual([expected]);
  });

  it.each([
    ['no credentials at all', {}],
    ['credentials without an OAuth client', { credentials: {} }],
  ])('adds our credential to a config named and marked as wanted with %s', async (_, credentials) => {
    const { w, input, integration } = await setUp({
      outcome: () => ({ ourCredentialId: 'cred-1', intendedState: 'ENABLED' }),
      record: (fp) => ({ credentialId: 'cred-1', credentialFingerprint: fp }),
    });
    w.genesys.intercept(
      'integrations.getConfig',
      () => ({ name: INTEGRATION_NAME, version: 2, notes: OWNERSHIP_MARKER, ...credentials }),
      1,
    );
    integration.config.current.version = 2;
    const outcome = await configureIntegration(input, w.deps);
    expect(outcome).toMatchObject({ configUpdated: true, enabled: true });
    expect(w.genesys.callsOf('integrations.putConfig').map((c) => c.args[1])).toEqual([
      {
        name: INTEGRATION_NAME,
        version: 2,
        properties: {},
        advanced: {},
        notes: OWNERSHIP_MARKER,
        credentials: { pureCloudOAuthClient: { id: 'cred-1' } },
      },
    ]);
  });

  it('fills properties, advanced and credentials a config came without', async () => {
    const { w, input, integration } = await setUp({
      outcome: () => ({ ourCredentialId: 'cred-1', intendedState: 'ENABLED' }),
      record: (fp) => ({ credentialId: 'cred-1', credentialFingerprint: fp }),
    });
    w.genesys.intercept('integrations.getConfig', () => ({ name: INTEGRATION_NAME, version: 2 }), 1);
    integration.config.current.version = 2;
    await configureIntegration(input, w.deps);
    expect(w.genesys.callsOf('integrations.putConfig').map((c) => c.args[1])).toEqual([
      {
        name: INTEGRATION_NAME,
        version: 2,
        properties: {},
        advanced: {},
        notes: OWNERSHIP_MARKER,
        credentials: { pureCloudOAuthClient: { id: 'cred-1' } },
      },
    ]);
  });

  it.each([
    ['intended DISABLED', { intendedState: 'DISABLED', reportedState: 'INACTIVE' }, true],
    ['enabled and active', { intendedState: 'ENABLED', reportedState: 'ACTIVE' }, false],
    ['enabled and still activating', { intendedState: 'ENABLED', reportedState: 'ACTIVATING' }, false],
  ])('enables an integration %s only when needed', async (_, states, enabled) => {
    const { w, input, integration } = await setUp({
      integration: configuredIntegration('cred-1'),
      outcome: () => ({ ourCredentialId: 'cred-1', ...states }),
      record: (fp) => ({ credentialId: 'cred-1', credentialFingerprint: fp }),
    });
    const outcome = await configureIntegration(input, w.deps);
    expect(outcome.enabled).toBe(enabled);
    expect(w.genesys.writes()).toEqual(enabled ? [`integrations.patch ${integration.id}`] : []);
  });

  it('reports the state the PATCH answered, and none when it answered none', async () => {
    const { w, input } = await setUp({ outcome: () => ({ ourCredentialId: 'cred-1' }) });
    w.genesys.addCredential({ id: 'cred-1', name: 'x' });
    w.genesys.reportedStateAfterEnable = 'ACTIVE';
    expect(await configureIntegration(input, w.deps)).toMatchObject({
      enabled: true,
      reportedState: 'ACTIVE',
    });

    const bare = await setUp({ outcome: () => ({ ourCredentialId: 'cred-1' }) });
    bare.w.genesys.addCredential({ id: 'cred-1', name: 'x' });
    bare.w.genesys.intercept('integrations.patch', (id) => ({ id }));
    expect(await configureIntegration(bare.input, bare.w.deps)).not.toHaveProperty('reportedState');
  });
});

describe('configureIntegration: the changes it reports on an integration that existed before the run', () => {
  /** Our integration configured as `config` says (enabled unless `intendedState`), our credential cred-1. */
  const repair = (options: {
    config?: Partial<FakeIntegration['config']['current']>;
    intendedState?: string;
    fingerprint?: (fp: string) => string;
    notes?: string;
    changes?: string[];
  }) =>
    setUp({
      integration: {
        ...configuredIntegration('cred-1', options.config),
        intendedState: options.intendedState ?? 'ENABLED',
      },
      outcome: () => ({
        ourCredentialId: 'cred-1',
        intendedState: options.intendedState ?? 'ENABLED',
        reportedState: 'ACTIVE',
        changes: options.changes ?? [],
      }),
      record: (fp) => ({ credentialId: 'cred-1', credentialFingerprint: options.fingerprint?.(fp) ?? fp }),
      ...(options.notes === undefined ? {} : { notes: options.notes }),
    });

  it.each([
    [
      'notes without the marker',
      { config: { notes: 'their notes' } },
      ['ownership marker added to its notes'],
    ],
    [
      'other notes than the request’s',
      { config: { notes: withMarker('their notes') }, notes: 'our notes' },
      ['notes set to "our notes"'],
    ],
    [
      'other notes than the request’s, without the marker',
      { config: { notes: 'their notes' }, notes: 'our notes' },
      ['ownership marker added to its notes', 'notes set to "our notes"'],
    ],
    [
      'another credential configured',
      { config: { credentials: { pureCloudOAuthClient: { id: 'cred-other' } } } },
      ['configured with credential cred-1 (was cred-other)'],
    ],
    [
      'no credential configured',
      { config: { credentials: {} } },
      ['configured with credential cred-1 (was none)'],
    ],
    ['intended DISABLED', { intendedState: 'DISABLED' }, ['enabled (was DISABLED)']],
    [
      'our credential holding another secret',
      { fingerprint: (fp: string) => `${fp}-old` },
      ['credential cred-1 rewritten with the stored client id and secret'],
    ],
  ])('reports the repair of one with %s', async (_, options, lines) => {
    const { w, input, integration } = await repair(options);
    w.genesys.addCredential({ id: 'cred-1', name: `Integration-${integration.id}` });
    const outcome = await configureIntegration(input, w.deps);
    expect(outcome.changes).toEqual(lines.map((line) => `Integration ${integration.id}: ${line}`));
  });

  it('reports every repair after EnsureIntegration’s lines, in order', async () => {
    const renamed = 'Integration x: renamed from "Old name"';
    const { w, input, integration } = await repair({
      config: { notes: 'their notes', credentials: {} },
      intendedState: 'DISABLED',
      fingerprint: (fp) => `${fp}-old`,
      notes: 'our notes',
      changes: [renamed],
    });
    w.genesys.addCredential({ id: 'cred-1', name: `Integration-${integration.id}` });
    const outcome = await configureIntegration(input, w.deps);
    expect(outcome.changes).toEqual([
      renamed,
      `Integration ${integration.id}: credential cred-1 rewritten with the stored client id and secret`,
      `Integration ${integration.id}: ownership marker added to its notes`,
      `Integration ${integration.id}: notes set to "our notes"`,
      `Integration ${integration.id}: configured with credential cred-1 (was none)`,
      `Integration ${integration.id}: enabled (was DISABLED)`,
    ]);
  });

  it('reports only EnsureIntegration’s lines for an integration this run created, however much it set up', async () => {
    const installed = 'Integration x: installed';
    const { w, input, integration } = await repair({
      config: { notes: '' },
      intendedState: 'DISABLED',
      changes: [installed],
    });
    const { ourCredentialId: _none, ...outcomeOfCreate } = input.integration;
    const created = { ...input, integration: { ...outcomeOfCreate, integrationCreated: true } };
    const outcome = await configureIntegration(created, w.deps);
    expect(outcome).toMatchObject({ credentialCreated: true, configUpdated: true, enabled: true });
    expect(w.genesys.integrations.get(integration.id)?.intendedState).toBe('ENABLED');
    expect(outcome.changes).toEqual([installed]);
  });
});

describe('configureIntegration during a rotation', () => {
  const PENDING = { id: 'client-pending', secret: 'pending-secret' };

  /** Our client recorded with credential cred-live, and the rotation's pending record (credential cred-new). */
  async function rotating(liveClient: 'current' | 'pending', pending: Record<string, string> = {}) {
    const { w, client, input } = await setUp({ record: () => ({ credentialId: 'cred-live' }) });
    await w.secrets.putPending(
      w.resultSecretId,
      'rotation-1',
      JSON.stringify(resultSecret(w, PENDING, { credentialId: 'cred-new', ...pending })),
    );
    const liveClientId = liveClient === 'current' ? client.id : PENDING.id;
    w.secrets.calls.length = 0;
    return {
      w,
      client,
      input: { ...input, plan: { ...input.plan, rotation: { pendingClientId: PENDING.id, liveClientId } } },
    };
  }

  it('changes nothing and reports the current credential while the integration still uses it', async () => {
    const { w, client, input } = await rotating('current');
    const renamed = 'Integration x: renamed from "Old name"';
    const withChanges = { ...input, integration: { ...input.integration, changes: [renamed] } };
    expect(await configureIntegration(withChanges, w.deps)).toEqual({
      credentialId: 'cred-live',
      credentialFingerprint: credentialFingerprint(client.id, client.secret),
      credentialCreated: false,
      credentialUpdated: false,
      configUpdated: false,
      enabled: false,
      // EnsureIntegration's lines, passed on: the result's `changed.integration`.
      changes: [renamed],
    });
    expect(w.genesys.calls).toEqual([]);
    expect(w.secrets.callsOf('put')).toEqual([]);
  });

  it('reports the pending credential once the rotation switched the integration to it', async () => {
    const { w, input } = await rotating('pending');
    expect(await configureIntegration(input, w.deps)).toMatchObject({
      credentialId: 'cred-new',
      credentialFingerprint: credentialFingerprint(PENDING.id, PENDING.secret),
      configUpdated: false,
    });
    expect(w.genesys.calls).toEqual([]);
  });

  it('refuses when the live client has no credential on record: Onboarding.ResultSecretMissing', async () => {
    const { w, input } = await rotating('pending', { credentialId: '' });
    const error = await errorOf(() => configureIntegration(input, w.deps));
    expect(error.name).toBe('Onboarding.ResultSecretMissing');
    expect(error.message).toBe(`The record of OAuth client ${PENDING.id} is not in ${w.resultSecretId}`);
  });
});

describe('configureIntegration of an integration this run created, by the attempt of its state', () => {
  /** Our client recorded, and the integration EnsureIntegration created and marked (config version 2). */
  async function created(attempt: ConfigureInput['attempt']) {
    const w = await stepWorld();
    const client = ourClient(w);
    await storeRecord(w, resultSecret(w, client));
    const integration = w.genesys.addIntegration({
      name: INTEGRATION_NAME,
      config: { version: 2, notes: withMarker('') },
    });
    const input: ConfigureInput = {
      ...provisioned(w, {
        client: clientOutcome({ oauthClientId: client.id }),
        integration: integrationOutcome({
          integrationId: integration.id,
          integrationCreated: true,
          configVersion: 2,
          credentialByName: true,
        }),
      }),
      ...(attempt ? { attempt } : {}),
    };
    return {
      w,
      client,
      input,
      integrationId: integration.id,
      credentialName: `Integration-${integration.id}`,
    };
  }

  const listing = (credentialName: string) => [
    `credentials.findByName ${credentialName}`,
    'credentials.listAll',
  ];

  it('creates the credential without looking first on the first attempt, and looks once after', async () => {
    const { w, input, integrationId, credentialName } = await created({ retryCount: 0, redriveCount: 0 });
    const outcome = await configureIntegration(input, w.deps);
    expect(w.genesys.operations()).toEqual([
      'credentials.create',
      ...listing(credentialName),
      `integrations.updateConfig ${integrationId}`,
      `integrations.putConfig ${integrationId}`,
      `integrations.patch ${integrationId}`,
    ]);
    expect(outcome).toMatchObject({ credentialCreated: true, credentialUpdated: false });
    expect([...w.genesys.credentials.keys()]).toEqual([outcome.credentialId]);
  });

  it.each([
    ['a retry', { retryCount: 1, redriveCount: 0 }],
    ['the first attempt of a redriven execution', { retryCount: 0, redriveCount: 2 }],
    ['an attempt not known', undefined],
  ])('looks for an earlier attempt’s credential before creating on %s', async (_, attempt) => {
    const { w, input, integrationId, credentialName } = await created(attempt);
    await configureIntegration(input, w.deps);
    expect(w.genesys.operations()).toEqual([
      ...listing(credentialName),
      'credentials.create',
      ...listing(credentialName),
      `integrations.updateConfig ${integrationId}`,
      `integrations.putConfig ${integrationId}`,
      `integrations.patch ${integrationId}`,
    ]);
  });

  it('uses the credential an earlier attempt created (its answer lost) on a retry, creating none', async () => {
    const { w, client, input, credentialName } = await created({ retryCount: 1, redriveCount: 0 });
    const earlier = w.genesys.addCredential({ id: 'cred-earlier', name: credentialName });
    const outcome = await configureIntegration(input, w.deps);
    expect(w.genesys.callsOf('credentials.create')).toEqual([]);
    expect(outcome).toMatchObject({
      credentialId: earlier.id,
      credentialCreated: true,
      credentialUpdated: true,
    });
    expect(w.genesys.credentials.get(earlier.id)?.fields).toEqual({
      clientId: client.id,
      clientSecret: client.secret,
    });
  });

  it('finds and updates the credential a create whose answer was lost made, creating no other', async () => {
    const { w, client, input, integrationId } = await created({ retryCount: 0, redriveCount: 0 });
    w.genesys.intercept(
      'credentials.create',
      (request: { name: string }) => {
        w.genesys.addCredential({ id: 'cred-lost', name: request.name });
        throw apiError('transient', 'POST', '/api/v2/integrations/credentials');
      },
      1,
    );
    const outcome = await configureIntegration(input, w.deps);
    expect(w.genesys.writes().slice(0, 2)).toEqual(['credentials.create', 'credentials.update cred-lost']);
    expect(w.genesys.callsOf('credentials.update')[0]?.args[2]).toEqual({ retryNotFoundMs: 15_000 });
    expect(outcome).toMatchObject({
      credentialId: 'cred-lost',
      credentialCreated: true,
      credentialUpdated: true,
    });
    expect([...w.genesys.credentials.keys()]).toEqual(['cred-lost']);
    expect(w.genesys.credentials.get('cred-lost')?.fields).toEqual({
      clientId: client.id,
      clientSecret: client.secret,
    });
    expect(w.genesys.integrations.get(integrationId)?.config.current.credentials).toEqual({
      pureCloudOAuthClient: { id: 'cred-lost' },
    });
  });

  it.each([
    ['the version the marker write answered', 2],
    ['version 1 when the marker write answered none', undefined],
  ])(
    'writes the config of the integration it created from what it knows, at %s',
    async (_, configVersion) => {
      const w = await stepWorld();
      const client = ourClient(w);
      await storeRecord(w, resultSecret(w, client));
      const integration = w.genesys.addIntegration({
        name: INTEGRATION_NAME,
        config: { version: configVersion ?? 1, notes: configVersion === undefined ? '' : withMarker('') },
      });
      const input: ConfigureInput = {
        ...provisioned(w, {
          client: clientOutcome({ oauthClientId: client.id }),
          integration: integrationOutcome({
            integrationId: integration.id,
            integrationCreated: true,
            ...(configVersion === undefined ? {} : { configVersion }),
            credentialByName: true,
          }),
        }),
        attempt: { retryCount: 0, redriveCount: 0 },
      };
      const outcome = await configureIntegration(input, w.deps);
      expect(w.genesys.operations()).not.toContain(`integrations.getConfig ${integration.id}`);
      expect(w.genesys.callsOf('integrations.putConfig').map((c) => c.args[1])).toEqual([
        {
          name: INTEGRATION_NAME,
          version: configVersion ?? 1,
          properties: {},
          advanced: {},
          notes: withMarker(''),
          credentials: { pureCloudOAuthClient: { id: outcome.credentialId } },
        },
      ]);
    },
  );

  it('passes on the create’s failure when no credential shows up in the listing lag window', async () => {
    const { w, input } = await created({ retryCount: 0, redriveCount: 0 });
    const failure = apiError('transient', 'POST', '/api/v2/integrations/credentials');
    w.genesys.failOn('credentials.create', failure);
    await expect(configureIntegration(input, w.deps)).rejects.toBe(failure);
    expect(w.genesys.callsOf('credentials.update')).toEqual([]);
    expect(w.genesys.credentials.size).toBe(0);
  });

  it('keeps the older credential of a run that found the integration by its marker, on the first attempt', async () => {
    const { w, input, credentialName, integrationId } = await created({ retryCount: 0, redriveCount: 0 });
    const racing = w.genesys.addCredential({
      id: 'cred-racing',
      name: credentialName,
      createdDate: '2026-01-01T00:00:00.000Z',
    });
    const outcome = await configureIntegration(input, w.deps);
    expect(w.genesys.writes().slice(0, 3)).toEqual([
      'credentials.create',
      `credentials.update ${racing.id}`,
      expect.stringMatching(/^credentials\.delete credential-\d+$/),
    ]);
    expect(outcome).toMatchObject({ credentialId: racing.id, credentialUpdated: true });
    expect([...w.genesys.credentials.keys()]).toEqual([racing.id]);
    expect(w.genesys.integrations.get(integrationId)?.config.current.credentials).toEqual({
      pureCloudOAuthClient: { id: racing.id },
    });
  });
});
