import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

const ROOT = path.join(__dirname, '..');

export interface StartFigures {
  /** Wall time of `npm start`, s. */
  readonly wallS: number;
  /** CPU time of `npm start` and every process it ran (user + system), s. */
  readonly cpuS: number;
}

export interface DemoStartFigures {
  /** The first `npm start` of a fresh clone: no CLI bundle, no cached state machine definitions. */
  readonly fresh: StartFigures;
  /** The second one, with both. */
  readonly again: StartFigures;
  /** The commit measured, and whether the working tree had changes that it does not include. */
  readonly commit: string;
  readonly uncommittedChanges: boolean;
}

/** Runs `npm start` in `dir`; it must exit 0. */
function npmStart(dir: string): StartFigures {
  const started = performance.now();
  // bash's `times` gives the CPU time of the processes it waited for: npm, node and everything below.
  const result = spawnSync('bash', ['-c', 'npm start >/dev/null 2>npm-start.err || exit 1; times'], {
    cwd: dir,
    encoding: 'utf8',
  });
  const wallS = (performance.now() - started) / 1000;
  if (result.status !== 0) throw new Error(`npm start failed in ${dir}: see ${dir}/npm-start.err`);
  const children = result.stdout.trim().split('\n').at(-1) ?? '';
  const seconds = [...children.matchAll(/(\d+)m([\d.]+)s/g)].map((m) => Number(m[1]) * 60 + Number(m[2]));
  return { wallS, cpuS: seconds.reduce((sum, s) => sum + s, 0) };
}

/**
 * `npm start` on a fresh clone of this checkout's HEAD, twice. node_modules is this checkout's, copied as hard
 * links (as `npm ci` would lay it out, without the download) and without its cache folder, so nothing built
 * by an earlier run (the CLI bundle in dist/, the definitions in node_modules/.cache) is there.
 */
export function demoStart(): DemoStartFigures {
  const dir = mkdtempSync(path.join(tmpdir(), 'genesys-onboarding-clone-'));
  try {
    const git = (...args: string[]) => execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' }).trim();
    execFileSync('git', ['clone', '--quiet', ROOT, dir]);
    execFileSync('cp', [
      '-al',
      realpathSync(path.join(ROOT, 'node_modules')),
      path.join(dir, 'node_modules'),
    ]);
    rmSync(path.join(dir, 'node_modules', '.cache'), { recursive: true, force: true });
    return {
      fresh: npmStart(dir),
      again: npmStart(dir),
      commit: git('rev-parse', '--short', 'HEAD'),
      uncommittedChanges: git('status', '--porcelain', '--untracked-files=no') !== '',
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
