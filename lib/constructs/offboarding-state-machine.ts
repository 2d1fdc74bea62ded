import { type CfnElement, Duration, Stack } from 'aws-cdk-lib';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import {
  DefinitionBody,
  Fail,
  Pass,
  QueryLanguage,
  StateMachine,
  StateMachineType,
  TaskInput,
} from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { DEFAULT_CONSISTENCY } from '../../lambdas/shared/deps';
import { OFFBOARDING_STATES as S } from '../../lambdas/workflows/offboarding/states';
import type { OnboardingSecrets } from './secrets';
import {
  acknowledgeStateMachineRole,
  clientCreationPendingRetry,
  lambdaTask,
  stateMachineLogs,
  stepTimeout,
  taskTimeoutFor,
} from './state-machine-defaults';
import { StepFunction } from './step-function';

export interface OffboardingStateMachineProps {
  readonly secrets: OnboardingSecrets;
  readonly logRetention: RetentionDays;
  /** Days Secrets Manager keeps the removed result secret restorable (7-30). @default 7 */
  readonly recoveryWindowDays?: number;
}

type OffboardingStep = 'prepare' | 'integration' | 'credentials' | 'clients' | 'secret' | 'leftovers';

/**
 * Sequential Genesys calls per step at most (each given GENESYS_CALL_WORST_CASE by stepTimeout), from the step
 * code in lambdas/workflows/offboarding/steps.
 */
export const OFFBOARDING_CALLS_PER_STEP: Readonly<Record<OffboardingStep, number>> = {
  // token, tokens/me, the recorded clients by id (a rotation's two) or the client listing, the integration, the
  // credential listing: 870 s, and the watch for a creation intent's client: 890 s. Not counted: the reads of
  // recorded credentials the listing does not show, by id, one after the other: each is made only when it fits
  // in the time left, else the step throws Onboarding.OutOfTime, retried (lambdas/shared/invocation-time.ts)
  prepare: 8,
  // token; per integration (a second one when two onboardings at once left one unrecorded): DELETE, the polls
  // until it is gone: 575 s
  integration: 5,
  // token, each credential's DELETE (retried while the deleted integration still holds it): 660 s
  credentials: 6,
  // token; per client (two during a rotation): GET, PUT inactive, DELETE, the polls until gone: 870 s
  clients: 8,
  // Secrets Manager only
  secret: 0,
  // token, the integration, the credential listing, each client: 660 s
  leftovers: 6,
};

/**
 * What a step waits on purpose besides its calls, with the consistency settings the functions run with
 * (DEFAULT_CONSISTENCY): Prepare watches the listing for a client an onboarding's creation intent announces
 * (`clientCreationWatchMs`) before it throws `Onboarding.ClientCreationPending`.
 */
export const OFFBOARDING_WAITS_PER_STEP: Readonly<Partial<Record<OffboardingStep, Duration>>> = {
  prepare: Duration.millis(DEFAULT_CONSISTENCY.clientCreationWatchMs),
};

/**
 * The offboarding state machine (Standard, JSONPath): PrepareOffboarding finds, read-only, what is provably
 * ours; then the integration, its credentials, the clients and last the result secret are removed, each step
 * idempotent (a re-run after a crash finishes the job); on a failure DescribeLeftovers says what is left
 * and the run fails with the error.
 */
export class OffboardingStateMachine extends Construct {
  readonly stateMachine: StateMachine;
  readonly functions: Record<OffboardingStep, StepFunction>;

