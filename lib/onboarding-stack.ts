import {
  Arn,
  ArnFormat,
  type CfnElement,
  CfnOutput,
  Duration,
  Stack,
  type StackProps,
  Validations,
} from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Construct, IConstruct } from 'constructs';
import type { OnboardingSettings } from './config';
import { OnboardingAlarms } from './constructs/alarms';
import { OnboardingApi } from './constructs/api';
import { OnboardingEvents } from './constructs/events';
import { OnboardingFunction } from './constructs/onboarding-function';
import { OnboardingSecrets } from './constructs/secrets';
import { OnboardingWorkflow } from './constructs/workflow';

export interface OnboardingStackProps extends StackProps {
  readonly settings: OnboardingSettings;
}

/** Genesys Cloud Data Actions onboarding: secrets and key, the workflow, the API, the events, the alarms. */
export class OnboardingStack extends Stack {
  readonly workflow: OnboardingWorkflow;
  readonly api: OnboardingApi;
  readonly events: OnboardingEvents;

  constructor(scope: Construct, id: string, props: OnboardingStackProps) {
    super(scope, id, props);
    const { settings } = props;
    const logRetention = settings.logRetentionDays;

    const secrets = new OnboardingSecrets(this, 'Secrets', { secretPrefix: settings.secretPrefix });
    this.workflow = new OnboardingWorkflow(this, 'Workflow', {
      secrets,
      logRetention,
      executionTimeout: Duration.minutes(settings.executionTimeoutMinutes),
    });
    this.events = new OnboardingEvents(this, 'Events', {
      eventBusName: settings.eventBusName,
      eventSources: settings.eventSources,
    });

    const apiEnvironment = {
      STATE_MACHINE_ARN: this.workflow.stateMachine.stateMachineArn,
      SECRET_PREFIX: settings.secretPrefix,
    };
    const start = new OnboardingFunction(this, 'StartOnboarding', {
      handler: 'start-onboarding',
      logRetention,
      timeout: Duration.seconds(30),
      environment: apiEnvironment,
      deadLetterQueue: this.events.deadLetterQueue,
    }).function;
    const get = new OnboardingFunction(this, 'GetOnboarding', {
      handler: 'get-onboarding',
      logRetention,
      timeout: Duration.seconds(30),
      environment: apiEnvironment,
    }).function;
    this.workflow.stateMachine.grantStartExecution(start);
    const executions = Arn.format(
      {
        service: 'states',
        resource: 'execution',
        resourceName: `${this.workflow.stateMachine.stateMachineName}:*`,
        arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      },
      this,
    );
    for (const f of [start, get]) {
      f.addToRolePolicy(
        new PolicyStatement({ actions: ['states:DescribeExecution'], resources: [executions] }),
      );
      Validations.of(f.role as IConstruct).acknowledge({
        id: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:<${this.getLogicalId(this.workflow.stateMachine.node.defaultChild as CfnElement)}.Name>:*]`,
        reason: 'Executions of this one state machine, whose names are the onboarding ids',
      });
    }
    this.events.route(start);

    this.api = new OnboardingApi(this, 'Api', {
      startFunction: start,
      getFunction: get,
      logRetention,
      rateLimit: settings.apiRateLimit,
      burstLimit: settings.apiBurstLimit,
    });
    new OnboardingAlarms(this, 'Alarms', {
      stateMachine: this.workflow.stateMachine,
      deadLetterQueue: this.events.deadLetterQueue,
      key: secrets.key,
      email: settings.alarmEmail,
    });

    new CfnOutput(this, 'ApiUrl', { value: this.api.api.url, description: 'Base URL of the onboarding API' });
    new CfnOutput(this, 'StateMachineArn', { value: this.workflow.stateMachine.stateMachineArn });
    new CfnOutput(this, 'EventBusName', { value: this.events.bus.eventBusName });
    new CfnOutput(this, 'SecretPrefix', { value: settings.secretPrefix });
  }
}
