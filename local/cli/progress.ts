import {
  DefaultRenderer,
  Listr,
  ListrLogger,
  type ListrRenderer,
  ListrTaskEventType,
  type ListrTaskObject,
  ListrTaskState,
  type ListrTaskWrapper,
  ProcessOutput,
} from 'listr2';
import { ONBOARDING_STATES as S } from '../../lambdas/workflows/onboarding/states';
import type { ProgressEvent, StepSummary } from './step-tracker';
import { FALLBACK_COLUMNS, lendWidth, MIN_COLUMNS } from './terminal-width';

/** What each state does, in the words of the person watching. */
const LABELS: Record<string, string> = {
  [S.prepare]: 'Check the org and the bootstrap client, resolve roles',
  [S.ensureOAuthClient]: 'OAuth client and its secret',
  [S.ensureIntegration]: 'Data Actions integration',
  [S.configure]: 'Credential, configuration, enable',
  [S.record]: 'Record the ids with the secret',
  [S.verify]: 'Verify the credentials and the integration state',
  [S.waitForActivation]: 'Wait for the integration to become ACTIVE',
  [S.compensate]: 'Roll back what this run created',
};

/**
 * The task states of a workflow as the progress shows them: their labels, and the order they can run in.
 */
export interface StepCatalog {
  /** What each task state does, in the words of the person watching. */
  readonly labels: Readonly<Record<string, string>>;
  /** The task states in the order they can run; the steps of one stage run together (Parallel branches). */
  readonly stages: readonly (readonly string[])[];
  /** The step that runs only after a failure (then the stages after the failed one do not run). */
  readonly afterFailure?: string;
}

/** The onboarding's: Compensate runs only after a failure. */
export const ONBOARDING_STEPS: StepCatalog = {
  labels: LABELS,
  stages: [
    [S.prepare],
    [S.ensureOAuthClient, S.ensureIntegration],
    [S.configure],
    [S.record],
    [S.verify],
    [S.compensate],
  ],
  afterFailure: S.compensate,
};

/** A step's label in a catalog (the onboarding's by default), or its state name. */
export const label = (step: string, labels: StepCatalog['labels'] = LABELS): string => labels[step] ?? step;

const plural = (count: number, one: string, many = `${one}s`): string =>
  `${count} ${count === 1 ? one : many}`;

/**
 * A finished step as one line, without its mark: label, duration, Genesys calls, retries, and the error it
 * failed with. E.g. `OAuth client and its secret   412 ms  3 Genesys calls, 1 retry`.
 */
export function stepLine(summary: StepSummary, labels: StepCatalog['labels'] = LABELS): string {
  const retries = summary.retries > 0 ? `, ${plural(summary.retries, 'retry', 'retries')}` : '';
  const outcome =
    summary.status === 'stopped' ? '  stopped while running' : summary.error ? `  ${summary.error}` : '';
  return `${label(summary.step, labels).padEnd(54)} ${String(summary.ms).padStart(6)} ms  ${plural(summary.calls, 'Genesys call')}${retries}${outcome}`;
}

export interface ProgressDisplayOptions {
  /** Where to draw: stderr for `onboard` (stdout carries the result), stdout for the demo. */
  readonly stream: NodeJS.WritableStream & { isTTY?: boolean };
  /** Draw a live list (spinners, lines redrawn) rather than plain lines. @default stream.isTTY */
  readonly live?: boolean;
  /** The workflow's steps. @default ONBOARDING_STEPS */
  readonly steps?: StepCatalog;
}

interface Slot {
  started: boolean;
  task?: ListrTaskWrapper<unknown, never, never>;
  /** Settles with the step's summary, or undefined when the run ended without running it. */
  readonly finished: Promise<StepSummary | undefined>;
  settle: (summary: StepSummary | undefined) => void;
}

/**
 * Step-by-step progress of one run, drawn by listr2: on a terminal a live list (a spinner on each running step,
 * each finished step with ✔ or ✖, its duration, Genesys calls and retries); elsewhere one plain line per
 * finished step, no escape codes. Each step appears once, with its final mark. Never prints a secret: it shows
 * state names, counts and error names only. listr2's own Ctrl-C handling is off: the CLI's is in interrupt.ts.
 */
export class ProgressDisplay {
  private readonly slots = new Map<string, Slot>();
  private readonly listr: Listr<unknown, typeof TerminalRenderer, typeof PlainRenderer>;
  private readonly done: Promise<unknown>;
  private readonly live: boolean;
  private readonly steps: StepCatalog;
  private failureSeen = false;
  private closed = false;
  private endedByCtrlC = false;
  private notice?: string;

  constructor(private readonly options: ProgressDisplayOptions) {
    // listr2 wraps lines at stdout's width: a terminal that reports none (some pseudo-terminals) gets plain lines.
    this.live =
      (options.live ?? options.stream.isTTY === true) &&
      (process.stdout.columns ?? FALLBACK_COLUMNS) >= MIN_COLUMNS;
    this.steps = options.steps ?? ONBOARDING_STEPS;
    const stream = options.stream as NodeJS.WriteStream;
    if (this.live) this.restoreWidth = lendWidth(stream);
    this.listr = new Listr(
      this.steps.stages.map((stage) => this.stageTask(stage)),
      {
        concurrent: false,
        exitOnError: false,
        registerSignalListeners: false,
        renderer: TerminalRenderer,
        rendererOptions: {
          logger: new ListrLogger({ processOutput: new ProcessOutput(stream, stream) }),
          showErrorMessage: false,
          collapseSubtasks: false,
        },
        fallbackRenderer: PlainRenderer,
        fallbackRendererOptions: { stream },
        fallbackRendererCondition: !this.live,
      },
    );
    this.done = this.listr.run();
  }

