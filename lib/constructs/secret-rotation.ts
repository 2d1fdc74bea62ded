import { Duration, Stack } from 'aws-cdk-lib';
import { ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { OnboardingAlarms } from './alarms';
import type { OnboardingSecrets } from './secrets';
import { stepTimeout } from './state-machine-defaults';
import { StepFunction } from './step-function';

export interface SecretRotationProps {
  readonly secrets: OnboardingSecrets;
  readonly logRetention: RetentionDays;
  /** Days between two rotations of each org's secret. @default 30 */
  readonly rotationDays?: number;
}

/**
 * The rotation function of the org result secrets (Secrets Manager's four-step rotation protocol with a second
 * OAuth client: lambdas/workflows/rotation/), which Secrets Manager of this account may invoke. Rotation is
 * turned on per secret at run time by the function `bindScheduler` binds (the secrets are created by the
 * workflow, not by the stack), every `rotationDays` days.
 */
export class SecretRotation extends Construct {
  readonly function: StepFunction;
  readonly rotationDays: number;
  private readonly secrets: OnboardingSecrets;

  constructor(scope: Construct, id: string, props: SecretRotationProps) {
    super(scope, id);
    this.secrets = props.secrets;
    this.rotationDays = props.rotationDays ?? 30;
    // createSecret: token, the client, the client listing, create, the integration, the credential listing,
    // create; setSecret and testSecret wait up to a minute each for the new client and the activation.
    this.function = new StepFunction(this, 'Rotate', {
      handler: 'rotation/rotate',
      logRetention: props.logRetention,
      timeout: stepTimeout(8),
    }).bindSecrets(props.secrets, ['read-bootstrap', 'rotate-result']);
    this.function.addPermission('SecretsManagerInvokes', {
      principal: new ServicePrincipal('secretsmanager.amazonaws.com'),
      action: 'lambda:InvokeFunction',
      sourceAccount: Stack.of(this).account,
    });
  }

  /**
   * Lets a function turn rotation on for result secrets with this function: `ROTATION_FUNCTION_ARN` and
   * `ROTATION_DAYS`, `secretsmanager:RotateSecret` on them, and `lambda:InvokeFunction` on this function
   * (RotateSecret needs it to attach a rotation function).
   */
  bindScheduler(scheduler: StepFunction): void {
    scheduler.addEnvironment('ROTATION_FUNCTION_ARN', this.function.functionArn);
    scheduler.addEnvironment('ROTATION_DAYS', String(this.rotationDays));
    this.secrets.grant(scheduler, ['schedule-rotation']);
    scheduler.addToRolePolicy(
      new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [this.function.functionArn] }),
    );
  }

  /** An alarm when a rotation step fails (the integration keeps working on the current client meanwhile). */
  watch(alarms: OnboardingAlarms): void {
    alarms.alarmOn('RotationsFailed', {
      alarmDescription:
        'A secret rotation step failed: the integration still runs on the current client; see the rotation function logs',
      metric: this.function.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
  }
}
