import type { ProgressEvent } from './run-onboarding';

/** What each state does, in the words of the person watching. */
const LABELS: Record<string, string> = {
  Prepare: 'Check the org and the bootstrap client, resolve roles',
  EnsureOAuthClient: 'OAuth client and its secret',
  EnsureIntegration: 'Data Actions integration',
  ConfigureIntegration: 'Credential, configuration, enable',
  RecordConfiguration: 'Record the ids with the secret',
  Verify: 'Verify the credentials and the integration state',
  WaitForActivation: 'Wait for the integration to become ACTIVE',
  Compensate: 'Roll back what this run created',
};

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/**
 * Step-by-step progress: on a terminal a spinner names the running steps and each finished step gets its
 * line; otherwise plain lines only. Never prints a secret: events carry state names, counts and error names.
 */
export class ProgressPrinter {
  private readonly running = new Set<string>();
  private timer?: NodeJS.Timeout;
  private frame = 0;

  constructor(
    private readonly out: NodeJS.WritableStream & { isTTY?: boolean },
    private readonly tty = out.isTTY === true,
  ) {}

  readonly handle = (event: ProgressEvent): void => {
    switch (event.type) {
      case 'started':
        this.running.add(event.step);
        this.draw();
        break;
      case 'retrying':
        this.line(`  ↻ ${label(event.step)}: ${event.error ?? 'error'}, retrying`);
        break;
      case 'waiting':
        this.line(`  … ${label(event.step)}`);
        break;
      case 'succeeded':
      case 'failed': {
        this.running.delete(event.step);
        const mark = event.type === 'succeeded' ? '✔' : '✖';
        const retries = event.retries > 0 ? `, ${plural(event.retries, 'retry', 'retries')}` : '';
        const error = event.type === 'failed' ? `  ${event.error ?? ''}` : '';
        this.line(
          `${mark} ${label(event.step).padEnd(54)} ${String(event.ms).padStart(6)} ms  ${plural(event.calls, 'Genesys call')}${retries}${error}`,
        );
        break;
      }
    }
  };

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.clear();
  }

  private line(text: string): void {
    this.clear();
    this.out.write(`${text}\n`);
    this.draw();
  }

  private draw(): void {
    if (!this.tty) return;
    if (this.running.size === 0) {
      this.stop();
      return;
    }
    this.timer ??= setInterval(() => {
      this.frame = (this.frame + 1) % FRAMES.length;
      this.clear();
      this.draw();
    }, 80);
    this.out.write(`${FRAMES[this.frame]} ${[...this.running].map(label).join(' | ')}…`);
  }

  private clear(): void {
    if (this.tty) this.out.write('\r\u001b[2K');
  }
}

export const label = (step: string): string => LABELS[step] ?? step;

export const plural = (count: number, one: string, many = `${one}s`): string =>
  `${count} ${count === 1 ? one : many}`;
