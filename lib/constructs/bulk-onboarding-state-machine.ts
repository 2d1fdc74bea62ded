import { ArnFormat, type CfnElement, Duration, Stack, Validations } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import {
  Choice,
  Condition,
  DefinitionBody,
  DistributedMap,
  Fail,
  IntegrationPattern,
  JitterType,
  JsonPath,
  Pass,
  QueryLanguage,
  Result,
  ResultWriterV2,
  S3JsonLItemReader,
  StateMachine,
  StateMachineType,
  TaskInput,
  Wait,
  WaitTime,
} from 'aws-cdk-lib/aws-stepfunctions';
import { CallAwsService, StepFunctionsStartExecution } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { BULK_PREFIXES } from '../../lambdas/shared/bulk-request';
import { FLEET_ERRORS } from '../../lambdas/shared/fleet-errors';
import { OBJECT_STORE_TRANSIENT } from '../../lambdas/shared/object-store';
import { BULK_STATES as S } from '../../lambdas/workflows/bulk/states';
import {
  acknowledgeDistributedMap,
  acknowledgeStateMachineRole,
  lambdaTask,
  stateMachineLogs,
} from './state-machine-defaults';
import { StepFunction } from './step-function';

export interface BulkOnboardingStateMachineProps {
  /** The onboarding state machine each org runs as a child execution of. */
  readonly onboarding: StateMachine;
  /** The manifest bucket (manifest-bucket.ts): manifests, work files, results. */
  readonly bucket: IBucket;
  /** Prefix of the secret names: each line's bootstrap secret must be its org's. */
  readonly secretPrefix: string;
  readonly logRetention: RetentionDays;
  /** Orgs onboarded at once (the Distributed Map's MaxConcurrency). @default 10 */
  readonly maxConcurrency?: number;
  /** Seconds between two looks at an earlier onboarding of the same request that is still running. @default 30 */
  readonly earlierRunPollSeconds?: number;
}

/**
 * The bulk onboarding state machine (Standard, JSONPath): ValidateManifest reads the manifest from S3,
 * validates every line and writes the valid ones as JSON Lines; a Distributed Map reads them (ItemReader)
 * and runs each org as a child execution of the onboarding state machine (`startExecution.sync:2`, named as
 * the API names it), `maxConcurrency` at a time, tolerating any number of failed orgs, its results written
 * to S3 (ResultWriter); Summarize reads them and returns the summary. An earlier onboarding of the same
 * request (ExecutionAlreadyExists: names are unique for 90 days) is looked up: done counts as onboarded
 * (`reused`), still running is waited for, anything else fails that org with the earlier run's error.
 */
export class BulkOnboardingStateMachine extends Construct {
  readonly stateMachine: StateMachine;
  readonly functions: { readonly validate: StepFunction; readonly summarize: StepFunction };

