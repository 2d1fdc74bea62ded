import { randomUUID } from 'node:crypto';
import { credentialName, resultSecretName } from '../../lambdas/shared/naming';
import { type CheckId, checkOrg, type OrgStatus } from '../../lambdas/workflows/status/check-org';
import { messageInfo } from '../../simulator/activation';
import { newSecret, nowIso } from '../../simulator/state';
import { findLeaks } from '../support/leaks';
import { type OrgUnderTest, PREFIX, WorkflowWorld } from '../support/workflow';

/** Status of one org, read-only, after drift made directly in the simulator: one org per test. */
describe('org status and drift findings', () => {
  let world: WorkflowWorld;

  beforeAll(async () => {
    // Reads after a create and listings are immediate here: the checks, not Genesys's lags, are under test.
    world = await WorkflowWorld.start(
      { readAfterCreateNotFoundMs: 0, oauthClientListingLagMs: 0, activationDelayMs: 0 },
      { readAfterCreateMs: 30 },
    );
  });
  afterAll(() => world.stop());

  const onboarded = async () => {
    const org = await world.newOrg();
    const execution = await org.run();
    expect(execution.status).toBe('SUCCEEDED');
    const record = (await org.resultSecret()) as Record<string, string>;
    return { org, record };
  };

  /** The status, and a check that it made no change in Genesys: GETs and token requests only. */
  const statusOf = async (org: OrgUnderTest): Promise<OrgStatus> => {
    const since = world.simulator.requestLog.length;
    const status = await checkOrg({ orgId: org.id }, world.deps());
    const calls = world.simulator.requestLog
      .slice(since)
      .filter((e) => e.orgId === org.id || e.path === '/oauth/token');
    expect(calls.length).toBeGreaterThan(0);
    expect(calls.filter((e) => e.method !== 'GET' && e.path !== '/oauth/token')).toEqual([]);
    expect(org.writesSince(since)).toEqual([]);
    return status;
  };
  const drifted = (status: OrgStatus) =>
    status.findings.filter((f) => f.status === 'drifted').map((f) => f.id);
  const finding = (status: OrgStatus, id: CheckId) => status.findings.find((f) => f.id === id);

  it('finds an onboarded org healthy: every check ok, in the stable order', async () => {
    const { org, record } = await onboarded();
    const status = await statusOf(org);
    expect(status.verdict).toBe('healthy');
    expect(status.findings.map((f) => [f.id, f.status])).toEqual(
      [
        'record.exists',
        'bootstrap.access',
        'client.exists',
        'client.active',
        'client.ours',
        'client.roles',
        'client.strays',
        'secret.token',
        'integration.exists',
        'integration.ours',
        'integration.enabled',
        'integration.active',
        'integration.credential',
        'integration.strays',
        'credential.exists',
        'credential.current',
        'credential.strays',
        'rotation.pending',
      ].map((id) => [id, 'ok']),
    );
    expect(finding(status, 'client.roles')?.message).toBe(
      `OAuth client ${record.clientId} holds exactly "Data Actions Runtime" in division ${org.state.divisions.find((d) => d.homeDivision)?.id}`,
    );
    expect(finding(status, 'integration.strays')?.message).toBe(
      `no other integration named ${JSON.stringify(status.onboardedWith?.integration.name)} carries the ownership marker`,
    );
    expect(status.onboardedWith?.oauthClient.name).toBe('acme-data-actions');
    expect(status.rotationInProgress).toBe(false);
    // Ids, names and states only: no secret of the org in any finding.
    const secrets = [record.clientSecret, org.seeded.bootstrap.clientSecret];
    expect(findLeaks([JSON.stringify(status)], secrets, [record.clientId as string])).toEqual([]);
  });

  it('client deleted: client.exists (and the stored secret gets no token)', async () => {
    const { org, record } = await onboarded();
    org.state.clients.delete(record.clientId as string);
    const status = await statusOf(org);
    expect(status.verdict).toBe('drifted');
    expect(drifted(status)).toEqual(['client.exists', 'secret.token']);
    expect(finding(status, 'client.exists')?.message).toBe(
      `OAuth client ${record.clientId} is gone (it answers 404): a repair creates a new one`,
    );
    expect(finding(status, 'client.roles')).toEqual({
      id: 'client.roles',
      status: 'unknown',
      message: 'no client',
    });
  });

  it('role removed from the client: client.roles names the role and division', async () => {
    const { org, record } = await onboarded();
    const client = org.state.clients.get(record.clientId as string);
    const role = org.state.roles.find((r) => r.name === 'Data Actions Runtime');
    const home = org.state.divisions.find((d) => d.homeDivision);
    if (!client || !role || !home) throw new Error('seed');
    client.roleDivisions = client.roleDivisions.filter((rd) => rd.roleId !== role.id);
    const status = await statusOf(org);
    expect(drifted(status)).toEqual(['client.roles']);
    expect(finding(status, 'client.roles')?.message).toBe(
      `OAuth client ${client.id} lacks role "Data Actions Runtime" (${role.id}) in division ${home.id}`,
    );
  });

  it('secret regenerated outside: secret.token', async () => {
    const { org, record } = await onboarded();
    const client = org.state.clients.get(record.clientId as string);
    if (!client) throw new Error('seed');
    client.secret = newSecret();
    const status = await statusOf(org);
    expect(drifted(status)).toEqual(['secret.token']);
    expect(finding(status, 'secret.token')?.message).toBe(
      `the stored secret of OAuth client ${client.id} gets no token (invalid_client): the secret was regenerated elsewhere, or the client cannot sign in`,
    );
  });

  it('integration disabled: integration.enabled and integration.active', async () => {
    const { org, record } = await onboarded();
    const integration = org.state.integrations.get(record.integrationId as string);
    if (!integration) throw new Error('seed');
    integration.intendedState = 'DISABLED';
    integration.reportedState = { code: 'INACTIVE', effective: 'Inactive', lastUpdated: nowIso() };
    const status = await statusOf(org);
    expect(drifted(status)).toEqual(['integration.enabled', 'integration.active']);
    expect(finding(status, 'integration.enabled')?.message).toBe(
      `integration ${integration.id} is intended DISABLED: a repair enables it`,
    );
    expect(finding(status, 'integration.active')?.message).toBe(
      `integration ${integration.id} reports INACTIVE (it is disabled)`,
    );
  });

  it('credential pointed elsewhere: integration.credential names both credentials', async () => {
    const { org, record } = await onboarded();
    const integration = org.state.integrations.get(record.integrationId as string);
    if (!integration) throw new Error('seed');
    const other = randomUUID();
    org.state.credentials.set(other, {
      id: other,
      name: 'Someone else',
      typeName: 'pureCloudOAuthClient',
      fields: { clientId: 'x', clientSecret: 'y' },
      createdDate: nowIso(),
      modifiedDate: nowIso(),
      readableAt: 0,
    });
    integration.config.credentials.pureCloudOAuthClient = { id: other };
    const status = await statusOf(org);
    expect(drifted(status)).toEqual(['integration.credential']);
    expect(finding(status, 'integration.credential')?.message).toBe(
      `integration ${integration.id} is configured with credential ${other}, not the recorded ${record.credentialId}: a repair points it back`,
    );
  });

  it('an integration in ERROR (a credential that does not authenticate): integration.active with its detail', async () => {
    const { org, record } = await onboarded();
    const integration = org.state.integrations.get(record.integrationId as string);
    if (!integration) throw new Error('seed');
    const text = 'The configured OAuth client credentials could not be used to authenticate';
    integration.reportedState = {
      code: 'ERROR',
      effective: 'Error',
      detail: messageInfo(text),
      lastUpdated: nowIso(),
    };
    const status = await statusOf(org);
    expect(drifted(status)).toEqual(['integration.active']);
    expect(finding(status, 'integration.active')?.message).toBe(
      `integration ${integration.id} reports ERROR: ${text}`,
    );
  });

  it('a stray credential named after our integration: credential.strays', async () => {
    const { org, record } = await onboarded();
    const stray = randomUUID();
    org.state.credentials.set(stray, {
      id: stray,
      name: credentialName(record.integrationId as string),
      typeName: 'pureCloudOAuthClient',
      fields: {},
      createdDate: nowIso(),
      modifiedDate: nowIso(),
      readableAt: 0,
    });
    const status = await statusOf(org);
    expect(drifted(status)).toEqual(['credential.strays']);
    expect(finding(status, 'credential.strays')?.message).toContain(
      `1 other credential is named Integration-${record.integrationId}: ${stray}`,
    );
  });

  it('a second marked integration of the recorded name, on a later page of the listing: integration.strays', async () => {
    const { org, record } = await onboarded();
    const ours = org.state.integrations.get(record.integrationId as string);
    if (!ours) throw new Error('seed');
    const copy = (name: string, notes: string) => {
      const integration = { ...structuredClone(ours), id: randomUUID(), name };
      integration.config = { ...integration.config, name, notes, credentials: {} };
      integration.notes = notes;
      org.state.integrations.set(integration.id, integration);
      return integration;
    };
    // Enough integrations that the listing pages (100 a page): the stray is only on a later page.
    for (let i = 0; i < 100; i += 1) copy(`crm-${i}`, ours.config.notes);
    // Not ours: unmarked, of the recorded name (made by hand).
    copy(ours.name, 'Made by hand');
    // Named by a rotation's pending version (adopted): never a stray.
    const pendingIntegration = copy(ours.name, ours.config.notes);
    await world.secrets.putPending(
      resultSecretName(PREFIX, org.id),
      'v2',
      JSON.stringify({ ...record, integrationId: pendingIntegration.id, integrationAdopted: true }),
    );
    const stray = copy(ours.name, ours.config.notes);
    const since = world.simulator.requestLog.length;
    const status = await statusOf(org);
    expect(status.verdict).toBe('drifted');
    expect(drifted(status)).toEqual(['integration.strays']);
    expect(finding(status, 'integration.strays')?.message).toBe(
      `1 other integration carries the ownership marker: ${stray.id} (${JSON.stringify(ours.name)}) (left by two onboardings of the org at once, or a re-run inside the integration listing lag; offboarding removes it)`,
    );
    const pages = world.simulator.requestLog
      .slice(since)
      .filter((e) => e.path === '/api/v2/integrations')
      .map((e) => new URLSearchParams(e.query).get('pageNumber') ?? '1');
    expect(pages).toEqual(['1', '2']);
  });

  it('a marked OAuth client the record does not name, on a later page of the listing: client.strays', async () => {
    const { org, record } = await onboarded();
    const ours = org.state.clients.get(record.clientId as string);
    const bootstrap = org.state.clients.get(org.seeded.bootstrap.clientId);
    if (!ours || !bootstrap) throw new Error('seed');
    const copy = (fields: Partial<typeof ours>) => {
      const client = { ...structuredClone(ours), id: randomUUID(), secret: newSecret(), ...fields };
      org.state.clients.set(client.id, client);
      return client;
    };
    // Enough unmarked clients that the listing pages (25 a page): the stray is only on a later page.
    for (let i = 0; i < 30; i += 1) copy({ name: `crm-${i}`, description: 'Made by hand' });
    copy({ description: `${ours.description} (being deleted)`, state: 'deleted' });
    const pendingClient = copy({});
    const stray = copy({ dateCreated: nowIso() });
    // An admin marked the bootstrap client: it is never a stray.
    bootstrap.description = ours.description;
    await world.secrets.putPending(
      resultSecretName(PREFIX, org.id),
      'v2',
      JSON.stringify({ ...record, clientId: pendingClient.id }),
    );
    const since = world.simulator.requestLog.length;
    const status = await statusOf(org);
    expect(drifted(status)).toEqual(['client.strays']);
    expect(finding(status, 'client.strays')?.message).toBe(
      `1 other OAuth client carries the ownership marker: ${stray.id} ("acme-data-actions", active) (left by a stopped onboarding, rotation or offboarding, or marked by hand)`,
    );
    const pages = world.simulator.requestLog
      .slice(since)
      .filter((e) => e.path === '/api/v2/oauth/clients')
      .map((e) => new URLSearchParams(e.query).get('pageNumber') ?? '1');
    expect(pages).toEqual(['1', '2']);
  });

  it('reports a rotation in progress (an AWSPENDING version) as such, and accepts its credential', async () => {
    const { org, record } = await onboarded();
    const pending = { ...record, clientId: 'pending-client', credentialId: 'pending-credential' };
    await world.secrets.putPending(resultSecretName(PREFIX, org.id), 'v2', JSON.stringify(pending));
    const status = await statusOf(org);
    expect(status.verdict).toBe('healthy');
    expect(status.rotationInProgress).toBe(true);
    expect(finding(status, 'rotation.pending')?.message).toBe(
      'a rotation is in progress: version v2 is AWSPENDING (OAuth client pending-client)',
    );
  });

  it('an org without a record: could not check (record.exists unknown), nothing else checked', async () => {
    const org = await world.newOrg();
    const since = world.simulator.requestLog.length;
    const status = await checkOrg({ orgId: org.id }, world.deps());
    expect(world.simulator.requestLog.slice(since).filter((e) => e.orgId === org.id)).toEqual([]);
    expect(status.verdict).toBe('unknown');
    expect(finding(status, 'record.exists')).toEqual({
      id: 'record.exists',
      status: 'unknown',
      message: `${resultSecretName(PREFIX, org.id)} does not exist: the org is not onboarded (or its record was deleted)`,
    });
    expect(finding(status, 'bootstrap.access')?.message).toBe('not checked: no record to check against');
    expect(status.findings.filter((f) => f.status === 'unknown')).toHaveLength(17);
    expect(finding(status, 'rotation.pending')?.message).toBe('no rotation in progress');
  });

  it('an onboarding that stopped before storing its client (an intent only): could not check, run onboard again', async () => {
    const org = await world.newOrg();
    await world.secrets.put({
      name: resultSecretName(PREFIX, org.id),
      value: JSON.stringify({
        orgId: org.id,
        region: 'eu-west-1',
        oauthClientName: 'acme-data-actions',
        creatingSince: '2026-01-02T03:04:05.000Z',
      }),
    });
    const status = await checkOrg({ orgId: org.id }, world.deps());
    expect(status.verdict).toBe('unknown');
    expect(finding(status, 'record.exists')).toEqual({
      id: 'record.exists',
      status: 'unknown',
      message: `${resultSecretName(PREFIX, org.id)} holds only the intent to create OAuth client "acme-data-actions" (since 2026-01-02T03:04:05.000Z): an onboarding did not finish; run onboard again`,
    });
  });

  it('a record without onboardedWith: an unfinished onboarding says to run onboard again, a complete older one says so', async () => {
    const { org, record } = await onboarded();
    const { onboardedWith: _, ...older } = record as Record<string, unknown>;
    const recordId = resultSecretName(PREFIX, org.id);
    await world.secrets.put({ name: recordId, value: JSON.stringify(older) });
    const olderStatus = await checkOrg({ orgId: org.id }, world.deps());
    expect(finding(olderStatus, 'client.roles')).toEqual({
      id: 'client.roles',
      status: 'unknown',
      message:
        'the record has no onboardedWith request (onboarded by an older version), so the roles asked for are not known: run onboard again to record it',
    });
    const { integrationId: __, credentialId: ___, credentialFingerprint: ____, ...unfinished } = older;
    await world.secrets.put({ name: recordId, value: JSON.stringify(unfinished) });
    const unfinishedStatus = await checkOrg({ orgId: org.id }, world.deps());
    expect(finding(unfinishedStatus, 'client.roles')?.message).toBe(
      'the roles asked for are not recorded yet: the onboarding did not finish; run onboard again to finish it',
    );
    expect(finding(unfinishedStatus, 'record.exists')?.message).toBe(
      `${recordId} names OAuth client ${record.clientId} but no integration and no credential: the onboarding did not finish; run onboard again to finish it`,
    );
    expect(unfinishedStatus.findings.map((f) => f.message).join('\n')).not.toContain('older version');
  });

  it('role-division pairs not asked for are named by role name (one roles listing), by id when the org has no such role', async () => {
    const { org, record } = await onboarded();
    const client = org.state.clients.get(record.clientId as string);
    const supervisor = org.state.roles.find((r) => r.name === 'Supervisor');
    const home = org.state.divisions.find((d) => d.homeDivision);
    if (!client || !supervisor || !home) throw new Error('seed');
    const ghost = randomUUID();
    client.roleDivisions = [
      ...client.roleDivisions,
      { roleId: supervisor.id, divisionId: home.id },
      { roleId: ghost, divisionId: home.id },
    ];
    const since = world.simulator.requestLog.length;
    const status = await statusOf(org);
    expect(drifted(status)).toEqual(['client.roles']);
    expect(finding(status, 'client.roles')?.message).toBe(
      `OAuth client ${client.id} holds role-division pairs not asked for: "Supervisor" (${supervisor.id}) in division ${home.id}, role ${ghost} in division ${home.id}`,
    );
    const listings = world.simulator.requestLog
      .slice(since)
      .filter((e) => e.path === '/api/v2/authorization/roles' && !e.query.includes('name='));
    expect(listings).toHaveLength(1);
  });

  it('names where the bootstrap credentials came from when the caller says', async () => {
    const { org } = await onboarded();
    const status = await checkOrg(
      {
        orgId: org.id,
        bootstrapCredentialsFrom: 'GENESYSCLOUD_OAUTHCLIENT_ID and GENESYSCLOUD_OAUTHCLIENT_SECRET',
      },
      world.deps(),
    );
    expect(finding(status, 'bootstrap.access')?.message).toMatch(
      /^bootstrap client \S+ from GENESYSCLOUD_OAUTHCLIENT_ID and GENESYSCLOUD_OAUTHCLIENT_SECRET signs in to org /,
    );
    const plain = await checkOrg({ orgId: org.id }, world.deps());
    expect(finding(plain, 'bootstrap.access')?.message).toContain(
      `from bootstrap secret ${PREFIX}/${org.id}/bootstrap signs in`,
    );
  });

  it('a stored secret refused while the bootstrap client cannot sign in either is not taken as drift', async () => {
    const { org, record } = await onboarded();
    const client = org.state.clients.get(record.clientId as string);
    if (!client) throw new Error('seed');
    client.secret = newSecret();
    await world.secrets.delete(`${PREFIX}/${org.id}/bootstrap`);
    const status = await checkOrg({ orgId: org.id }, world.deps());
    expect(status.verdict).toBe('unknown');
    expect(finding(status, 'secret.token')?.status).toBe('unknown');
    expect(finding(status, 'secret.token')?.message).toContain(
      'not taken as drift while the bootstrap client cannot sign in either',
    );
  });

  it('cannot check when the bootstrap client cannot sign in: unknown, with why', async () => {
    const { org } = await onboarded();
    await world.secrets.delete(`${PREFIX}/${org.id}/bootstrap`);
    const status = await checkOrg({ orgId: org.id }, world.deps());
    expect(status.verdict).toBe('unknown');
    expect(finding(status, 'bootstrap.access')?.message).toContain('Onboarding.BootstrapSecretMissing');
    expect(finding(status, 'secret.token')?.status).toBe('ok');
  });
});
