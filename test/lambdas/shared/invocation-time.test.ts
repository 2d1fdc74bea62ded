import { ONBOARDING_ERRORS } from '../../../lambdas/shared/errors';
import {
  ensureTimeFor,
  GENESYS_CALL_WORST_CASE_MS,
  INVOCATION_END_RESERVE_MS,
  latestStartLeaving,
} from '../../../lambdas/shared/invocation-time';
import { FakeStepClock, START_TIME } from '../../support/step-deps';

describe('the time left in an invocation', () => {
  it('gives a Genesys call 105 s: its retry budget, then one last attempt', () => {
    expect(GENESYS_CALL_WORST_CASE_MS).toBe(105_000);
    expect(INVOCATION_END_RESERVE_MS).toBe(10_000);
  });

  it('leaves each call its whole budget and the reserve before the invocation ends', () => {
    const invocationEndsAt = START_TIME + 890_000;
    expect(latestStartLeaving({ invocationEndsAt }, 3)).toBe(START_TIME + 890_000 - 315_000 - 10_000);
    expect(latestStartLeaving({ invocationEndsAt }, 0)).toBe(START_TIME + 880_000);
  });

  it('sets no bound when the invocation has no end (local runs)', () => {
    expect(latestStartLeaving({}, 8)).toBe(Number.POSITIVE_INFINITY);
    const clock = new FakeStepClock();
    clock.advance(10 ** 12);
    expect(() => ensureTimeFor({ clock }, 8, 'read it', 60_000)).not.toThrow();
  });

  it('lets a call and its waits start while they fit, up to the last millisecond', () => {
    const clock = new FakeStepClock();
    const invocationEndsAt = START_TIME + 105_000 + 10_000 + 15_000;
    expect(() => ensureTimeFor({ clock, invocationEndsAt }, 1, 'read it', 15_000)).not.toThrow();
    clock.advance(1);
    const error = (() => {
      try {
        ensureTimeFor({ clock, invocationEndsAt }, 1, 'read credential c-1 by id', 15_000);
      } catch (thrown) {
        return thrown as Error;
      }
      throw new Error('no error');
    })();
    expect(error.name).toBe(ONBOARDING_ERRORS.outOfTime);
    expect(error.message).toBe(
      '129 s left in this invocation, too little to read credential c-1 by id (1 Genesys call(s) of up to 105 s each, 15 s of waits): running the step again continues',
    );
  });

  it('says 0 s left once the invocation has ended, and names no waits when there are none', () => {
    const clock = new FakeStepClock();
    expect(() => ensureTimeFor({ clock, invocationEndsAt: START_TIME - 5_000 }, 2, 'update it')).toThrow(
      '0 s left in this invocation, too little to update it (2 Genesys call(s) of up to 105 s each): running the step again continues',
    );
  });
});
