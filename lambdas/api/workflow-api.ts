import { causeMessage } from '../shared/errors';
import type { WorkflowStarter } from '../shared/executions';

/**
 * A workflow as the API and the event rules start it: how its request is parsed (once, at the edge), the
 * execution name (the id handed out) and input derived from it, and what of its output may leave.
 */
export interface WorkflowApi<TRequest, TResult> {
  /** In words, e.g. `onboarding`. */
  readonly noun: string;
  /** Metric name prefix, e.g. `Onboardings` (`OnboardingsStarted`, `OnboardingsRefused`...). */
  readonly metricPrefix: string;
  /** The collection's path, e.g. `/onboardings`. */
  readonly path: string;
  /** The id's path parameter and answer field, e.g. `onboardingId`. */
  readonly idField: string;
  /** The ids this workflow hands out. */
  readonly idPattern: RegExp;
  /** Validates a body or event detail; throws InvalidRequestError listing every problem. */
  readonly parse: (body: unknown, settings: { readonly secretPrefix: string }) => TRequest;
  readonly executionName: (request: TRequest) => string;
  readonly executionInput: (request: TRequest) => unknown;
  /** What of a successful execution's output may leave (ids only, never a secret). */
  readonly result: (output: unknown) => TResult;
}

export interface StartedExecution {
  readonly id: string;
  readonly status: string;
  /** The same request had started it already. */
  readonly alreadyStarted: boolean;
}

/**
 * Starts the execution of a validated request under the name derived from it: the same request again (or the
 * same idempotency key for the org) is the same execution, and its current status is returned.
 */
export async function startExecution<TRequest, TResult>(
  api: WorkflowApi<TRequest, TResult>,
  request: TRequest,
  starter: WorkflowStarter,
): Promise<StartedExecution> {
  const id = api.executionName(request);
  const started = await starter.start(id, api.executionInput(request));
  if (!started.alreadyStarted) return { id, status: 'RUNNING', alreadyStarted: false };
  const existing = await starter.describe(id);
  return { id, status: existing?.status ?? 'RUNNING', alreadyStarted: true };
}

export interface ExecutionStatus<TResult> {
  readonly status: string;
  readonly startedAt?: string;
  readonly stoppedAt?: string;
  /** What it produced, when it succeeded. */
  readonly result?: TResult;
  /** The error name and cause, when it failed. */
  readonly error?: { error: string; cause: string };
}

/** The status of an execution by its id, or undefined when there is none. */
export async function executionStatus<TRequest, TResult>(
  api: WorkflowApi<TRequest, TResult>,
  id: string,
  starter: WorkflowStarter,
): Promise<ExecutionStatus<TResult> | undefined> {
  const execution = await starter.describe(id);
  if (!execution) return undefined;
  return {
    status: execution.status,
    ...(execution.startDate ? { startedAt: execution.startDate.toISOString() } : {}),
    ...(execution.stopDate ? { stoppedAt: execution.stopDate.toISOString() } : {}),
    ...(execution.status === 'SUCCEEDED' && execution.output
      ? { result: api.result(JSON.parse(execution.output)) }
      : {}),
    ...(execution.error ? { error: { error: execution.error, cause: causeMessage(execution.cause) } } : {}),
  };
}
