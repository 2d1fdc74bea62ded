import { credentialName } from '../../lambdas/shared/naming';
import { OWNERSHIP_MARKER } from '../../lambdas/shared/ownership';
import { WorkflowWorld } from '../support/workflow';

/**
 * Two different requests of one fresh org, the second started while the first's new integration does not carry
 * the ownership marker yet (README, Known limits, before the integration creation intent): the second used to
 * take that integration over as "adopted: it had no credential configured" and make a credential of its own
 * beside the first run's. Now the first run's intent to install it is in the org's result secret before the
 * create: the second waits for it (Prepare) or installs none (`Onboarding.ConcurrentRun`, then a re-run
 * succeeds). Found by `genesys-onboard onboard` runs with different --idempotency-key at once.
 */
describe('two onboardings of a fresh org, the second started before the first marked its integration', () => {
  let world: WorkflowWorld;

  beforeAll(async () => {
    world = await WorkflowWorld.start({ readAfterCreateNotFoundMs: 1_000, oauthClientListingLagMs: 2_000 });
  });
  afterAll(() => world.stop());

  it('ends with one integration, created by this tool, one credential, and the record naming them', async () => {
    const org = await world.newOrg();
    // The first run's marker write (its first config PUT) comes 3 s late, so the second run's Prepare surely
    // lists the new integration unmarked and unconfigured.
    world.simulator.injectFault({
      method: 'PUT',
      path: '/api/v2/integrations/{integrationId}/config/current',
      fault: { kind: 'delay', delayMs: 3_000 },
      times: 1,
    });
    const first = org.run(org.request({ idempotencyKey: 'race-a' }));
    const since = Date.now();
    while (
      !world.simulator.requestLog.some(
        (e) => e.orgId === org.id && e.method === 'POST' && e.path === '/api/v2/integrations',
      )
    ) {
      if (Date.now() - since > 20_000) throw new Error('the first run never created its integration');
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const second = org.run(org.request({ idempotencyKey: 'race-b' }));
    const executions = await Promise.all([first, second]);
    const outcomes = executions.map((e) => `${e.status} ${e.error ?? ''}`.trim());
    expect(outcomes[0]).toBe('SUCCEEDED');
    // The second started after the first announced and installed its integration: its Prepare waited for the
    // first's integration to be marked and used it (installing none, so never Onboarding.ConcurrentRun).
    expect(outcomes[1]).toBe('SUCCEEDED');

    const integrations = [...org.state.integrations.values()];
    expect(integrations).toHaveLength(1);
    const [integration] = integrations;
    const credentials = [...org.state.credentials.values()];
    expect(credentials).toHaveLength(1);
    const [credential] = credentials;
    expect(credential?.name).toBe(credentialName(integration?.id as string));
    expect(integration?.config.notes).toContain(OWNERSHIP_MARKER);
    expect(integration?.config.credentials.pureCloudOAuthClient?.id).toBe(credential?.id);
    const record = await org.resultSecret();
    expect(record).toMatchObject({ integrationId: integration?.id, credentialId: credential?.id });
    // Created by this tool, so offboarding deletes it; the intent is settled.
    expect(record?.integrationAdopted).not.toBe(true);
    expect(record).not.toHaveProperty('integrationCreation');
  }, 90_000);
});
