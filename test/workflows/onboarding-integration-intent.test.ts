import { ONBOARDING_ERRORS } from '../../lambdas/shared/errors';
import { credentialName } from '../../lambdas/shared/naming';
import { OWNERSHIP_MARKER } from '../../lambdas/shared/ownership';
import { parseOnboardingRequest } from '../../lambdas/shared/request';
import { openBootstrapSession } from '../../lambdas/shared/session';
import { ONBOARDING_STATES } from '../../lambdas/workflows/onboarding/states';
import { ensureIntegration } from '../../lambdas/workflows/onboarding/steps/ensure-integration';
import { ensureOAuthClient } from '../../lambdas/workflows/onboarding/steps/ensure-oauth-client';
import { prepare } from '../../lambdas/workflows/onboarding/steps/prepare';
import { PREFIX, resultOf, WorkflowWorld } from '../support/workflow';

/** How long the simulator leaves a new integration out of its listing in these tests. */
const INTEGRATION_LISTING_LAG_MS = 3_000;

describe('onboarding: the intent to install the integration', () => {
  let world: WorkflowWorld;

  beforeAll(async () => {
    world = await WorkflowWorld.start(
      { integrationListingLagMs: INTEGRATION_LISTING_LAG_MS },
      // A listing grace that outlasts the simulator's lag, watched in short invocations.
      { clientListingGraceMs: 8_000, clientCreationWatchMs: 1_500 },
    );
  });
  afterAll(() => world.stop());

  it('a re-run right after a crash between the install and the record waits for the unlisted integration and uses it', async () => {
    const org = await world.newOrg();
    const stopped = await org.run(org.request(), {}, { crashAt: ONBOARDING_STATES.configure });
    expect(stopped.status).not.toBe('SUCCEEDED');
    const [installed] = [...org.state.integrations.values()];
    expect(org.state.integrations.size).toBe(1);
    // The stopped run's record holds its client and its intent to install the integration, not the integration.
    const left = await org.resultSecret();
    expect(left).not.toHaveProperty('integrationId');
    expect(left).toHaveProperty('integrationCreation');

    // Started at once: the listing does not show the stopped run's integration yet.
    const rerun = await org.run(org.request({ idempotencyKey: 'after-the-crash' }));
    expect(rerun.status).toBe('SUCCEEDED');
    expect([...org.state.integrations.keys()]).toEqual([installed?.id]);
    const credentials = [...org.state.credentials.values()];
    // Found once listed, by its marker: Prepare waited for it rather than decide to install another; the
    // re-run then configured and enabled it, as the stopped run would have.
    expect(resultOf(rerun).changed.integration).toEqual([
      `Integration ${installed?.id}: found by its ownership marker (the stored record did not name it)`,
      `Integration ${installed?.id}: configured with credential ${credentials[0]?.id} (was none)`,
      `Integration ${installed?.id}: enabled (was DISABLED)`,
    ]);
    expect(credentials.map((c) => c.name)).toEqual([credentialName(installed?.id as string)]);
    expect(await org.resultSecret()).toMatchObject({
      integrationId: installed?.id,
      credentialId: credentials[0]?.id,
    });
    expect(org.state.integrations.get(installed?.id as string)?.config.notes).toContain(OWNERSHIP_MARKER);
  }, 90_000);

  it('a retry of EnsureIntegration takes no unconfigured integration of the name while another run’s intent holds', async () => {
    const org = await world.newOrg();
    const deps = world.deps();
    const request = parseOnboardingRequest(org.request(), { secretPrefix: PREFIX });
    const racing = await prepare(request, deps);
    const ours = await prepare(request, deps);
    expect([racing.found.integration, ours.found.integration]).toEqual([
      { action: 'create' },
      { action: 'create' },
    ]);
    // The racing run announced its install first and made its integration, not marked or configured yet.
    await ensureOAuthClient(racing, deps);
    const { client } = await openBootstrapSession(deps, racing);
    const theirs = await client.integrations.create({
      name: racing.integration.name,
      integrationType: { id: 'purecloud-data-actions' },
    });
    await new Promise((resolve) => setTimeout(resolve, INTEGRATION_LISTING_LAG_MS + 100));

    const before = world.simulator.requestLog.length;
    await expect(
      ensureIntegration({ plan: ours, attempt: { retryCount: 1, redriveCount: 0 } }, deps),
    ).rejects.toMatchObject({ name: ONBOARDING_ERRORS.concurrentRun });
    expect(org.writesSince(before)).toEqual([]);
    expect([...org.state.integrations.keys()]).toEqual([theirs.id]);
    expect(org.state.integrations.get(theirs.id)?.config.notes).toBe('');
  }, 60_000);
});

