import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import {
  AccessLogFormat,
  AuthorizationType,
  JsonSchemaType,
  JsonSchemaVersion,
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
import { listRegions } from '../../lambdas/genesys/regions';
import { StepFunction } from './step-function';

export interface OnboardingApiProps {
  /** The state machine the API starts and reads executions of. */
  readonly stateMachine: StateMachine;
  /** Prefix of the secret names: a request's bootstrap secret must be under it. */
  readonly secretPrefix: string;
  readonly logRetention: RetentionDays;
  /** Steady-state requests per second. */
  readonly rateLimit: number;
  /** Burst of requests. */
  readonly burstLimit: number;
  /** Where the start function's failed asynchronous invocations (events) go. */
  readonly deadLetterQueue: IQueue;
  /**
   * Create a role for API Gateway to write logs with and make it the account's API Gateway CloudWatch role
   * (`AWS::ApiGateway::Account`, one per account and region, shared by every REST API there). Both are kept
   * when the stack is deleted, so other APIs never lose their logging.
   * @default false: the account must already have one (see `OnboardingApi`)
   */
  readonly cloudWatchRole?: boolean;
}

const name = { type: JsonSchemaType.STRING, minLength: 1, maxLength: 200 };

/**
 * The REST API: `POST /onboardings` and `GET /onboardings/{onboardingId}`, IAM-authorized, bodies validated
 * against a JSON schema (the start function validates again, field by field), access logs, throttling, no
 * data trace; and its two functions. The start function also serves the onboarding events.
 *
 * Its stage writes access logs to its own log group and execution logs at ERROR. For a REST API both go
 * through the account's API Gateway CloudWatch role (per region): without one, creating the stage fails with
 * "CloudWatch Logs role ARN must be set in account settings to enable logging" (Amazon API Gateway developer
 * guide, "Permissions for CloudWatch logging"). This construct sets that account-wide setting only when asked
 * (`cloudWatchRole`). The base URL is `api.url`; RestApi's own `Endpoint` output is removed.
 */
export class OnboardingApi extends Construct {
  readonly api: RestApi;
  /** Starts onboardings: `POST /onboardings` and "Genesys Cloud Org Onboarded" events. */
  readonly startFunction: StepFunction;
  /** `GET /onboardings/{onboardingId}`. */
  readonly statusFunction: StepFunction;

  constructor(scope: Construct, id: string, props: OnboardingApiProps) {
    super(scope, id);
    const settings = { logRetention: props.logRetention, timeout: Duration.seconds(30) };
    this.startFunction = new StepFunction(this, 'StartOnboarding', {
      ...settings,
      handler: 'api/start-onboarding',
      deadLetterQueue: props.deadLetterQueue,
    }).bindStateMachine(props.stateMachine, 'start');
    this.startFunction.addEnvironment('SECRET_PREFIX', props.secretPrefix);
    this.statusFunction = new StepFunction(this, 'GetOnboarding', {
      ...settings,
      handler: 'api/get-onboarding',
    }).bindStateMachine(props.stateMachine, 'read');

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

    const validator = new RequestValidator(this, 'Validator', {
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
          '{"message":"Invalid onboarding request","problems":[{"field":"body","problem":"$util.escapeJavaScript($context.error.validationErrorString)"}]}',
      },
    });
    const requestModel = this.api.addModel('OnboardingRequest', {
      contentType: 'application/json',
      modelName: 'OnboardingRequest',
      schema: {
        schema: JsonSchemaVersion.DRAFT4,
        title: 'OnboardingRequest',
        type: JsonSchemaType.OBJECT,
        additionalProperties: false,
        required: ['orgId', 'region', 'oauthClient', 'integration'],
        properties: {
          orgId: { type: JsonSchemaType.STRING, pattern: '^[0-9a-fA-F-]{36}$' },
          region: {
            type: JsonSchemaType.STRING,
            minLength: 1,
            maxLength: 64,
            description: listRegions().join(', '),
          },
          oauthClient: {
            type: JsonSchemaType.OBJECT,
            additionalProperties: false,
            required: ['name', 'roles'],
            properties: {
              name,
              description: { type: JsonSchemaType.STRING, maxLength: 1000 },
              roles: {
                type: JsonSchemaType.ARRAY,
                minItems: 1,
                maxItems: 50,
                uniqueItems: true,
                items: name,
              },
              divisionId: { type: JsonSchemaType.STRING, maxLength: 36 },
              accessTokenValiditySeconds: { type: JsonSchemaType.INTEGER, minimum: 300, maximum: 172800 },
            },
          },
          integration: {
            type: JsonSchemaType.OBJECT,
            additionalProperties: false,
            required: ['name'],
            properties: { name, notes: { type: JsonSchemaType.STRING, maxLength: 2000 } },
          },
          bootstrapSecretId: { type: JsonSchemaType.STRING, minLength: 1, maxLength: 2048 },
          idempotencyKey: { type: JsonSchemaType.STRING, pattern: '^[A-Za-z0-9_-]{1,64}$' },
        },
      },
    });

    const onboardings = this.api.root.addResource('onboardings');
    const post = onboardings.addMethod('POST', new LambdaIntegration(this.startFunction), {
      requestValidator: validator,
      requestModels: { 'application/json': requestModel },
    });
    const get = onboardings
      .addResource('{onboardingId}')
      .addMethod('GET', new LambdaIntegration(this.statusFunction), {
        requestValidator: validator,
        requestParameters: { 'method.request.path.onboardingId': true },
      });

    for (const method of [post, get]) {
      Validations.of(method).acknowledge({
        id: 'AwsSolutions-COG4',
        reason:
          'Callers are machines (platform pipelines, partner back ends): IAM (SigV4) authorization, no user pool',
      });
    }
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
}
