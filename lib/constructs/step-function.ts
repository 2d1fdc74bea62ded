import * as path from 'node:path';
import { Arn, ArnFormat, type CfnElement, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { FUNCTION_BUNDLING, FUNCTION_ENVIRONMENT } from './function-settings';
import type { OnboardingSecrets, SecretAccess } from './secrets';

export interface StepFunctionProps {
  /** The handler file under `lambdas/handlers`, without extension, e.g. `onboarding/prepare`. */
  readonly handler: string;
  readonly logRetention: RetentionDays;
  /** @default Duration.minutes(2) */
  readonly timeout?: Duration;
  /** @default 512 */
  readonly memorySize?: number;
  /** Dead-letter queue for failed asynchronous invocations. @default none */
  readonly deadLetterQueue?: IQueue;
}

const HANDLERS_DIR = path.join(__dirname, '..', '..', 'lambdas', 'handlers');
const REPO_ROOT = path.join(__dirname, '..', '..');

/**
 * A Lambda function of this project: Node.js 22 on arm64, bundled by local esbuild as `FUNCTION_BUNDLING`
 * says (AWS SDK v3 from the runtime), X-Ray tracing, JSON logs to its own log group with retention, and its own role
 * that may write only there. What else it may touch is bound with `bindSecrets` and `bindStateMachine`, each
 * setting the environment variable, the grant and the cdk-nag acknowledgement together.
 */
export class StepFunction extends NodejsFunction {
  /** The handler file, e.g. `onboarding/prepare`; also the function's description. */
  readonly handlerName: string;

  constructor(scope: Construct, id: string, props: StepFunctionProps) {
    if (!/^[a-z][a-z-]*(\/[a-z][a-z-]*)?$/.test(props.handler)) {
      throw new Error(`StepFunction handler must be a file under lambdas/handlers, got ${props.handler}`);
    }
    const logGroup = new LogGroup(scope, `${id}Logs`, {
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // Our own role instead of AWSLambdaBasicExecutionRole: logs only to this function's log group.
    const role = new Role(scope, `${id}Role`, { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });
    role.addToPolicy(
      new PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [logGroup.logGroupArn],
      }),
    );
    super(scope, id, {
      description: `genesys-onboarding ${props.handler}`,
      role,
      entry: path.join(HANDLERS_DIR, `${props.handler}.ts`),
      handler: 'handler',
      projectRoot: REPO_ROOT,
      depsLockFilePath: path.join(REPO_ROOT, 'package-lock.json'),
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.minutes(2),
      tracing: Tracing.ACTIVE,
      logGroup,
      deadLetterQueue: props.deadLetterQueue,
      environment: { ...FUNCTION_ENVIRONMENT },
      bundling: {
        ...FUNCTION_BUNDLING,
        mainFields: [...FUNCTION_BUNDLING.mainFields],
        externalModules: [...FUNCTION_BUNDLING.externalModules],
        format: OutputFormat.CJS,
        forceDockerBundling: false,
      },
    });
    this.handlerName = props.handler;
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'X-Ray tracing (xray:PutTraceSegments, xray:PutTelemetryRecords) supports no resource-level permissions',
    });
    Validations.of(this).acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        'Pinned to nodejs22.x, the runtime the handlers and their dependencies are built and tested for',
    });
  }

  /**
   * The secrets this function's step touches: `SECRET_PREFIX` (and the KMS key of new result secrets when it
   * writes them), the IAM grants for exactly these kinds of access under the prefix, and the acknowledgement
   * of the one wildcard they need (the org id in the secret name).
   */
  bindSecrets(secrets: OnboardingSecrets, access: readonly SecretAccess[]): this {
    this.addEnvironment('SECRET_PREFIX', secrets.secretPrefix);
    if (access.includes('write-result')) this.addEnvironment('RESULT_SECRET_KMS_KEY_ID', secrets.key.keyArn);
    secrets.grant(this, access);
    return this;
  }

  /**
   * A state machine this function starts or reads executions of: `STATE_MACHINE_ARN`, `states:StartExecution`
   * (with `start`) and `states:DescribeExecution` on its executions.
   */
  bindStateMachine(stateMachine: StateMachine, access: 'start' | 'read'): this {
    this.addEnvironment('STATE_MACHINE_ARN', stateMachine.stateMachineArn);
    if (access === 'start') stateMachine.grantStartExecution(this);
    const stack = Stack.of(this);
    this.addToRolePolicy(
      new PolicyStatement({
        actions: ['states:DescribeExecution'],
        resources: [
          Arn.format(
            {
              service: 'states',
              resource: 'execution',
              resourceName: `${stateMachine.stateMachineName}:*`,
              arnFormat: ArnFormat.COLON_RESOURCE_NAME,
            },
            stack,
          ),
        ],
      }),
    );
    const machineId = stack.getLogicalId(stateMachine.node.defaultChild as CfnElement);
    Validations.of(this.role as Role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:<${machineId}.Name>:*]`,
      reason: 'Executions of this one state machine, whose names are the ids the API hands out',
    });
    return this;
  }
}
