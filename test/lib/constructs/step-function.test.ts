import { Template } from 'aws-cdk-lib/assertions';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { DefinitionBody, StateMachine, Succeed } from 'aws-cdk-lib/aws-stepfunctions';
import { OnboardingSecrets } from '../../../lib/constructs/secrets';
import { StepFunction } from '../../../lib/constructs/step-function';
import { actionsOf, emptyStack, functionOf, statementsOf } from '../../support/stack';

describe('StepFunction', () => {
  const build = () => {
    const stack = emptyStack();
    const secrets = new OnboardingSecrets(stack, 'Secrets', { secretPrefix: 'genesys-onboarding' });
    const machine = new StateMachine(stack, 'Machine', {
      definitionBody: DefinitionBody.fromChainable(new Succeed(stack, 'Done')),
    });
    new StepFunction(stack, 'Plain', { handler: 'onboarding/prepare', logRetention: RetentionDays.ONE_WEEK });
    new StepFunction(stack, 'Writer', {
      handler: 'onboarding/ensure-oauth-client',
      logRetention: 30,
    }).bindSecrets(secrets, ['read-bootstrap', 'write-result']);
    new StepFunction(stack, 'Starter', {
      handler: 'api/start-onboarding',
      logRetention: 30,
    }).bindStateMachine(machine, 'start');
    new StepFunction(stack, 'Reader', { handler: 'api/get-onboarding', logRetention: 30 }).bindStateMachine(
      machine,
      'read',
    );
    return Template.fromStack(stack);
  };
  const template = build();

  it('runs Node.js 22 on arm64 with X-Ray, its own log group and retention, and no local-only settings', () => {
    const { properties } = functionOf(template, 'onboarding/prepare');
    expect(properties).toMatchObject({
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      TracingConfig: { Mode: 'Active' },
      MemorySize: 512,
      Timeout: 120,
      LoggingConfig: { LogGroup: { Ref: expect.stringMatching(/^PlainLogs/) } },
    });
    expect(properties.Environment).toEqual({
      Variables: {
        POWERTOOLS_SERVICE_NAME: 'genesys-onboarding',
        POWERTOOLS_LOG_LEVEL: 'INFO',
      },
    });
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 7 });
  });

  it('has its own role, no managed policy, and may write logs only to its own group', () => {
    expect(statementsOf(template, 'onboarding/prepare')).toEqual([
      expect.objectContaining({
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: { 'Fn::GetAtt': [expect.stringMatching(/^PlainLogs/), 'Arn'] },
      }),
      expect.objectContaining({ Action: ['xray:PutTelemetryRecords', 'xray:PutTraceSegments'] }),
    ]);
    for (const role of Object.values(template.findResources('AWS::IAM::Role'))) {
      expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    }
  });

  it('bindSecrets sets the prefix (and the key of new result secrets) and grants exactly that access', () => {
    const { properties } = functionOf(template, 'onboarding/ensure-oauth-client');
    expect(properties.Environment).toMatchObject({
      Variables: {
        SECRET_PREFIX: 'genesys-onboarding',
        RESULT_SECRET_KMS_KEY_ID: { 'Fn::GetAtt': [expect.stringMatching(/^SecretsKey/), 'Arn'] },
      },
    });
    const actions = actionsOf(template, 'onboarding/ensure-oauth-client');
    expect(actions).toEqual(
      expect.arrayContaining([
        'secretsmanager:GetSecretValue',
        'secretsmanager:CreateSecret',
        'secretsmanager:PutSecretValue',
        'kms:GenerateDataKey',
      ]),
    );
    expect(actions).not.toContain('secretsmanager:DeleteSecret');
  });

  it('bindStateMachine sets the ARN and grants start (or only describe) on that machine', () => {
    for (const handler of ['api/start-onboarding', 'api/get-onboarding']) {
      expect(functionOf(template, handler).properties.Environment).toMatchObject({
        Variables: { STATE_MACHINE_ARN: { Ref: expect.stringMatching(/^Machine/) } },
      });
      expect(actionsOf(template, handler)).toContain('states:DescribeExecution');
    }
    expect(actionsOf(template, 'api/start-onboarding')).toContain('states:StartExecution');
    expect(actionsOf(template, 'api/get-onboarding')).not.toContain('states:StartExecution');
  });

  it('refuses a handler that is not a file name under lambdas/handlers', () => {
    const stack = emptyStack();
    expect(() => new StepFunction(stack, 'Bad', { handler: '../escape', logRetention: 30 })).toThrow(
      /must be a file under lambdas\/handlers/,
    );
  });
});