  constructor(scope: Construct, id: string, props: OffboardingStateMachineProps) {
    super(scope, id);
    const { secrets, logRetention } = props;
    const fn = (name: string, handler: string, step: OffboardingStep) =>
      new StepFunction(this, name, {
        handler,
        logRetention,
        timeout: stepTimeout(OFFBOARDING_CALLS_PER_STEP[step], OFFBOARDING_WAITS_PER_STEP[step]),
      });
    this.functions = {
      prepare: fn('Prepare', 'offboarding/prepare', 'prepare').bindSecrets(secrets, [
        'read-bootstrap',
        'read-result',
      ]),
      integration: fn('RemoveIntegration', 'offboarding/remove-integration', 'integration').bindSecrets(
        secrets,
        ['read-bootstrap'],
      ),
      credentials: fn('RemoveCredentials', 'offboarding/remove-credentials', 'credentials').bindSecrets(
        secrets,
        ['read-bootstrap'],
      ),
      clients: fn('RemoveClients', 'offboarding/remove-clients', 'clients').bindSecrets(secrets, [
        'read-bootstrap',
      ]),
      secret: fn('RemoveSecret', 'offboarding/remove-secret', 'secret').bindSecrets(secrets, [
        'delete-result',
      ]),
      leftovers: fn('DescribeLeftovers', 'offboarding/describe-leftovers', 'leftovers').bindSecrets(secrets, [
        'read-bootstrap',
        'describe-result',
      ]),
    };
    this.functions.secret.addEnvironment(
      'SECRET_RECOVERY_WINDOW_DAYS',
      String(props.recoveryWindowDays ?? 7),
    );

    const run = Object.values(this.functions).reduce((sum, f) => sum + taskTimeoutFor(f).toSeconds(), 0);
    this.stateMachine = new StateMachine(this, 'StateMachine', {
      stateMachineType: StateMachineType.STANDARD,
      queryLanguage: QueryLanguage.JSON_PATH,
      definitionBody: DefinitionBody.fromChainable(this.definition()),
      // Every step once with each call using its whole budget, then the leftovers report, with headroom (which
      // also holds Prepare's retries while a creation intent's client is not listed: about 90 s in all).
      timeout: Duration.seconds(run + 300),
      tracingEnabled: true,
      logs: stateMachineLogs(this, 'genesys-offboarding', logRetention),
    });
    acknowledgeStateMachineRole(
      this.stateMachine,
      Object.values(this.functions).map((f) =>
        Stack.of(this).getLogicalId(f.node.defaultChild as CfnElement),
      ),
    );
  }

  private definition() {
    const f = this.functions;
    const failed = new Fail(this, S.failed, {
      stateName: S.failed,
      errorPath: '$.failure.error',
      causePath: '$.failure.cause',
    });
    // DescribeLeftovers failed after its retries: the run fails with the error that stopped it, and its cause.
    const unexplained = new Fail(this, 'OffboardingFailedUnexplained', {
      stateName: 'OffboardingFailedUnexplained',
      errorPath: '$.error.Error',
      causePath: '$.error.Cause',
    });
    const leftovers = lambdaTask(this, S.describeLeftovers, f.leftovers, { resultPath: '$.failure' });
    leftovers.addCatch(unexplained, { resultPath: '$.leftoversError' });
    leftovers.next(failed);
    const onFailure = { resultPath: '$.error' };

    const prepare = lambdaTask(this, S.prepare, f.prepare, { inputPath: '$.request', resultPath: '$.plan' });
    prepare.addRetry(clientCreationPendingRetry());
    const remove = (stateName: string, fn: StepFunction, key: string) =>
      lambdaTask(this, stateName, fn, {
        payload: TaskInput.fromObject({ 'plan.$': '$.plan' }),
        resultPath: `$.removal.${key}`,
      }).addCatch(leftovers, onFailure);
    const offboarded = new Pass(this, S.offboarded, {
      stateName: S.offboarded,
      parameters: {
        'orgId.$': '$.plan.orgId',
        'removal.$': '$.removal',
        'alreadyAbsentAtStart.$': '$.plan.alreadyAbsent',
        'leftAlone.$': '$.plan.leftAlone',
      },
    });
    return prepare
      .addCatch(leftovers, onFailure)
      .next(remove(S.removeIntegration, f.integration, 'integration'))
      .next(remove(S.removeCredentials, f.credentials, 'credentials'))
      .next(remove(S.removeClients, f.clients, 'clients'))
      .next(remove(S.removeSecret, f.secret, 'secret'))
      .next(offboarded);
  }
}
