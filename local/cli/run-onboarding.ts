import { startOnboarding } from '../../lambdas/api/onboardings';
import { causeMessage } from '../../lambdas/shared/errors';
import type { OnboardingRequest } from '../../lambdas/shared/request';
import {
  clientOutcomeSchema,
  configureOutcomeSchema,
  integrationOutcomeSchema,
  type OnboardingResult,
} from '../../lambdas/workflows/onboarding/state';
import { ONBOARDING_STATES as S } from '../../lambdas/workflows/onboarding/states';
import type { EventLog, LocalExecution } from '../runner';
import { type CliRunOptions, exitOutput, type RunFacts, runWorkflow } from './workflow-run';

export interface CliOnboardingOptions extends CliRunOptions {
  /** The validated onboarding request. */
  readonly request: OnboardingRequest;
  /** KMS key for the result secret in Secrets Manager; absent: the account's default key. */
  readonly resultSecretKmsKeyId?: string;
}

export interface OnboardingReport extends RunFacts {
  readonly onboardingId: string;
  /** The execution's status: SUCCEEDED, FAILED, TIMED_OUT or ABORTED (stopped at once by a second Ctrl-C). */
  readonly status: string;
  readonly result?: OnboardingResult;
  readonly error?: string;
  readonly cause?: string;
  /** The task state whose failure failed the run. */
  readonly failedStep?: string;
  readonly rolledBack: string[];
  readonly leftBehind: string[];
  /** Ctrl-C was pressed during the run: `rolled-back` after the first press, `aborted` after the second. */
  readonly interrupted?: 'rolled-back' | 'aborted';
  /** After an abort: what this run had created, as far as its finished steps tell, e.g. `OAuth client <id>`. */
  readonly created: string[];
  /** After an abort: the steps that were running, which may have created more. */
  readonly runningSteps: string[];
}

/** Onboards one org through the synthesized state machine in this process. */
export async function runOnboarding(options: CliOnboardingOptions): Promise<OnboardingReport> {
  const { request, interruption } = options;
  const run = await runWorkflow({
    ...options,
    workflow: 'onboarding',
    start: (starter) => startOnboarding(request, { starter }),
    bootstrapSecretId: request.bootstrapSecretId,
    settings: { resultSecretKmsKeyId: options.resultSecretKmsKeyId },
  });
  const { execution } = run;
  const { steps } = run.facts;
  const aborted = execution.status === 'ABORTED';
  // A run that reached its end before Ctrl-C took effect onboarded the org: nothing to report as stopped.
  const interrupted = interruption?.interrupted && execution.status !== 'SUCCEEDED';
  return {
    onboardingId: run.id,
    status: execution.status,
    ...(execution.output ? { result: JSON.parse(execution.output) as OnboardingResult } : {}),
    ...(execution.error ? { error: execution.error, cause: causeMessage(execution.cause) } : {}),
    ...failureDetails(execution),
    ...(interrupted ? { interrupted: aborted ? 'aborted' : 'rolled-back' } : {}),
    created: aborted ? createdSoFar(execution.events) : [],
    runningSteps: aborted ? steps.filter((s) => s.status === 'stopped').map((s) => s.step) : [],
    ...run.facts,
  };
}

/** The step that failed the run, and what compensation removed or could not remove. */
function failureDetails(execution: LocalExecution): {
  failedStep?: string;
  rolledBack: string[];
  leftBehind: string[];
} {
  const caught = execution.events.filter((e) => e.type === 'StateCaught');
  const compensated = exitOutput(execution.events, S.compensate) as
    | { failure?: { rolledBack?: string[]; leftBehind?: string[] } }
    | undefined;
  const failure = compensated?.failure;
  const failedStep = caught.map((e) => e.state.name).find((name) => name !== S.compensate);
  return {
    ...(failedStep ? { failedStep } : {}),
    rolledBack: failure?.rolledBack ?? [],
    leftBehind: failure?.leftBehind ?? [],
  };
}

/** What the finished steps of a run say it created (read from their outputs: ids, never a secret). */
function createdSoFar(events: readonly EventLog[]): string[] {
  const created: string[] = [];
  const client = clientOutcomeSchema.safeParse(exitOutput(events, S.ensureOAuthClient));
  if (client.success && client.data.clientCreated) created.push(`OAuth client ${client.data.oauthClientId}`);
  if (client.success && client.data.secretCreated) created.push(`secret ${client.data.secretArn}`);
  const integration = integrationOutcomeSchema.safeParse(exitOutput(events, S.ensureIntegration));
  if (integration.success && integration.data.integrationCreated) {
    created.push(`integration ${integration.data.integrationId}`);
  }
  const configured = configureOutcomeSchema.safeParse(
    (exitOutput(events, S.configure) as { configured?: unknown } | undefined)?.configured,
  );
  if (configured.success && configured.data.credentialCreated) {
    created.push(`credential ${configured.data.credentialId}`);
  }
  return created;
}
