import type { Fault } from '../../simulator';
import type { CaseResult, Harness } from './harness';

interface Call {
  readonly method: string;
  readonly route: string;
  /** How many earlier requests to the same route to let through (the token endpoint serves two clients). */
  readonly after: number;
  readonly label: string;
}

const KINDS: Array<{ name: string; fault: (harness: Harness) => Fault; permanent: boolean }> = [
  {
    name: '429 + Retry-After',
    fault: () => ({ kind: 'status', status: 429, retryAfterSeconds: 1 }),
    permanent: false,
  },
  { name: '503', fault: () => ({ kind: 'status', status: 503 }), permanent: false },
  { name: 'connection reset', fault: () => ({ kind: 'reset' }), permanent: false },
  // Answered after the client gave up: the request took effect, the answer is lost.
  {
    name: 'timeout after processing',
    fault: () => ({ kind: 'delay', delayMs: 700, afterProcessing: true }),
    permanent: false,
  },
  { name: 'permanent 400', fault: () => ({ kind: 'status', status: 400 }), permanent: true },
];

/** The Genesys calls of a fresh onboarding, in order, from a probe run. */
async function callsOfAFreshRun(harness: Harness): Promise<Call[]> {
  const probe = await harness.newOrg('probe');
  const start = harness.simulator.requestLog.length;
  const execution = await harness.run(probe.org.id);
  if (execution.status !== 'SUCCEEDED')
    throw new Error(`the probe run failed: ${execution.error} ${execution.cause}`);
  const calls: Call[] = [];
  const seen = new Map<string, number>();
  for (const entry of harness.simulator.requestLog.slice(start)) {
    const route = entry.route ?? entry.path;
    const key = `${entry.method} ${route}`;
    const count = seen.get(key) ?? 0;
    seen.set(key, count + 1);
    // Each route once; the token endpoint twice: the bootstrap client's token, then the new client's.
    if (count === 0 || (route === '/oauth/token' && count === 1)) {
      const who = route === '/oauth/token' ? (count === 0 ? ' (bootstrap client)' : ' (new client)') : '';
      calls.push({ method: entry.method, route, after: count, label: `${key}${who}` });
    }
  }
  return calls;
}

/**
 * Every call of a fresh onboarding × every fault. Transient faults must be survived with a consistent end
 * state; a permanent 4xx must fail the run and leave nothing behind.
 */
export async function faultMatrix(
  harness: Harness,
): Promise<{ results: CaseResult[]; orphans: number; duplicates: number }> {
  const calls = await callsOfAFreshRun(harness);
  const results: CaseResult[] = [];
  let orphans = 0;
  let duplicates = 0;
  for (const call of calls) {
    for (const kind of KINDS) {
      const seeded = await harness.newOrg(`fault ${call.label} ${kind.name}`);
      harness.simulator.injectFault({
        method: call.method,
        path: call.route,
        after: call.after,
        times: kind.permanent ? 1_000 : 1,
        fault: kind.fault(harness),
      });
      const caseStarted = Date.now();
      const execution = await harness.run(seeded.org.id);
      const ms = Date.now() - caseStarted;
      harness.simulator.faults.clear();
      const state = await harness.endState(seeded);
      duplicates += state.duplicates;
      let ok: boolean;
      let detail: string;
      if (kind.permanent) {
        ok = execution.status === 'FAILED' && state.leftovers === 0;
        orphans += state.leftovers;
        detail = `${execution.status} ${execution.error ?? ''}, ${state.leftovers} left behind`;
      } else {
        ok = execution.status === 'SUCCEEDED' && state.consistent;
        detail = `${execution.status}${execution.error ? ` ${execution.error}` : ''}${state.problems.length ? `: ${state.problems.join(', ')}` : ''}`;
      }
      results.push({ name: `${call.label} — ${kind.name}`, ok, detail: `${detail} (${ms} ms)` });
    }
  }
  return { results, orphans, duplicates };
}