  /** Takes in one event of the run. */
  readonly handle = (event: ProgressEvent): void => {
    switch (event.type) {
      case 'started':
        this.slot(event.step).started = true;
        break;
      case 'retrying': {
        const task = this.slot(event.step).task;
        if (task) task.title = `${this.label(event.step)} (retrying after ${event.error ?? 'an error'})`;
        break;
      }
      case 'waiting': {
        const task = this.slot(event.step).task;
        if (task) task.output = `${this.label(event.state)}…`;
        break;
      }
      case 'finished':
        if (event.summary.status !== 'succeeded') this.failureSeen = true;
        this.slot(event.summary.step).settle(event.summary);
        break;
    }
  };

  /**
   * A message for the person watching while steps run (e.g. what Ctrl-C does now): on a terminal it shows
   * under each running step until it finishes; otherwise it is printed as a line of its own.
   */
  say(text: string): void {
    this.notice = text;
    if (!this.live) {
      this.options.stream.write(`${text}\n`);
      return;
    }
    for (const slot of this.slots.values()) if (slot.task) slot.task.output = text;
  }

  /**
   * The run is over: steps that never started are not shown, but for one the display had already entered
   * (the next in line when the run ended): `↓ <label> (not started: Ctrl-C)` when Ctrl-C ended the run
   * (`interrupted`), as for a step Ctrl-C kept from starting; else `✖ <label> (not started: the run ended)`.
   * Resolves once the terminal is restored.
   */
  async close(ending: { interrupted?: boolean } = {}): Promise<void> {
    this.closed = true;
    this.endedByCtrlC = ending.interrupted === true;
    for (const slot of this.slots.values()) slot.settle(undefined);
    await this.done;
    this.restoreWidth?.();
  }

  /** Puts back process.stdout's width, lent while the display draws (terminal-width.ts). */
  private restoreWidth?: () => void;

  private slot(step: string): Slot {
    let slot = this.slots.get(step);
    if (!slot) {
      let settle!: (summary: StepSummary | undefined) => void;
      const finished = new Promise<StepSummary | undefined>((resolve) => {
        settle = resolve;
      });
      slot = { started: false, finished, settle };
      this.slots.set(step, slot);
    }
    return slot;
  }

  private label(step: string): string {
    return label(step, this.steps.labels);
  }

  /** Whether a step has run or still may: after a failure only the catalog's `afterFailure` step does. */
  private willRun(step: string): boolean {
    if (this.slot(step).started) return true;
    if (this.closed) return false;
    return step === this.steps.afterFailure ? this.failureSeen : !this.failureSeen;
  }

  private stageTask(stage: readonly string[]) {
    if (stage.length === 1) return this.stepTask(stage[0] as string);
    return {
      enabled: () => stage.some((step) => this.willRun(step)),
      task: (_: unknown, task: ListrTaskWrapper<unknown, never, never>) =>
        task.newListr(
          stage.map((step) => this.stepTask(step)),
          { concurrent: true, exitOnError: false },
        ),
    };
  }

  private stepTask(step: string) {
    return {
      title: this.label(step),
      enabled: () => this.willRun(step),
      task: async (_: unknown, task: ListrTaskWrapper<unknown, never, never>) => {
        const slot = this.slot(step);
        slot.task = task;
        if (this.notice && this.live) task.output = this.notice;
        const summary = await slot.finished;
        slot.task = undefined;
        if (summary?.status === 'not-started' || (!summary && this.endedByCtrlC)) {
          // The title first: a renderer sees the skip before its message.
          task.title = `${this.label(step)} (not started: Ctrl-C)`;
          task.skip(task.title);
          return;
        }
        if (!summary) {
          task.title = `${this.label(step)} (not started: the run ended)`;
          throw new Error(task.title);
        }
        task.title = stepLine(summary, this.steps.labels);
        if (summary.status !== 'succeeded') throw new Error(task.title);
      },
    };
  }
}

/**
 * listr2's default renderer, for the stream the display draws on: listr2 would only use it when stdout is a
 * terminal, but progress goes to stderr (stdout may be a file: `--json > out.json`). The display decides.
 */
class TerminalRenderer extends DefaultRenderer {
  static override nonTTY = true;
}

/**
 * listr2's renderer where nothing is redrawn (not a terminal, or logs interleaved): one line per finished step,
 * `✔ <line>` or `✖ <line>`, and `↓ <label> (why)` for a step that did not run.
 */
class PlainRenderer implements ListrRenderer {
  static nonTTY = true;
  static rendererOptions: { stream?: NodeJS.WritableStream } = {};
  static rendererTaskOptions = {};

  constructor(
    private readonly tasks: ListrTaskObject<unknown, never, never>[],
    private readonly options: { stream?: NodeJS.WritableStream },
  ) {}

  render(): void {
    this.watch(this.tasks);
  }

  end(): void {}

  private watch(tasks: ListrTaskObject<unknown, never, never>[]): void {
    for (const task of tasks) {
      task.on(ListrTaskEventType.SUBTASK, (subtasks) => this.watch(subtasks as never));
      task.on(ListrTaskEventType.STATE, (state) => {
        if (!task.hasTitle()) return;
        if (state === ListrTaskState.COMPLETED) this.line(`✔ ${task.title}`);
        else if (state === ListrTaskState.FAILED) this.line(`✖ ${task.title}`);
        else if (state === ListrTaskState.SKIPPED) this.line(`↓ ${task.title}`);
      });
    }
  }

  private line(text: string): void {
    (this.options.stream ?? process.stderr).write(`${text}\n`);
  }
}
