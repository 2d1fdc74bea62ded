import type { WorkflowStarter } from '../shared/executions';
import { executionName } from '../shared/naming';
import { type OffboardingRequest, parseOffboardingRequest } from '../shared/offboarding-request';
import type {
  FoundResource,
  OffboardingPlan,
  OffboardingResult,
  RemovalOutcome,
} from '../workflows/offboarding/state';
import { type StartedExecution, startExecution, type WorkflowApi } from './workflow-api';

/** The execution input of the offboarding state machine. */
export interface OffboardingExecutionInput {
  request: OffboardingRequest;
}

/** What the offboarding state machine ends with (its `Offboarded` state). */
export interface OffboardingOutput {
  orgId: string;
  removal: {
    integration: RemovalOutcome;
    credentials: RemovalOutcome;
    clients: RemovalOutcome;
    secret: RemovalOutcome;
  };
  alreadyAbsentAtStart: FoundResource[];
  leftAlone: OffboardingPlan['leftAlone'];
}

/** `POST /offboardings`, `GET /offboardings/{offboardingId}` and the "Genesys Cloud Org Offboarded" event. */
export const OFFBOARDINGS: WorkflowApi<OffboardingRequest, OffboardingResult> = {
  noun: 'offboarding',
  metricPrefix: 'Offboardings',
  path: '/offboardings',
  idField: 'offboardingId',
  idPattern: /^off-[0-9a-f]{8}-[0-9a-f]{40}$/,
  parse: (body, settings) => parseOffboardingRequest(body, settings),
  executionName: (request) => executionName(request, 'off'),
  executionInput: (request): OffboardingExecutionInput => ({ request }),
  result: (output) => offboardingResult(output as OffboardingOutput),
};

/**
 * The state machine's output as the contract gives it: what was removed, by kind (null where nothing was
 * there), what was already gone (at the start or found gone while removing), what was left alone and why.
 */
export function offboardingResult(output: OffboardingOutput): OffboardingResult {
  const removal = output.removal;
  const removedIds = (outcome: RemovalOutcome | undefined) => (outcome?.removed ?? []).map((r) => r.id);
  const clients = removedIds(removal?.clients);
  return {
    orgId: String(output.orgId ?? ''),
    removed: {
      oauthClientId: clients[0] ?? null,
      oauthClientIds: clients,
      integrationId: removedIds(removal?.integration)[0] ?? null,
      credentialIds: removedIds(removal?.credentials),
      secretId: removedIds(removal?.secret)[0] ?? null,
    },
    alreadyAbsent: [
      ...(output.alreadyAbsentAtStart ?? []),
      ...Object.values(removal ?? {}).flatMap((outcome) => outcome?.alreadyAbsent ?? []),
    ].map(({ kind, id }) => ({ kind, id })),
    disabled: (removal?.integration?.disabled ?? []).map(({ kind, id }) => ({ kind, id })),
    leftAlone: (output.leftAlone ?? []).map((item) => ({ ...item })),
  };
}

/** Starts (or finds) the offboarding of a validated request: what the API, the event and the CLI call. */
export const startOffboarding = (
  request: OffboardingRequest,
  deps: { starter: WorkflowStarter },
): Promise<StartedExecution> => startExecution(OFFBOARDINGS, request, deps.starter);
