import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { OnboardingEvents, ORG_ONBOARDED_DETAIL_TYPE } from '../../../lib/constructs/events';
import { StepFunction } from '../../../lib/constructs/step-function';
import { emptyStack, testApp } from '../../support/stack';

describe('OnboardingEvents', () => {
  const build = (eventSources: string[], eventAccounts?: string[]) => {
    const stack = emptyStack();
    const events = new OnboardingEvents(stack, 'Events', {
      eventBusName: 'genesys-onboarding',
      eventSources,
      ...(eventAccounts ? { eventAccounts } : {}),
    });
    events.route(
      'OrgOnboarded',
      ORG_ONBOARDED_DETAIL_TYPE,
      new StepFunction(stack, 'Start', { handler: 'api/start-onboarding', logRetention: 30 }),
    );
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

  describe('bus policy', () => {
    const busArn = 'arn:aws:events:eu-west-1:123456789012:event-bus/genesys-onboarding';
    const allowConfigured = (accounts: string[], sources: string[]) => ({
      Sid: 'PutEventsFromConfiguredAccountsWithConfiguredSources',
      Effect: 'Allow',
      Principal: {
        AWS:
          accounts.length === 1
            ? `arn:aws:iam::${accounts[0]}:root`
            : accounts.map((a) => `arn:aws:iam::${a}:root`),
      },
      Action: 'events:PutEvents',
      Resource: busArn,
      Condition: { 'ForAllValues:StringEquals': { 'events:source': sources } },
    });
    const denyOtherSources = (sources: string[]) => ({
      Sid: 'DenyPutEventsWithOtherSources',
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Action: 'events:PutEvents',
      Resource: busArn,
      Condition: { 'ForAnyValue:StringNotEquals': { 'events:source': sources } },
    });

    it("lets only the stack's own account put events by default, and only from the configured sources", () => {
      build(['genesys.onboarding', 'acme.crm']).hasResourceProperties('AWS::Events::EventBus', {
        Policy: {
          Version: '2012-10-17',
          Statement: [
            allowConfigured(['123456789012'], ['genesys.onboarding', 'acme.crm']),
            denyOtherSources(['genesys.onboarding', 'acme.crm']),
          ],
        },
      });
    });

    it('lets the configured accounts put events, this one too when it is configured', () => {
      build(['genesys.onboarding'], ['123456789012', '111122223333']).hasResourceProperties(
        'AWS::Events::EventBus',
        {
          Policy: {
            Version: '2012-10-17',
            Statement: [
              // Principals come out sorted.
              allowConfigured(['111122223333', '123456789012'], ['genesys.onboarding']),
              denyOtherSources(['genesys.onboarding']),
            ],
          },
        },
      );
    });

    it("denies this account's own principals when only other accounts are configured", () => {
      build(['genesys.onboarding'], ['111122223333', '444455556666']).hasResourceProperties(
        'AWS::Events::EventBus',
        {
          Policy: {
            Version: '2012-10-17',
            Statement: [
              allowConfigured(['111122223333', '444455556666'], ['genesys.onboarding']),
              denyOtherSources(['genesys.onboarding']),
              {
                Sid: 'DenyPutEventsFromThisAccountUnlessConfigured',
                Effect: 'Deny',
                Principal: { AWS: '*' },
                Action: 'events:PutEvents',
                Resource: busArn,
                Condition: {
                  StringEquals: { 'aws:PrincipalAccount': '123456789012' },
                  StringNotEquals: { 'aws:PrincipalAccount': ['111122223333', '444455556666'] },
                },
              },
            ],
          },
        },
      );
    });

    it('names the deploy-time account when the stack has no account of its own', () => {
      const stack = new Stack(testApp(), 'AnyAccount');
      new OnboardingEvents(stack, 'Events', {
        eventBusName: 'genesys-onboarding',
        eventSources: ['acme.crm'],
      });
      const thisAccountRoot = {
        'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::', { Ref: 'AWS::AccountId' }, ':root']],
      };
      Template.fromStack(stack).hasResourceProperties('AWS::Events::EventBus', {
        Policy: {
          Statement: [
            Match.objectLike({ Effect: 'Allow', Principal: { AWS: thisAccountRoot } }),
            Match.objectLike({ Sid: 'DenyPutEventsWithOtherSources' }),
          ],
        },
      });
    });

    it('is the only policy of the bus: no separate EventBusPolicy resources', () => {
      expect(build(['genesys.onboarding']).findResources('AWS::Events::EventBusPolicy')).toEqual({});
    });
  });

  it('needs at least one event source and one event account', () => {
    expect(() => build([])).toThrow(/at least one event source/);
    expect(() => build(['genesys.onboarding'], [])).toThrow(/at least one event account/);
  });
});
