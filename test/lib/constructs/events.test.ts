import { Match, Template } from 'aws-cdk-lib/assertions';
import { OnboardingEvents } from '../../../lib/constructs/events';
import { StepFunction } from '../../../lib/constructs/step-function';
import { emptyStack } from '../../support/stack';

describe('OnboardingEvents', () => {
  const build = (eventSources: string[]) => {
    const stack = emptyStack();
    const events = new OnboardingEvents(stack, 'Events', {
      eventBusName: 'genesys-onboarding',
      eventSources,
    });
    events.route(new StepFunction(stack, 'Start', { handler: 'api/start-onboarding', logRetention: 30 }));
    return Template.fromStack(stack);
  };

  it('routes "Genesys Cloud Org Onboarded" from the configured sources, with retries and a dead-letter queue', () => {
    const template = build(['genesys.onboarding', 'acme.crm']);
    template.hasResourceProperties('AWS::Events::EventBus', { Name: 'genesys-onboarding' });
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        'detail-type': ['Genesys Cloud Org Onboarded'],
        source: ['genesys.onboarding', 'acme.crm'],
      },
      Targets: [
        Match.objectLike({
          DeadLetterConfig: { Arn: Match.anyValue() },
          RetryPolicy: { MaximumRetryAttempts: 4, MaximumEventAgeInSeconds: 7200 },
        }),
      ],
    });
  });

  it('encrypts the dead-letter queue and refuses plain transport', () => {
    const template = build(['genesys.onboarding']);
    template.hasResourceProperties('AWS::SQS::Queue', {
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 1209600,
    });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it('needs at least one event source', () => {
    expect(() => build([])).toThrow(/at least one event source/);
  });
});
