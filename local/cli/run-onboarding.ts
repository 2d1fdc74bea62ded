import { startOnboarding } from '../../lambdas/api/onboardings';
import { causeMessage } from '../../lambdas/shared/errors';
import { credentialName } from '../../lambdas/shared/naming';
import type { OnboardingRequest } from '../../lambdas/shared/request';
import {
  clientOutcomeSchema,
  configureOutcomeSchema,
  integrationOutcomeSchema,
  type OnboardingResult,
  planSchema,
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
  /**
   * After an abort: what this run created, as its finished steps tell (`OAuth client <id>`), then what the
   * steps still running may have created, by name (`integration "<name>" (may exist: ...)`).
   */
  readonly created: string[];
  /** After an abort: the steps that were running (what they may have created is in `created`). */
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
  const running = aborted ? steps.filter((s) => s.status === 'stopped').map((s) => s.step) : [];
  // A run that reached its end before Ctrl-C took effect onboarded the org: nothing to report as stopped.
  const interrupted = interruption?.interrupted && execution.status !== 'SUCCEEDED';
  return {
    onboardingId: run.id,
    status: execution.status,
    ...(execution.output ? { result: JSON.parse(execution.output) as OnboardingResult } : {}),
    ...(execution.error ? { error: execution.error, cause: causeMessage(execution.cause) } : {}),
    ...failureDetails(execution),
    ...(interrupted ? { interrupted: aborted ? 'aborted' : 'rolled-back' } : {}),
    created: aborted ? [...createdSoFar(execution.events), ...mayHaveCreated(execution.events, running)] : [],
    runningSteps: running,
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

/**
 * What the steps still running when the run was stopped at once may have created, by name: a create may have
 * been sent (or answered) with no step left to report it. From Prepare's plan (a client or integration to
 * create) and EnsureIntegration's outcome (an integration with no credential of ours gets one created).
 */
function mayHaveCreated(events: readonly EventLog[], running: readonly string[]): string[] {
  const parsed = planSchema.safeParse(
    (exitOutput(events, S.prepare) as { plan?: unknown } | undefined)?.plan,
  );
  if (!parsed.success) return [];
  const plan = parsed.data;
  const mayExist = (step: string) => `(may exist: ${step} was stopped while creating it)`;
  const lines: string[] = [];
  if (running.includes(S.ensureOAuthClient)) {
    const { client } = plan.found;
    if (client.action === 'create') {
      lines.push(`OAuth client ${JSON.stringify(plan.oauthClient.name)} ${mayExist(S.ensureOAuthClient)}`);
    }
    // A recorded client's secret is already stored; any other run writes the result secret (its intent first).
    if (client.action === 'create' || client.basis !== 'recorded') {
      lines.push(`secret ${plan.resultSecretId} ${mayExist(S.ensureOAuthClient)}`);
    }
  }
  if (running.includes(S.ensureIntegration) && plan.found.integration.action === 'create') {
    lines.push(`integration ${JSON.stringify(plan.integration.name)} ${mayExist(S.ensureIntegration)}`);
  }
  const integration = integrationOutcomeSchema.safeParse(exitOutput(events, S.ensureIntegration));
  if (running.includes(S.configure) && integration.success && !integration.data.ourCredentialId) {
    const name = credentialName(integration.data.integrationId);
    lines.push(`credential ${JSON.stringify(name)} ${mayExist(S.configure)}`);
  }
  return lines;
}
