import { type CfnElement, Duration, Stack, Validations } from 'aws-cdk-lib';
import { ComparisonOperator, Metric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Schedule, ScheduleExpression, ScheduleTargetInput } from 'aws-cdk-lib/aws-scheduler';
import { StepFunctionsStartExecution as ScheduledExecution } from 'aws-cdk-lib/aws-scheduler-targets';
import {
  Choice,
  Condition,
  DefinitionBody,
  DistributedMap,
  JitterType,
  JsonPath,
  Pass,
  QueryLanguage,
  StateMachine,
  StateMachineType,
  Succeed,
  TaskInput,
} from 'aws-cdk-lib/aws-stepfunctions';
import { EventBridgePutEvents, StepFunctionsStartExecution } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { METRICS_NAMESPACE, METRICS_SERVICE } from '../../lambdas/observability';
import {
  DRIFT_DETECTED_DETAIL_TYPE,
  DRIFT_METRICS,
  DRIFT_STATES as S,
  STACK_EVENT_SOURCE,
} from '../../lambdas/workflows/drift/contract';
import type { OnboardingAlarms } from './alarms';
import type { OnboardingEvents } from './events';
import type { OnboardingSecrets } from './secrets';
import {
  acknowledgeDistributedMap,
  acknowledgeStateMachineRole,
  lambdaTask,
  stateMachineLogs,
  stepTimeout,
} from './state-machine-defaults';
import { StepFunction } from './step-function';

export interface DriftCheckProps {
  readonly secrets: OnboardingSecrets;
  /** The onboarding state machine a repair starts. */
  readonly onboarding: StateMachine;
  /** The stack's bus: a "Genesys Cloud Onboarding Drift Detected" event per drifted org goes there. */
  readonly events: OnboardingEvents;
  /** Where the `DriftedOrgs` alarm and the failed-run alarm notify. */
  readonly alarms: OnboardingAlarms;
  readonly logRetention: RetentionDays;
  /** EventBridge Scheduler expression, e.g. `rate(1 day)`. */
  readonly schedule: string;
  /** Orgs checked at once. @default 10 */
  readonly concurrency?: number;
  /** The schedule's input `repair`: onboard each drifted org again. @default false */
  readonly repair?: boolean;
}

/**
 * Genesys calls of one org's check one after the other (lambdas/workflows/status/check-org.ts): the bootstrap
 * token; tokens/me; then, in parallel, the client, the integration, the credential, the credential listing,
 * the roles and the division, and a token of the stored secret (one page each); a second page of a listing.
 */
export const DRIFT_CHECK_GENESYS_CALLS = 4;

/**
 * The scheduled drift check: EventBridge Scheduler starts a state machine (Standard, JSONPath) that lists
 * every onboarded org (ListOrgs: the result secrets under the prefix), checks them `concurrency` at a time
 * (a Distributed Map over the org ids, any number of failed items tolerated), and for each drifted org puts
 * a "Genesys Cloud Onboarding Drift Detected" event on the stack's bus (ids and findings, never a secret) and,
 * with `repair`, starts an onboarding of the org's recorded request. Each check publishes `DriftedOrgs` (1 or
 * 0, so a run's sum is its drifted orgs), with an alarm when any org drifted.
 */
export class DriftCheck extends Construct {
  readonly stateMachine: StateMachine;
  readonly functions: { readonly listOrgs: StepFunction; readonly checkOrg: StepFunction };
  readonly schedule: Schedule;
  /** Orgs found drifted per hour (the sum of each check's 1 or 0). */
  readonly driftedOrgs: Metric;
  /** Orgs that could not be checked per hour. */
  readonly uncheckedOrgs: Metric;

