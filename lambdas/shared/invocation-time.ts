import { DEFAULT_RETRY_POLICY } from '../genesys/http';
import { type StepDeps, SYSTEM_CLOCK } from './deps';
import { ONBOARDING_ERRORS, OnboardingError } from './errors';

/**
 * The longest one Genesys call can take with the retry policy the step functions run with
 * (`DEFAULT_RETRY_POLICY`): the client stops retrying when the next wait would end after `totalBudgetMs`
 * (90 s), but the attempt it started just before may still run for `attemptTimeoutMs` (15 s): 105 s.
 */
export const GENESYS_CALL_WORST_CASE_MS =
  DEFAULT_RETRY_POLICY.totalBudgetMs + DEFAULT_RETRY_POLICY.attemptTimeoutMs;

/**
 * What an invocation keeps, in ms, for its work besides Genesys calls after the point it checks its time at:
 * Secrets Manager reads and writes, and returning its answer.
 */
export const INVOCATION_END_RESERVE_MS = 10_000;

/**
 * The latest moment (ms since the epoch on `deps.clock`) at which a step may still begin something and
 * leave time for `genesysCalls` more Genesys calls one after the other, each using its whole budget
 * (`GENESYS_CALL_WORST_CASE_MS`), plus `INVOCATION_END_RESERVE_MS`, before the invocation is stopped
 * (`deps.invocationEndsAt`). `Infinity` when the invocation has no end set (local runs).
 */
export function latestStartLeaving(deps: Pick<StepDeps, 'invocationEndsAt'>, genesysCalls: number): number {
  if (deps.invocationEndsAt === undefined) return Number.POSITIVE_INFINITY;
  return deps.invocationEndsAt - genesysCalls * GENESYS_CALL_WORST_CASE_MS - INVOCATION_END_RESERVE_MS;
}

/**
 * Throws `Onboarding.OutOfTime` (retried by the state machines, as a Lambda timeout is, but named and before
 * the function is stopped) when `genesysCalls` more Genesys calls (`latestStartLeaving`), and `waitingMs`
 * besides (their own waits, e.g. a 404 retry window), may not fit in what is left of this invocation; `next`
 * says what the step was about to do, for the message. Does nothing when the invocation has no end set.
 */
export function ensureTimeFor(
  deps: Pick<StepDeps, 'invocationEndsAt' | 'clock'>,
  genesysCalls: number,
  next: string,
  waitingMs = 0,
): void {
  const now = (deps.clock ?? SYSTEM_CLOCK).now();
  if (now + waitingMs <= latestStartLeaving(deps, genesysCalls)) return;
  const leftSeconds = Math.max(0, Math.floor(((deps.invocationEndsAt ?? now) - now) / 1000));
  throw new OnboardingError(
    ONBOARDING_ERRORS.outOfTime,
    `${leftSeconds} s left in this invocation, too little to ${next} (${genesysCalls} Genesys call(s) of up to ${GENESYS_CALL_WORST_CASE_MS / 1000} s each${waitingMs > 0 ? `, ${Math.ceil(waitingMs / 1000)} s of waits` : ''}): running the step again continues`,
  );
}
