import { type CfnElement, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import {
  Choice,
  Condition,
  DefinitionBody,
  Fail,
  JitterType,
  LogLevel,
  Parallel,
  Pass,
  QueryLanguage,
  StateMachine,
  StateMachineType,
  TaskInput,
  type TaskStateBase,
  Timeout,
  Wait,
  WaitTime,
} from 'aws-cdk-lib/aws-stepfunctions';
import { LambdaInvoke, type LambdaInvokeProps } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct, type IConstruct } from 'constructs';
import { ONBOARDING_ERRORS } from '../../lambdas/onboarding/errors';
import { OnboardingFunction } from './onboarding-function';
import type { OnboardingSecrets } from './secrets';

export interface OnboardingWorkflowProps {
  readonly secrets: OnboardingSecrets;
  readonly logRetention: RetentionDays;
  /** @default Duration.minutes(15) */
  readonly executionTimeout?: Duration;
  /** Seconds between two looks at the integration's reported state. @default 3 */
  readonly activationPollSeconds?: number;
}

/** Task state names: the local runner maps them to handlers, and tests and docs refer to them. */
export const STATES = {
  prepare: 'Prepare',
  provision: 'Provision',
  ensureOAuthClient: 'EnsureOAuthClient',
  ensureIntegration: 'EnsureIntegration',
  provisioned: 'Provisioned?',
  configure: 'ConfigureIntegration',
  record: 'RecordConfiguration',
  verify: 'Verify',
  active: 'IntegrationActive?',
  waitForActivation: 'WaitForActivation',
  onboarded: 'Onboarded',
  compensate: 'Compensate',
  failed: 'OnboardingFailed',
} as const;

const TRANSIENT_ERRORS = [
  'Genesys.Transient',
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.TooManyRequestsException',
  'Lambda.ClientExecutionTimeoutException',
  // The function's process died (out of memory, a crash) or ran out of time: the step is safe to run again.
  'Lambda.Unknown',
  'Sandbox.Timedout',
];

/**
 * The onboarding state machine (Standard, JSONPath, so the same definition runs in-process locally) and
 * the Lambda function of each step, with exactly the secret access that step needs.
 */
export class OnboardingWorkflow extends Construct {
  readonly stateMachine: StateMachine;
  readonly functions: Record<
    'prepare' | 'oauthClient' | 'integration' | 'configure' | 'verify' | 'compensate',
    IFunction
  >;

