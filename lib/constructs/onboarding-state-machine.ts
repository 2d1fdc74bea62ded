import { type CfnElement, Duration, Stack } from 'aws-cdk-lib';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import {
  Choice,
  Condition,
  DefinitionBody,
  Fail,
  JitterType,
  Parallel,
  Pass,
  QueryLanguage,
  StateMachine,
  StateMachineType,
  TaskInput,
  type TaskStateBase,
  Wait,
  WaitTime,
} from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { STEP_ERROR_NAMES } from '../../lambdas/genesys/errors';
import { ONBOARDING_ERRORS } from '../../lambdas/shared/errors';
import { ONBOARDING_STATES as S } from '../../lambdas/workflows/onboarding/states';
import type { OnboardingSecrets } from './secrets';
import { acknowledgeStateMachineRole, lambdaTask, stateMachineLogs } from './state-machine-defaults';
import { StepFunction } from './step-function';

export interface OnboardingStateMachineProps {
  readonly secrets: OnboardingSecrets;
  readonly logRetention: RetentionDays;
  /** @default Duration.minutes(15) */
  readonly executionTimeout?: Duration;
  /** Seconds between two looks at the integration's reported state. @default 3 */
  readonly activationPollSeconds?: number;
}

type OnboardingStep =
  | 'prepare'
  | 'ensureOAuthClient'
  | 'ensureIntegration'
  | 'configure'
  | 'record'
  | 'verify'
  | 'compensate';

/**
 * The onboarding state machine (Standard, JSONPath, so the same definition runs in-process locally): its
 * states, retries and catches, and the function of each step with exactly the secret access that step needs.
 */
export class OnboardingStateMachine extends Construct {
  readonly stateMachine: StateMachine;
  readonly functions: Record<OnboardingStep, StepFunction>;

  constructor(scope: Construct, id: string, props: OnboardingStateMachineProps) {
    super(scope, id);
    const { secrets, logRetention } = props;
    const fn = (name: string, handler: string) => new StepFunction(this, name, { handler, logRetention });
    this.functions = {
      prepare: fn('Prepare', 'onboarding/prepare').bindSecrets(secrets, ['read-bootstrap', 'read-result']),
      ensureOAuthClient: fn('EnsureOAuthClient', 'onboarding/ensure-oauth-client').bindSecrets(secrets, [
        'read-bootstrap',
        'read-result',
        'write-result',
      ]),
      ensureIntegration: fn('EnsureIntegration', 'onboarding/ensure-integration').bindSecrets(secrets, [
        'read-bootstrap',
      ]),
      configure: fn('ConfigureIntegration', 'onboarding/configure-integration').bindSecrets(secrets, [
        'read-bootstrap',
        'read-result',
      ]),
      record: fn('RecordConfiguration', 'onboarding/record-configuration').bindSecrets(secrets, [
        'read-result',
        'write-result',
      ]),
      verify: fn('Verify', 'onboarding/verify').bindSecrets(secrets, ['read-bootstrap', 'read-result']),
      compensate: fn('Compensate', 'onboarding/compensate').bindSecrets(secrets, [
        'read-bootstrap',
        'delete-result',
      ]),
    };

    this.stateMachine = new StateMachine(this, 'StateMachine', {
      stateMachineType: StateMachineType.STANDARD,
      queryLanguage: QueryLanguage.JSON_PATH,
      definitionBody: DefinitionBody.fromChainable(this.definition(props.activationPollSeconds ?? 3)),
      timeout: props.executionTimeout ?? Duration.minutes(15),
      tracingEnabled: true,
      logs: stateMachineLogs(this, 'genesys-onboarding', logRetention),
    });
    acknowledgeStateMachineRole(
      this.stateMachine,
      Object.values(this.functions).map((f) =>
        Stack.of(this).getLogicalId(f.node.defaultChild as CfnElement),
      ),
    );
  }

