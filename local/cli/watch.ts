import { Interruption, type StopRule } from './interrupt';
import type { Io } from './onboard';
import { ProgressDisplay, type StepCatalog } from './progress';
import type { ProgressEvent } from './step-tracker';
import { EXIT } from './usage';

export interface WatchOptions {
  /** --json: progress only when stderr is a terminal (stdout carries the one JSON object). */
  readonly json: boolean;
  /** --verbose: the functions' logs go to stderr, so progress is printed as plain lines, never redrawn. */
  readonly verbose: boolean;
  readonly steps: StepCatalog;
  readonly stopRule: StopRule;
  /** Said on the first Ctrl-C: what happens now. */
  readonly stopping: string;
  /** The first Ctrl-C stops the run at once (a dry run: there is nothing to finish). */
  readonly stopAtOnce?: boolean;
}

/** What a run is given to be watched: progress events, and Ctrl-C. */
export interface Watch {
  readonly onProgress?: (event: ProgressEvent) => void;
  readonly interruption: Interruption;
}

/**
 * Runs `run` with its progress on stderr (a live list on a terminal, plain lines otherwise, none for --json
 * on a pipe) and Ctrl-C handled: before the run starts it ends the command (exit 130); during the run the
 * first press says `stopping` and stops starting new work (or stops at once with `stopAtOnce`), the second
 * stops at once. The display is closed and the terminal restored before it resolves or rejects.
 */
export async function watchRun<T>(
  io: Io,
  options: WatchOptions,
  run: (watch: Watch) => Promise<T>,
): Promise<T> {
  const showProgress = !options.json || io.stderr.isTTY === true;
  const progress = showProgress
    ? new ProgressDisplay({
        stream: io.stderr,
        live: io.stderr.isTTY === true && !options.verbose,
        steps: options.steps,
      })
    : undefined;
  const say = (text: string) => (progress ? progress.say(text) : io.stderr.write(`${text}\n`));
  const interruption: Interruption = new Interruption(
    {
      onIdle: () => {
        io.stderr.write('Interrupted: nothing was started.\n');
        process.exit(EXIT.interrupted);
      },
      onStopping: () => {
        say(options.stopping);
        if (options.stopAtOnce) interruption.press();
      },
      onAborted: () => {
        if (!options.stopAtOnce) say('Ctrl-C again: stopping at once');
      },
    },
    options.stopRule,
  ).listen();
  try {
    return await run({ ...(progress ? { onProgress: progress.handle } : {}), interruption });
  } finally {
    await progress?.close({ interrupted: interruption.interrupted });
    interruption.dispose();
  }
}