  constructor(scope: Construct, id: string, props: DriftCheckProps) {
    super(scope, id);
    const { secrets, logRetention } = props;
    const listOrgs = new StepFunction(this, 'ListOrgs', {
      handler: 'drift/list-orgs',
      logRetention,
      timeout: Duration.minutes(2),
    }).bindSecrets(secrets, ['read-result']);
    // ListSecrets supports no resource-level permissions (Secrets Manager user guide, actions and resources).
    listOrgs.addToRolePolicy(
      new PolicyStatement({ actions: ['secretsmanager:ListSecrets'], resources: ['*'] }),
    );
    const checkOrg = new StepFunction(this, 'CheckOrg', {
      handler: 'drift/check-org',
      logRetention,
      timeout: stepTimeout(DRIFT_CHECK_GENESYS_CALLS),
    }).bindSecrets(secrets, ['read-bootstrap', 'read-result']);
    this.functions = { listOrgs, checkOrg };
    Validations.of(listOrgs.role as Construct).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'X-Ray tracing, and secretsmanager:ListSecrets (it supports no resource-level permissions: the function filters the names by the prefix itself)',
    });

    this.stateMachine = new StateMachine(this, 'StateMachine', {
      stateMachineType: StateMachineType.STANDARD,
      queryLanguage: QueryLanguage.JSON_PATH,
      definitionBody: DefinitionBody.fromChainable(this.definition(props)),
      tracingEnabled: true,
      logs: stateMachineLogs(this, 'genesys-onboarding-drift', logRetention),
    });
    props.events.allowPublisher(this.stateMachine.role, STACK_EVENT_SOURCE);
    this.acknowledgeRole();

    this.schedule = new Schedule(this, 'Schedule', {
      description:
        'Checks every onboarded Genesys Cloud org against its record (genesys-onboarding drift check)',
      schedule: ScheduleExpression.expression(props.schedule),
      target: new ScheduledExecution(this.stateMachine, {
        input: ScheduleTargetInput.fromObject({ repair: props.repair ?? false }),
        retryAttempts: 3,
        maxEventAge: Duration.hours(1),
      }),
    });

    const metric = (metricName: string) =>
      new Metric({
        namespace: METRICS_NAMESPACE,
        metricName,
        dimensionsMap: { service: METRICS_SERVICE },
        statistic: 'Sum',
        period: Duration.hours(1),
      });
    this.driftedOrgs = metric(DRIFT_METRICS.driftedOrgs);
    this.uncheckedOrgs = metric(DRIFT_METRICS.uncheckedOrgs);
    props.alarms.alarmOn('DriftedOrgs', {
      alarmDescription:
        'The drift check found onboarded orgs that differ from their record: see the "Genesys Cloud Onboarding Drift Detected" events',
      metric: this.driftedOrgs,
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    props.alarms.alarmOn('DriftCheckFailed', {
      alarmDescription:
        'A drift check failed or timed out: some orgs were not checked (see its execution history)',
      metric: this.stateMachine.metricFailed({ period: Duration.minutes(5), statistic: 'Sum' }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
  }

  private definition(props: DriftCheckProps) {
    // The schedule's input ({repair}) is ListOrgs' input; its output ({repair, orgIds}) the map's.
    const listOrgs = lambdaTask(this, S.listOrgs, this.functions.listOrgs);
    const checkOrg = lambdaTask(this, S.checkOrg, this.functions.checkOrg, { resultPath: '$.check' });
    const publishDrift = new EventBridgePutEvents(this, S.publishDrift, {
      stateName: S.publishDrift,
      entries: [
        {
          eventBus: props.events.bus,
          source: STACK_EVENT_SOURCE,
          detailType: DRIFT_DETECTED_DETAIL_TYPE,
          detail: TaskInput.fromJsonPathAt('$.check.detail'),
        },
      ],
      resultPath: JsonPath.DISCARD,
    });
    publishDrift.addRetry({
      errors: ['EventBridge.FailedEntry', 'EventBridge.EventBridgeException', 'States.TaskFailed'],
      interval: Duration.seconds(2),
      maxAttempts: 4,
      backoffRate: 2,
      jitterStrategy: JitterType.FULL,
    });
    const startRepair = new StepFunctionsStartExecution(this, S.startRepair, {
      stateName: S.startRepair,
      stateMachine: props.onboarding,
      name: JsonPath.stringAt('$.check.repair.executionName'),
      input: TaskInput.fromJsonPathAt('$.check.repair.input'),
      resultPath: JsonPath.DISCARD,
    });
    const checked = new Succeed(this, S.checked, { stateName: S.checked });
    // The same check run again (a redriven item) names the same repair: it is started once.
    startRepair.addCatch(checked, {
      errors: ['StepFunctions.ExecutionAlreadyExistsException'],
      resultPath: JsonPath.DISCARD,
    });
    const repairRequested = new Choice(this, S.repairRequested, { stateName: S.repairRequested })
      .when(Condition.isPresent('$.check.repair'), startRepair.next(checked))
      .otherwise(checked);
    const drifted = new Choice(this, S.drifted, { stateName: S.drifted })
      .when(Condition.stringEquals('$.check.verdict', 'drifted'), publishDrift.next(repairRequested))
      .otherwise(checked);

    const checkOrgs = new DistributedMap(this, S.checkOrgs, {
      stateName: S.checkOrgs,
      label: S.checkOrgs,
      itemsPath: '$.orgIds',
      itemSelector: {
        'orgId.$': '$$.Map.Item.Value',
        'repair.$': '$.repair',
        'checkId.$': '$$.Execution.Name',
      },
      maxConcurrency: props.concurrency ?? 10,
      toleratedFailurePercentage: 100,
      mapExecutionType: StateMachineType.STANDARD,
      resultPath: JsonPath.DISCARD,
    });
    checkOrgs.itemProcessor(checkOrg.next(drifted));
    const done = new Pass(this, S.done, {
      stateName: S.done,
      parameters: { 'orgsChecked.$': 'States.ArrayLength($.orgIds)', 'repair.$': '$.repair' },
    });
    return listOrgs.next(checkOrgs).next(done);
  }

  private acknowledgeRole(): void {
    const stack = Stack.of(this);
    const logicalId = (construct: Construct) => stack.getLogicalId(construct.node.defaultChild as CfnElement);
    acknowledgeStateMachineRole(this.stateMachine, [
      logicalId(this.functions.listOrgs),
      logicalId(this.functions.checkOrg),
    ]);
    acknowledgeDistributedMap(this.stateMachine, S.checkOrgs);
  }
}
