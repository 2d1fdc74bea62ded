import { Annotations, type CfnElement, Duration, Stack } from 'aws-cdk-lib';
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
import { DEFAULT_CONSISTENCY } from '../../lambdas/shared/deps';
import { ONBOARDING_ERRORS } from '../../lambdas/shared/errors';
import { ONBOARDING_STATES as S } from '../../lambdas/workflows/onboarding/states';
import type { OnboardingSecrets } from './secrets';
import {
  acknowledgeStateMachineRole,
  clientCreationPendingRetry,
  creatorSecretPendingRetry,
  lambdaTask,
  stateMachineLogs,
  stepTimeout,
  taskTimeoutFor,
} from './state-machine-defaults';
import { StepFunction } from './step-function';

/** The execution timeout when none is given: above `degradedRunDuration` (about 63 minutes), with headroom. */
export const DEFAULT_EXECUTION_TIMEOUT = Duration.minutes(75);

export interface OnboardingStateMachineProps {
  readonly secrets: OnboardingSecrets;
  readonly logRetention: RetentionDays;
  /**
   * Longest a run may take. Shorter than `degradedRunDuration` draws a synth warning: a run cut off by it
   * is not compensated.
   * @default DEFAULT_EXECUTION_TIMEOUT
   */
  readonly executionTimeout?: Duration;
  /** Seconds between two looks at the integration's reported state. @default 3 */
  readonly activationPollSeconds?: number;
  /** Looks at the integration's reported state before Verify gives up (`MAX_VERIFY_ATTEMPTS`). @default 30 */
  readonly maxActivationChecks?: number;
}

/**
 * Which attempt of its state a task runs, from the context object (`stateAttemptSchema` in
 * lambdas/workflows/onboarding/state.ts): the steps that look for what an earlier attempt made skip the
 * look on a first attempt.
 */
const STATE_ATTEMPT = {
  'retryCount.$': '$$.State.RetryCount',
  'redriveCount.$': '$$.Execution.RedriveCount',
} as const;

type OnboardingStep =
  | 'prepare'
  | 'ensureOAuthClient'
  | 'ensureIntegration'
  | 'configure'
  | 'record'
  | 'verify'
  | 'compensate';

/**
 * The Genesys calls each step makes one after the other on its longest path (lambdas/workflows/onboarding/
 * steps/), which with its waits (`WAITS_PER_STEP`) set its Lambda timeout (`stepTimeout`: 105 s a call, plus
 * the waits, plus 30 s). A token request counts as a call; a listing counts one page; calls made in parallel
 * count once; a 401 (one new token, one retry) is not counted; a poll counts as its wait and the look that
 * ends it. Update these with the steps.
 */
export const GENESYS_CALLS_PER_STEP: Readonly<Record<OnboardingStep, number>> = {
  // token; tokens/me, each role by name and the division in parallel; the caller's roles when tokens/me has
  // none; the recorded client by id, then the client listing (the integration's lookups beside them), again
  // at the end of the watch for a client being created: 680 s
  prepare: 6,
  // token; when a record appeared since Prepare: the client by id and the listing (again at the end of the
  // watch for a client being created); create, and when storing its secret fails: get, deactivate, delete
  // (an existing client: update, a token with the stored secret, regenerate): 890 s
  ensureOAuthClient: 8,
  // token, the listing (an earlier attempt's integration), create (an existing integration: no call), the
  // listing again when the create's answer was lost: 465 s
  ensureIntegration: 4,
  // token, credential by name, update (gone: create, and the listing again when its answer was lost; a
  // racing run's: list, update, delete), config GET and PUT (each version conflict adds both, and the run
  // retries Conflict), PATCH enabled: 885 s
  configure: 8,
  // Secrets Manager only: 30 s
  record: 0,
  // bootstrap token then the integration, the new client's token beside them: 240 s
  verify: 2,
  // token, delete integration, its credentials by name, delete the credential, client GET, deactivate,
  // delete (each further credential adds one): 765 s
  compensate: 7,
};

/**
 * What each step waits on purpose in one invocation besides its calls, with the consistency windows the
 * functions run with (DEFAULT_CONSISTENCY): the watch for a client being created (`clientCreationWatchMs`)
 * in Prepare and EnsureOAuthClient, the watch of a listing after a create whose answer was lost
 * (`integrationListingLagMs`) in EnsureIntegration and Configure, and in EnsureIntegration before that the
 * wait for the run's integration creation intent (`clientCreationWatchMs`). EnsureOAuthClient's second watch,
 * for a racing creator's stored secret, is not counted (with it 8 calls would need 910 s): it ends early
 * enough to leave its 3 calls after it their whole budgets (lambdas/shared/invocation-time.ts
 * `latestStartLeaving`).
 */
export const WAITS_PER_STEP: Readonly<Record<OnboardingStep, Duration>> = {
  prepare: Duration.millis(DEFAULT_CONSISTENCY.clientCreationWatchMs),
  ensureOAuthClient: Duration.millis(DEFAULT_CONSISTENCY.clientCreationWatchMs),
  ensureIntegration: Duration.millis(
    DEFAULT_CONSISTENCY.clientCreationWatchMs + DEFAULT_CONSISTENCY.integrationListingLagMs,
  ),
  configure: Duration.millis(DEFAULT_CONSISTENCY.integrationListingLagMs),
  record: Duration.seconds(0),
  verify: Duration.seconds(0),
  compensate: Duration.seconds(0),
};