  constructor(scope: Construct, id: string, props: OnboardingWorkflowProps) {
    super(scope, id);
    const { secrets } = props;
    const environment = { SECRET_PREFIX: secrets.secretPrefix };
    const fn = (name: string, handler: string, extra: Record<string, string> = {}) =>
      new OnboardingFunction(this, name, {
        handler,
        logRetention: props.logRetention,
        environment: { ...environment, ...extra },
      }).function;

    this.functions = {
      prepare: fn('Prepare', 'prepare'),
      oauthClient: fn('EnsureOAuthClient', 'ensure-oauth-client', {
        RESULT_SECRET_KMS_KEY_ID: secrets.key.keyArn,
      }),
      integration: fn('EnsureIntegration', 'ensure-integration'),
      configure: fn('ConfigureIntegration', 'configure-integration'),
      verify: fn('Verify', 'verify'),
      compensate: fn('Compensate', 'compensate'),
    };
    for (const f of Object.values(this.functions)) secrets.grantReadBootstrap(f);
    secrets.grantWriteResult(this.functions.oauthClient);
    secrets.grantReadResult(this.functions.configure);
    secrets.grantReadResult(this.functions.verify);
    secrets.grantDeleteResult(this.functions.compensate);
    for (const [name, f] of Object.entries(this.functions)) {
      const role = f.role as IConstruct;
      secrets.acknowledgeSecretWildcards(
        role,
        name === 'prepare' || name === 'integration' ? ['bootstrap'] : ['bootstrap', 'data-actions-client'],
      );
    }

    const task = (stateName: string, lambdaFunction: IFunction, options: Partial<LambdaInvokeProps> = {}) => {
      const state = new LambdaInvoke(this, `${stateName}Task`, {
        stateName,
        lambdaFunction,
        payloadResponseOnly: true,
        retryOnServiceExceptions: false,
        taskTimeout: Timeout.duration(Duration.minutes(3)),
        ...options,
      });
      return withRetries(state);
    };

    const failed = new Fail(this, STATES.failed, {
      stateName: STATES.failed,
      errorPath: '$.failure.error',
      causePath: '$.failure.cause',
    });
    const compensationFailed = new Fail(this, 'CompensationFailed', {
      stateName: 'CompensationFailed',
      error: 'Onboarding.CompensationFailed',
      cause:
        'The run failed and removing what it created failed too: see the Compensate task in the execution history',
    });
    const compensate = task(STATES.compensate, this.functions.compensate, { resultPath: '$.failure' });
    compensate.addCatch(compensationFailed, { resultPath: '$.compensationError' });
    compensate.next(failed);
    const toCompensation = { resultPath: '$.error' };

    const prepare = task(STATES.prepare, this.functions.prepare, {
      inputPath: '$.request',
      resultPath: '$.plan',
    });
    prepare.addCatch(compensate, toCompensation);

    // Each branch catches its own failure so that the other branch's outcome (what it created) is kept.
    const branch = (state: TaskStateBase, name: string) =>
      state.addCatch(
        new Pass(this, `${name}Failed`, {
          stateName: `${name}Failed`,
          parameters: { failed: true, 'error.$': '$.error' },
        }),
        toCompensation,
      );
    const ensureOAuthClient = task(STATES.ensureOAuthClient, this.functions.oauthClient);
    // Another run of the same org stored its client's secret first: this one retries and uses that client.
    ensureOAuthClient.addRetry({
      errors: [ONBOARDING_ERRORS.concurrentRun],
      interval: Duration.seconds(2),
      maxAttempts: 3,
      backoffRate: 2,
      jitterStrategy: JitterType.FULL,
    });
    const provision = new Parallel(this, STATES.provision, {
      stateName: STATES.provision,
      inputPath: '$.plan',
      resultPath: '$.provisioned',
    })
      .branch(branch(ensureOAuthClient, 'EnsureOAuthClient'))
      .branch(branch(task(STATES.ensureIntegration, this.functions.integration), 'EnsureIntegration'));

    const outcomes = {
      'plan.$': '$.plan',
      'client.$': '$.provisioned[0]',
      'integration.$': '$.provisioned[1]',
    };
    const configure = task(STATES.configure, this.functions.configure, {
      payload: TaskInput.fromObject(outcomes),
      resultPath: '$.configured',
    });
    configure.addRetry({
      errors: ['Genesys.Conflict'],
      interval: Duration.seconds(1),
      maxAttempts: 3,
      backoffRate: 2,
    });
    configure.addCatch(compensate, toCompensation);

    const record = task(STATES.record, this.functions.oauthClient, {
      payload: TaskInput.fromObject({ ...outcomes, 'configured.$': '$.configured' }),
      resultSelector: { attempt: 0, reportedState: 'PENDING' },
      resultPath: '$.verification',
    });
    record.addCatch(compensate, toCompensation);

    const verify = task(STATES.verify, this.functions.verify, {
      payload: TaskInput.fromObject({
        ...outcomes,
        'configured.$': '$.configured',
        'verification.$': '$.verification',
      }),
      resultPath: '$.verification',
    });
    // A new client can take seconds before its credentials work.
    verify.addRetry({
      errors: [ONBOARDING_ERRORS.credentialsNotYetUsable],
      interval: Duration.seconds(2),
      maxAttempts: 8,
      backoffRate: 1.5,
      maxDelay: Duration.seconds(20),
    });
    verify.addCatch(compensate, toCompensation);

    const onboarded = new Pass(this, STATES.onboarded, {
      stateName: STATES.onboarded,
      parameters: {
        'orgId.$': '$.plan.orgId',
        'oauthClientId.$': '$.provisioned[0].oauthClientId',
        'integrationId.$': '$.provisioned[1].integrationId',
        'credentialId.$': '$.configured.credentialId',
        'secretArn.$': '$.provisioned[0].secretArn',
      },
    });
    const waitForActivation = new Wait(this, STATES.waitForActivation, {
      stateName: STATES.waitForActivation,
      time: WaitTime.duration(Duration.seconds(props.activationPollSeconds ?? 3)),
    });
    const active = new Choice(this, STATES.active, { stateName: STATES.active })
      .when(Condition.stringEquals('$.verification.reportedState', 'ACTIVE'), onboarded)
      .otherwise(waitForActivation.next(verify));

    const provisioned = new Choice(this, STATES.provisioned, { stateName: STATES.provisioned })
      .when(
        Condition.or(
          Condition.isPresent('$.provisioned[0].failed'),
          Condition.isPresent('$.provisioned[1].failed'),
        ),
        compensate,
      )
      .otherwise(configure.next(record).next(verify).next(active));

    const definition = prepare.next(provision).next(provisioned);

    const logGroup = new LogGroup(this, 'Logs', {
      logGroupName: `/aws/vendedlogs/states/genesys-onboarding-${this.node.addr.slice(0, 8)}`,
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.stateMachine = new StateMachine(this, 'StateMachine', {
      stateMachineType: StateMachineType.STANDARD,
      queryLanguage: QueryLanguage.JSON_PATH,
      definitionBody: DefinitionBody.fromChainable(definition),
      timeout: props.executionTimeout ?? Duration.minutes(15),
      tracingEnabled: true,
      logs: { destination: logGroup, level: LogLevel.ALL, includeExecutionData: false },
    });
    const machineRole = this.stateMachine.role;
    Validations.of(machineRole).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'X-Ray tracing and CloudWatch Logs log delivery (logs:CreateLogDelivery and friends) support no resource-level permissions',
    });
    for (const f of Object.values(this.functions)) {
      const logicalId = Stack.of(this).getLogicalId(f.node.defaultChild as CfnElement);
      Validations.of(machineRole).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${logicalId}.Arn>:*]`,
        reason:
          'LambdaInvoke grants the function and its qualified ARNs (versions, aliases) of this one function only',
      });
    }
  }
}

/** Retries per error class: rate limits wait longer; everything else is caught by the caller. */
function withRetries<T extends TaskStateBase>(state: T): T {
  state.addRetry({
    errors: ['Genesys.RateLimited'],
    interval: Duration.seconds(10),
    maxAttempts: 5,
    backoffRate: 2,
    maxDelay: Duration.seconds(120),
    jitterStrategy: JitterType.FULL,
  });
  state.addRetry({
    errors: TRANSIENT_ERRORS,
    interval: Duration.seconds(2),
    maxAttempts: 4,
    backoffRate: 2,
    jitterStrategy: JitterType.FULL,
  });
  return state;
}
