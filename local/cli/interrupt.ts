import { ONBOARDING_STATES } from '../../lambdas/workflows/onboarding/states';

/**
 * What the first Ctrl-C does to a workflow: every task but `finishing` fails before it starts, and the state
 * machine's Catch runs `finishing` (the onboarding's rollback, the offboarding's report of what is left).
 */
export interface StopRule {
  /** The task state that still runs after the first Ctrl-C; absent: none does. */
  readonly finishing?: string;
  /** What follows, in words, for the error the refused tasks fail with. */
  readonly consequence: string;
}

/** The onboarding's: what the run created is removed (Compensate). */
export const ONBOARDING_STOP: StopRule = {
  finishing: ONBOARDING_STATES.compensate,
  consequence: 'what this run created is removed',
};

/** The error a task fails with when Ctrl-C came before it started: the state machine's Catch takes over. */
export class InterruptedError extends Error {
  override readonly name = 'Local.Interrupted';
  constructor(stateName: string, consequence = ONBOARDING_STOP.consequence) {
    super(`Stopped by Ctrl-C before "${stateName}" started: ${consequence}`);
  }
}

/** Where a run is when Ctrl-C comes. */
type Phase = 'idle' | 'running' | 'stopping' | 'aborted';

export interface InterruptionHandlers {
  /** Ctrl-C while no run was started: nothing to roll back; the command should end now. */
  readonly onIdle: () => void;
  /** The first Ctrl-C during a run. */
  readonly onStopping: () => void;
  /** The second Ctrl-C during a run: the run has been aborted where it stands. */
  readonly onAborted: () => void;
}

/**
 * Ctrl-C (SIGINT) for a command that runs a workflow. Before a run: `onIdle`. During a run, the first press
 * stops starting new work: the running task finishes, every task after it fails with InterruptedError, and the
 * state machine's own Catch runs the rule's `finishing` state (Compensate, by default) with the run's state, as
 * for any failure; the second press aborts the run at once (`signal`). Replaces Node's default (exit without
 * cleanup) while listening.
 */
export class Interruption {
  private phase: Phase = 'idle';
  private readonly controller = new AbortController();
  private readonly listener = () => this.press();

  constructor(
    private readonly handlers: InterruptionHandlers,
    private readonly rule: StopRule = ONBOARDING_STOP,
  ) {}

  /** Aborted by the second Ctrl-C: pass it to the run. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Whether Ctrl-C was pressed during the run (once or twice). */
  get interrupted(): boolean {
    return this.phase === 'stopping' || this.phase === 'aborted';
  }

  /** Whether the run was aborted (the second Ctrl-C). */
  get aborted(): boolean {
    return this.phase === 'aborted';
  }

  listen(): this {
    process.on('SIGINT', this.listener);
    return this;
  }

  dispose(): void {
    process.off('SIGINT', this.listener);
  }

  /** A run starts (or ends, `running = false`): Ctrl-C now stops it rather than ending the command. */
  setRunning(running: boolean): void {
    if (this.phase === 'idle' && running) this.phase = 'running';
    else if (this.phase === 'running' && !running) this.phase = 'idle';
  }

  /**
   * For LocalWorkflowOptions.beforeTask: after the first Ctrl-C every task but the rule's `finishing` one fails
   * with InterruptedError instead of starting.
   */
  readonly beforeTask = (stateName: string): void => {
    if (this.interrupted && stateName !== this.rule.finishing) {
      throw new InterruptedError(stateName, this.rule.consequence);
    }
  };

  /** What one Ctrl-C does, by phase. */
  press(): void {
    switch (this.phase) {
      case 'idle':
        this.handlers.onIdle();
        break;
      case 'running':
        this.phase = 'stopping';
        this.handlers.onStopping();
        break;
      case 'stopping':
        this.phase = 'aborted';
        this.controller.abort();
        this.handlers.onAborted();
        break;
      case 'aborted':
        break;
    }
  }
}