  constructor(scope: Construct, id: string, props: BulkOnboardingStateMachineProps) {
    super(scope, id);
    const { bucket, onboarding, logRetention } = props;
    const fn = (name: string, handler: string, memorySize: number) =>
      new StepFunction(this, name, { handler, logRetention, timeout: Duration.minutes(5), memorySize });
    const validate = fn('ValidateManifest', 'bulk/validate-manifest', 1024);
    const summarize = fn('Summarize', 'bulk/summarize', 1536);
    for (const f of [validate, summarize]) {
      f.addEnvironment('SECRET_PREFIX', props.secretPrefix);
      f.addEnvironment('ONBOARDING_STATE_MACHINE_ARN', onboarding.stateMachineArn);
    }
    // A manifest may be anywhere in the bucket but work/ and results/ (the start function refuses those).
    grantObjects(
      validate,
      bucket,
      ['s3:GetObject'],
      '*',
      'a manifest is read from the key the operator chose',
    );
    grantObjects(
      validate,
      bucket,
      ['s3:PutObject'],
      `${BULK_PREFIXES.work}*`,
      "each bulk onboarding's items are written under its own name",
    );
    grantObjects(
      summarize,
      bucket,
      ['s3:GetObject'],
      `${BULK_PREFIXES.work}*`,
      "each bulk onboarding's invalid lines are read from under its own name",
    );
    grantObjects(
      summarize,
      bucket,
      ['s3:GetObject', 's3:PutObject'],
      `${BULK_PREFIXES.results}*`,
      "the map's result files and the summary are under the bulk onboarding's own name",
    );
    // Without ListBucket, S3 answers a missing manifest with 403 instead of 404 (NoSuchKey).
    validate.addToRolePolicy(
      new PolicyStatement({ actions: ['s3:ListBucket'], resources: [bucket.bucketArn] }),
    );
    this.functions = { validate, summarize };

    this.stateMachine = new StateMachine(this, 'StateMachine', {
      stateMachineType: StateMachineType.STANDARD,
      queryLanguage: QueryLanguage.JSON_PATH,
      definitionBody: DefinitionBody.fromChainable(this.definition(props)),
      tracingEnabled: true,
      logs: stateMachineLogs(this, 'genesys-onboarding-bulk', logRetention),
    });
    this.acknowledgeRole(props);
  }

  private definition(props: BulkOnboardingStateMachineProps) {
    const { bucket, onboarding } = props;
    const objectStoreRetry = {
      errors: [OBJECT_STORE_TRANSIENT],
      interval: Duration.seconds(2),
      maxAttempts: 4,
      backoffRate: 2,
      jitterStrategy: JitterType.FULL,
    };
    const validate = lambdaTask(this, S.validate, this.functions.validate, {
      payload: TaskInput.fromObject({ 'request.$': '$.request', 'bulkId.$': '$$.Execution.Name' }),
      resultPath: '$.validation',
    }).addRetry(objectStoreRetry);
    const summarize = lambdaTask(this, S.summarize, this.functions.summarize, {
      payload: TaskInput.fromObject({
        'bulkId.$': '$$.Execution.Name',
        'validation.$': '$.validation',
        'map.$': '$.map',
      }),
    }).addRetry(objectStoreRetry);

    const onboardOrgs = new DistributedMap(this, S.onboardOrgs, {
      stateName: S.onboardOrgs,
      label: S.onboardOrgs,
      itemReader: new S3JsonLItemReader({ bucket, key: JsonPath.stringAt('$.validation.itemsKey') }),
      resultWriterV2: new ResultWriterV2({
        bucket,
        prefix: JsonPath.format(`${BULK_PREFIXES.results}{}`, JsonPath.stringAt('$$.Execution.Name')),
      }),
      maxConcurrency: props.maxConcurrency ?? 10,
      toleratedFailurePercentage: 100,
      mapExecutionType: StateMachineType.STANDARD,
      resultPath: '$.map',
    });
    // A DistributedMap's processor is distributed, its executions of `mapExecutionType`.
    onboardOrgs.itemProcessor(this.processor(onboarding, props.earlierRunPollSeconds ?? 30));
    const noValidLines = new Pass(this, S.noValidLines, {
      stateName: S.noValidLines,
      result: Result.fromObject({}),
      resultPath: '$.map',
    });
    const anyValid = new Choice(this, S.anyValid, { stateName: S.anyValid })
      .when(Condition.numberGreaterThan('$.validation.valid', 0), onboardOrgs.next(summarize))
      .otherwise(noValidLines.next(summarize));
    return validate.next(anyValid);
  }

