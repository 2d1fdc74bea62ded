import type { SecretStore } from '../../lambdas/shared/secret-store';
import { storeWith } from '../support/stores';
import type { CaseResult, Harness } from './harness';

interface CrashPoint {
  readonly name: string;
  /** Crash when fetch sends (before) or has received (after) a matching request. */
  readonly fetch?: { method: string; path: RegExp; when: 'before' | 'after' };
  /** Crash right after the result secret is written. */
  readonly afterSecretStored?: boolean;
}

const CRASH_POINTS: CrashPoint[] = [
  {
    name: 'after the client is created, before its secret is stored',
    fetch: { method: 'POST', path: /\/api\/v2\/oauth\/clients$/, when: 'after' },
  },
  { name: 'after the secret is stored', afterSecretStored: true },
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

/**
 * A step dies mid-way (a process-level failure: no error handling runs, the whole run stops). A re-run must
 * end with exactly one client, integration and credential, all agreeing on one secret.
 */
export async function crashPoints(harness: Harness): Promise<{ results: CaseResult[]; duplicates: number }> {
  const results: CaseResult[] = [];
  let duplicates = 0;
  for (const point of CRASH_POINTS) {
    const seeded = await harness.newOrg(`crash ${point.name}`);
    const crash = new AbortController();
    let crashed = false;
    const die = () => {
      crashed = true;
      crash.abort();
      return forever();
    };
    const crashingFetch: typeof fetch = async (input, init) => {
      const spec = point.fetch;
      const matches =
        !crashed &&
        spec &&
        (init?.method ?? 'GET') === spec.method &&
        spec.path.test(new URL(String(input)).pathname);
      if (matches && spec.when === 'before') return die();
      const response = await harness.recordingFetch(input, init);
      if (matches) return die();
      return response;
    };
    const crashingStore: SecretStore = storeWith(harness.store, {
      put: async (secret) => {
        const written = await harness.store.put(secret);
        if (point.afterSecretStored && !crashed && secret.name.endsWith('/data-actions-client')) return die();
        return written;
      },
    });
    const first = await harness.run(seeded.org.id, {
      deps: harness.deps({ fetch: crashingFetch, store: crashingStore }),
      signal: crash.signal,
    });
    const rerun = await harness.run(seeded.org.id);
    const state = await harness.endState(seeded);
    duplicates += state.duplicates;
    results.push({
      name: point.name,
      ok: crashed && first.status === 'ABORTED' && rerun.status === 'SUCCEEDED' && state.consistent,
      detail: `crash ${crashed ? 'hit' : 'missed'}, first run ${first.status}, re-run ${rerun.status}${
        rerun.error ? ` ${rerun.error}` : ''
      }${state.problems.length ? `: ${state.problems.join(', ')}` : ''}`,
    });
  }
  return { results, duplicates };
}
