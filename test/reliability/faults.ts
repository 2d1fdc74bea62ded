import { DEFAULT_CONSISTENCY } from '../../lambdas/shared/deps';
import type { Fault, RequestLogEntry } from '../../simulator';
import { type Cell, timed, type Verdict } from './cells';
import { type Harness, type Lane, leftovers, RETRY, type RunWrappers } from './harness';

/** One Genesys call of a fresh run, as a fault finds it. */
export interface GenesysCall {
  readonly method: string;
  /** The simulator's route template, e.g. `/api/v2/integrations/{integrationId}`. */
  readonly route: string;
  /**
   * How many earlier requests of the call to let through (the token endpoint serves two clients); with
   * `step`, counted within that step.
   */
  readonly after: number;
  /** The step that makes the call (a state of the offboarding, a rotation step); absent: any. */
  readonly step?: string;
  /**
   * The status a fault-free run got for it: 404 for a poll for a resource that is gone, whose lost answer is
   * a lost 404. @default a 2xx
   */
  readonly answered?: number;
  readonly label: string;
}

/** Where a fault looks for its call, and which logged requests are not the run's. */
export interface FiringOptions {
  /** The step the run is in when a request is sent (for calls with a `step`). */
  readonly currentStep?: () => string | undefined;
  /** Requests of the log the run did not make (a watcher's), left out of the evidence. */
  readonly ignore?: (entry: RequestLogEntry) => boolean;
  /**
   * A permanent fault hits every request of the call in its step, not only the first: a call whose 4xx the
   * product retries on purpose (a credential still in use answers 400) meets it to the end. @default false
   */
  readonly persistent?: boolean;
}

/** The faulted request as the simulator logged it, what followed it, and when the client gave up on it. */
interface Fired {
  readonly entry: RequestLogEntry;
  readonly later: RequestLogEntry[];
  /** Lost answers: ms from sending the request to the client giving up. */
  readonly waitedMs?: number;
}

/** How the run ended, as the evidence reads it: the failure's text (an execution's cause, an error's message). */
export interface RunEnd {
  readonly cause?: string;
}

/** Whether the fault had its effect, from the request log: a problem in words, or undefined. */
type Evidence = (fired: Fired, end: RunEnd) => string | undefined;

/** A fault of the Genesys fault matrix. */
export interface FaultKind {
  readonly name: string;
  /** A fault the simulator answers with; absent: the answer is lost on its way back (LOST_ANSWER). */
  readonly fault?: Fault;
  /** A permanent fault fails the run and must leave nothing; any other is survived. */
  readonly permanent: boolean;
  /** How the faulted request shows in the simulator's log (it marks status faults and resets). */
  readonly mark?: { status: number; fault: RequestLogEntry['fault'] };
  readonly evidence: Evidence;
}

const RETRY_AFTER_SECONDS = 1;
/** The simulator logs a request a few ms after the client sent it: slack for the timing checks. */
const CLOCK_SLACK_MS = 50;

const sameCall = (a: RequestLogEntry) => (b: RequestLogEntry) => a.method === b.method && a.route === b.route;

/** A later request of the same call: the client (or the state machine) tried it again. */
const retried: Evidence = ({ entry, later }) =>
  later.some(sameCall(entry)) ? undefined : 'the call was not tried again';

/** The faults of the Genesys matrix: three survived by retrying, a lost answer, a permanent 4xx. */
export const GENESYS_FAULT_KINDS: FaultKind[] = [
  {
    name: '429 + Retry-After',
    fault: { kind: 'status', status: 429, retryAfterSeconds: RETRY_AFTER_SECONDS },
    permanent: false,
    mark: { status: 429, fault: 'status' },
    evidence: ({ entry, later }) => {
      const again = later.find(sameCall(entry));
      if (!again) return 'the call was not tried again';
      const waited = again.time - entry.time;
      return waited >= RETRY_AFTER_SECONDS * 1000 - CLOCK_SLACK_MS
        ? undefined
        : `tried again after ${waited} ms, before Retry-After (${RETRY_AFTER_SECONDS} s)`;
    },
  },
  {
    name: '503',
    fault: { kind: 'status', status: 503 },
    permanent: false,
    mark: { status: 503, fault: 'status' },
    evidence: retried,
  },
  {
    name: 'connection reset',
    fault: { kind: 'reset' },
    permanent: false,
    mark: { status: 0, fault: 'reset' },
    evidence: retried,
  },
  // The request took effect, its answer is lost: the client must have waited out its attempt timeout, then
  // tried the call again or looked for what it made (a create is never re-sent blindly): a later request to
  // the same collection.
  {
    name: 'timeout after processing',
    permanent: false,
    evidence: ({ entry, later, waitedMs = 0 }) => {
      if (waitedMs < RETRY.attemptTimeoutMs - CLOCK_SLACK_MS)
        return `the client gave up after ${waitedMs} ms`;
      const route = entry.route ?? entry.path;
      const next = later.find((e) => (e.route ?? e.path).startsWith(route));
      return next ? undefined : 'nothing was tried again or looked up after the timeout';
    },
  },
  {
    name: 'permanent 400',
    fault: { kind: 'status', status: 400 },
    permanent: true,
    mark: { status: 400, fault: 'status' },
    evidence: ({ entry }, end) => {
      const route = (entry.route ?? entry.path).replace(/\{[^}]+\}/g, '[^ /]+');
      const named = new RegExp(`Genesys ${entry.method} ${route} failed \\(HTTP 400`).test(end.cause ?? '');
      return named ? undefined : `the run's cause does not name the faulted call: ${end.cause ?? 'none'}`;
    },
  },
];