  /**
   * One org: its onboarding as a child execution, named as the API names it. An execution of that name that
   * exists already (StartExecution answers ExecutionAlreadyExists for a closed one) is looked up instead.
   */
  private processor(onboarding: StateMachine, pollSeconds: number) {
    const startOnboarding = new StepFunctionsStartExecution(this, S.startOnboarding, {
      stateName: S.startOnboarding,
      stateMachine: onboarding,
      integrationPattern: IntegrationPattern.RUN_JOB,
      name: JsonPath.stringAt('$.executionName'),
      input: TaskInput.fromObject({ 'request.$': '$.request' }),
      associateWithParent: false,
      resultSelector: { 'result.$': '$.Output' },
      resultPath: '$.started',
    });
    startOnboarding.addRetry({
      errors: ['StepFunctions.ExecutionLimitExceededException'],
      interval: Duration.seconds(10),
      maxAttempts: 6,
      backoffRate: 2,
      jitterStrategy: JitterType.FULL,
    });
    const onboarded = new Pass(this, S.onboarded, {
      stateName: S.onboarded,
      parameters: { reused: false, 'result.$': '$.started.result' },
    });

    const describeEarlierRun = new CallAwsService(this, S.describeEarlierRun, {
      stateName: S.describeEarlierRun,
      service: 'sfn',
      action: 'describeExecution',
      iamAction: 'states:DescribeExecution',
      iamResources: [this.executionsOf(onboarding)],
      parameters: { 'ExecutionArn.$': '$.executionArn' },
      resultPath: '$.earlier',
    });
    describeEarlierRun.addRetry({
      errors: ['Sfn.SfnException', 'States.TaskFailed'],
      interval: Duration.seconds(2),
      maxAttempts: 4,
      backoffRate: 2,
      jitterStrategy: JitterType.FULL,
    });
    startOnboarding.addCatch(describeEarlierRun, {
      errors: ['StepFunctions.ExecutionAlreadyExistsException'],
      resultPath: '$.alreadyExists',
    });
    const onboardedEarlier = new Pass(this, S.onboardedEarlier, {
      stateName: S.onboardedEarlier,
      parameters: { reused: true, 'result.$': 'States.StringToJson($.earlier.Output)' },
    });
    const waitForEarlierRun = new Wait(this, S.waitForEarlierRun, {
      stateName: S.waitForEarlierRun,
      time: WaitTime.duration(Duration.seconds(pollSeconds)),
    });
    // The earlier run's Error and Cause when it has them (a FAILED onboarding always does), else ours.
    const earlierRunFailed = new Pass(this, S.earlierRunDefaults, {
      stateName: S.earlierRunDefaults,
      result: Result.fromObject({
        Error: FLEET_ERRORS.earlierRunEnded,
        Cause: 'An earlier onboarding of this request ended without success',
      }),
      resultPath: '$.defaults',
    })
      .next(
        new Pass(this, S.earlierRunFailure, {
          stateName: S.earlierRunFailure,
          parameters: { 'failure.$': 'States.JsonMerge($.defaults, $.earlier, false)' },
        }),
      )
      .next(
        new Pass(this, S.earlierRunCause, {
          stateName: S.earlierRunCause,
          parameters: {
            'error.$': '$.failure.Error',
            'cause.$':
              "States.Format('{} [the earlier onboarding {} of this request ended {}: give the line an idempotencyKey to run it again]', $.failure.Cause, $.failure.ExecutionArn, $.failure.Status)",
          },
        }),
      )
      .next(
        new Fail(this, S.earlierRunFailed, {
          stateName: S.earlierRunFailed,
          errorPath: '$.error',
          causePath: '$.cause',
        }),
      );
    describeEarlierRun.next(
      new Choice(this, S.earlierRunEnded, { stateName: S.earlierRunEnded })
        .when(Condition.stringEquals('$.earlier.Status', 'SUCCEEDED'), onboardedEarlier)
        .when(
          Condition.or(
            Condition.stringEquals('$.earlier.Status', 'RUNNING'),
            Condition.stringEquals('$.earlier.Status', 'PENDING_REDRIVE'),
          ),
          waitForEarlierRun.next(describeEarlierRun),
        )
        .otherwise(earlierRunFailed),
    );
    return startOnboarding.next(onboarded);
  }

