import { Bench } from './measure';

export interface ScaleFigures {
  orgs: number;
  succeeded: number;
  wallMs: number;
  boundMs: number;
  limit: { requests: number; windowMs: number };
  throttled: number;
  maxCallsPerToken: number;
}

/**
 * Many orgs onboarded at once through the local workflow against a per-token rate limit (429 + Retry-After).
 * The bound: a token allowed R requests per window W cannot finish n requests before floor((n-1)/R) × W.
 */
export async function scale(orgs = 200, limit = { requests: 6, windowMs: 10_000 }): Promise<ScaleFigures> {
  const bench = new Bench({ rateLimit: limit });
  await bench.start();
  try {
    const seeded = await Promise.all(Array.from({ length: orgs }, () => bench.newOrg()));
    const logStart = bench.simulator.requestLog.length;
    const started = performance.now();
    const runs = await Promise.all(seeded.map((org) => bench.onboardConcurrently(org)));
    const wallMs = performance.now() - started;
    const log = bench.simulator.requestLog.slice(logStart);
    const bearerCalls = new Map<string, number>();
    for (const entry of log) {
      if (entry.path === '/oauth/token' || entry.status === 429 || !entry.clientId) continue;
      bearerCalls.set(entry.clientId, (bearerCalls.get(entry.clientId) ?? 0) + 1);
    }
    const maxCallsPerToken = Math.max(...bearerCalls.values());
    const succeeded = runs.filter((execution, i) => {
      const org = seeded[i]?.org;
      const clients = [...(org?.clients.values() ?? [])].length;
      return (
        execution.status === 'SUCCEEDED' &&
        clients === 2 &&
        org?.integrations.size === 1 &&
        org.credentials.size === 1
      );
    }).length;
    return {
      orgs,
      succeeded,
      wallMs,
      boundMs: Math.floor((maxCallsPerToken - 1) / limit.requests) * limit.windowMs,
      limit,
      throttled: log.filter((e) => e.status === 429).length,
      maxCallsPerToken,
    };
  } finally {
    await bench.stop();
  }
}