/** Path segments that are routes of their own under `/api/v2/integrations/`, never an integration id. */
const NOT_AN_ID = new Set(['credentials', 'types', 'actions']);

/** Whether a request path is an instance of a route template. */
export function matchesRoute(route: string, pathname: string): boolean {
  const pattern = new RegExp(`^${route.replace(/\{[^}]+\}/g, '([^/]+)')}$`);
  const ids = pattern.exec(pathname)?.slice(1);
  return ids?.every((id) => !NOT_AN_ID.has(id)) === true;
}

/**
 * Fires `kind` on the `after`+1-th request of `call` (in its step, when it names one), just before it is
 * sent: a simulator fault scripted for that one request, or (timeout after processing) the simulator's answer
 * withheld until the client's attempt timeout aborts it, on the first such request the server processes (one
 * answered 404 inside a read-after-create window has not taken effect). `evidence` reads the request log
 * from the faulted request on (without what `ignore` leaves out).
 */
export function firing(lane: Lane, call: GenesysCall, kind: FaultKind, options: FiringOptions = {}) {
  let seen = 0;
  let fired: { logIndex: number; waitedMs?: number } | undefined;
  const wrappers: RunWrappers = {
    fetch: (next) => async (input, init) => {
      const method = init?.method ?? 'GET';
      const isCall =
        method === call.method &&
        matchesRoute(call.route, new URL(String(input)).pathname) &&
        (call.step === undefined || options.currentStep?.() === call.step);
      if (fired && isCall && kind.fault && kind.permanent && options.persistent) {
        lane.simulator.injectFault({ method: call.method, path: call.route, times: 1, fault: kind.fault });
      }
      const target = !fired && isCall;
      if (!target || seen++ < call.after) return next(input, init);
      const logIndex = lane.simulator.requestLog.length;
      if (kind.fault) {
        fired = { logIndex };
        lane.simulator.injectFault({ method: call.method, path: call.route, times: 1, fault: kind.fault });
        return next(input, init);
      }
      const sent = Date.now();
      const response = await next(input, init);
      const processed =
        response.status < 300 || (call.answered === 404 && method === 'GET' && response.status === 404);
      if (!processed || !init?.signal) return response;
      const signal = init.signal;
      await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
      fired = { logIndex, waitedMs: Date.now() - sent };
      throw signal.reason;
    },
  };
  const evidence = (end: RunEnd): { entry?: RequestLogEntry; problem?: string } => {
    if (!fired) return { problem: 'the faulted request never came' };
    const ignore = options.ignore;
    const log = lane.simulator.requestLog.slice(fired.logIndex).filter((e) => !ignore?.(e));
    const at = log.findIndex((e) => e.method === call.method && e.route === call.route);
    const entry = log[at];
    if (!entry) return { problem: 'the faulted request is not in the request log' };
    if (kind.mark && (entry.status !== kind.mark.status || entry.fault !== kind.mark.fault)) {
      return { entry, problem: `the fault did not fire: the request was answered ${entry.status}` };
    }
    if (!kind.fault && entry.status >= 300 && !(call.answered === 404 && entry.status === 404))
      return { entry, problem: `the request was answered ${entry.status}` };
    const problem = kind.evidence({ entry, later: log.slice(at + 1), waitedMs: fired.waitedMs }, end);
    return problem ? { entry, problem } : { entry };
  };
  return { wrappers, evidence };
}

