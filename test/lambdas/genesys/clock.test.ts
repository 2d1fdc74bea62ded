import { backoffDelay, pollUntil, retryWithin, systemClock } from '../../../lambdas/genesys/clock';
import { FakeClock } from './fake-api';

describe('backoffDelay', () => {
  const window = { baseDelayMs: 100, maxDelayMs: 350 };

  it('doubles the step up to the maximum; full jitter scales the whole step', () => {
    expect([1, 2, 3, 4].map((n) => backoffDelay(n, { ...window, jitter: 'full' }, () => 0.5))).toEqual([
      50, 100, 175, 175,
    ]);
    expect(backoffDelay(3, { ...window, jitter: 'full' }, () => 0)).toBe(0);
  });

  it('equal jitter keeps at least half the step', () => {
    expect([1, 2, 3].map((n) => backoffDelay(n, { ...window, jitter: 'equal' }, () => 0))).toEqual([
      50, 100, 175,
    ]);
    expect(backoffDelay(1, { ...window, jitter: 'equal' }, () => 0.999)).toBe(100);
  });
});

describe('retryWithin', () => {
  const window = {
    windowMs: 1000,
    baseDelayMs: 100,
    maxDelayMs: 400,
    maxAttempts: 10,
    jitter: 'equal' as const,
  };

  it('retries what shouldRetry accepts until it succeeds', async () => {
    const clock = new FakeClock();
    let attempts = 0;
    const result = await retryWithin(
      clock,
      window,
      (e) => e === 'again',
      async () => {
        attempts++;
        if (attempts < 3) throw 'again';
        return 'done';
      },
    );
    expect(result).toBe('done');
    expect(clock.sleeps).toEqual([75, 150]);
  });

  it('retries when the wait ends exactly at the end of the window', async () => {
    const clock = new FakeClock();
    let attempts = 0;
    const result = await retryWithin(
      clock,
      { ...window, windowMs: 75 },
      () => true,
      async () => {
        attempts++;
        if (attempts < 2) throw new Error('again');
        return 'done';
      },
    );
    expect(result).toBe('done');
    expect(clock.sleeps).toEqual([75]);
  });

  it('rethrows at once what shouldRetry refuses', async () => {
    const clock = new FakeClock();
    await expect(
      retryWithin(
        clock,
        window,
        () => false,
        async () => Promise.reject(new Error('no')),
      ),
    ).rejects.toThrow('no');
    expect(clock.sleeps).toEqual([]);
  });

  it('rethrows the last error when the next wait would end past the window', async () => {
    const clock = new FakeClock();
    let attempts = 0;
    const failing = async () => {
      attempts++;
      throw new Error(`attempt ${attempts}`);
    };
    await expect(retryWithin(clock, window, () => true, failing)).rejects.toThrow('attempt 5');
    // 75 + 150 + 300 + 300 = 825; one more wait of 300 would end at 1125 > 1000.
    expect(clock.sleeps).toEqual([75, 150, 300, 300]);
  });

  it('stops after maxAttempts', async () => {
    const clock = new FakeClock();
    clock.randomValue = 0;
    let attempts = 0;
    await expect(
      retryWithin(
        clock,
        { ...window, jitter: 'full', maxAttempts: 3 },
        () => true,
        async () => {
          attempts++;
          throw new Error('x');
        },
      ),
    ).rejects.toThrow('x');
    expect(attempts).toBe(3);
  });
});

describe('pollUntil', () => {
  it('polls with growing waits until the check holds', async () => {
    const clock = new FakeClock();
    let polls = 0;
    const done = await pollUntil(
      clock,
      { timeoutMs: 10_000, baseDelayMs: 100, maxDelayMs: 300 },
      async () => {
        polls++;
        return polls === 4;
      },
    );
    expect(done).toBe(true);
    expect(clock.sleeps).toEqual([75, 150, 225]);
  });

  it('answers false when the timeout runs out', async () => {
    const clock = new FakeClock();
    const done = await pollUntil(
      clock,
      { timeoutMs: 500, baseDelayMs: 100, maxDelayMs: 200 },
      async () => false,
    );
    expect(done).toBe(false);
    expect(clock.sleeps).toEqual([75, 150, 150]);
  });

  it('moves time on even with zero delays configured', async () => {
    const clock = new FakeClock();
    const done = await pollUntil(clock, { timeoutMs: 3, baseDelayMs: 0, maxDelayMs: 0 }, async () => false);
    expect(done).toBe(false);
    expect(clock.sleeps).toEqual([1, 1, 1]);
  });
});

describe('systemClock', () => {
  it('tells the time, sleeps for real and draws numbers in [0, 1)', async () => {
    const before = Date.now();
    await systemClock.sleep(5);
    expect(systemClock.now()).toBeGreaterThanOrEqual(before + 4);
    const value = systemClock.random();
    expect(value).toBeGreaterThanOrEqual(0);
    expect(value).toBeLessThan(1);
  });
});
