import { type ChildProcess, spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

/** The command as users start it: bin/genesys-onboard.cjs, which runs the prebuilt bundle. */
export const CLI = path.join(__dirname, '..', '..', '..', 'bin', 'genesys-onboard.cjs');

interface BuildScript {
  readonly REPOSITORY: { readonly root: string; readonly dist: string };
  isBundleFresh(layout?: { root: string; dist: string }): boolean;
  recordInputs(layout: { root: string; dist: string }, files: string[]): void;
  freshBundle(layout?: { root: string; dist: string }): Promise<string | undefined>;
}

/** scripts/build-cli.cjs (plain CommonJS, shared with the bin). */
export const buildScript = require('../../../scripts/build-cli.cjs') as BuildScript;

/** Builds the bundle once before a file's processes start, so that they do not all build it at once. */
export async function ensureBundle(): Promise<void> {
  if (!(await buildScript.freshBundle())) throw new Error('the CLI bundle could not be built');
}

export interface CliRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Wall-clock milliseconds from spawn to exit. */
  readonly ms: number;
}

/** A minimal environment: no AWS or Genesys variables unless given. */
export function baseEnv(extra: Record<string, string> = {}): Record<string, string> {
  return { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? tmpdir(), ...extra };
}

export interface SpawnedCli {
  readonly child: ChildProcess;
  /** What it has printed so far, stdout then stderr. */
  output(): string;
  /** Resolves when `text` has appeared on stdout or stderr. */
  waitFor(text: string | RegExp): Promise<void>;
  readonly done: Promise<CliRun>;
}

/** Starts the CLI as a process (stdout and stderr are pipes, not a terminal). */
export function spawnCli(args: readonly string[], env: Record<string, string> = baseEnv()): SpawnedCli {
  const started = Date.now();
  const child = spawn(process.execPath, [CLI, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  return track(child, started);
}

/** Runs the CLI to its end. */
export function cli(args: readonly string[], env: Record<string, string> = baseEnv()): Promise<CliRun> {
  return spawnCli(args, env).done;
}

/**
 * Runs the CLI on a pseudo-terminal (util-linux `script`), 120 columns wide: what it writes comes back as
 * `stdout` (the terminal merges both streams), or only stderr when `stdoutFile` takes stdout; write `\u0003`
 * to `child.stdin` to press Ctrl-C.
 */
export function ptyCli(
  args: readonly string[],
  env: Record<string, string> = baseEnv(),
  stdoutFile?: string,
): SpawnedCli {
  const quote = (a: string) => `'${a.replace(/'/g, `'\\''`)}'`;
  const command = [process.execPath, CLI, ...args].map(quote).join(' ');
  const redirect = stdoutFile ? ` > ${quote(stdoutFile)}` : '';
  const started = Date.now();
  const child = spawn('script', ['-qfec', `stty cols 120 rows 40; exec ${command}${redirect}`, '/dev/null'], {
    env: { ...env, TERM: 'xterm' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  return track(child, started);
}

function track(child: ChildProcess, started: number): SpawnedCli {
  let stdout = '';
  let stderr = '';
  const waiters: Array<{ text: string | RegExp; resolve: () => void }> = [];
  const check = () => {
    const seen = stdout + stderr;
    for (const waiter of [...waiters]) {
      const found = typeof waiter.text === 'string' ? seen.includes(waiter.text) : waiter.text.test(seen);
      if (found) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
  };
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    check();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    check();
  });
  const done = new Promise<CliRun>((resolve) => {
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr, ms: Date.now() - started }));
  });
  return {
    child,
    done,
    output: () => stdout + stderr,
    waitFor: (text) =>
      new Promise<void>((resolve, reject) => {
        waiters.push({ text, resolve });
        check();
        void done.then(() =>
          reject(new Error(`the CLI ended before printing ${String(text)}:\n${stdout}\n${stderr}`)),
        );
      }),
  };
}

/** Resolves once `predicate` holds, checking every 5 ms (e.g. until the simulator has seen a request). */
export async function until(predicate: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
