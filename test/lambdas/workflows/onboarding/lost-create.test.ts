import { GenesysApiError } from '../../../../lambdas/genesys/errors';
import { DEFAULT_CONSISTENCY, type StepDeps } from '../../../../lambdas/shared/deps';
import { createOrFindLost } from '../../../../lambdas/workflows/onboarding/lost-create';
import { FakeClock } from '../../genesys/fake-api';

const LAG_MS = 5_000;

function depsWith(clock: FakeClock): StepDeps {
  return {
    secrets: undefined as never,
    genesys: undefined as never,
    settings: {
      secretPrefix: 'genesys-onboarding',
      maxVerifyAttempts: 30,
      consistency: { ...DEFAULT_CONSISTENCY, integrationListingLagMs: LAG_MS },
    },
    clock,
  };
}

const failure = (kind: 'transient' | 'bad-request' | 'rate-limited', status: number) =>
  new GenesysApiError({ kind, status, method: 'POST', path: '/api/v2/integrations', code: 'x' });

describe('createOrFindLost', () => {
  it('returns what the create made, and looks for nothing', async () => {
    const clock = new FakeClock();
    const findLost = jest.fn();
    const outcome = await createOrFindLost(depsWith(clock), async () => ({ id: 'new' }), findLost);
    expect(outcome).toEqual({ resource: { id: 'new' }, found: false });
    expect(findLost).not.toHaveBeenCalled();
  });

  it('finds what a create whose answer was lost made, allowing for a listing that lags', async () => {
    const clock = new FakeClock();
    let looks = 0;
    const outcome = await createOrFindLost(
      depsWith(clock),
      () => Promise.reject(failure('transient', 0)),
      async () => (++looks === 3 ? { id: 'made-anyway' } : undefined),
    );
    expect(outcome).toEqual({ resource: { id: 'made-anyway' }, found: true });
    expect(clock.sleeps).toEqual([1_000, 1_000]);
  });

  it("throws the create's error when nothing turns up within the listing lag", async () => {
    const clock = new FakeClock();
    const started = clock.now();
    const lost = failure('transient', 502);
    const findLost = jest.fn(async () => undefined);
    await expect(createOrFindLost(depsWith(clock), () => Promise.reject(lost), findLost)).rejects.toBe(lost);
    expect(clock.now() - started).toBe(LAG_MS);
    expect(findLost).toHaveBeenCalledTimes(6);
  });

  it.each([
    ['a refusal', failure('bad-request', 400)],
    ['a rate limit (the create was not processed)', failure('rate-limited', 429)],
    ['an error of ours', new Error('bug')],
  ])('throws %s at once, without looking', async (_, error) => {
    const findLost = jest.fn();
    await expect(
      createOrFindLost(depsWith(new FakeClock()), () => Promise.reject(error), findLost),
    ).rejects.toBe(error);
    expect(findLost).not.toHaveBeenCalled();
  });
});
