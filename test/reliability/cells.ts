import type { Harness, Lane } from './harness';

/** The sections of the report; each has its key in the summary line. */
export const SECTIONS = {
  faults: 'Fault matrix (Genesys)',
  store_faults: 'Fault matrix (Secrets Manager)',
  real_org: 'Real-org cases',
  crashes: 'Crash points',
  concurrency: 'Concurrency',
  bad_inputs: 'Bad inputs',
} as const;

export type Section = keyof typeof SECTIONS;

/** What a cell found. */
export interface Verdict {
  readonly name: string;
  readonly ok: boolean;
  /** What went wrong, one problem per item (`[]` when it held); absent: `detail` says it. */
  readonly problems?: readonly string[];
  /** The outcome in words: status, error, what was left, the evidence that the fault fired. */
  readonly detail: string;
  /** Resources added beyond the one client, integration and credential of a consistent end state. */
  readonly duplicates?: number;
  /** Resources left behind by a run that should have left nothing. */
  readonly orphans?: number;
  /** What a failed run left in the org, in words (`1 client(s)`, `the stored record`). */
  readonly leftBehind?: string[];
}

export interface CaseResult extends Verdict {
  readonly workflow: string;
  readonly section: Section;
  readonly ms: number;
  /** The product bugs this case is known to fail on (KNOWN_BUGS): its failure does not fail the run. */
  readonly knownBugs?: readonly string[];
}

/**
 * One case of the suite: it runs on a lane of its own (a simulator no other case uses meanwhile), so the
 * faults it scripts and the requests it reads back are its own. Most cells give one verdict; a group (the
 * bad-input corpus) gives several.
 */
export interface Cell {
  readonly section: Section;
  readonly name: string;
  run(lane: Lane): Promise<Verdict | Verdict[]>;
}

/**
 * The cases of one workflow. Each workflow (onboarding now; offboarding and rotation next) contributes a
 * function building its cells; the runner schedules all of them across the lanes.
 */
export interface WorkflowCases {
  readonly workflow: string;
  cells(harness: Harness): Promise<Cell[]>;
}

/** How many milliseconds `promise` took, with its value. */
export async function timed<T>(promise: Promise<T>): Promise<{ value: T; ms: number }> {
  const started = Date.now();
  const value = await promise;
  return { value, ms: Date.now() - started };
}

/** `text` shortened to `max` characters, safe in a Markdown table cell. */
export function truncate(text: string, max = 160): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return (flat.length > max ? `${flat.slice(0, max - 3)}...` : flat).replace(/\|/g, '\\|');
}
