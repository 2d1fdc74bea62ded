import { ArnFormat, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Alarm, type AlarmProps, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';

export interface OnboardingAlarmsProps {
  readonly deadLetterQueue: IQueue;
  /** @default no subscription */
  readonly email?: string;
}

/**
 * Alarms to one topic: events in the dead-letter queue here; failed or timed-out executions of each workflow
 * with `watchStateMachine`, anything else with `alarmOn`. The topic is encrypted with
 * its own key. CloudWatch publishes to an encrypted topic only if the key policy lets it use the key
 * (`kms:Decrypt`, `kms:GenerateDataKey*`) and the topic policy lets it publish; an AWS managed key
 * (`alias/aws/sns`) cannot grant that (Amazon SNS developer guide, "Enable compatibility between event sources
 * from AWS services and encrypted topics"). Both grants hold only for alarms of this account and region
 * (`aws:SourceAccount`, `aws:SourceArn`), so no other account's alarms can use them.
 */
export class OnboardingAlarms extends Construct {
  readonly topic: Topic;
  /** The topic's key, used by nothing else. */
  readonly key: Key;
  private readonly action: SnsAction;

  constructor(scope: Construct, id: string, props: OnboardingAlarmsProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const cloudWatch = new ServicePrincipal('cloudwatch.amazonaws.com');
    const fromThisAccountsAlarms = {
      StringEquals: { 'aws:SourceAccount': stack.account },
      ArnLike: {
        'aws:SourceArn': stack.formatArn({
          service: 'cloudwatch',
          resource: 'alarm',
          resourceName: '*',
          arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        }),
      },
    };

    this.key = new Key(this, 'TopicKey', {
      description: 'Encrypts the genesys-onboarding alarm notifications',
      enableKeyRotation: true,
      // Notifications are not stored: nothing is left to decrypt once the topic is gone.
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.key.addToResourcePolicy(
      new PolicyStatement({
        sid: 'CloudWatchAlarmsOfThisAccountEncryptNotifications',
        principals: [cloudWatch],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: fromThisAccountsAlarms,
      }),
    );
    this.topic = new Topic(this, 'Topic', { masterKey: this.key, enforceSSL: true });
    this.topic.addToResourcePolicy(
      new PolicyStatement({
        sid: 'CloudWatchAlarmsOfThisAccountPublish',
        principals: [cloudWatch],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: fromThisAccountsAlarms,
      }),
    );
    if (props.email) this.topic.addSubscription(new EmailSubscription(props.email));
    this.action = new SnsAction(this.topic);
    this.alarmOn('DeadLetters', {
      alarmDescription: 'Onboarding events could not start a run: see the dead-letter queue',
      metric: props.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(5),
        statistic: 'Maximum',
      }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
  }

  /** Alarms when a workflow's execution fails or times out (any in 5 minutes). */
  watchStateMachine(id: string, stateMachine: StateMachine, noun: string, failureMeans: string): void {
    this.alarmOn(`${id}ExecutionsFailed`, {
      alarmDescription: `An ${noun} failed: see the execution history (${failureMeans})`,
      metric: stateMachine.metricFailed({ period: Duration.minutes(5), statistic: 'Sum' }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    this.alarmOn(`${id}ExecutionsTimedOut`, {
      alarmDescription: `An ${noun} timed out`,
      metric: stateMachine.metricTimedOut({ period: Duration.minutes(5), statistic: 'Sum' }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
  }

  /** An alarm of its own, notifying the topic. */
  alarmOn(id: string, props: AlarmProps): Alarm {
    const alarm = new Alarm(this, id, props);
    alarm.addAlarmAction(this.action);
    return alarm;
  }
}
