import { Duration } from 'aws-cdk-lib';
import { Dashboard, GraphWidget, Metric, TextWidget } from 'aws-cdk-lib/aws-cloudwatch';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { METRICS_NAMESPACE, METRICS_SERVICE } from '../../lambdas/observability';

export interface OperationsDashboardProps {
  readonly onboarding: StateMachine;
  /** @default no offboarding widget */
  readonly offboarding?: StateMachine;
  /** The secret rotation function (its invocations are rotation steps, its errors failed steps). @default none */
  readonly rotation?: IFunction;
  /** @default no bulk widget */
  readonly bulkOnboarding?: StateMachine;
  /** The drift check's per-hour metrics (drift-check.ts). @default no drift widget */
  readonly drift?: { readonly driftedOrgs: Metric; readonly uncheckedOrgs: Metric };
  readonly deadLetterQueue: IQueue;
}

const PERIOD = Duration.hours(1);

/**
 * The stack's CloudWatch dashboard, one row of graphs per concern (sums per hour): each workflow's executions
 * started, succeeded and failed (or timed out); rotation steps and their errors; orgs found drifted and not
 * checked; events in the dead-letter queue; Genesys calls, retries and rate-limited retries (429s and the
 * token endpoint's rate limit: `GenesysRateLimited`).
 */
export class OperationsDashboard extends Construct {
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: OperationsDashboardProps) {
    super(scope, id);
    this.dashboard = new Dashboard(this, 'Dashboard', { defaultInterval: Duration.days(7) });
    this.dashboard.addWidgets(
      new TextWidget({
        markdown:
          '# Genesys Cloud Data Actions onboarding\nSums per hour. Failed runs, drifted orgs and dead letters also raise alarms (topic in the stack).',
        width: 24,
        height: 2,
      }),
    );
    const executions = (title: string, machine: StateMachine) =>
      new GraphWidget({
        title,
        width: 8,
        left: [
          machine.metricStarted({ period: PERIOD, statistic: 'Sum', label: 'started' }),
          machine.metricSucceeded({ period: PERIOD, statistic: 'Sum', label: 'succeeded' }),
          machine.metricFailed({ period: PERIOD, statistic: 'Sum', label: 'failed' }),
          machine.metricTimedOut({ period: PERIOD, statistic: 'Sum', label: 'timed out' }),
        ],
      });
    const workflows = [executions('Onboardings', props.onboarding)];
    if (props.offboarding) workflows.push(executions('Offboardings', props.offboarding));
    if (props.bulkOnboarding) workflows.push(executions('Bulk onboardings', props.bulkOnboarding));
    if (props.rotation) {
      workflows.push(
        new GraphWidget({
          title: 'Secret rotations',
          width: 8,
          left: [
            props.rotation.metricInvocations({ period: PERIOD, statistic: 'Sum', label: 'rotation steps' }),
            props.rotation.metricErrors({ period: PERIOD, statistic: 'Sum', label: 'failed steps' }),
          ],
        }),
      );
    }
    this.dashboard.addWidgets(...workflows);

    const genesys = (metricName: string, label: string) =>
      new Metric({
        namespace: METRICS_NAMESPACE,
        metricName,
        dimensionsMap: { service: METRICS_SERVICE },
        statistic: 'Sum',
        period: PERIOD,
        label,
      });
    const health = [
      new GraphWidget({
        title: 'Genesys Cloud calls',
        width: 8,
        left: [genesys('GenesysCalls', 'calls')],
        right: [genesys('GenesysRetries', 'retries'), genesys('GenesysRateLimited', 'rate limited (429)')],
      }),
      new GraphWidget({
        title: 'Dead-letter queue (events that started no run)',
        width: 8,
        left: [
          props.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
            period: Duration.minutes(5),
            statistic: 'Maximum',
            label: 'messages',
          }),
        ],
      }),
    ];
    if (props.drift) {
      health.unshift(
        new GraphWidget({
          title: 'Drift check',
          width: 8,
          left: [
            props.drift.driftedOrgs.with({ label: 'drifted orgs' }),
            props.drift.uncheckedOrgs.with({ label: 'orgs not checked' }),
          ],
        }),
      );
    }
    this.dashboard.addWidgets(...health);
  }
}
