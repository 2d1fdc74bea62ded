import { DefaultRenderer, Listr, ListrLogger, type ListrTaskWrapper, ProcessOutput } from 'listr2';
import type { BulkProgressEvent } from '../bulk';
import { lendWidth } from './terminal-width';

export interface BulkProgressOptions {
  /** Where to draw: stderr (stdout carries the table or the JSON lines). */
  readonly stream: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  /** Redraw one live line of counts (a terminal), rather than print a line per finished org. */
  readonly live: boolean;
  readonly manifestName: string;
  readonly concurrency: number;
}

/** The counts of a run so far, and what they say about its pace. */
export class BulkCounts {
  valid = 0;
  done = 0;
  failed = 0;
  running = 0;

  /** `started`: when the run started, ms since the epoch. */
  constructor(private readonly started = Date.now()) {}

  /** Finished orgs per second since the start. */
  rate(now = Date.now()): number {
    const seconds = (now - this.started) / 1000;
    return seconds > 0 ? this.done / seconds : 0;
  }

  /** Seconds until every valid line is done at the rate so far; undefined before the first org finished. */
  etaSeconds(now = Date.now()): number | undefined {
    const rate = this.rate(now);
    return rate > 0 ? Math.ceil((this.valid - this.done) / rate) : undefined;
  }

  /** `12/50 done (1 failed), 10 running, 28 waiting · 3.4 orgs/s · ETA 8 s` */
  line(now = Date.now()): string {
    const waiting = Math.max(0, this.valid - this.done - this.running);
    const eta = this.etaSeconds(now);
    return [
      `${this.done}/${this.valid} done (${this.failed} failed), ${this.running} running, ${waiting} waiting`,
      `${this.rate(now).toFixed(1)} orgs/s`,
      `ETA ${eta === undefined ? '-' : `${eta} s`}`,
    ].join(' · ');
  }
}

/**
 * Progress of a bulk onboarding across orgs. On a terminal, listr2 draws one task with a line of counts
 * (done, failed, running, waiting), the rate and the ETA, redrawn as orgs finish and every second, and the
 * last failure under it, wrapped at a usable width (terminal-width.ts: a terminal may report 0 columns); elsewhere one plain line per manifest check and per finished org (`✔`/`✖`, line,
 * org, error name, seconds). Never prints a secret: org ids, line numbers, error names and counts only.
 */
export class BulkProgressDisplay {
  readonly counts = new BulkCounts();
  private readonly listr?: Listr<unknown, typeof TerminalRenderer>;
  private readonly done?: Promise<unknown>;
  private task?: ListrTaskWrapper<unknown, never, never>;
  private finish?: () => void;
  private lastFailure?: string;
  private notice?: string;
  private readonly timer?: NodeJS.Timeout;
  private readonly restoreWidth?: () => void;

  constructor(private readonly options: BulkProgressOptions) {
    if (!options.live) return;
    const stream = options.stream as NodeJS.WriteStream;
    this.restoreWidth = lendWidth(stream);
    const finished = new Promise<void>((resolve) => {
      this.finish = resolve;
    });
    this.listr = new Listr(
      [
        {
          title: `Onboarding the orgs of ${options.manifestName}, ${options.concurrency} at a time`,
          task: async (_: unknown, task: ListrTaskWrapper<unknown, never, never>) => {
            this.task = task;
            this.redraw();
            await finished;
            task.title = this.finalTitle();
            if (this.counts.failed > 0) throw new Error(task.title);
          },
        },
      ],
      {
        exitOnError: false,
        registerSignalListeners: false,
        renderer: TerminalRenderer,
        rendererOptions: {
          logger: new ListrLogger({ processOutput: new ProcessOutput(stream, stream) }),
          showErrorMessage: false,
        },
      },
    );
    this.done = this.listr.run();
    this.timer = setInterval(() => this.redraw(), 1_000);
    this.timer.unref();
  }

  /** Takes in one event of the run. */
  readonly handle = (event: BulkProgressEvent): void => {
    switch (event.type) {
      case 'validated': {
        this.counts.valid = event.valid;
        const invalid = [...new Set(event.invalidLines.map((l) => l.line))];
        const text = `Manifest ${this.options.manifestName}: ${event.total} lines, ${event.valid} valid${invalid.length > 0 ? `, ${invalid.length} invalid (line${invalid.length === 1 ? '' : 's'} ${invalid.join(', ')})` : ''}`;
        this.plain(text);
        break;
      }
      case 'started':
        this.counts.running++;
        break;
      case 'finished': {
        const { outcome } = event;
        this.counts.running--;
        this.counts.done++;
        const seconds = (event.durationMs / 1000).toFixed(1);
        if (outcome.status === 'SUCCEEDED') {
          this.plain(
            `✔ line ${outcome.line}  ${outcome.orgId}  ${outcome.reused ? 'done earlier' : 'onboarded'}  ${seconds} s`,
          );
        } else {
          this.counts.failed++;
          this.lastFailure = `line ${outcome.line}  ${outcome.orgId}  ${outcome.error ?? 'failed'}`;
          this.plain(`✖ ${this.lastFailure}  ${seconds} s`);
        }
        break;
      }
    }
    this.redraw();
  };

  /** A message for the person watching (e.g. what Ctrl-C does now). */
  say(text: string): void {
    this.notice = text;
    if (this.options.live) this.redraw();
    else this.options.stream.write(`${text}\n`);
  }

  /** The run is over: the live task ends with its final counts. Resolves once the terminal is restored. */
  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.finish?.();
    await this.done;
    this.restoreWidth?.();
  }

  private redraw(): void {
    if (!this.task) return;
    this.task.output = [
      this.counts.line(),
      ...(this.lastFailure ? [`last failure: ${this.lastFailure}`] : []),
      ...(this.notice ? [this.notice] : []),
    ].join('\n');
  }

  private finalTitle(): string {
    const { done, failed, valid } = this.counts;
    return `${done - failed} of ${valid} orgs onboarded${failed > 0 ? `, ${failed} failed` : ''} (${this.counts.rate().toFixed(1)} orgs/s)`;
  }

  private plain(text: string): void {
    if (!this.options.live) this.options.stream.write(`${text}\n`);
  }
}

/** listr2's default renderer on the stream the display draws on (stderr), not only when stdout is a terminal. */
class TerminalRenderer extends DefaultRenderer {
  static override nonTTY = true;
}
