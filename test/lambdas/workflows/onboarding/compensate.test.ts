import { ONBOARDING_ERRORS } from '../../../../lambdas/shared/errors';
import { SECRET_STORE_TRANSIENT, SecretStoreUnavailableError } from '../../../../lambdas/shared/secret-store';
import type { WorkflowState } from '../../../../lambdas/workflows/onboarding/state';
import { compensate } from '../../../../lambdas/workflows/onboarding/steps/compensate';
import { storeWith } from '../../../support/stores';
import { FakeClock } from '../../genesys/fake-api';
import { samplePlan, stepDeps, temporaryStore } from './sample-plan';

/** Compensate after a run whose client branch failed: the creation intent it may have left in the record. */
describe('compensate after a failed client branch', () => {
  const { store, remove } = temporaryStore();
  afterAll(remove);
  const plan = samplePlan();
  const intent = (runId: string | undefined) =>
    JSON.stringify({
      orgId: plan.orgId,
      region: plan.region,
      oauthClientName: plan.oauthClient.name,
      creatingSince: '2026-11-30T10:00:00.000Z',
      ...(runId ? { runId } : {}),
    });
  const earlierRecord = JSON.stringify({
    clientId: 'c0ffee00-0000-4000-8000-000000000001',
    clientSecret: 'an-earlier-runs-secret-0123456789',
    orgId: plan.orgId,
    region: plan.region,
    oauthClientName: plan.oauthClient.name,
  });
  /**
   * The run failed in EnsureOAuthClient with `error` (none: a failure without a name); EnsureIntegration used
   * an integration it did not create.
   */
  const failedWith = (error: string | undefined): WorkflowState => ({
    plan,
    provisioned: [
      { failed: true, error: { ...(error === undefined ? {} : { Error: error }), Cause: 'what went wrong' } },
      {
        integrationId: 'a1b2c3d4-0000-4000-8000-000000000002',
        integrationCreated: false,
        credentialByName: true,
        rename: false,
        changes: [],
        intendedState: 'ENABLED',
      },
    ],
  });
  const record = async (value: string) => (await store.put({ name: plan.resultSecretId, value })).arn;
  const stored = async () => (await store.get(plan.resultSecretId))?.value;

  it.each([
    ['a refused create', 'Genesys.BadRequest'],
    ['a client secret that could not be stored (the new client removed again)', 'AccessDeniedException'],
    ['a name taken meanwhile', ONBOARDING_ERRORS.nameTaken],
  ])("removes this run's creation intent after %s", async (_, error) => {
    const arn = await record(intent(plan.runId));
    const outcome = await compensate(failedWith(error), stepDeps(store, new FakeClock()));
    expect(await stored()).toBeUndefined();
    expect(outcome).toEqual({
      error,
      cause: 'what went wrong',
      rolledBack: [`secret ${arn} (this run's creation intent)`],
      leftBehind: [],
    });
  });

  it.each([
    'Genesys.Transient',
    'Genesys.RateLimited',
    SECRET_STORE_TRANSIENT,
    ONBOARDING_ERRORS.clientCreationPending,
    'States.Timeout',
    'Sandbox.Timedout',
    'Lambda.ServiceException',
  ])(
    "keeps this run's creation intent after %s (its last create may have made a client), and says so",
    async (error) => {
      const value = intent(plan.runId);
      const arn = await record(value);
      const outcome = await compensate(failedWith(error), stepDeps(store, new FakeClock()));
      expect(await stored()).toBe(value);
      expect(outcome.rolledBack).toEqual([]);
      expect(outcome.leftBehind).toEqual([
        `this run's creation intent in secret ${arn}, kept: whether its last OAuth client create took effect is unknown (${error}); the next run waits out the listing grace, then uses that client or creates one`,
      ]);
    },
  );

  it("keeps this run's creation intent after a branch failure without an error name, and says so", async () => {
    const value = intent(plan.runId);
    const arn = await record(value);
    const outcome = await compensate(failedWith(undefined), stepDeps(store, new FakeClock()));
    expect(await stored()).toBe(value);
    expect(outcome.leftBehind).toEqual([
      `this run's creation intent in secret ${arn}, kept: whether its last OAuth client create took effect is unknown (no error name); the next run waits out the listing grace, then uses that client or creates one`,
    ]);
  });

  it.each([
    ["another run's creation intent", intent('another-run')],
    ['a creation intent written before runs had ids', intent(undefined)],
    ["an earlier run's complete record", earlierRecord],
  ])('never removes %s', async (_, value) => {
    await record(value);
    const outcome = await compensate(failedWith('Genesys.BadRequest'), stepDeps(store, new FakeClock()));
    expect(await stored()).toBe(value);
    expect(outcome).toMatchObject({ rolledBack: [], leftBehind: [] });
  });

  it('throws a throttled delete, so that the state machine runs Compensate again', async () => {
    await record(intent(plan.runId));
    const throttled = new SecretStoreUnavailableError(
      'Secrets Manager DeleteSecret failed and may work again: ThrottlingException: Rate exceeded',
    );
    const deps = stepDeps(storeWith(store, { delete: () => Promise.reject(throttled) }), new FakeClock());
    await expect(compensate(failedWith('Genesys.BadRequest'), deps)).rejects.toBe(throttled);
    expect(await stored()).toBe(intent(plan.runId));
  });

  it('reports a delete that is refused for good in leftBehind', async () => {
    const arn = await record(intent(plan.runId));
    const denied = Object.assign(new Error('not authorized to perform: secretsmanager:DeleteSecret'), {
      name: 'AccessDeniedException',
    });
    const deps = stepDeps(storeWith(store, { delete: () => Promise.reject(denied) }), new FakeClock());
    const outcome = await compensate(failedWith('Genesys.BadRequest'), deps);
    expect(outcome.leftBehind).toEqual([
      `secret ${arn} (this run's creation intent): not authorized to perform: secretsmanager:DeleteSecret`,
    ]);
  });
});
