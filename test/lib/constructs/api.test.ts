import { Match, Template } from 'aws-cdk-lib/assertions';
import { OnboardingApi } from '../../../lib/constructs/api';
import { collaborators } from '../../support/constructs';
import { actionsOf, emptyStack, functionOf } from '../../support/stack';

describe('OnboardingApi', () => {
  const stack = emptyStack();
  const { stateMachine, queue } = collaborators(stack);
  new OnboardingApi(stack, 'Api', {
    stateMachine,
    secretPrefix: 'genesys-onboarding',
    logRetention: 30,
    rateLimit: 10,
    burstLimit: 20,
    deadLetterQueue: queue,
  });
  const template = Template.fromStack(stack);

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

  it('logs access, traces, throttles, and never logs bodies', () => {
    template.hasResourceProperties('AWS::ApiGateway::Stage', {
      AccessLogSetting: { DestinationArn: Match.anyValue(), Format: Match.anyValue() },
      TracingEnabled: true,
      MethodSettings: [
        Match.objectLike({ DataTraceEnabled: false, ThrottlingRateLimit: 10, ThrottlingBurstLimit: 20 }),
      ],
    });
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
