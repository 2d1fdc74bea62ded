/**
 * Time for the client: every wait and every deadline goes through a `Clock`, so tests inject one that
 * advances when it sleeps and nothing waits for real.
 */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  sleep(ms: number): Promise<void>;
  /** A number in [0, 1), for jitter. */
  random(): number;
}

export const systemClock: Clock = Object.freeze({
  now: () => Date.now(),
  sleep: (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
  random: () => Math.random(),
});

/**
 * A bounded retry schedule: exponential backoff from `baseDelayMs`, doubling up to `maxDelayMs`, for as long
 * as the next wait still ends inside `windowMs` (counted from the first attempt) and at most `maxAttempts`
 * attempts. `full` jitter waits random × step; `equal` jitter waits step/2 + random × step/2, so every wait
 * moves time on.
 */
export interface RetryWindow {
  readonly windowMs: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  readonly maxAttempts: number;
  readonly jitter: 'full' | 'equal';
}

/** The wait before retry number `retry` (1 = the first retry), in ms. */
export function backoffDelay(
  retry: number,
  window: Pick<RetryWindow, 'baseDelayMs' | 'maxDelayMs' | 'jitter'>,
  random: () => number,
): number {
  const step = Math.min(window.maxDelayMs, window.baseDelayMs * 2 ** (retry - 1));
  const wait = window.jitter === 'full' ? random() * step : step / 2 + (random() * step) / 2;
  return Math.round(wait);
}

/**
 * Runs `attempt` until it succeeds, retrying while `shouldRetry(error)` holds and `window` allows; then
 * rethrows the last error unchanged.
 */
export async function retryWithin<T>(
  clock: Clock,
  window: RetryWindow,
  shouldRetry: (error: unknown) => boolean,
  attempt: () => Promise<T>,
): Promise<T> {
  const started = clock.now();
  for (let count = 1; ; count++) {
    try {
      return await attempt();
    } catch (error) {
      if (!shouldRetry(error) || count >= window.maxAttempts) throw error;
      const delayMs = backoffDelay(count, window, clock.random);
      if (clock.now() - started + delayMs > window.windowMs) throw error;
      await clock.sleep(delayMs);
    }
  }
}

/**
 * Calls `check` until it answers true, waiting with equal-jitter backoff between calls.
 * Resolves true when `check` did, false when `timeoutMs` ran out first.
 */
export async function pollUntil(
  clock: Clock,
  schedule: { readonly timeoutMs: number; readonly baseDelayMs: number; readonly maxDelayMs: number },
  check: () => Promise<boolean>,
): Promise<boolean> {
  const started = clock.now();
  for (let poll = 1; ; poll++) {
    if (await check()) return true;
    const delayMs = Math.max(1, backoffDelay(poll, { ...schedule, jitter: 'equal' }, clock.random));
    if (clock.now() - started + delayMs > schedule.timeoutMs) return false;
    await clock.sleep(delayMs);
  }
}
