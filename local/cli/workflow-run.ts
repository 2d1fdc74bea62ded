import type { RetryPolicy } from '../../lambdas/genesys/http';
import { type GenesysEndpoints, resolveEndpoints } from '../../lambdas/genesys/regions';
import type { StepDeps } from '../../lambdas/shared/deps';
import type { WorkflowStarter } from '../../lambdas/shared/executions';
import type { SecretStore } from '../../lambdas/shared/secret-store';
import { OverlaySecretStore } from '../adapters/overlay-secret-store';
import type { WorkflowName } from '../definitions';
import { localStepDeps } from '../deps';
import { type EventLog, type LocalExecution, LocalWorkflow, LocalWorkflowStarter } from '../runner';
import { currentStep } from '../step-context';
import type { Interruption } from './interrupt';
import { type ProgressEvent, type StepSummary, StepTracker } from './step-tracker';

/** What a CLI command gives a run of either workflow: the store, the bootstrap secret, progress, Ctrl-C. */
export interface CliRunOptions {
  /**
   * The bootstrap secret's value (JSON) to hold in memory under the request's `bootstrapSecretId` for this run:
   * the credentials of GENESYSCLOUD_OAUTHCLIENT_ID/SECRET, or the stored secret with the URL flags applied.
   * Never written anywhere. Absent: the steps read the stored secret.
   */
  readonly bootstrapSecret?: string;
  readonly store: SecretStore;
  readonly secretPrefix: string;
  /** Hosts besides Genesys Cloud's own that API and login URLs may point at (`host`, `host:port`, `*.domain`). */
  readonly allowedHosts?: readonly string[];
  /** Shrinks Wait states and retry intervals to this many ms (for the simulator). */
  readonly fastDelaysMs?: number;
  readonly retry?: Partial<RetryPolicy>;
  readonly onProgress?: (event: ProgressEvent) => void;
  /** Ctrl-C: stops starting new work (the state machine's Catch takes over) or aborts at once. */
  readonly interruption?: Interruption;
}

export interface WorkflowRunOptions extends CliRunOptions {
  readonly workflow: WorkflowName;
  /** Starts the execution (through the workflow's API descriptor, as the API does); resolves with its id. */
  readonly start: (starter: WorkflowStarter) => Promise<{ readonly id: string }>;
  /** The bootstrap secret's name in the request. */
  readonly bootstrapSecretId: string;
  /** Step settings over the local defaults (e.g. `resultSecretKmsKeyId`, `recoveryWindowDays`). */
  readonly settings?: Partial<Pick<StepDeps['settings'], 'resultSecretKmsKeyId' | 'recoveryWindowDays'>>;
  /**
   * Runs only this task state (a dry run): any other task fails before it starts (NotThisRunError), and the
   * run is stopped as soon as this state has ended, well or not.
   */
  readonly only?: string;
}

/** What a run cost and where it went, as every report of a run gives it. */
export interface RunFacts {
  /** The Genesys endpoints the run's clients used (one entry unless the URLs changed between steps). */
  readonly endpoints: GenesysEndpoints[];
  /** Each task state that ran, once (with `only`: that state alone). */
  readonly steps: readonly StepSummary[];
  /** Genesys calls (token requests included) and, among them, the ones that change something. */
  readonly calls: number;
  readonly writes: number;
  /** State transitions as Step Functions bills them. */
  readonly transitions: number;
  readonly durationMs: number;
}

/** One execution of a workflow in this process, and what it cost. */
export interface WorkflowRun {
  /** The execution's name: the onboarding or offboarding id. */
  readonly id: string;
  readonly execution: LocalExecution;
  readonly facts: RunFacts;
}

/** The error a task fails with when a run is limited to another state (`only`). */
export class NotThisRunError extends Error {
  override readonly name = 'Local.NotThisRun';
  constructor(stateName: string, only: string) {
    super(`"${stateName}" does not run: this run is limited to "${only}"`);
  }
}

/** Runs one of the stack's state machines in this process, with the CLI's progress, counts and Ctrl-C. */
export async function runWorkflow(options: WorkflowRunOptions): Promise<WorkflowRun> {
  const started = Date.now();
  const { interruption, only } = options;
  const secrets = new OverlaySecretStore(options.store);
  if (options.bootstrapSecret !== undefined) secrets.hold(options.bootstrapSecretId, options.bootstrapSecret);

  const tracker = new StepTracker(options.onProgress);
  let calls = 0;
  let writes = 0;
  const endpoints = new Map<string, GenesysEndpoints>();
  const base = localStepDeps({
    secrets,
    secretPrefix: options.secretPrefix,
    allowedHosts: options.allowedHosts,
    retry: options.retry,
    onGenesysEvent: (event) => {
      if (event.type === 'call') {
        calls++;
        if (event.method !== 'GET' && event.path !== '/oauth/token') writes++;
      }
      tracker.onGenesysEvent(currentStep(), event);
    },
  });
  const deps: StepDeps = {
    ...base,
    settings: { ...base.settings, ...definedEntries(options.settings ?? {}) },
    genesys: (clientOptions) => {
      const client = base.genesys(clientOptions);
      // The client resolved the same endpoints from the same options (or threw above).
      const used = resolveEndpoints(clientOptions);
      endpoints.set(`${used.apiUrl} ${used.loginUrl}`, used);
      return client;
    },
  };

  const limit = new AbortController();
  const workflow = new LocalWorkflow({
    deps,
    workflow: options.workflow,
    fastDelaysMs: options.fastDelaysMs,
    onEvent: (event) => {
      tracker.onStateEvent(event);
      if (only && ended(event, only)) limit.abort();
    },
    beforeTask: (stateName) => {
      if (only && stateName !== only) throw new NotThisRunError(stateName, only);
      interruption?.beforeTask(stateName);
    },
  });
  const signals = [limit.signal, ...(interruption ? [interruption.signal] : [])];
  const starter = new LocalWorkflowStarter(workflow, AbortSignal.any(signals));
  interruption?.setRunning(true);
  let execution: LocalExecution;
  let id: string;
  try {
    ({ id } = await options.start(starter));
    execution = await starter.wait(id);
  } finally {
    interruption?.setRunning(false);
  }
  const steps = tracker.end();
  return {
    id,
    execution,
    facts: {
      steps: only ? steps.filter((s) => s.step === only) : steps,
      endpoints: [...endpoints.values()],
      calls,
      writes,
      transitions: execution.transitions,
      durationMs: Date.now() - started,
    },
  };
}

/** Whether a state has ended for good: exited, or failed and caught (no retry follows a catch). */
const ended = (event: EventLog, stateName: string): boolean =>
  'state' in event &&
  event.state.name === stateName &&
  (event.type === 'StateExited' || event.type === 'StateCaught');

function definedEntries<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** The output of the last exit of a state, if it exited. */
export function exitOutput(events: readonly EventLog[], stateName: string): unknown {
  const exits = events.filter((e) => e.type === 'StateExited' && e.state.name === stateName);
  const last = exits[exits.length - 1];
  return last && 'state' in last ? last.state.output : undefined;
}

/** The error a state failed with last (its name and cause), if it failed. */
export function lastFailure(
  events: readonly EventLog[],
  stateName: string,
): { error: string; cause: string } | undefined {
  const failures = events.filter((e) => e.type === 'StateFailed' && e.state.name === stateName);
  const last = failures[failures.length - 1];
  if (last?.type !== 'StateFailed') return undefined;
  return {
    error: last.Error,
    cause: typeof last.Cause === 'string' ? last.Cause : JSON.stringify(last.Cause),
  };
}
