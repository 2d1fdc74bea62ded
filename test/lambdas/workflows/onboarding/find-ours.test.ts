import { ONBOARDING_ERRORS } from '../../../../lambdas/shared/errors';
import { withMarker } from '../../../../lambdas/shared/ownership';
import { readResultRecord } from '../../../../lambdas/shared/secrets';
import { findOurClient } from '../../../../lambdas/workflows/onboarding/find-ours';
import { FakeApi, FakeClock, fakeClient, json } from '../../genesys/fake-api';
import { samplePlan, stepDeps, temporaryStore } from './sample-plan';

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
