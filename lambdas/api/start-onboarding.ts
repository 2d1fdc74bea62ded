import type { WorkflowStarter } from '../shared/executions';
import { executionName } from '../shared/naming';
import type { OnboardingRequest } from '../shared/request';

export interface StartDeps {
  readonly starter: WorkflowStarter;
}

export interface StartedOnboarding {
  onboardingId: string;
  status: string;
  /** The same request had started this onboarding already. */
  alreadyStarted: boolean;
}

/** The execution input of the onboarding state machine: the request, validated, with its defaults. */
export interface OnboardingExecutionInput {
  request: OnboardingRequest;
}

/**
 * Starts the execution of a validated request under a name derived from it: the same request again (or the
 * same idempotency key for the org) is the same onboarding, and returns its current status.
 */
export async function startOnboarding(
  request: OnboardingRequest,
  deps: StartDeps,
): Promise<StartedOnboarding> {
  const onboardingId = executionName(request);
  const input: OnboardingExecutionInput = { request };
  const started = await deps.starter.start(onboardingId, input);
  if (!started.alreadyStarted) return { onboardingId, status: 'RUNNING', alreadyStarted: false };
  const existing = await deps.starter.describe(onboardingId);
  return { onboardingId, status: existing?.status ?? 'RUNNING', alreadyStarted: true };
}