  /** `arn:<partition>:states:<region>:<account>:execution:<onboarding state machine name>:*`. */
  private executionsOf(onboarding: StateMachine): string {
    return Stack.of(this).formatArn({
      service: 'states',
      resource: 'execution',
      resourceName: `${onboarding.stateMachineName}:*`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
  }

  /** The wildcards the role's grants need, each named with why. */
  private acknowledgeRole(props: BulkOnboardingStateMachineProps): void {
    const stack = Stack.of(this);
    const logicalId = (construct: Construct) => stack.getLogicalId(construct.node.defaultChild as CfnElement);
    acknowledgeStateMachineRole(this.stateMachine, [
      logicalId(this.functions.validate),
      logicalId(this.functions.summarize),
    ]);
    const onboardingId = logicalId(props.onboarding);
    const nameOf = (id: string) => `{"Fn::Select":[6,{"Fn::Split":[":",{"Ref":"${id}"}]}]}`;
    const executions = 'arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:';
    const role = Validations.of(this.stateMachine.role);
    role.acknowledge({
      id: `AwsSolutions-IAM5[Resource::${executions}${nameOf(onboardingId)}*]`,
      reason:
        'startExecution.sync:2 follows (DescribeExecution) and stops (StopExecution) the onboardings it starts: executions of that one state machine, named at run time',
    });
    role.acknowledge({
      id: `AwsSolutions-IAM5[Resource::${executions}<${onboardingId}.Name>:*]`,
      reason: 'An earlier onboarding of a request is looked up by its execution name, known only at run time',
    });
    role.acknowledge({
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::<${logicalId(props.bucket)}>/*]`,
      reason:
        "The Distributed Map reads its items file and writes its results under keys named by the execution, in the stack's own manifest bucket only",
    });
    acknowledgeDistributedMap(this.stateMachine, S.onboardOrgs);
  }
}

/**
 * Grants S3 actions on the bucket's objects under a key pattern (no action wildcards), and acknowledges the
 * key wildcard with why.
 */
function grantObjects(fn: StepFunction, bucket: IBucket, actions: string[], keys: string, why: string): void {
  fn.addToRolePolicy(new PolicyStatement({ actions, resources: [bucket.arnForObjects(keys)] }));
  const bucketId = Stack.of(fn).getLogicalId(bucket.node.defaultChild as CfnElement);
  Validations.of(fn.role as Construct).acknowledge({
    id: `AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/${keys}]`,
    reason: `Objects of the stack's manifest bucket only: ${why}`,
  });
}

/**
 * Lets a function read the map runs of the bulk onboarding state machine's executions: `states:ListMapRuns` on
 * its executions, `states:DescribeMapRun` on its map runs (labelled `label`).
 */
export function grantMapRunReads(fn: StepFunction, bulk: StateMachine, label: string = S.onboardOrgs): void {
  const stack = Stack.of(fn);
  const name = bulk.stateMachineName;
  fn.addToRolePolicy(
    new PolicyStatement({
      actions: ['states:ListMapRuns'],
      resources: [
        stack.formatArn({
          service: 'states',
          resource: 'execution',
          resourceName: `${name}:*`,
          arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        }),
      ],
    }),
  );
  fn.addToRolePolicy(
    new PolicyStatement({
      actions: ['states:DescribeMapRun'],
      resources: [
        stack.formatArn({
          service: 'states',
          resource: 'mapRun',
          resourceName: `${name}/${label}:*`,
          arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        }),
      ],
    }),
  );
  const bulkId = stack.getLogicalId(bulk.node.defaultChild as CfnElement);
  Validations.of(fn.role as Construct).acknowledge({
    id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:mapRun:<${bulkId}.Name>/${label}:*]`,
    reason: 'The map runs of the bulk onboardings this function reports on, whose ids Step Functions chooses',
  });
}
