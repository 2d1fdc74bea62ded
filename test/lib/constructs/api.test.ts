import { Match, Template } from 'aws-cdk-lib/assertions';
import { WorkflowsApi } from '../../../lib/constructs/api';
import { onboardingRequestModel } from '../../../lib/constructs/request-models';
import { collaborators } from '../../support/constructs';
import { actionsOf, emptyStack, functionOf } from '../../support/stack';

describe('WorkflowsApi', () => {
  const build = (cloudWatchRole?: boolean) => {
    const stack = emptyStack();
    const { stateMachine, queue } = collaborators(stack);
    const api = new WorkflowsApi(stack, 'Api', {
      logRetention: 30,
      rateLimit: 10,
      burstLimit: 20,
      ...(cloudWatchRole === undefined ? {} : { cloudWatchRole }),
    });
    api.addWorkflow('Onboardings', {
      path: 'onboardings',
      idParameter: 'onboardingId',
      stateMachine,
      startHandler: 'api/start-onboarding',
      statusHandler: 'api/get-onboarding',
      requestModel: onboardingRequestModel(),
      secretPrefix: 'genesys-onboarding',
      deadLetterQueue: queue,
    });
    return Template.fromStack(stack);
  };
  const template = build();

  it('authorizes every method with IAM and validates requests against the request model', () => {
    const methods = Object.values(template.findResources('AWS::ApiGateway::Method'));
    const real = methods.filter((m) => m.Properties.HttpMethod !== 'OPTIONS');
    expect(real.map((m) => m.Properties.HttpMethod).sort()).toEqual(['GET', 'POST']);
    for (const method of real) {
      expect(method.Properties.AuthorizationType).toBe('AWS_IAM');
      expect(method.Properties.RequestValidatorId).toEqual({ Ref: expect.any(String) });
    }
    template.hasResourceProperties('AWS::ApiGateway::RequestValidator', {
      ValidateRequestBody: true,
      ValidateRequestParameters: true,
    });
    template.hasResourceProperties('AWS::ApiGateway::Model', {
      Schema: Match.objectLike({
        additionalProperties: false,
        required: ['orgId', 'region', 'oauthClient', 'integration'],
      }),
    });
  });

  it('logs access to its own log group and errors, traces, throttles, and never logs bodies', () => {
    template.hasResourceProperties('AWS::ApiGateway::Stage', {
      AccessLogSetting: {
        // The log group's ARN without the trailing `:*` (@aws-cdk/aws-apigateway:logGroupDestinationArnWithoutWildcard).
        DestinationArn: {
          'Fn::Join': [
            '',
            [
              'arn:aws:logs:eu-west-1:123456789012:log-group:',
              { Ref: Match.stringLikeRegexp('^ApiAccessLogs') },
            ],
          ],
        },
        Format: Match.anyValue(),
      },
      TracingEnabled: true,
      MethodSettings: [
        Match.objectLike({
          LoggingLevel: 'ERROR',
          DataTraceEnabled: false,
          ThrottlingRateLimit: 10,
          ThrottlingBurstLimit: 20,
        }),
      ],
    });
  });

  it("leaves the account's API Gateway CloudWatch role alone unless asked", () => {
    for (const built of [template, build(false)]) {
      expect(built.findResources('AWS::ApiGateway::Account')).toEqual({});
      expect(
        Object.values(built.findResources('AWS::IAM::Role')).filter((role) =>
          JSON.stringify(role.Properties.AssumeRolePolicyDocument).includes('apigateway.amazonaws.com'),
        ),
      ).toEqual([]);
    }
  });

  it('sets the account role when asked, and keeps it and its role when the stack is deleted', () => {
    const withRole = build(true);
    const accounts = Object.entries(withRole.findResources('AWS::ApiGateway::Account'));
    expect(accounts).toHaveLength(1);
    const [accountId, account] = accounts[0] as [string, Record<string, unknown>];
    expect(account).toMatchObject({
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: {
        CloudWatchRoleArn: { 'Fn::GetAtt': [expect.stringMatching(/^ApiCloudWatchRole/), 'Arn'] },
      },
    });
    withRole.hasResource('AWS::IAM::Role', {
      DeletionPolicy: 'Retain',
      Properties: {
        AssumeRolePolicyDocument: {
          Statement: [Match.objectLike({ Principal: { Service: 'apigateway.amazonaws.com' } })],
        },
        ManagedPolicyArns: [
          {
            'Fn::Join': [
              '',
              [
                'arn:',
                { Ref: 'AWS::Partition' },
                ':iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs',
              ],
            ],
          },
        ],
      },
    });
    // The stage, whose logging needs the role, is created after the account setting.
    withRole.hasResource('AWS::ApiGateway::Stage', { DependsOn: Match.arrayWith([accountId]) });
  });

  it('adds no output of its own (the stack outputs the URL once)', () => {
    expect(template.findOutputs('*')).toEqual({});
  });

  it('owns its functions: start may start executions and knows the prefix; status only reads', () => {
    expect(functionOf(template, 'api/start-onboarding').properties).toMatchObject({
      Environment: {
        Variables: {
          SECRET_PREFIX: 'genesys-onboarding',
          STATE_MACHINE_ARN: { Ref: expect.stringMatching(/^Machine/) },
        },
      },
      DeadLetterConfig: { TargetArn: { 'Fn::GetAtt': [expect.stringMatching(/^Queue/), 'Arn'] } },
      Timeout: 30,
    });
    expect(actionsOf(template, 'api/start-onboarding')).toContain('states:StartExecution');
    expect(actionsOf(template, 'api/get-onboarding')).not.toContain('states:StartExecution');
    for (const handler of ['api/start-onboarding', 'api/get-onboarding']) {
      expect(actionsOf(template, handler).filter((a) => a.startsWith('secretsmanager:'))).toEqual([]);
    }
  });
});
