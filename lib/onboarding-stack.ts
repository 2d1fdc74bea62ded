import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { OnboardingSettings } from './config';
import { OnboardingAlarms } from './constructs/alarms';
import { OnboardingApi } from './constructs/api';
import { OnboardingEvents } from './constructs/events';
import { OnboardingStateMachine } from './constructs/onboarding-state-machine';
import { OnboardingSecrets } from './constructs/secrets';

export interface OnboardingStackProps extends StackProps {
  readonly settings: OnboardingSettings;
}

/** Genesys Cloud Data Actions onboarding: secrets and key, the workflow, the API, the events, the alarms. */
export class OnboardingStack extends Stack {
  readonly onboarding: OnboardingStateMachine;
  readonly api: OnboardingApi;
  readonly events: OnboardingEvents;

  constructor(scope: Construct, id: string, props: OnboardingStackProps) {
    super(scope, id, props);
    const { settings } = props;
    const logRetention = settings.logRetentionDays;

    const secrets = new OnboardingSecrets(this, 'Secrets', { secretPrefix: settings.secretPrefix });
    this.onboarding = new OnboardingStateMachine(this, 'Onboarding', {
      secrets,
      logRetention,
      executionTimeout: Duration.minutes(settings.executionTimeoutMinutes),
    });
    this.events = new OnboardingEvents(this, 'Events', {
      eventBusName: settings.eventBusName,
      eventSources: settings.eventSources,
      eventAccounts: settings.eventAccounts,
    });
    this.api = new OnboardingApi(this, 'Api', {
      stateMachine: this.onboarding.stateMachine,
      secretPrefix: settings.secretPrefix,
      logRetention,
      rateLimit: settings.apiRateLimit,
      burstLimit: settings.apiBurstLimit,
      deadLetterQueue: this.events.deadLetterQueue,
      cloudWatchRole: settings.apiGatewayCloudWatchRole,
    });
    this.events.route(this.api.startFunction);
    new OnboardingAlarms(this, 'Alarms', {
      stateMachine: this.onboarding.stateMachine,
      deadLetterQueue: this.events.deadLetterQueue,
      email: settings.alarmEmail,
    });

    new CfnOutput(this, 'ApiUrl', { value: this.api.api.url, description: 'Base URL of the onboarding API' });
    new CfnOutput(this, 'StateMachineArn', { value: this.onboarding.stateMachine.stateMachineArn });
    new CfnOutput(this, 'EventBusName', { value: this.events.bus.eventBusName });
    new CfnOutput(this, 'SecretPrefix', { value: settings.secretPrefix });
  }
}
