import type { WorkflowStarter } from '../shared/executions';
import type { OnboardingResult } from '../workflows/onboarding/state';
import { causeMessage } from '../workflows/onboarding/steps/compensate';

export const ONBOARDING_ID = /^onb-[0-9a-f]{8}-[0-9a-f]{40}$/;

export interface OnboardingStatus {
  onboardingId: string;
  status: string;
  startedAt?: string;
  stoppedAt?: string;
  /** The ids, when it succeeded. */
  result?: OnboardingResult;
  /** The error name and cause, when it failed. */
  error?: { error: string; cause: string };
}

/** The status of an onboarding, or undefined when there is none of that id. */
export async function getOnboardingStatus(
  onboardingId: string,
  starter: WorkflowStarter,
): Promise<OnboardingStatus | undefined> {
  const execution = await starter.describe(onboardingId);
  if (!execution) return undefined;
  const status: OnboardingStatus = {
    onboardingId,
    status: execution.status,
    ...(execution.startDate ? { startedAt: execution.startDate.toISOString() } : {}),
    ...(execution.stopDate ? { stoppedAt: execution.stopDate.toISOString() } : {}),
  };
  if (execution.status === 'SUCCEEDED' && execution.output)
    status.result = pickIds(JSON.parse(execution.output));
  if (execution.error) status.error = { error: execution.error, cause: causeMessage(execution.cause) };
  return status;
}

/** Only the ids and the change lists leave: whatever else an output might hold stays in Step Functions. */
function pickIds(output: Partial<OnboardingResult>): OnboardingResult {
  const lines = (value: unknown) => (Array.isArray(value) ? value.map(String) : []);
  return {
    orgId: String(output.orgId ?? ''),
    oauthClientId: String(output.oauthClientId ?? ''),
    integrationId: String(output.integrationId ?? ''),
    credentialId: String(output.credentialId ?? ''),
    secretArn: String(output.secretArn ?? ''),
    changed: {
      oauthClient: lines(output.changed?.oauthClient),
      integration: lines(output.changed?.integration),
    },
  };
}