describe('onboarding: Prepare reads the record before it lists the integrations', () => {
  let world: WorkflowWorld;

  beforeAll(async () => {
    world = await WorkflowWorld.start(
      {},
      { clientListingGraceMs: 8_000, clientCreationWatchMs: 1_500, readAfterCreateMs: 3_000 },
    );
  });
  afterAll(() => world.stop());

  it('takes no integration as unconfigured that a run announced after that read and installed before the listing', async () => {
    const org = await world.newOrg();
    const deps = world.deps();
    const request = parseOnboardingRequest(org.request(), { secretPrefix: PREFIX });
    const racing = await prepare(request, deps);
    expect(racing.found.integration).toEqual({ action: 'create' });
    let raced = false;
    // The racing run writes its intent and installs its integration (not marked yet) between this Prepare's
    // read of the record and its listing of the integrations: two runs started a moment apart.
    const interleaved = {
      ...deps,
      secrets: Object.assign(Object.create(deps.secrets) as typeof deps.secrets, {
        get: async (...args: Parameters<typeof deps.secrets.get>) => {
          const read = await deps.secrets.get(...args);
          if (!raced && args[0] === racing.resultSecretId) {
            raced = true;
            await ensureOAuthClient(racing, deps);
            const { client } = await openBootstrapSession(deps, racing);
            await client.integrations.create({
              name: racing.integration.name,
              integrationType: { id: 'purecloud-data-actions' },
            });
          }
          return read;
        },
      }),
    };
    const outcome = await prepare(request, interleaved).then(
      (plan) => plan.found.integration,
      (error: Error) => error.name,
    );
    expect(raced).toBe(true);
    // The racing run's, not an unconfigured one to adopt and give a second credential: Prepare waits for that
    // run to mark it (Onboarding.ClientCreationPending, retried by the state machine).
    expect(outcome).toBe(ONBOARDING_ERRORS.clientCreationPending);
  }, 60_000);

  it('a run rolled back after installing the integration drops its intent, so a re-run does not wait for that integration', async () => {
    const org = await world.newOrg();
    expect((await org.run(org.request())).status).toBe('SUCCEEDED');
    // The integration and its credential deleted by hand: the record names a client and a gone integration.
    org.state.integrations.clear();
    org.state.credentials.clear();
    world.simulator.injectFault({
      method: 'POST',
      path: '/api/v2/integrations/credentials',
      fault: { kind: 'status', status: 400 },
    });
    const failed = await org.run(org.request({ idempotencyKey: 'rolled-back' }));
    expect(failed.status).toBe('FAILED');
    expect(org.state.integrations.size).toBe(0);
    const record = await org.resultSecret();
    expect(record).toHaveProperty('clientId');
    expect(record).not.toHaveProperty('integrationCreation');
  }, 60_000);

  // Known bug: the intent is written with a plain put when the record exists (a client is recorded, its
  // integration is not, or is gone), so of two runs that both read the record before either wrote, the later
  // write replaces the earlier. A run whose EnsureIntegration read the record between the two writes installs,
  // and so does the other, whose EnsureIntegration read it only after its own write (it reads every second
  // after the first): two integrations, one recorded, the other left with its credential.
  it.failing('two runs of an org whose record names no integration, which both read the record before either announced its install, leave one integration', async () => {
    const org = await world.newOrg();
    const onboarded = await org.run(org.request());
    expect(onboarded.status).toBe('SUCCEEDED');
    // The integration and its credential deleted by hand: the record names a client and a gone integration.
    org.state.integrations.clear();
    org.state.credentials.clear();
    const deps = world.deps();
    const request = parseOnboardingRequest(org.request(), { secretPrefix: PREFIX });
    const first = await prepare(request, deps);
    const second = await prepare(request, deps);
    expect([first.found.integration, second.found.integration]).toEqual([
      { action: 'create' },
      { action: 'create' },
    ]);
    const readBeforeEitherWrote = await deps.secrets.get(first.resultSecretId);
    const firstAttempt = { retryCount: 0, redriveCount: 0 };
    await ensureOAuthClient(first, deps);
    await ensureIntegration({ plan: first, attempt: firstAttempt }, deps);
    expect(org.state.integrations.size).toBe(1);
    // The second run's read of the record came before the first run's write of its intent.
    let reads = 0;
    const staleRead = {
      ...deps,
      secrets: Object.assign(Object.create(deps.secrets) as typeof deps.secrets, {
        get: async (...args: Parameters<typeof deps.secrets.get>) =>
          args[0] === second.resultSecretId && reads++ === 0
            ? readBeforeEitherWrote
            : deps.secrets.get(...args),
      }),
    };
    const outcome = await ensureOAuthClient(second, staleRead)
      .then(() => ensureIntegration({ plan: second, attempt: firstAttempt }, deps))
      .then(
        () => 'installed',
        (error: Error) => error.name,
      );
    expect(org.state.integrations.size).toBe(1);
    expect(outcome).toBe(ONBOARDING_ERRORS.concurrentRun);
  }, 60_000);
});
