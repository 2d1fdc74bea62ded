import { Template } from 'aws-cdk-lib/assertions';
import { Key } from 'aws-cdk-lib/aws-kms';
import { OnboardingAlarms } from '../../../lib/constructs/alarms';
import { collaborators } from '../../support/constructs';
import { emptyStack } from '../../support/stack';

describe('OnboardingAlarms', () => {
  const build = (email?: string) => {
    const stack = emptyStack();
    const { stateMachine, queue } = collaborators(stack);
    new OnboardingAlarms(stack, 'Alarms', {
      stateMachine,
      deadLetterQueue: queue,
      key: new Key(stack, 'Key'),
      ...(email ? { email } : {}),
    });
    return Template.fromStack(stack);
  };

  it('alarms on failed and timed-out executions and on dead letters, each to the topic', () => {
    const alarms = Object.values(build().findResources('AWS::CloudWatch::Alarm'));
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
      expect(alarm.Properties.AlarmActions).toHaveLength(1);
    }
  });

  it('subscribes the email address when one is configured', () => {
    build('ops@example.com').hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@example.com',
    });
    expect(Object.keys(build().findResources('AWS::SNS::Subscription'))).toHaveLength(0);
  });
});
