import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
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

/**
 * Errors after which running a step again may succeed: Genesys said so, the Lambda service failed, or the
 * function's process died or ran out of time (every step is idempotent, so it is safe to run again).
 */
export const TRANSIENT_ERRORS: readonly string[] = [
  STEP_ERROR_NAMES.transient,
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

/** How long one task may run before Step Functions gives up on it. */
export const TASK_TIMEOUT = Duration.minutes(3);

/**
 * A Lambda task with this project's settings: the handler's result as the state's result, no retries but
 * ours (`rateLimitRetry`, `transientRetry`, added here), a task timeout.
 */
export function lambdaTask(
  scope: Construct,
  stateName: string,
  lambdaFunction: IFunction,
  options: Partial<LambdaInvokeProps> = {},
): LambdaInvoke {
  const task = new LambdaInvoke(scope, `${stateName}Task`, {
    stateName,
    lambdaFunction,
    payloadResponseOnly: true,
    retryOnServiceExceptions: false,
    taskTimeout: Timeout.duration(TASK_TIMEOUT),
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
