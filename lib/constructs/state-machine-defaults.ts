import { type CfnElement, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import {
  JitterType,
  LogLevel,
  type LogOptions,
  type RetryProps,
  type StateMachine,
  type TaskStateBase,
  Timeout,
} from 'aws-cdk-lib/aws-stepfunctions';
import { LambdaInvoke, type LambdaInvokeProps } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import type { Construct } from 'constructs';
import { STEP_ERROR_NAMES } from '../../lambdas/genesys/errors';
import { type ConsistencySettings, DEFAULT_CONSISTENCY } from '../../lambdas/shared/deps';
import { ONBOARDING_ERRORS } from '../../lambdas/shared/errors';
import { GENESYS_CALL_WORST_CASE_MS } from '../../lambdas/shared/invocation-time';
import { SECRET_STORE_TRANSIENT } from '../../lambdas/shared/secret-store';

/**
 * Errors after which running a step again may succeed: Genesys said so, Secrets Manager was throttled or
 * failed (classified by the SDK), the Lambda service failed, or the
 * function's process died or ran out of time, or stopped itself before that (`Onboarding.OutOfTime`; every
 * step is idempotent, so it is safe to run again).
 */
export const TRANSIENT_ERRORS: readonly string[] = [
  STEP_ERROR_NAMES.transient,
  SECRET_STORE_TRANSIENT,
  ONBOARDING_ERRORS.outOfTime,
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.TooManyRequestsException',
  'Lambda.ClientExecutionTimeoutException',
  'Lambda.Unknown',
  'Sandbox.Timedout',
];

/** Genesys rate limits: wait longer (10 s, ×2, up to 2 minutes, 5 attempts, full jitter). */
export const rateLimitRetry = (): RetryProps => ({
  errors: [STEP_ERROR_NAMES['rate-limited']],
  interval: Duration.seconds(10),
  maxAttempts: 5,
  backoffRate: 2,
  maxDelay: Duration.seconds(120),
  jitterStrategy: JitterType.FULL,
});

/** Transient failures: 2 s, ×2, 4 attempts, full jitter. */
export const transientRetry = (): RetryProps => ({
  errors: [...TRANSIENT_ERRORS],
  interval: Duration.seconds(2),
  maxAttempts: 4,
  backoffRate: 2,
  jitterStrategy: JitterType.FULL,
});

/**
 * The longest one Genesys call can take, with the step functions' retry policy (`GENESYS_CALL_WORST_CASE_MS`
 * in lambdas/shared/invocation-time.ts, from `DEFAULT_RETRY_POLICY`): the client stops retrying when the next
 * wait would end after `totalBudgetMs` (90 s; a `Retry-After` of up to 60 s is waited only when it fits), but
 * the attempt it started just before may still run for `attemptTimeoutMs` (15 s): 105 s in all. A token
 * request is a call of its own.
 */
export const GENESYS_CALL_WORST_CASE = Duration.millis(GENESYS_CALL_WORST_CASE_MS);

/** What a step spends besides its Genesys calls: cold start, Secrets Manager reads and writes. */
export const STEP_OVERHEAD = Duration.seconds(30);

/** The longest timeout a Lambda function can have. */
export const LAMBDA_MAX_TIMEOUT = Duration.minutes(15);

/**
 * The Lambda timeout of a step that makes `genesysCalls` Genesys calls one after the other (on its longest
 * path) and waits `waiting` on purpose besides (its polls for Genesys's eventual consistency, counted up to the
 * look that ends them, which is one of the calls): long enough for each call to use its whole budget
 * (`GENESYS_CALL_WORST_CASE`), plus the waits (whole seconds, rounded up), plus `STEP_OVERHEAD`, so the
 * function is never stopped while its calls are within their budgets. Calls made in parallel count once.
 * Throws when that exceeds Lambda's 15 minutes: such a step must be split, or bound its calls by the time it
 * has left (the Lambda context's `getRemainingTimeInMillis()`).
 */
export function stepTimeout(genesysCalls: number, waiting: Duration = Duration.seconds(0)): Duration {
  if (!Number.isInteger(genesysCalls) || genesysCalls < 0) {
    throw new Error(`A step makes a whole number of Genesys calls, got ${genesysCalls}`);
  }
  const waitSeconds = Math.ceil(waiting.toMilliseconds() / 1000);
  const seconds =
    genesysCalls * GENESYS_CALL_WORST_CASE.toSeconds() + waitSeconds + STEP_OVERHEAD.toSeconds();
  if (seconds > LAMBDA_MAX_TIMEOUT.toSeconds()) {
    throw new Error(
      `A step of ${genesysCalls} sequential Genesys calls and ${waitSeconds} s of waits needs ${seconds} s, more than Lambda's ${LAMBDA_MAX_TIMEOUT.toSeconds()} s`,
    );
  }
  return Duration.seconds(seconds);
}

/**
 * `Onboarding.ClientCreationPending` (lambdas/workflows/onboarding/find-ours.ts): a client whose creation a run
 * started may exist and not be listed yet, and no second one may be created until the listing grace after
 * the intent (`clientListingGraceMs`, 60 s) is over. Each attempt watches the listing for
 * `clientCreationWatchMs` (20 s) before it throws this, so the attempts' watches alone cover the grace, with
 * one attempt to spare: `ceil(grace / watch) + 1` retries (4), 2 s apart, no backoff (the step does the
 * waiting; retry intervals shortened in local runs do not shorten it).
 */
export const clientCreationPendingRetry = (
  consistency: Pick<
    ConsistencySettings,
    'clientListingGraceMs' | 'clientCreationWatchMs'
  > = DEFAULT_CONSISTENCY,
): RetryProps => ({
  errors: [ONBOARDING_ERRORS.clientCreationPending],
  interval: Duration.seconds(2),
  maxAttempts: Math.ceil(consistency.clientListingGraceMs / consistency.clientCreationWatchMs) + 1,
  backoffRate: 1,
});

/**
 * `Onboarding.ClientCreationPending` from EnsureOAuthClient (lambdas/workflows/onboarding/steps/
 * ensure-oauth-client.ts): after watching the listing as Prepare does (`clientCreationPendingRetry`), a client a
 * racing run created (listed by the end of the grace at the latest) may be waited on for that run's stored
 * secret until `creatorSecretStoreMs` (30 s) after its creation. The attempts' watches cover both, grace and
 * store wait, with one attempt to spare: `ceil((grace + store) / watch) + 1` retries (6), 2 s apart, no backoff.
 */
export const creatorSecretPendingRetry = (
  consistency: Pick<
    ConsistencySettings,
    'clientListingGraceMs' | 'clientCreationWatchMs' | 'creatorSecretStoreMs'
  > = DEFAULT_CONSISTENCY,
): RetryProps => ({
  ...clientCreationPendingRetry(consistency),
  maxAttempts:
    Math.ceil(
      (consistency.clientListingGraceMs + consistency.creatorSecretStoreMs) /
        consistency.clientCreationWatchMs,
    ) + 1,
});

/**
 * How much longer than its function a task waits: the invocation's own latency and the function's
 * initialization. The function's timeout therefore always comes first, as `Sandbox.Timedout` (retried with
 * `transientRetry`: every step is safe to run again), never as the task's `States.Timeout`, which no retrier
 * matches: the run would go straight to Compensate.
 */
export const TASK_TIMEOUT_MARGIN = Duration.seconds(30);

/** The task timeout of a function's task: its Lambda timeout (3 s when unset, Lambda's default) plus the margin. */
export function taskTimeoutFor(lambdaFunction: LambdaFunction): Duration {
  const functionTimeout = lambdaFunction.timeout ?? Duration.seconds(3);
  return Duration.seconds(functionTimeout.toSeconds() + TASK_TIMEOUT_MARGIN.toSeconds());
}

/**
 * A Lambda task with this project's settings: the handler's result as the state's result, no retries but
 * ours (`rateLimitRetry`, `transientRetry`, added here), and a task timeout just above the function's own
 * (`taskTimeoutFor`).
 */
export function lambdaTask(
  scope: Construct,
  stateName: string,
  lambdaFunction: LambdaFunction,
  options: Partial<LambdaInvokeProps> = {},
): LambdaInvoke {
  const task = new LambdaInvoke(scope, `${stateName}Task`, {
    stateName,
    lambdaFunction,
    payloadResponseOnly: true,
    retryOnServiceExceptions: false,
    taskTimeout: Timeout.duration(taskTimeoutFor(lambdaFunction)),
    ...options,
  });
  return withDefaultRetries(task);
}

/** Adds the rate-limit and transient retries to a task. */
export function withDefaultRetries<T extends TaskStateBase>(task: T): T {
  task.addRetry(rateLimitRetry());
  task.addRetry(transientRetry());
  return task;
}

/** State machine logs: level ALL without execution data (states carry ids, but never log inputs). */
export function stateMachineLogs(scope: Construct, name: string, retention: RetentionDays): LogOptions {
  const destination = new LogGroup(scope, 'Logs', {
    logGroupName: `/aws/vendedlogs/states/${name}-${scope.node.addr.slice(0, 8)}`,
    retention,
    removalPolicy: RemovalPolicy.DESTROY,
  });
  return { destination, level: LogLevel.ALL, includeExecutionData: false };
}

/** The nag acknowledgements every state machine's role needs: X-Ray, log delivery, its functions' versions. */
export function acknowledgeStateMachineRole(stateMachine: StateMachine, functionLogicalIds: string[]): void {
  Validations.of(stateMachine.role).acknowledge({
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason:
      'X-Ray tracing and CloudWatch Logs log delivery (logs:CreateLogDelivery and friends) support no resource-level permissions',
  });
  for (const logicalId of functionLogicalIds) {
    Validations.of(stateMachine.role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${logicalId}.Arn>:*]`,
      reason:
        'LambdaInvoke grants the function and its qualified ARNs (versions, aliases) of this one function only',
    });
  }
}

/**
 * The nag acknowledgements of a Distributed Map's own policy (CDK's `DistributedMapPolicy` on the state
 * machine's role): its child executions of this state machine and the redrive of its map runs (labelled
 * `label`), all named by Step Functions at run time.
 */
export function acknowledgeDistributedMap(stateMachine: StateMachine, label: string): void {
  const logicalId = Stack.of(stateMachine).getLogicalId(stateMachine.node.defaultChild as CfnElement);
  const executions = `arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:{"Fn::Select":[6,{"Fn::Split":[":",{"Ref":"${logicalId}"}]}]}`;
  const policy = Validations.of(stateMachine.node.findChild('DistributedMapPolicy'));
  policy.acknowledge({
    id: `AwsSolutions-IAM5[Resource::${executions}:*]`,
    reason: "The Distributed Map's child executions of this state machine, named by Step Functions",
  });
  policy.acknowledge({
    id: `AwsSolutions-IAM5[Resource::${executions}/${label}:*]`,
    reason: "Redriving this state machine's map runs (RedriveExecution), whose ids Step Functions chooses",
  });
}
