import { randomUUID } from 'node:crypto';
import { ONBOARDING_ERRORS } from '../../lambdas/shared/errors';
import { resultSecretName } from '../../lambdas/shared/naming';
import { OWNERSHIP_MARKER } from '../../lambdas/shared/ownership';
import { parseOnboardingRequest } from '../../lambdas/shared/request';
import { type SecretStore, SecretStoreUnavailableError } from '../../lambdas/shared/secret-store';
import { openBootstrapSession } from '../../lambdas/shared/session';
import { ensureIntegration } from '../../lambdas/workflows/onboarding/steps/ensure-integration';
import { ensureOAuthClient } from '../../lambdas/workflows/onboarding/steps/ensure-oauth-client';
import { prepare } from '../../lambdas/workflows/onboarding/steps/prepare';
import { OAUTH_CLIENT_PAGING_MODES } from '../../simulator';
import { realisticOrgSeed } from '../../simulator/seeds';
import { storeWith } from '../support/stores';
import { PREFIX, resultOf, retriesOf, WorkflowWorld } from '../support/workflow';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Issue: never conclude "absent" from a partial view; survive eventual consistency; tenancy and endpoints. */
describe('onboarding against an eventually consistent, paged API', () => {
  const LAG_MS = 300;
  const GRACE_MS = 1_500;
  let world: WorkflowWorld;

  beforeAll(async () => {
    // The product's windows scaled down: a listing grace above the listing lag, a third of it watched per
    // attempt, half of it for a creator to store its client's secret (60 s, 20 s and 30 s in the product), a
    // short watch of a listing after a lost create answer.
    world = await WorkflowWorld.start(
      { readAfterCreateNotFoundMs: 200, oauthClientListingLagMs: LAG_MS },
      {
        clientListingGraceMs: GRACE_MS,
        clientCreationWatchMs: GRACE_MS / 3,
        creatorSecretStoreMs: GRACE_MS / 2,
        integrationListingLagMs: 300,
      },
    );
  });
  afterAll(() => world.stop());
  afterEach(() => {
    world.simulator.options.oauthClientPaging = undefined;
    world.simulator.options.tokenInfoWithoutRoleDivisions = undefined;
    world.simulator.faults.clear();
  });

  it.each(OAUTH_CLIENT_PAGING_MODES.filter((mode) => mode !== 'first-page-only'))(
    'finds its client on page 2 of 31 after the record is lost (paging: %s): no second client',
    async (mode) => {
      world.simulator.options.oauthClientPaging = mode;
      const org = await world.newOrg(realisticOrgSeed({ id: randomUUID() }));
      const first = await org.run();
      expect(first.status).toBe('SUCCEEDED');
      await world.secrets.delete(resultSecretName(PREFIX, org.id));
      await sleep(LAG_MS);
      const again = await org.run();
      expect(again.status).toBe('SUCCEEDED');
      expect(resultOf(again).oauthClientId).toBe(resultOf(first).oauthClientId);
      expect(org.dataActionClients().filter((c) => c.name === 'acme-data-actions')).toHaveLength(1);
    },
  );

  it('fails, rather than create a second client, when the listing cannot show page 2', async () => {
    const org = await world.newOrg(realisticOrgSeed({ id: randomUUID() }));
    expect((await org.run()).status).toBe('SUCCEEDED');
    await world.secrets.delete(resultSecretName(PREFIX, org.id));
    await sleep(LAG_MS);
    world.simulator.options.oauthClientPaging = 'first-page-only';
    const again = await org.run();
    expect(again.status).toBe('FAILED');
    expect(again.cause).toContain('incomplete');
    expect(org.dataActionClients().filter((c) => c.name === 'acme-data-actions')).toHaveLength(1);
  });

  it('changes nothing when re-run while the new client is still missing from the listing', async () => {
    world.simulator.options.oauthClientListingLagMs = 60_000;
    try {
      const org = await world.newOrg();
      expect((await org.run()).status).toBe('SUCCEEDED');
      const before = world.simulator.requestLog.length;
      const again = await org.run();
      expect(again.status).toBe('SUCCEEDED');
      expect(org.writesSince(before)).toEqual([]);
      expect(org.dataActionClients()).toHaveLength(1);
    } finally {
      world.simulator.options.oauthClientListingLagMs = LAG_MS;
    }
  });

  it('after a run that created a client but stopped before storing it, waits for the listing instead of creating a second', async () => {
    const org = await world.newOrg();
    expect((await org.run()).status).toBe('SUCCEEDED');
    const [client] = org.dataActionClients();
    // What the crashed run left: its intent in the record, and a client the listing does not show yet.
    await world.secrets.put({
      name: resultSecretName(PREFIX, org.id),
      value: JSON.stringify({
        orgId: org.id,
        region: 'eu-west-1',
        oauthClientName: 'acme-data-actions',
        creatingSince: new Date().toISOString(),
      }),
    });
    if (client) client.listedAt = Date.now() + 1_000;
    const again = await org.run();
    expect(again.status).toBe('SUCCEEDED');
    expect(resultOf(again).oauthClientId).toBe(client?.id);
    expect(org.dataActionClients()).toHaveLength(1);
  });

  it('waits out the listing grace over several attempts after a client create that got no answer, then creates one client', async () => {
    const org = await world.newOrg();
    world.simulator.injectFault({
      method: 'POST',
      path: '/api/v2/oauth/clients',
      fault: { kind: 'reset' },
      times: 1,
    });
    const before = world.simulator.requestLog.length;
    const execution = await org.run();
    expect(execution.status).toBe('SUCCEEDED');
    const creates = world.simulator.requestLog
      .slice(before)
      .filter((e) => e.method === 'POST' && e.route === '/api/v2/oauth/clients');
    expect(creates.map((e) => e.status)).toEqual([0, 200]);
    // Not created again before the grace after the intent (written just before the first create) was over.
    const [reset, created] = creates;
    expect((created?.time ?? 0) - (reset?.time ?? 0)).toBeGreaterThanOrEqual(GRACE_MS - 100);
    expect(
      retriesOf(execution, 'EnsureOAuthClient', ONBOARDING_ERRORS.clientCreationPending),
    ).toBeGreaterThanOrEqual(2);
    expect(org.dataActionClients()).toHaveLength(1);
    expect((await org.resultSecret())?.clientId).toBe(org.dataActionClients()[0]?.id);
  });

  it('creates the client once the grace after a stale intent is over, when none was ever created', async () => {
    const org = await world.newOrg();
    await world.secrets.put({
      name: resultSecretName(PREFIX, org.id),
      value: JSON.stringify({
        orgId: org.id,
        region: 'eu-west-1',
        oauthClientName: 'acme-data-actions',
        creatingSince: new Date(Date.now() - 1_000).toISOString(),
      }),
    });
    const execution = await org.run();
    expect(execution.status).toBe('SUCCEEDED');
    expect(org.dataActionClients()).toHaveLength(1);
  });

  it('keeps one integration and one credential when Genesys made them but the answers of their creates were lost', async () => {
    const org = await world.newOrg();
    const lost = new Set(['POST /api/v2/integrations', 'POST /api/v2/integrations/credentials']);
    // The request reaches Genesys and takes effect; its answer never comes back (the client times out).
    const losingAnswers: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      const call = `${init?.method ?? 'GET'} ${new URL(String(input)).pathname}`;
      if (!response.ok || !lost.delete(call)) return response;
      throw new DOMException('The operation was aborted due to timeout', 'TimeoutError');
    };
    const before = world.simulator.requestLog.length;
    const execution = await org.run(undefined, { genesys: world.deps({}, losingAnswers).genesys });
    expect(lost.size).toBe(0);
    expect(execution.status).toBe('SUCCEEDED');
    expect(org.writesSince(before).filter((write) => write.startsWith('POST /api/v2/integrations'))).toEqual([
      'POST /api/v2/integrations',
      'POST /api/v2/integrations/credentials',
    ]);
    const [integration] = [...org.state.integrations.values()];
    const [credential] = [...org.state.credentials.values()];
    expect([org.state.integrations.size, org.state.credentials.size]).toEqual([1, 1]);
    expect(resultOf(execution)).toMatchObject({
      integrationId: integration?.id,
      credentialId: credential?.id,
    });
    expect(integration?.config.credentials.pureCloudOAuthClient?.id).toBe(credential?.id);
  });

  it('uses the credential an earlier attempt of Configure made for the new integration, rather than make a second', async () => {
    const org = await world.newOrg();
    // Configure's config PUT (EnsureIntegration's, which marks the new integration, is through) fails for
    // longer than the client retries it: Configure runs again, its credential made.
    let injected = false;
    const failConfigure = (state: string) => {
      if (state !== 'ConfigureIntegration' || injected) return;
      injected = true;
      world.simulator.injectFault({
        method: 'PUT',
        path: '/api/v2/integrations/{integrationId}/config/current',
        fault: { kind: 'status', status: 503 },
        times: 8,
      });
    };
    const before = world.simulator.requestLog.length;
    const execution = await org.run(org.request(), {}, { beforeTask: failConfigure });
    expect(execution.status).toBe('SUCCEEDED');
    expect(retriesOf(execution, 'ConfigureIntegration', 'Genesys.Transient')).toBe(1);
    expect(
      org.writesSince(before).filter((write) => write === 'POST /api/v2/integrations/credentials'),
    ).toHaveLength(1);
    const [credential] = [...org.state.credentials.values()];
    expect(org.state.credentials.size).toBe(1);
    expect(resultOf(execution).credentialId).toBe(credential?.id);
  });

  it('uses the integration an earlier attempt of EnsureIntegration made (its answer lost), and only that one', async () => {
    const org = await world.newOrg();
    const deps = world.deps();
    const plan = await prepare(parseOnboardingRequest(org.request(), { secretPrefix: PREFIX }), deps);
    expect(plan.found.integration).toEqual({ action: 'create' });
    // The run's OAuth client step, beside the earlier attempt: the record holds the run's intent to install.
    await ensureOAuthClient(plan, deps);
    // What the earlier attempt left: an integration of the name, not configured, that the step never heard of.
    const { client } = await openBootstrapSession(deps, plan);
    const earlier = await client.integrations.create({
      name: plan.integration.name,
      integrationType: { id: 'purecloud-data-actions' },
    });
    const before = world.simulator.requestLog.length;
    const outcome = await ensureIntegration({ plan }, deps);
    expect(outcome).toMatchObject({
      integrationId: earlier.id,
      integrationCreated: true,
      credentialByName: true,
    });
    // No second integration: the earlier one is only marked as ours.
    expect(org.writesSince(before)).toEqual(['PUT /api/v2/integrations/{integrationId}/config/current']);
    expect(org.state.integrations.size).toBe(1);
    expect(org.state.integrations.get(earlier.id)?.config.notes).toBe(OWNERSHIP_MARKER);
  });

  it('after a run that stopped right after writing its intent, looks again in Prepare until the grace is over, then creates the client', async () => {
    const org = await world.newOrg();
    await world.secrets.put({
      name: resultSecretName(PREFIX, org.id),
      value: JSON.stringify({
        orgId: org.id,
        region: 'eu-west-1',
        oauthClientName: 'acme-data-actions',
        creatingSince: new Date().toISOString(),
        runId: 'a-run-that-stopped',
      }),
    });
    const execution = await org.run();
    expect(execution.status).toBe('SUCCEEDED');
    expect(retriesOf(execution, 'Prepare', ONBOARDING_ERRORS.clientCreationPending)).toBeGreaterThanOrEqual(
      1,
    );
    expect(org.dataActionClients()).toHaveLength(1);
  });

  it("reads the caller's roles from its client when tokens/me carries none", async () => {
    world.simulator.options.tokenInfoWithoutRoleDivisions = true;
    const org = await world.newOrg();
    const ok = await org.run();
    expect(ok.status).toBe('SUCCEEDED');
    expect(
      world.simulator.requestLog.some(
        (e) => e.orgId === org.id && e.route === '/api/v2/oauth/clients/{clientId}' && e.method === 'GET',
      ),
    ).toBe(true);
    const lacking = await org.run(
      org.request({ oauthClient: { name: 'supervisor-client', roles: ['Supervisor'] } }),
    );
    expect(lacking.error).toBe('Onboarding.MissingRoles');
  });

  it('retries Secrets Manager throttling and still ends with one client', async () => {
    const org = await world.newOrg();
    let failures = 0;
    const flaky: SecretStore = storeWith(world.secrets, {
      put: (secret) => {
        if (failures < 1 && secret.value.includes('"clientSecret"')) {
          failures++;
          return Promise.reject(
            new SecretStoreUnavailableError(
              'Secrets Manager PutSecretValue failed and may work again: ThrottlingException: Rate exceeded',
            ),
          );
        }
        return world.secrets.put(secret);
      },
    });
    const execution = await org.run(undefined, { secrets: flaky });
    expect(failures).toBe(1);
    expect(execution.status).toBe('SUCCEEDED');
    expect(execution.events.some((e) => e.type === 'StateRetried')).toBe(true);
    expect(org.dataActionClients()).toHaveLength(1);
    expect((await org.resultSecret())?.clientId).toBe(org.dataActionClients()[0]?.id);
  });

  it('retries a credential delete refused just after its integration was deleted, so compensation finishes', async () => {
    const org = await world.newOrg();
    world.simulator.injectFault({
      method: 'PATCH',
      path: '/api/v2/integrations/{integrationId}',
      fault: { kind: 'status', status: 400 },
      times: 100,
    });
    world.simulator.injectFault({
      method: 'DELETE',
      path: '/api/v2/integrations/credentials/{credentialId}',
      fault: { kind: 'status', status: 400 },
      times: 1,
    });
    const before = world.simulator.requestLog.length;
    const execution = await org.run();
    expect(execution.status).toBe('FAILED');
    expect(org.state.credentials.size).toBe(0);
    expect(org.state.integrations.size).toBe(0);
    const credentialDeletes = world.simulator.requestLog
      .slice(before)
      .filter((e) => e.method === 'DELETE' && e.route === '/api/v2/integrations/credentials/{credentialId}');
    expect(credentialDeletes.map((e) => e.status)).toEqual([400, 204]);
  });
});

