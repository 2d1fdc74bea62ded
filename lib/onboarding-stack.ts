import { CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { OnboardingSettings } from './config';
import { OnboardingAlarms } from './constructs/alarms';
import { WorkflowsApi } from './constructs/api';
import { OperationsDashboard } from './constructs/dashboard';
import { OnboardingEvents, ORG_ONBOARDED_DETAIL_TYPE } from './constructs/events';
import { FleetOperations } from './constructs/fleet';
import { OnboardingStateMachine } from './constructs/onboarding-state-machine';
import { onboardingRequestModel } from './constructs/request-models';
import { OnboardingSecrets } from './constructs/secrets';
import { DEFAULT_FLEET_SETTINGS, type FleetSettings } from './fleet-config';

export interface OnboardingStackProps extends StackProps {
  readonly settings: OnboardingSettings;
  /** Bulk onboarding and drift check settings. @default DEFAULT_FLEET_SETTINGS */
  readonly fleet?: FleetSettings;
}

/** Genesys Cloud Data Actions onboarding: secrets and key, the workflow, the API, the events, the alarms. */
export class OnboardingStack extends Stack {
  readonly onboarding: OnboardingStateMachine;
  readonly api: WorkflowsApi;
  readonly events: OnboardingEvents;
  readonly fleet: FleetOperations;
  readonly dashboard: OperationsDashboard;

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
    this.api = new WorkflowsApi(this, 'Api', {
      logRetention,
      rateLimit: settings.apiRateLimit,
      burstLimit: settings.apiBurstLimit,
      cloudWatchRole: settings.apiGatewayCloudWatchRole,
    });
    const onboardings = this.api.addWorkflow('Onboardings', {
      path: 'onboardings',
      idParameter: 'onboardingId',
      stateMachine: this.onboarding.stateMachine,
      startHandler: 'api/start-onboarding',
      statusHandler: 'api/get-onboarding',
      requestModel: onboardingRequestModel(),
      secretPrefix: settings.secretPrefix,
      deadLetterQueue: this.events.deadLetterQueue,
    });
    this.events.route('OrgOnboarded', ORG_ONBOARDED_DETAIL_TYPE, onboardings.startFunction);
    const alarms = new OnboardingAlarms(this, 'Alarms', {
      deadLetterQueue: this.events.deadLetterQueue,
      email: settings.alarmEmail,
    });
    alarms.watchStateMachine(
      'Onboarding',
      this.onboarding.stateMachine,
      'onboarding',
      'what it created was removed',
    );
    this.fleet = new FleetOperations(this, 'Fleet', {
      settings: props.fleet ?? DEFAULT_FLEET_SETTINGS,
      secrets,
      onboarding: this.onboarding.stateMachine,
      api: this.api,
      events: this.events,
      alarms,
      logRetention,
    });
    this.dashboard = new OperationsDashboard(this, 'Dashboard', {
      onboarding: this.onboarding.stateMachine,
      bulkOnboarding: this.fleet.bulk.stateMachine,
      drift: this.fleet.driftCheck,
      deadLetterQueue: this.events.deadLetterQueue,
    });

    new CfnOutput(this, 'ApiUrl', { value: this.api.api.url, description: 'Base URL of the onboarding API' });
    new CfnOutput(this, 'StateMachineArn', { value: this.onboarding.stateMachine.stateMachineArn });
    new CfnOutput(this, 'EventBusName', { value: this.events.bus.eventBusName });
    new CfnOutput(this, 'SecretPrefix', { value: settings.secretPrefix });
    new CfnOutput(this, 'ManifestBucketName', {
      value: this.fleet.manifests.bucket.bucketName,
      description:
        'Upload bulk onboarding manifests here, then POST /bulk-onboardings {"manifest":"s3://<bucket>/<key>"}',
    });
  }
}
