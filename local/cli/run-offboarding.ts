import { type OffboardingOutput, offboardingResult, startOffboarding } from '../../lambdas/api/offboardings';
import { causeMessage } from '../../lambdas/shared/errors';
import type { OffboardingRequest } from '../../lambdas/shared/offboarding-request';
import {
  type OffboardingPlan,
  type OffboardingResult,
  offboardingPlanSchema,
  type RemovalOutcome,
  removalOutcomeSchema,
} from '../../lambdas/workflows/offboarding/state';
import { OFFBOARDING_STATES as O } from '../../lambdas/workflows/offboarding/states';
import type { EventLog, LocalExecution } from '../runner';
import { SECRET_RECOVERY_WINDOW_DAYS } from './command-options';
import type { StopRule } from './interrupt';
import type { StepCatalog } from './progress';
import { type CliRunOptions, exitOutput, type RunFacts, runWorkflow } from './workflow-run';

/** The offboarding's steps as the progress shows them: DescribeLeftovers runs only after a failure. */
export const OFFBOARDING_STEPS: StepCatalog = {
  labels: {
    [O.prepare]: 'Check the org, find what is ours',
    [O.removeIntegration]: 'Remove the integration',
    [O.removeCredentials]: 'Remove its credentials',
    [O.removeClients]: 'Remove the OAuth client',
    [O.removeSecret]: 'Remove the result secret',
    [O.describeLeftovers]: 'Find what is left',
  },
  stages: [
    [O.prepare],
    [O.removeIntegration],
    [O.removeCredentials],
    [O.removeClients],
    [O.removeSecret],
    [O.describeLeftovers],
  ],
  afterFailure: O.describeLeftovers,
};

/** The first Ctrl-C: no removal starts after the running one; DescribeLeftovers says what is left. */
export const OFFBOARDING_STOP: StopRule = {
  finishing: O.describeLeftovers,
  consequence: 'nothing is rolled back (an offboarding only removes); running it again finishes it',
};

/** The removal steps in the order they run, with their key under the state's `removal`. */
const REMOVALS = [
  [O.removeIntegration, 'integration'],
  [O.removeCredentials, 'credentials'],
  [O.removeClients, 'clients'],
  [O.removeSecret, 'secret'],
] as const;

export interface CliOffboardingOptions extends CliRunOptions {
  /** The validated offboarding request. */
  readonly request: OffboardingRequest;
}

export interface OffboardingReport extends RunFacts {
  readonly offboardingId: string;
  /** The execution's status: SUCCEEDED, FAILED, TIMED_OUT or ABORTED (stopped at once by a second Ctrl-C). */
  readonly status: string;
  /** What PrepareOffboarding found: the targets and why each is ours. Absent when it did not finish. */
  readonly plan?: OffboardingPlan;
  /**
   * What was removed, already gone and left alone (offboardingResult's shape): the whole run's when it
   * succeeded, else what the removal steps that finished did. Absent when Prepare did not finish.
   */
  readonly result?: OffboardingResult;
  readonly error?: string;
  /** DescribeLeftovers' cause on a failure: the error, then what is still there and why. */
  readonly cause?: string;
  /** The task state whose failure failed the run. */
  readonly failedStep?: string;
  /** Ctrl-C was pressed during the run: `stopped` after the first press, `aborted` after the second. */
  readonly interrupted?: 'stopped' | 'aborted';
  /** After an abort: the steps that were running, which may have removed more. */
  readonly runningSteps: string[];
}

/**
 * Offboards one org through the synthesized offboarding state machine in this process: PrepareOffboarding,
 * then the removals, each idempotent; on a failure DescribeLeftovers. The result secret is deleted with a
 * SECRET_RECOVERY_WINDOW_DAYS window on Secrets Manager (the file store deletes at once).
 */
export async function runOffboarding(options: CliOffboardingOptions): Promise<OffboardingReport> {
  const { request, interruption } = options;
  const run = await runWorkflow({
    ...options,
    workflow: 'offboarding',
    start: (starter) => startOffboarding(request, { starter }),
    bootstrapSecretId: request.bootstrapSecretId,
    settings: { recoveryWindowDays: SECRET_RECOVERY_WINDOW_DAYS },
  });
  const { execution } = run;
  const { steps } = run.facts;
  const interrupted = interruption?.interrupted && execution.status !== 'SUCCEEDED';
  const plan = preparedPlan(execution.events);
  const result = resultOf(execution, plan);
  const failedStep = execution.events
    .filter((e) => e.type === 'StateCaught')
    .map((e) => ('state' in e ? e.state.name : ''))
    .find((name) => name !== O.describeLeftovers);
  return {
    offboardingId: run.id,
    status: execution.status,
    ...(plan ? { plan } : {}),
    ...(result ? { result } : {}),
    ...(execution.error ? { error: execution.error, cause: causeMessage(execution.cause) } : {}),
    ...(failedStep ? { failedStep } : {}),
    ...(interrupted ? { interrupted: execution.status === 'ABORTED' ? 'aborted' : 'stopped' } : {}),
    runningSteps:
      execution.status === 'ABORTED' ? steps.filter((s) => s.status === 'stopped').map((s) => s.step) : [],
    ...run.facts,
  };
}

/** PrepareOffboarding's plan (its `$.plan`), when it finished. */
function preparedPlan(events: readonly EventLog[]): OffboardingPlan | undefined {
  return offboardingPlanOf((exitOutput(events, O.prepare) as { plan?: unknown } | undefined)?.plan);
}

/** A PrepareOffboarding plan, checked; undefined when `value` is not one. */
export function offboardingPlanOf(value: unknown): OffboardingPlan | undefined {
  const parsed = offboardingPlanSchema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

/** The run's result, or what the removal steps that finished had done, in the same shape. */
function resultOf(
  execution: LocalExecution,
  plan: OffboardingPlan | undefined,
): OffboardingResult | undefined {
  if (execution.status === 'SUCCEEDED' && execution.output) {
    return offboardingResult(JSON.parse(execution.output) as OffboardingOutput);
  }
  if (!plan) return undefined;
  const outcome = (stateName: string, key: string): RemovalOutcome => {
    const output = exitOutput(execution.events, stateName) as
      | { removal?: Record<string, unknown> }
      | undefined;
    const parsed = removalOutcomeSchema.safeParse(output?.removal?.[key]);
    return parsed.success ? parsed.data : { removed: [], alreadyAbsent: [] };
  };
  const [integration, credentials, clients, secret] = REMOVALS.map(([stateName, key]) =>
    outcome(stateName, key),
  ) as [RemovalOutcome, RemovalOutcome, RemovalOutcome, RemovalOutcome];
  return offboardingResult({
    orgId: plan.orgId,
    removal: { integration, credentials, clients, secret },
    alreadyAbsentAtStart: plan.alreadyAbsent,
    leftAlone: plan.leftAlone,
  });
}
