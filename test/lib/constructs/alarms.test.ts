import { Match, Template } from 'aws-cdk-lib/assertions';
import { OnboardingAlarms } from '../../../lib/constructs/alarms';
import { collaborators } from '../../support/constructs';
import { emptyStack } from '../../support/stack';

describe('OnboardingAlarms', () => {
  const build = (email?: string) => {
    const stack = emptyStack();
    const { stateMachine, queue } = collaborators(stack);
    const alarms = new OnboardingAlarms(stack, 'Alarms', {
      deadLetterQueue: queue,
      ...(email ? { email } : {}),
    });
    alarms.watchStateMachine('Onboarding', stateMachine, 'onboarding', 'what it created was removed');
    return Template.fromStack(stack);
  };
  const template = build();
  const fromThisAccountsAlarms = {
    StringEquals: { 'aws:SourceAccount': '123456789012' },
    ArnLike: { 'aws:SourceArn': 'arn:aws:cloudwatch:eu-west-1:123456789012:alarm:*' },
  };
  const topicId = () => Object.keys(template.findResources('AWS::SNS::Topic'))[0];

  it('alarms on failed and timed-out executions and on dead letters, each to the topic', () => {
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm'));
    expect(alarms.map((a) => a.Properties.MetricName).sort()).toEqual([
      'ApproximateNumberOfMessagesVisible',
      'ExecutionsFailed',
      'ExecutionsTimedOut',
    ]);
    for (const alarm of alarms) {
      expect(alarm.Properties).toMatchObject({
        Threshold: 1,
        EvaluationPeriods: 1,
        TreatMissingData: 'notBreaching',
      });
      expect(alarm.Properties.AlarmActions).toEqual([{ Ref: topicId() }]);
    }
  });

  it('encrypts the topic with its own rotating key, and refuses plain transport', () => {
    const keys = template.findResources('AWS::KMS::Key');
    expect(Object.keys(keys)).toHaveLength(1);
    const [keyId] = Object.keys(keys);
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] } });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it("lets CloudWatch use the key for this account's alarms only: decrypt and generate data keys", () => {
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          {
            Sid: 'CloudWatchAlarmsOfThisAccountEncryptNotifications',
            Effect: 'Allow',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
            Resource: '*',
            Condition: fromThisAccountsAlarms,
          },
        ]),
      },
    });
  });

  it("lets CloudWatch publish to the topic for this account's alarms only", () => {
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [{ Ref: topicId() }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          {
            Sid: 'CloudWatchAlarmsOfThisAccountPublish',
            Effect: 'Allow',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: 'sns:Publish',
            Resource: { Ref: topicId() },
            Condition: fromThisAccountsAlarms,
          },
        ]),
      },
    });
  });

  it('subscribes the email address when one is configured', () => {
    build('ops@example.com').hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@example.com',
    });
    expect(Object.keys(template.findResources('AWS::SNS::Subscription'))).toHaveLength(0);
  });
});
