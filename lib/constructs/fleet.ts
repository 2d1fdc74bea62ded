import { Duration } from 'aws-cdk-lib';
import { ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { FleetSettings } from '../fleet-config';
import type { OnboardingAlarms } from './alarms';
import type { WorkflowsApi } from './api';
import { BulkOnboardingStateMachine, grantMapRunReads } from './bulk-onboarding-state-machine';
import { DriftCheck } from './drift-check';
import type { OnboardingEvents } from './events';
import { ManifestBucket } from './manifest-bucket';
import { bulkOnboardingRequestModel } from './request-models';
import type { OnboardingSecrets } from './secrets';

export interface FleetOperationsProps {
  readonly settings: FleetSettings;
  readonly secrets: OnboardingSecrets;
  readonly onboarding: StateMachine;
  readonly api: WorkflowsApi;
  readonly events: OnboardingEvents;
  readonly alarms: OnboardingAlarms;
  readonly logRetention: RetentionDays;
  /** Hosts besides Genesys Cloud's own that bootstrap secrets may name (the drift check signs in with them). @default none */
  readonly genesysAllowedHosts?: readonly string[];
}

/**
 * Operations over every org: bulk onboarding (the manifest bucket, its state machine, `POST /bulk-onboardings`
 * and `GET /bulk-onboardings/{bulkOnboardingId}` with the map run's counts, an alarm when a run fails) and the
 * scheduled drift check.
 */
export class FleetOperations extends Construct {
  readonly manifests: ManifestBucket;
  readonly bulk: BulkOnboardingStateMachine;
  readonly driftCheck: DriftCheck;

  constructor(scope: Construct, id: string, props: FleetOperationsProps) {
    super(scope, id);
    const { settings, secrets, logRetention } = props;
    this.manifests = new ManifestBucket(this, 'Manifests', {
      resultsRetentionDays: settings.bulkResultsRetentionDays,
    });
    this.bulk = new BulkOnboardingStateMachine(this, 'BulkOnboarding', {
      onboarding: props.onboarding,
      bucket: this.manifests.bucket,
      secretPrefix: secrets.secretPrefix,
      logRetention,
      maxConcurrency: settings.bulkMaxConcurrency,
    });
    const routes = props.api.addWorkflow('BulkOnboardings', {
      path: 'bulk-onboardings',
      idParameter: 'bulkOnboardingId',
      stateMachine: this.bulk.stateMachine,
      startHandler: 'api/start-bulk-onboarding',
      statusHandler: 'api/get-bulk-onboarding',
      requestModel: bulkOnboardingRequestModel(),
      secretPrefix: secrets.secretPrefix,
    });
    routes.startFunction.addEnvironment('MANIFEST_BUCKET', this.manifests.bucket.bucketName);
    grantMapRunReads(routes.statusFunction, this.bulk.stateMachine);
    props.alarms.alarmOn('BulkOnboardingFailed', {
      alarmDescription:
        'A bulk onboarding failed as a whole (manifest missing or too large, results not written): see its execution history. Failed orgs do not fail it: they are in its summary',
      metric: this.bulk.stateMachine.metricFailed({ period: Duration.minutes(5), statistic: 'Sum' }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    this.driftCheck = new DriftCheck(this, 'DriftCheck', {
      secrets,
      onboarding: props.onboarding,
      events: props.events,
      alarms: props.alarms,
      logRetention,
      schedule: settings.driftCheckSchedule,
      concurrency: settings.driftCheckConcurrency,
      repair: settings.driftRepair,
    });
    if (props.genesysAllowedHosts && props.genesysAllowedHosts.length > 0) {
      this.driftCheck.functions.checkOrg.addEnvironment(
        'GENESYS_ALLOWED_HOSTS',
        props.genesysAllowedHosts.join(','),
      );
    }
  }
}
