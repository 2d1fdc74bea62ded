import { STEP_ERROR_NAMES } from '../../../lambdas/genesys/errors';
import {
  rateLimitRetry,
  TASK_TIMEOUT,
  TRANSIENT_ERRORS,
  transientRetry,
} from '../../../lib/constructs/state-machine-defaults';

describe('state machine defaults', () => {
  it('retries Genesys rate limits longer than transient failures', () => {
    expect(rateLimitRetry()).toMatchObject({ errors: [STEP_ERROR_NAMES['rate-limited']], maxAttempts: 5 });
    expect(rateLimitRetry().interval?.toSeconds()).toBe(10);
    expect(rateLimitRetry().maxDelay?.toSeconds()).toBe(120);
    expect(transientRetry().interval?.toSeconds()).toBe(2);
    expect(transientRetry().maxAttempts).toBe(4);
  });

  it('treats Genesys transient errors, Lambda service errors and dead functions as transient', () => {
    expect(TRANSIENT_ERRORS).toEqual(
      expect.arrayContaining([
        STEP_ERROR_NAMES.transient,
        'Lambda.ServiceException',
        'Lambda.Unknown',
        'Sandbox.Timedout',
      ]),
    );
    expect(transientRetry().errors).toEqual([...TRANSIENT_ERRORS]);
    expect(TRANSIENT_ERRORS).not.toContain(STEP_ERROR_NAMES['bad-request']);
  });

  it('gives a task three minutes', () => {
    expect(TASK_TIMEOUT.toSeconds()).toBe(180);
  });
});
