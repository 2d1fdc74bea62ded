import { ONBOARDING_STATES } from '../../lambdas/workflows/onboarding/states';

/** The error a task fails with when Ctrl-C came before it started: the state machine's Catch then compensates. */
export class InterruptedError extends Error {
  override readonly name = 'Local.Interrupted';
  constructor(stateName: string) {
    super(`Stopped by Ctrl-C before "${stateName}" started: what this run created is removed`);
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
 * Ctrl-C (SIGINT) for a command that runs the workflow. Before a run: `onIdle`. During a run, the first press
 * stops starting new work: the running task finishes, every task after it fails with InterruptedError, and the
 * state machine's own Catch runs Compensate with the run's state, as for any failure; the second press aborts
 * the run at once (`signal`). Replaces Node's default (exit without cleanup) while listening.
 */
export class Interruption {
  private phase: Phase = 'idle';
  private readonly controller = new AbortController();
  private readonly listener = () => this.press();

  constructor(private readonly handlers: InterruptionHandlers) {}

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
   * For LocalWorkflowOptions.beforeTask: after the first Ctrl-C every task but the compensation fails with
   * InterruptedError instead of starting.
   */
  readonly beforeTask = (stateName: string): void => {
    if (this.interrupted && stateName !== ONBOARDING_STATES.compensate) throw new InterruptedError(stateName);
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
