import { Duration } from 'aws-cdk-lib';
import { EventBus, Rule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/** The detail-type of the event that starts an onboarding. */
export const ORG_ONBOARDED_DETAIL_TYPE = 'Genesys Cloud Org Onboarded';

export interface OnboardingEventsProps {
  readonly eventBusName: string;
  readonly eventSources: string[];
}

/**
 * The stack's event bus and the rule that sends "Genesys Cloud Org Onboarded" events to the start function,
 * with retries, and an encrypted dead-letter queue for events that cannot start a run.
 */
export class OnboardingEvents extends Construct {
  readonly bus: EventBus;
  readonly deadLetterQueue: Queue;
  private readonly eventSources: string[];

  constructor(scope: Construct, id: string, props: OnboardingEventsProps) {
    super(scope, id);
    if (props.eventSources.length === 0) throw new Error('OnboardingEvents needs at least one event source');
    this.eventSources = props.eventSources;
    this.bus = new EventBus(this, 'Bus', { eventBusName: props.eventBusName });
    this.deadLetterQueue = new Queue(this, 'DeadLetterQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
  }

  /** Routes the events to the start function (its asynchronous failures land in the same queue). */
  route(startFunction: IFunction): Rule {
    return new Rule(this, 'OrgOnboarded', {
      eventBus: this.bus,
      description: `${ORG_ONBOARDED_DETAIL_TYPE} events start an onboarding`,
      eventPattern: { detailType: [ORG_ONBOARDED_DETAIL_TYPE], source: this.eventSources },
      targets: [
        new LambdaFunction(startFunction, {
          deadLetterQueue: this.deadLetterQueue,
          retryAttempts: 4,
          maxEventAge: Duration.hours(2),
        }),
      ],
    });
  }
}
