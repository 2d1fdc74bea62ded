import { storeWith } from '../support/stores';
import { type Cell, timed, type Verdict } from './cells';
import type { Harness, Lane, OrgUnderTest } from './harness';

interface CrashPoint {
  readonly name: string;
  /** Crash when fetch sends (before) or has received (after) a matching request. */
  readonly fetch?: { method: string; path: RegExp; when: 'before' | 'after' };
  /** Crash right after the result secret is written with a value that passes this test. */
  readonly afterStored?: (value: Record<string, unknown>) => boolean;
}

const CRASH_POINTS: CrashPoint[] = [
  {
    name: 'after the creation intent is stored, before the client is created',
    afterStored: (v) => !('clientSecret' in v),
  },
  {
    name: 'after the client is created, before its secret is stored',
    fetch: { method: 'POST', path: /\/api\/v2\/oauth\/clients$/, when: 'after' },
  },
  {
    name: "after the client's secret is stored",
    afterStored: (v) => 'clientSecret' in v && !('credentialId' in v),
  },
  {
    name: 'after the integration is created',
    fetch: { method: 'POST', path: /\/api\/v2\/integrations$/, when: 'after' },
  },
  {
    name: 'after the credential is created',
    fetch: { method: 'POST', path: /\/api\/v2\/integrations\/credentials$/, when: 'after' },
  },
  {
    name: 'between the config PUT and the enable PATCH',
    fetch: { method: 'PATCH', path: /\/api\/v2\/integrations\/[^/]+$/, when: 'before' },
  },
];

/** Never settles: the crashed step runs no further line, not even a catch or finally. */
const forever = () => new Promise<never>(() => undefined);

/** How long the org's request log must stay quiet before the re-run: what the crashed run left running has ended. */
const QUIET_MS = 1_000;

/**
 * A step dies mid-way (a process-level failure: no error handling runs, the whole run stops). Once what was
 * still running has ended, a re-run must end with exactly one client, integration and credential, all
 * agreeing on one secret.
 */
export function crashCells(harness: Harness): Cell[] {
  return CRASH_POINTS.map(
    (point): Cell => ({
      section: 'crashes',
      name: point.name,
      run: (lane) => crashCell(harness, lane, point),
    }),
  );
}

async function crashCell(harness: Harness, lane: Lane, point: CrashPoint): Promise<Verdict> {
  const org = await harness.newOrg(lane, `crash ${point.name}`);
  const crash = new AbortController();
  let crashed = false;
  let inFlight = 0;
  const die = () => {
    crashed = true;
    crash.abort();
    return forever();
  };
  const { value: first, ms } = await timed(
    harness.run(org, {
      source: `crash points: ${point.name}`,
      signal: crash.signal,
      wrappers: {
        fetch: (next) => async (input, init) => {
          if (crashed) return forever();
          const spec = point.fetch;
          const matches =
            spec &&
            (init?.method ?? 'GET') === spec.method &&
            spec.path.test(new URL(String(input)).pathname);
          if (matches && spec.when === 'before') return die();
          inFlight++;
          const response = await next(input, init).finally(() => inFlight--);
          return matches ? die() : response;
        },
        store: (store) =>
          storeWith(store, {
            put: async (secret) => {
              if (crashed) return forever();
              const written = await store.put(secret);
              if (
                point.afterStored?.(JSON.parse(secret.value)) &&
                secret.name.endsWith('/data-actions-client')
              )
                return die();
              return written;
            },
          }),
      },
    }),
  );
  await quiet(org, () => inFlight);
  const rerun = await harness.run(org, { source: `crash points (re-run): ${point.name}` });
  const state = await harness.endState(org);
  const problems = [
    ...(crashed ? [] : ['the crash point was never reached']),
    ...(first.status === 'ABORTED' ? [] : [`first run ${first.status}`]),
    ...(rerun.status === 'SUCCEEDED'
      ? state.problems
      : [`re-run ${rerun.status} ${rerun.error ?? ''}: ${rerun.cause ?? ''}`]),
  ];
  return {
    name: point.name,
    ok: problems.length === 0,
    problems,
    detail: `crash ${crashed ? 'hit' : 'missed'} (${ms} ms), re-run ${rerun.status}${rerun.error ? ` ${rerun.error}` : ''}: ${problems.length ? problems.join('; ') : 'consistent'}`,
    duplicates: state.duplicates,
  };
}

/** Waits until no request of the crashed run is in flight and the org has seen none for QUIET_MS. */
async function quiet(org: OrgUnderTest, inFlight: () => number): Promise<void> {
  for (;;) {
    const last = org.lane.simulator.requestLog.findLast((e) => e.orgId === org.id)?.time ?? 0;
    if (inFlight() === 0 && Date.now() - last >= QUIET_MS) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
