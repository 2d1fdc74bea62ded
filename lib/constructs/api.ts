import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import {
  AccessLogFormat,
  AuthorizationType,
  type JsonSchema,
  LambdaIntegration,
  LogGroupLogDestination,
  MethodLoggingLevel,
  RequestValidator,
  ResponseType,
  RestApi,
} from 'aws-cdk-lib/aws-apigateway';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { StepFunction } from './step-function';

export interface WorkflowsApiProps {
  readonly logRetention: RetentionDays;
  /** Steady-state requests per second. */
  readonly rateLimit: number;
  /** Burst of requests. */
  readonly burstLimit: number;
  /**
   * Create a role for API Gateway to write logs with and make it the account's API Gateway CloudWatch role
   * (`AWS::ApiGateway::Account`, one per account and region, shared by every REST API there). Both are kept
   * when the stack is deleted, so other APIs never lose their logging.
   * @default false: the account must already have one (see `WorkflowsApi`)
   */
  readonly cloudWatchRole?: boolean;
}

/** One workflow's routes: `POST /<path>` starts it, `GET /<path>/{<idParameter>}` reads it. */
export interface ApiWorkflowProps {
  /** The collection, e.g. `onboardings`. */
  readonly path: string;
  /** The id's path parameter, e.g. `onboardingId`. */
  readonly idParameter: string;
  /** The state machine the routes start and read executions of. */
  readonly stateMachine: StateMachine;
  /** Handler files under lambdas/handlers, e.g. `api/start-onboarding` and `api/get-onboarding`. */
  readonly startHandler: string;
  readonly statusHandler: string;
  /** The request body's JSON schema (request-models.ts). */
  readonly requestModel: JsonSchema;
  /** Prefix of the secret names: a request's bootstrap secret must be under it. */
  readonly secretPrefix: string;
  /** Where the start function's failed asynchronous invocations (events) go. @default none */
  readonly deadLetterQueue?: IQueue;
}

/**
 * The REST API of the workflows (`addWorkflow` adds each one's routes and its two functions), IAM-authorized,
 * bodies validated against a JSON schema (the start function validates again, field by field), access logs,
 * throttling, no data trace.
 *
 * Its stage writes access logs to its own log group and execution logs at ERROR. For a REST API both go
 * through the account's API Gateway CloudWatch role (per region): without one, creating the stage fails with
 * "CloudWatch Logs role ARN must be set in account settings to enable logging" (Amazon API Gateway developer
 * guide, "Permissions for CloudWatch logging"). This construct sets that account-wide setting only when asked
 * (`cloudWatchRole`). The base URL is `api.url`; RestApi's own `Endpoint` output is removed.
 */
export class WorkflowsApi extends Construct {
  readonly api: RestApi;
  private readonly validator: RequestValidator;
  private readonly logRetention: RetentionDays;

  constructor(scope: Construct, id: string, props: WorkflowsApiProps) {
    super(scope, id);
    this.logRetention = props.logRetention;
    const accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.api = new RestApi(this, 'Api', {
      description: 'Genesys Cloud Data Actions onboarding',
      ...(props.cloudWatchRole
        ? { cloudWatchRole: true, cloudWatchRoleRemovalPolicy: RemovalPolicy.RETAIN }
        : { cloudWatchRole: false }),
      defaultMethodOptions: { authorizationType: AuthorizationType.IAM },
      deployOptions: {
        stageName: 'v1',
        accessLogDestination: new LogGroupLogDestination(accessLogs),
        accessLogFormat: AccessLogFormat.jsonWithStandardFields(),
        loggingLevel: MethodLoggingLevel.ERROR,
        dataTraceEnabled: false,
        tracingEnabled: true,
        throttlingRateLimit: props.rateLimit,
        throttlingBurstLimit: props.burstLimit,
      },
    });

    // The stack has its own URL output; a second one, with a generated name, only confuses.
    this.api.node.tryRemoveChild('Endpoint');

    this.validator = new RequestValidator(this, 'Validator', {
      restApi: this.api,
      validateRequestBody: true,
      validateRequestParameters: true,
    });
    // The validator's own 400 in the API's error shape.
    this.api.addGatewayResponse('BadRequestBody', {
      type: ResponseType.BAD_REQUEST_BODY,
      statusCode: '400',
      templates: {
        'application/json':
          '{"message":"Invalid request","problems":[{"field":"body","problem":"$util.escapeJavaScript($context.error.validationErrorString)"}]}',
      },
    });
    Validations.of(this.api.deploymentStage).acknowledge({
      id: 'AwsSolutions-APIG3',
      reason:
        'IAM-authorized and throttled API; a WAF web ACL can be associated by the operator where policy asks for one',
    });
    const cloudWatchRole = this.api.node.tryFindChild('CloudWatchRole');
    if (cloudWatchRole) {
      Validations.of(cloudWatchRole).acknowledge({
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
        reason:
          "API Gateway's account-level logging role (opted in with apiGatewayCloudWatchRole): AWS's own policy is the documented way to let it write access and execution logs",
      });
    }
  }

  /**
   * Adds a workflow's routes and their functions: the start function may start executions of its state
   * machine (and also serves the workflow's events), the status function only reads them.
   */
  addWorkflow(
    id: string,
    props: ApiWorkflowProps,
  ): { startFunction: StepFunction; statusFunction: StepFunction } {
    const scope = new Construct(this, id);
    const settings = { logRetention: this.logRetention, timeout: Duration.seconds(30) };
    const startFunction = new StepFunction(scope, 'Start', {
      ...settings,
      handler: props.startHandler,
      ...(props.deadLetterQueue ? { deadLetterQueue: props.deadLetterQueue } : {}),
    }).bindStateMachine(props.stateMachine, 'start');
    startFunction.addEnvironment('SECRET_PREFIX', props.secretPrefix);
    const statusFunction = new StepFunction(scope, 'Status', {
      ...settings,
      handler: props.statusHandler,
    }).bindStateMachine(props.stateMachine, 'read');

    const model = this.api.addModel(`${id}Request`, {
      contentType: 'application/json',
      modelName: `${id}Request`,
      schema: props.requestModel,
    });
    const collection = this.api.root.addResource(props.path);
    const post = collection.addMethod('POST', new LambdaIntegration(startFunction), {
      requestValidator: this.validator,
      requestModels: { 'application/json': model },
    });
    const get = collection
      .addResource(`{${props.idParameter}}`)
      .addMethod('GET', new LambdaIntegration(statusFunction), {
        requestValidator: this.validator,
        requestParameters: { [`method.request.path.${props.idParameter}`]: true },
      });
    for (const method of [post, get]) {
      Validations.of(method).acknowledge({
        id: 'AwsSolutions-COG4',
        reason:
          'Callers are machines (platform pipelines, partner back ends): IAM (SigV4) authorization, no user pool',
      });
    }
    return { startFunction, statusFunction };
  }
}