/**
 * The onboarding state machine (Standard, JSONPath, so the same definition runs in-process locally): its
 * states, retries and catches, and the function of each step with exactly the secret access that step needs
 * and a timeout that fits its Genesys calls (`GENESYS_CALLS_PER_STEP`); each task waits 30 s longer than its
 * function.
 */
export class OnboardingStateMachine extends Construct {
  readonly stateMachine: StateMachine;
  readonly functions: Record<OnboardingStep, StepFunction>;
  /**
   * How long a run can take when every step runs once and each of its Genesys calls uses its whole budget:
   * the task timeouts of Prepare, the slower Provision branch, Configure, Record, Verify and Compensate (a
   * failure at the last step), plus every activation check's wait. About 63 minutes with the defaults. Not
   * counted: a step run again after a retryable error, and the time the other activation checks and the
   * new-credentials retries take (about a minute when Genesys answers).
   */
  readonly degradedRunDuration: Duration;

  constructor(scope: Construct, id: string, props: OnboardingStateMachineProps) {
    super(scope, id);
    const { secrets, logRetention } = props;
    const activationPollSeconds = props.activationPollSeconds ?? 3;
    const maxActivationChecks = props.maxActivationChecks ?? 30;
    const fn = (name: string, handler: string, step: OnboardingStep) =>
      new StepFunction(this, name, {
        handler,
        logRetention,
        timeout: stepTimeout(GENESYS_CALLS_PER_STEP[step], WAITS_PER_STEP[step]),
      });
    this.functions = {
      prepare: fn('Prepare', 'onboarding/prepare', 'prepare').bindSecrets(secrets, [
        'read-bootstrap',
        'read-result',
      ]),
      ensureOAuthClient: fn(
        'EnsureOAuthClient',
        'onboarding/ensure-oauth-client',
        'ensureOAuthClient',
      ).bindSecrets(secrets, ['read-bootstrap', 'read-result', 'write-result']),
      ensureIntegration: fn(
        'EnsureIntegration',
        'onboarding/ensure-integration',
        'ensureIntegration',
      ).bindSecrets(secrets, ['read-bootstrap', 'read-result']),
      configure: fn('ConfigureIntegration', 'onboarding/configure-integration', 'configure').bindSecrets(
        secrets,
        ['read-bootstrap', 'read-result'],
      ),
      record: fn('RecordConfiguration', 'onboarding/record-configuration', 'record').bindSecrets(secrets, [
        'read-result',
        'write-result',
      ]),
      verify: fn('Verify', 'onboarding/verify', 'verify').bindSecrets(secrets, [
        'read-bootstrap',
        'read-result',
      ]),
      // Reads the record to remove a creation intent only while it is this run's.
      compensate: fn('Compensate', 'onboarding/compensate', 'compensate').bindSecrets(secrets, [
        'read-bootstrap',
        'read-result',
        'delete-result',
      ]),
    };
    this.functions.verify.addEnvironment('MAX_VERIFY_ATTEMPTS', String(maxActivationChecks));

    const task = (step: OnboardingStep) => taskTimeoutFor(this.functions[step]).toSeconds();
    this.degradedRunDuration = Duration.seconds(
      task('prepare') +
        Math.max(task('ensureOAuthClient'), task('ensureIntegration')) +
        task('configure') +
        task('record') +
        task('verify') +
        maxActivationChecks * activationPollSeconds +
        task('compensate'),
    );
    const executionTimeout = props.executionTimeout ?? DEFAULT_EXECUTION_TIMEOUT;
    if (executionTimeout.toSeconds() < this.degradedRunDuration.toSeconds()) {
      Annotations.of(this).addWarningV2(
        'genesys-onboarding:executionTimeout',
        `The execution timeout (${executionTimeout.toHumanString()}) is shorter than a degraded run (${this.degradedRunDuration.toHumanString()}: every Genesys call using its whole retry budget); a run cut off by it is not compensated`,
      );
    }

    this.stateMachine = new StateMachine(this, 'StateMachine', {
      stateMachineType: StateMachineType.STANDARD,
      queryLanguage: QueryLanguage.JSON_PATH,
      definitionBody: DefinitionBody.fromChainable(this.definition(activationPollSeconds)),
      timeout: executionTimeout,
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
    // A client another run started creating may not be listed yet: looked for again until the grace is over.
    prepare.addRetry(clientCreationPendingRetry());
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
    // A client this run's earlier attempt (or another run) started creating may not be listed yet, or its
    // creator may not have stored its secret yet.
    ensureOAuthClient.addRetry(creatorSecretPendingRetry());
    const provision = new Parallel(this, S.provision, {
      stateName: S.provision,
      inputPath: '$.plan',
      resultPath: '$.provisioned',
    })
      .branch(branch(ensureOAuthClient, S.ensureOAuthClient))
      .branch(
        branch(
          lambdaTask(this, S.ensureIntegration, f.ensureIntegration, {
            payload: TaskInput.fromObject({ 'plan.$': '$', attempt: STATE_ATTEMPT }),
          }),
          S.ensureIntegration,
        ),
      );

    const outcomes = {
      'plan.$': '$.plan',
      'client.$': '$.provisioned[0]',
      'integration.$': '$.provisioned[1]',
    };
    const configure = lambdaTask(this, S.configure, f.configure, {
      payload: TaskInput.fromObject({ ...outcomes, attempt: STATE_ATTEMPT }),
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
          'integration.$': '$.configured.changes',
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
