import type { HttpEvent } from '../../lambdas/genesys/http';
import type { EventLog } from '../runner';
import { InterruptedError } from './interrupt';

/**
 * How a task state of a run ended. `not-started`: Ctrl-C came first, so it failed without running (see
 * Interruption.beforeTask); `stopped`: it was still running when the run was stopped at once.
 */
export type StepStatus = 'succeeded' | 'failed' | 'not-started' | 'stopped';

const INTERRUPTED = new InterruptedError('').name;

/** One task state of a run, once: from its first start to its last end, over retries and Wait loops. */
export interface StepSummary {
  /** The task state's name, e.g. `EnsureOAuthClient`. */
  readonly step: string;
  readonly status: StepStatus;
  /** Wall-clock milliseconds from the first start to the end. */
  readonly ms: number;
  /** Genesys calls it made (token requests included), retries excluded. */
  readonly calls: number;
  /** Its retries: the state machine's (the step ran again) plus the Genesys client's (a call sent again). */
  readonly retries: number;
  /** The error name it failed with, e.g. `Onboarding.MissingRoles`. */
  readonly error?: string;
}

/** What the progress display is told, as it happens. */
export type ProgressEvent =
  | { readonly type: 'started'; readonly step: string }
  | { readonly type: 'retrying'; readonly step: string; readonly error?: string }
  /** A Wait state before `step` runs again (e.g. until the integration is ACTIVE). */
  | { readonly type: 'waiting'; readonly step: string; readonly state: string }
  | { readonly type: 'finished'; readonly summary: StepSummary };

interface OpenStep {
  readonly startedAt: number;
  endedAt?: number;
  calls: number;
  retries: number;
  lastError?: string;
  /** `exited`: it ended well, but a Choice/Wait loop may still run it again. */
  phase: 'running' | 'exited';
}

/** States a looping step passes through before it runs again: while only these pass, it stays open. */
const LOOP_STATE_TYPES = new Set(['Choice', 'Wait']);

/**
 * Turns the state machine's events into one summary per task state. The engine reports a caught failure as
 * StateCaught followed by StateExited, and a step in a Wait loop (Verify) as several enters and exits: each
 * step is still reported finished exactly once, with its final status.
 */
export class StepTracker {
  private readonly open = new Map<string, OpenStep>();
  private readonly finished: StepSummary[] = [];

  constructor(
    private readonly emit: (event: ProgressEvent) => void = () => undefined,
    private readonly now: () => number = Date.now,
  ) {}

  /** Every step finished so far, in the order they finished. */
  get summaries(): readonly StepSummary[] {
    return this.finished;
  }

  /** A Genesys call or retry, counted against the step that made it (undefined: outside any step). */
  onGenesysEvent(step: string | undefined, event: HttpEvent): void {
    const entry = step === undefined ? undefined : this.open.get(step);
    if (!entry) return;
    if (event.type === 'call') entry.calls++;
    else entry.retries++;
  }

  /** An event of the state machine. */
  onStateEvent(event: EventLog): void {
    if (!('state' in event)) {
      // Parallel branch and execution events: a step that had exited will not run again.
      this.finishExited();
      return;
    }
    const { name, type } = event.state;
    if (type !== 'Task') {
      if (!LOOP_STATE_TYPES.has(type)) this.finishExited();
      else if (event.type === 'StateEntered' && type === 'Wait') {
        for (const [step, entry] of this.open)
          if (entry.phase === 'exited') this.emit({ type: 'waiting', step, state: name });
      }
      return;
    }
    const entry = this.open.get(name);
    switch (event.type) {
      case 'StateEntered':
        this.finishExited(name);
        if (entry) {
          entry.phase = 'running';
        } else {
          this.open.set(name, { startedAt: this.now(), calls: 0, retries: 0, phase: 'running' });
          this.emit({ type: 'started', step: name });
        }
        break;
      case 'StateFailed':
        this.finishExited(name);
        if (entry) entry.lastError = event.Error;
        break;
      case 'StateRetried':
        this.finishExited(name);
        if (entry) {
          entry.retries++;
          this.emit({ type: 'retrying', step: name, error: entry.lastError });
        }
        break;
      case 'StateCaught':
        this.finishExited(name);
        if (entry) this.finish(name, entry, entry.lastError === INTERRUPTED ? 'not-started' : 'failed');
        break;
      case 'StateExited':
        // After StateCaught the step is already finished (failed): this exit is the catcher's.
        if (entry) {
          entry.phase = 'exited';
          entry.endedAt = this.now();
        }
        break;
    }
  }

  /** A step of a run without a state machine (the rotation's four steps) starts. */
  startStep(name: string): void {
    this.open.set(name, { startedAt: this.now(), calls: 0, retries: 0, phase: 'running' });
    this.emit({ type: 'started', step: name });
  }

  /** Such a step ends: succeeded, or failed with the error's name. */
  endStep(name: string, error?: string): void {
    const entry = this.open.get(name);
    if (!entry) return;
    entry.endedAt = this.now();
    if (error !== undefined) entry.lastError = error;
    const status = error === undefined ? 'succeeded' : error === INTERRUPTED ? 'not-started' : 'failed';
    this.finish(name, entry, status);
  }

  /**
   * The run is over: steps that had exited succeeded; steps still running were stopped (the run was aborted).
   * Returns every summary.
   */
  end(): readonly StepSummary[] {
    this.finishExited();
    for (const [name, entry] of this.open) this.finish(name, entry, 'stopped');
    return this.finished;
  }

  private finishExited(except?: string): void {
    for (const [name, entry] of this.open) {
      if (name !== except && entry.phase === 'exited') this.finish(name, entry, 'succeeded');
    }
  }

  private finish(name: string, entry: OpenStep, status: StepStatus): void {
    this.open.delete(name);
    const summary: StepSummary = {
      step: name,
      status,
      ms: (status === 'succeeded' ? (entry.endedAt ?? this.now()) : this.now()) - entry.startedAt,
      calls: entry.calls,
      retries: entry.retries,
      ...(status === 'failed' && entry.lastError ? { error: entry.lastError } : {}),
    };
    this.finished.push(summary);
    this.emit({ type: 'finished', summary });
  }
}