/** The Genesys calls of a fresh onboarding, in order, from a probe run: each route once, the token twice. */
export async function callsOfAFreshRun(harness: Harness, lane: Lane): Promise<GenesysCall[]> {
  const probe = await harness.newOrg(lane, 'probe: Genesys calls');
  const since = lane.simulator.requestLog.length;
  const execution = await harness.run(probe, { source: 'probe: Genesys calls' });
  if (execution.status !== 'SUCCEEDED') {
    throw new Error(`the probe run failed: ${execution.error} ${execution.cause}`);
  }
  const calls: GenesysCall[] = [];
  const seen = new Map<string, number>();
  for (const entry of harness.requestsSince(lane, since)) {
    const route = entry.route ?? entry.path;
    const key = `${entry.method} ${route}`;
    const count = seen.get(key) ?? 0;
    seen.set(key, count + 1);
    // The token endpoint twice: the bootstrap client's token, then the new client's.
    if (count === 0 || (route === '/oauth/token' && count === 1)) {
      const who = route === '/oauth/token' ? (count === 0 ? ' (bootstrap client)' : ' (new client)') : '';
      calls.push({ method: entry.method, route, after: count, label: `${key}${who}` });
    }
  }
  return calls;
}

/**
 * Every call of a fresh onboarding × every fault, each in a fresh org. A transient fault must be survived
 * with a consistent end state, a permanent 4xx must fail the run naming the call and leave nothing; and each
 * cell shows from the request log that its fault fired (the faulted request, as the simulator marked it) and
 * had its effect (a retry no sooner than Retry-After, a retry of the call, a wait for the attempt timeout).
 */
export function genesysFaultCells(harness: Harness, calls: GenesysCall[]): Cell[] {
  return calls.flatMap((call) =>
    GENESYS_FAULT_KINDS.map(
      (kind): Cell => ({
        section: 'faults',
        name: `${call.label} — ${kind.name}`,
        run: (lane) => genesysFaultCell(harness, lane, call, kind),
      }),
    ),
  );
}

/**
 * A connection reset on the client POST with the product's default listing grace (60 s) rather than the
 * suite's: the run must still be survived, waiting out the whole grace (over several attempts of the step,
 * retried on `Onboarding.ClientCreationPending`) before it creates the client.
 */
export function defaultGraceCell(harness: Harness): Cell {
  const call = {
    method: 'POST',
    route: '/api/v2/oauth/clients',
    after: 0,
    label: 'POST /api/v2/oauth/clients',
  };
  const kind = GENESYS_FAULT_KINDS.find((k) => k.name === 'connection reset') as FaultKind;
  const name = `${call.label} — ${kind.name}, with the default listing grace (${DEFAULT_CONSISTENCY.clientListingGraceMs / 1000} s)`;
  return {
    section: 'faults',
    name,
    run: (lane) => genesysFaultCell(harness, lane, call, kind, { name, consistency: DEFAULT_CONSISTENCY }),
  };
}

async function genesysFaultCell(
  harness: Harness,
  lane: Lane,
  call: GenesysCall,
  kind: FaultKind,
  options: { name?: string; consistency?: typeof DEFAULT_CONSISTENCY } = {},
): Promise<Verdict> {
  const name = options.name ?? `${call.label} — ${kind.name}`;
  const org = await harness.newOrg(lane, `fault ${name}`);
  const fault = firing(lane, call, kind);
  const { value: execution, ms } = await timed(
    harness.run(org, {
      source: `fault matrix: ${name}`,
      consistency: options.consistency,
      wrappers: fault.wrappers,
    }),
  );
  const { entry, problem } = fault.evidence(execution);
  const problems = problem ? [problem] : [];
  const state = await harness.endState(org);
  const left = leftovers(state);
  if (kind.permanent) {
    if (execution.status !== 'FAILED') problems.push(`run ${execution.status}`);
    problems.push(...left.map((what) => `left behind: ${what}`));
  } else if (execution.status !== 'SUCCEEDED') {
    problems.push(`run ${execution.status} ${execution.error ?? ''}: ${execution.cause ?? ''}`);
  } else {
    problems.push(...state.problems);
  }
  const firedText = entry ? `fired (${entry.status === 0 ? 'reset' : entry.status}), ` : '';
  const outcome = problems.length ? problems.join('; ') : kind.permanent ? 'nothing left' : 'consistent';
  return {
    name,
    ok: problems.length === 0,
    problems,
    detail: `${execution.status}${execution.error ? ` ${execution.error}` : ''}, ${firedText}${outcome} (${ms} ms)`,
    duplicates: state.duplicates,
    orphans: kind.permanent ? left.length : 0,
    leftBehind: left,
  };
}
