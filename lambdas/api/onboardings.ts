import type { WorkflowStarter } from '../shared/executions';
import { executionName } from '../shared/naming';
import { type OnboardingRequest, parseOnboardingRequest } from '../shared/request';
import type { OnboardingResult } from '../workflows/onboarding/state';
import { type StartedExecution, startExecution, type WorkflowApi } from './workflow-api';

/** The execution input of the onboarding state machine: the request, validated, with its defaults. */
export interface OnboardingExecutionInput {
  request: OnboardingRequest;
}

/** `POST /onboardings`, `GET /onboardings/{onboardingId}` and the "Genesys Cloud Org Onboarded" event. */
export const ONBOARDINGS: WorkflowApi<OnboardingRequest, OnboardingResult> = {
  noun: 'onboarding',
  metricPrefix: 'Onboardings',
  path: '/onboardings',
  idField: 'onboardingId',
  idPattern: /^onb-[0-9a-f]{8}-[0-9a-f]{40}$/,
  parse: (body, settings) => parseOnboardingRequest(body, settings),
  executionName: (request) => executionName(request, 'onb'),
  executionInput: (request): OnboardingExecutionInput => ({ request }),
  result: (output) => onboardingResult(output as Partial<OnboardingResult>),
};

/** Only the ids and the change lists leave: whatever else an output might hold stays in Step Functions. */
function onboardingResult(output: Partial<OnboardingResult>): OnboardingResult {
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

/** Starts (or finds) the onboarding of a validated request: what the API, the event and the CLI call. */
export const startOnboarding = (
  request: OnboardingRequest,
  deps: { starter: WorkflowStarter },
): Promise<StartedExecution> => startExecution(ONBOARDINGS, request, deps.starter);
