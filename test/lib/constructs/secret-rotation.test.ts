import { Template } from 'aws-cdk-lib/assertions';
import { OnboardingAlarms } from '../../../lib/constructs/alarms';
import { SecretRotation } from '../../../lib/constructs/secret-rotation';
import { OnboardingSecrets } from '../../../lib/constructs/secrets';
import { StepFunction } from '../../../lib/constructs/step-function';
import { collaborators } from '../../support/constructs';
import { emptyStack, functionOf, grantsOf } from '../../support/stack';

describe('SecretRotation', () => {
  const build = (rotationDays?: number) => {
    const stack = emptyStack();
    const secrets = new OnboardingSecrets(stack, 'Secrets', { secretPrefix: 'genesys-onboarding' });
    const rotation = new SecretRotation(stack, 'Rotation', {
      secrets,
      logRetention: 30,
      ...(rotationDays ? { rotationDays } : {}),
    });
    const scheduler = new StepFunction(stack, 'Record', {
      handler: 'onboarding/record-configuration',
      logRetention: 30,
    });
    rotation.bindScheduler(scheduler);
    rotation.watch(new OnboardingAlarms(stack, 'Alarms', { deadLetterQueue: collaborators(stack).queue }));
    return Template.fromStack(stack);
  };
  const template = build();
  const rotateFunction = () => functionOf(template, 'rotation/rotate');
  const resultSecrets =
    'arn:aws:secretsmanager:eu-west-1:123456789012:secret:genesys-onboarding/*/data-actions-client-??????';

  it('deploys one rotation function that Secrets Manager of this account alone may invoke', () => {
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      Principal: 'secretsmanager.amazonaws.com',
      SourceAccount: '123456789012',
      FunctionName: { 'Fn::GetAtt': [rotateFunction().id, 'Arn'] },
    });
    expect(Object.keys(template.findResources('AWS::Lambda::Permission'))).toHaveLength(1);
  });

  it('gives the rotation function the protocol on result secrets, and read on the bootstrap ones', () => {
    const grants = grantsOf(template, 'rotation/rotate').filter((g) =>
      g.action.startsWith('secretsmanager:'),
    );
    expect(
      grants
        .filter((g) => g.resource === resultSecrets)
        .map((g) => g.action)
        .sort(),
    ).toEqual([
      'secretsmanager:DescribeSecret',
      'secretsmanager:GetSecretValue',
      'secretsmanager:PutSecretValue',
      'secretsmanager:UpdateSecretVersionStage',
    ]);
    expect(
      grants
        .filter((g) => g.resource !== resultSecrets)
        .map((g) => g.action)
        .sort(),
    ).toEqual(['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue']);
    expect(grants.map((g) => g.action)).not.toContain('secretsmanager:DeleteSecret');
  });

  it('lets the scheduler turn rotation on with this function, every 30 days by default', () => {
    const record = functionOf(template, 'onboarding/record-configuration');
    expect(record.properties.Environment).toMatchObject({
      Variables: {
        ROTATION_FUNCTION_ARN: { 'Fn::GetAtt': [rotateFunction().id, 'Arn'] },
        ROTATION_DAYS: '30',
      },
    });
    const grants = grantsOf(template, 'onboarding/record-configuration');
    expect(grants).toEqual(
      expect.arrayContaining([
        { action: 'secretsmanager:RotateSecret', resource: resultSecrets },
        { action: 'lambda:InvokeFunction', resource: { 'Fn::GetAtt': [rotateFunction().id, 'Arn'] } },
      ]),
    );
  });

  it('takes the schedule from rotationDays', () => {
    const variables = (
      functionOf(build(7), 'onboarding/record-configuration').properties.Environment as {
        Variables: Record<string, unknown>;
      }
    ).Variables;
    expect(variables.ROTATION_DAYS).toBe('7');
  });

  it('alarms on any failed rotation step', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'Errors',
      Namespace: 'AWS/Lambda',
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: rotateFunction().id } }],
      Threshold: 1,
      EvaluationPeriods: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
    });
  });
});