describe('onboarding keeps orgs and endpoints apart', () => {
  let world: WorkflowWorld;

  beforeAll(async () => {
    world = await WorkflowWorld.start({ readAfterCreateNotFoundMs: 0, oauthClientListingLagMs: 0 });
  });
  afterAll(() => world.stop());

  const bootstrapWith = async (orgId: string, bootstrap: object) =>
    world.secrets.put({ name: `${PREFIX}/${orgId}/bootstrap`, value: JSON.stringify(bootstrap) });

  it("refuses another org's bootstrap secret in an execution started without the edge, before any call", async () => {
    const org = await world.newOrg();
    const other = await world.newOrg();
    const before = world.simulator.requestLog.length;
    // The edge refuses this; here the execution input names another org's secret as a hand-made input would.
    const forged = await import('../../local/runner').then(async ({ LocalWorkflow }) => {
      const workflow = new LocalWorkflow({ deps: world.deps(), fastDelaysMs: 5 });
      const { parseOnboardingRequest } = await import('../../lambdas/shared/request');
      const parsed = parseOnboardingRequest(org.request(), { secretPrefix: PREFIX });
      return workflow.execute(`forged-${randomUUID()}`, {
        request: { ...parsed, bootstrapSecretId: `${PREFIX}/${other.id}/bootstrap` },
      });
    });
    expect(forged.status).toBe('FAILED');
    expect(forged.error).toBe('Onboarding.InvalidRequest');
    expect(world.simulator.requestLog.slice(before).filter((e) => e.orgId === other.id)).toEqual([]);
  });

  it('works with a region the table does not know when the bootstrap secret gives its URLs, and records them', async () => {
    const org = await world.newOrg();
    const url = world.simulator.url;
    await bootstrapWith(org.id, {
      ...org.seeded.bootstrap,
      region: 'xx-sandbox-1',
      apiUrl: url,
      loginUrl: url,
    });
    const execution = await org.run(org.request({ region: 'xx-sandbox-1' }));
    expect(execution.status).toBe('SUCCEEDED');
    expect(await org.resultSecret()).toMatchObject({ region: 'xx-sandbox-1', apiUrl: url, loginUrl: url });
  });

  it('refuses a region the table does not know without URLs, before any call', async () => {
    const org = await world.newOrg();
    await bootstrapWith(org.id, { ...org.seeded.bootstrap, region: 'xx-sandbox-1' });
    const before = world.simulator.requestLog.length;
    const execution = await org.run(org.request({ region: 'xx-sandbox-1' }));
    expect(execution.error).toBe('Onboarding.UnknownRegion');
    expect(world.simulator.requestLog.length).toBe(before);
  });

  it.each([
    ['a link-local metadata address', 'http://169.254.169.254', 'is not a Genesys Cloud host'],
    ['a host that is not Genesys Cloud', 'https://api.example.com', 'is not a Genesys Cloud host'],
    ['plain http to a Genesys host', 'http://api.mypurecloud.ie', 'https'],
  ])('never sends the bootstrap credentials to %s', async (_, apiUrl, problem) => {
    const org = await world.newOrg();
    await bootstrapWith(org.id, { ...org.seeded.bootstrap, region: 'eu-west-1', apiUrl, loginUrl: apiUrl });
    const before = world.simulator.requestLog.length;
    const execution = await org.run();
    expect(execution.error).toBe('Onboarding.EndpointNotAllowed');
    expect(execution.cause).toContain(problem);
    expect(world.simulator.requestLog.length).toBe(before);
  });
});