  /**
   * Prepare → Provision (client | integration, each branch keeping its failure so the other's outcome
   * survives) → Configure → Record → Verify/Wait until ACTIVE → ids; any failure → Compensate → Fail.
   */
  private definition(activationPollSeconds: number) {
    const f = this.functions;
    const failed = new Fail(this, S.failed, {
      stateName: S.failed,
      errorPath: '$.failure.error',
      causePath: '$.failure.cause',
    });
    const compensationFailed = new Fail(this, S.compensationFailed, {
      stateName: S.compensationFailed,
      error: ONBOARDING_ERRORS.compensationFailed,
      cause:
        'The run failed and removing what it created failed too: see the Compensate task in the execution history',
    });
    const compensate = lambdaTask(this, S.compensate, f.compensate, { resultPath: '$.failure' });
    compensate.addCatch(compensationFailed, { resultPath: '$.compensationError' });
    compensate.next(failed);
    const toCompensation = { resultPath: '$.error' };

    const prepare = lambdaTask(this, S.prepare, f.prepare, { inputPath: '$.request', resultPath: '$.plan' });
    prepare.addCatch(compensate, toCompensation);

    const branch = (state: TaskStateBase, stateName: string) =>
      state.addCatch(
        new Pass(this, `${stateName}Failed`, {
          stateName: `${stateName}Failed`,
          parameters: { failed: true, 'error.$': '$.error' },
        }),
        toCompensation,
      );
    const ensureOAuthClient = lambdaTask(this, S.ensureOAuthClient, f.ensureOAuthClient);
    // Another run of the same org stored its client's secret first: this one retries and uses that client.
    ensureOAuthClient.addRetry({
      errors: [ONBOARDING_ERRORS.concurrentRun],
      interval: Duration.seconds(2),
      maxAttempts: 3,
      backoffRate: 2,
      jitterStrategy: JitterType.FULL,
    });
    const provision = new Parallel(this, S.provision, {
      stateName: S.provision,
      inputPath: '$.plan',
      resultPath: '$.provisioned',
    })
      .branch(branch(ensureOAuthClient, S.ensureOAuthClient))
      .branch(branch(lambdaTask(this, S.ensureIntegration, f.ensureIntegration), S.ensureIntegration));

    const outcomes = {
      'plan.$': '$.plan',
      'client.$': '$.provisioned[0]',
      'integration.$': '$.provisioned[1]',
    };
    const configure = lambdaTask(this, S.configure, f.configure, {
      payload: TaskInput.fromObject(outcomes),
      resultPath: '$.configured',
    });
    configure.addRetry({
      errors: [STEP_ERROR_NAMES.conflict],
      interval: Duration.seconds(1),
      maxAttempts: 3,
      backoffRate: 2,
      jitterStrategy: JitterType.FULL,
    });
    configure.addCatch(compensate, toCompensation);

    const record = lambdaTask(this, S.record, f.record, {
      payload: TaskInput.fromObject({ ...outcomes, 'configured.$': '$.configured' }),
      resultSelector: { attempt: 0, reportedState: 'PENDING' },
      resultPath: '$.verification',
    });
    record.addCatch(compensate, toCompensation);

    const verify = lambdaTask(this, S.verify, f.verify, {
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

    const onboarded = new Pass(this, S.onboarded, {
      stateName: S.onboarded,
      parameters: {
        'orgId.$': '$.plan.orgId',
        'oauthClientId.$': '$.provisioned[0].oauthClientId',
        'integrationId.$': '$.provisioned[1].integrationId',
        'credentialId.$': '$.configured.credentialId',
        'secretArn.$': '$.provisioned[0].secretArn',
        changed: {
          'oauthClient.$': '$.provisioned[0].changes',
          'integration.$': '$.provisioned[1].changes',
        },
      },
    });
    const waitForActivation = new Wait(this, S.waitForActivation, {
      stateName: S.waitForActivation,
      time: WaitTime.duration(Duration.seconds(activationPollSeconds)),
    });
    const active = new Choice(this, S.active, { stateName: S.active })
      .when(Condition.stringEquals('$.verification.reportedState', 'ACTIVE'), onboarded)
      .otherwise(waitForActivation.next(verify));
    const provisioned = new Choice(this, S.provisioned, { stateName: S.provisioned })
      .when(
        Condition.or(
          Condition.isPresent('$.provisioned[0].failed'),
          Condition.isPresent('$.provisioned[1].failed'),
        ),
        compensate,
      )
      .otherwise(configure.next(record).next(verify).next(active));
    return prepare.next(provision).next(provisioned);
  }
}
