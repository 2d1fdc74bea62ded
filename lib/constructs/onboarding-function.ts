import * as path from 'node:path';
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export interface OnboardingFunctionProps {
  /** The handler file under `lambdas/handlers`, without extension, e.g. `prepare`. */
  readonly handler: string;
  readonly logRetention: RetentionDays;
  readonly environment?: Record<string, string>;
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
 * A Lambda function with this project's defaults: Node.js 22 on arm64, bundled by local esbuild (minified,
 * source maps, AWS SDK v3 from the runtime), X-Ray tracing, its own log group with retention, JSON logs.
 */
export class OnboardingFunction extends Construct {
  readonly function: NodejsFunction;

  constructor(scope: Construct, id: string, props: OnboardingFunctionProps) {
    super(scope, id);
    if (!/^[a-z][a-z-]*$/.test(props.handler)) {
      throw new Error(
        `OnboardingFunction handler must be a file name in lambdas/handlers, got ${props.handler}`,
      );
    }
    const logGroup = new LogGroup(this, 'Logs', {
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // Our own role instead of AWSLambdaBasicExecutionRole: logs only to this function's log group.
    const role = new Role(this, 'Role', { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });
    role.addToPolicy(
      new PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [logGroup.logGroupArn],
      }),
    );
    this.function = new NodejsFunction(this, 'Function', {
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
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: 'genesys-onboarding',
        POWERTOOLS_LOG_LEVEL: 'INFO',
        ONBOARDING_STEP: props.handler,
        ...props.environment,
      },
      bundling: {
        minify: true,
        sourceMap: true,
        target: 'node22',
        format: OutputFormat.CJS,
        externalModules: ['@aws-sdk/*'],
        forceDockerBundling: false,
      },
    });
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'X-Ray tracing (xray:PutTraceSegments, xray:PutTelemetryRecords) supports no resource-level permissions',
    });
    Validations.of(this.function).acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        'Pinned to nodejs22.x, the runtime the handlers and their dependencies are built and tested for',
    });
  }
}
