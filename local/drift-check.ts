import type { StepDeps } from '../lambdas/shared/deps';
import { DRIFT_STATES } from '../lambdas/workflows/drift/contract';
import { type LocalExecution, LocalWorkflow, LocalWorkflowStarter } from './runner';

/** An event the drift check put on the bus: what EventBridge would receive (`Detail` is the JSON object). */
export interface PutEvent {
  readonly Source: string;
  readonly DetailType: string;
  readonly EventBusName: string;
  readonly Detail: unknown;
}

export interface LocalDriftCheckOptions {
  readonly deps: StepDeps;
  /** The schedule's input. @default false */
  readonly repair?: boolean;
  /** Runs the repairs (onboardings). @default a new starter of the onboarding workflow */
  readonly onboardings?: LocalWorkflowStarter;
  /** Receives each event the check puts on the bus. */
  readonly onEvent?: (event: PutEvent) => void;
  readonly fastDelaysMs?: number;
  /** The drift check's execution name (a repair is named after it). @default `drift-<time>` */
  readonly name?: string;
}

/**
 * The stack's drift check (its synthesized definition) in this process: ListOrgs and CheckOrg run their
 * handlers; `events:putEvents` hands each entry to `onEvent` (failing as EventBridge.FailedEntry when that
 * throws); `states:startExecution` starts the repair on `onboardings` (a name used before is
 * `StepFunctions.ExecutionAlreadyExistsException`, as in Step Functions). The Distributed Map runs its items
 * in-process, `driftCheckConcurrency` at a time.
 */
export async function runLocalDriftCheck(options: LocalDriftCheckOptions): Promise<LocalExecution> {
  const onboardings =
    options.onboardings ??
    new LocalWorkflowStarter(new LocalWorkflow({ deps: options.deps, fastDelaysMs: options.fastDelaysMs }));
  const workflow = new LocalWorkflow({
    deps: options.deps,
    workflow: 'driftCheck',
    fastDelaysMs: options.fastDelaysMs,
    nativeTasks: {
      [DRIFT_STATES.publishDrift]: async (input) => {
        const { Entries } = input as { Entries: PutEvent[] };
        for (const entry of Entries) {
          try {
            options.onEvent?.(entry);
          } catch (error) {
            const failed = new Error(`PutEvents entry failed: ${(error as Error).message}`);
            failed.name = 'EventBridge.FailedEntry';
            throw failed;
          }
        }
        return { Entries: Entries.map((_, i) => ({ EventId: `local-${i}` })), FailedEntryCount: 0 };
      },
      [DRIFT_STATES.startRepair]: async (input) => {
        const { Name, Input } = input as { Name: string; Input: unknown };
        const started = await onboardings.start(Name, Input);
        if (started.alreadyStarted) {
          const exists = new Error(`Execution Already Exists: '${Name}'`);
          exists.name = 'StepFunctions.ExecutionAlreadyExistsException';
          throw exists;
        }
        return { ExecutionArn: started.executionArn, StartDate: new Date().toISOString() };
      },
    },
  });
  return workflow.execute(options.name ?? `drift-${Date.now()}`, { repair: options.repair ?? false });
}
