import { Duration } from 'aws-cdk-lib';
import { STEP_ERROR_NAMES } from '../../../lambdas/genesys/errors';
import { DEFAULT_RETRY_POLICY } from '../../../lambdas/genesys/http';
import { ONBOARDING_ERRORS } from '../../../lambdas/shared/errors';
import { SECRET_STORE_TRANSIENT } from '../../../lambdas/shared/secret-store';
import {
  clientCreationPendingRetry,
  creatorSecretPendingRetry,
  GENESYS_CALL_WORST_CASE,
  rateLimitRetry,
  STEP_OVERHEAD,
  stepTimeout,
  TRANSIENT_ERRORS,
  taskTimeoutFor,
  transientRetry,
} from '../../../lib/constructs/state-machine-defaults';
import { StepFunction } from '../../../lib/constructs/step-function';
import { emptyStack } from '../../support/stack';

describe('state machine defaults', () => {
  it('retries Genesys rate limits longer than transient failures', () => {
    expect(rateLimitRetry()).toMatchObject({ errors: [STEP_ERROR_NAMES['rate-limited']], maxAttempts: 5 });
    expect(rateLimitRetry().interval?.toSeconds()).toBe(10);
    expect(rateLimitRetry().maxDelay?.toSeconds()).toBe(120);
    expect(transientRetry().interval?.toSeconds()).toBe(2);
    expect(transientRetry().maxAttempts).toBe(4);
  });

  it('treats Genesys and secret store transient errors, Lambda service errors and dead functions as transient', () => {
    expect(TRANSIENT_ERRORS).toEqual(
      expect.arrayContaining([
        STEP_ERROR_NAMES.transient,
        SECRET_STORE_TRANSIENT,
        ONBOARDING_ERRORS.outOfTime,
        'Lambda.ServiceException',
        'Lambda.Unknown',
        'Sandbox.Timedout',
      ]),
    );
    expect(transientRetry().errors).toEqual([...TRANSIENT_ERRORS]);
    expect(TRANSIENT_ERRORS).not.toContain(STEP_ERROR_NAMES['bad-request']);
  });

  it("takes a Genesys call's worst case from the client's retry policy: its 90 s budget, then one last 15 s attempt", () => {
    expect(GENESYS_CALL_WORST_CASE.toSeconds()).toBe(
      (DEFAULT_RETRY_POLICY.totalBudgetMs + DEFAULT_RETRY_POLICY.attemptTimeoutMs) / 1000,
    );
    expect(GENESYS_CALL_WORST_CASE.toSeconds()).toBe(105);
    expect(STEP_OVERHEAD.toSeconds()).toBe(30);
  });

  it('gives a step each of its sequential Genesys calls in full, plus the overhead, up to what Lambda allows', () => {
    expect(stepTimeout(0).toSeconds()).toBe(30);
    expect(stepTimeout(2).toSeconds()).toBe(240);
    expect(stepTimeout(8).toSeconds()).toBe(870);
    expect(() => stepTimeout(9)).toThrow(
      "A step of 9 sequential Genesys calls and 0 s of waits needs 975 s, more than Lambda's 900 s",
    );
    expect(() => stepTimeout(-1)).toThrow(/whole number of Genesys calls, got -1/);
    expect(() => stepTimeout(1.5)).toThrow(/whole number of Genesys calls, got 1.5/);
  });

  it('adds the waits a step makes on purpose, in whole seconds rounded up, within what Lambda allows', () => {
    expect(stepTimeout(8, Duration.seconds(20)).toSeconds()).toBe(890);
    expect(stepTimeout(4, Duration.millis(15_000)).toSeconds()).toBe(465);
    expect(stepTimeout(0, Duration.millis(1_500)).toSeconds()).toBe(32);
    expect(() => stepTimeout(8, Duration.seconds(31))).toThrow(
      "A step of 8 sequential Genesys calls and 31 s of waits needs 901 s, more than Lambda's 900 s",
    );
  });

  it('retries a pending client creation until the watches of the attempts cover the listing grace', () => {
    expect(clientCreationPendingRetry()).toMatchObject({
      errors: [ONBOARDING_ERRORS.clientCreationPending],
      maxAttempts: 4,
      backoffRate: 1,
    });
    expect(clientCreationPendingRetry().interval?.toSeconds()).toBe(2);
    expect(
      clientCreationPendingRetry({ clientListingGraceMs: 60_000, clientCreationWatchMs: 7_000 }).maxAttempts,
    ).toBe(10);
    expect(
      clientCreationPendingRetry({ clientListingGraceMs: 1_000, clientCreationWatchMs: 1_000 }).maxAttempts,
    ).toBe(2);
  });

  it('retries EnsureOAuthClient’s pending creation until the watches cover the grace and the creator’s store wait', () => {
    expect(creatorSecretPendingRetry()).toMatchObject({
      errors: [ONBOARDING_ERRORS.clientCreationPending],
      maxAttempts: 6,
      backoffRate: 1,
    });
    expect(creatorSecretPendingRetry().interval?.toSeconds()).toBe(2);
    expect(
      creatorSecretPendingRetry({
        clientListingGraceMs: 60_000,
        clientCreationWatchMs: 7_000,
        creatorSecretStoreMs: 10_000,
      }).maxAttempts,
    ).toBe(11);
    expect(
      creatorSecretPendingRetry({
        clientListingGraceMs: 1_000,
        clientCreationWatchMs: 1_000,
        creatorSecretStoreMs: 500,
      }).maxAttempts,
    ).toBe(3);
  });

  it("gives a task 30 s more than its function's timeout (Lambda's 3 s default when unset)", () => {
    const stack = emptyStack();
    const timed = new StepFunction(stack, 'Timed', {
      handler: 'onboarding/prepare',
      logRetention: 30,
      timeout: Duration.seconds(240),
    });
    expect(taskTimeoutFor(timed).toSeconds()).toBe(270);
    const untimed = { timeout: undefined } as unknown as StepFunction;
    expect(taskTimeoutFor(untimed).toSeconds()).toBe(33);
  });
});
