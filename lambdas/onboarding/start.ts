import type { WorkflowStarter } from '../ports/workflow-starter';
import { executionName } from './naming';
import { type OnboardingRequest, parseOnboardingRequest } from './request';

export interface StartDeps {
  readonly starter: WorkflowStarter;
  readonly secretPrefix: string;
}

export interface StartedOnboarding {
  onboardingId: string;
  status: string;
  /** The same request had started this onboarding already. */
  alreadyStarted: boolean;
}

/** The execution input: the validated request with its defaults. */
export interface ExecutionInput {
  request: OnboardingRequest;
}

/**
 * Validates a request (API body or event detail) and starts its execution under a name derived from it:
 * the same request again is the same onboarding. A bad request throws InvalidRequestError and starts nothing.
 */
export async function startOnboarding(body: unknown, deps: StartDeps): Promise<StartedOnboarding> {
  const request = parseOnboardingRequest(body, { secretPrefix: deps.secretPrefix });
  const onboardingId = executionName(request);
  const input: ExecutionInput = { request };
  const started = await deps.starter.start(onboardingId, input);
  if (!started.alreadyStarted) return { onboardingId, status: 'RUNNING', alreadyStarted: false };
  const existing = await deps.starter.describe(onboardingId);
  return { onboardingId, status: existing?.status ?? 'RUNNING', alreadyStarted: true };
}
