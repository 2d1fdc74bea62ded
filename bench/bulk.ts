import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { clearTokenCache } from '../lambdas/genesys/auth';
import { FileSecretStore } from '../local/adapters/file-secret-store';
import { runLocalBulkOnboarding } from '../local/bulk';
import { localStepDeps } from '../local/deps';
import { GenesysSimulator } from '../simulator';
import { seedOrg } from '../test/support/orgs';
import { sampleRequest } from '../test/support/requests';

const PREFIX = 'genesys-onboarding';

/**
 * The fewest calls a fresh org's onboarding makes with its bootstrap token (lambdas/workflows/onboarding/
 * steps/), from the design, not from a run: Prepare 5 (tokens/me, the role by name, the home division, one
 * page of OAuth clients, one page of integrations), EnsureOAuthClient 1 (create), EnsureIntegration 1
 * (create), Configure 3 (create the credential, PUT the known version-1 config, PATCH enabled), Record 0,
 * Verify 0 (none when the enable PATCH answers ACTIVE already; 1 per look otherwise; the new client's token is
 * another token). Token requests are not counted: the per-token limit applies to calls made with a token.
 */
export const BOOTSTRAP_CALLS_PER_ORG = 5 + 1 + 1 + 3 + 0 + 0;

/**
 * The least time a bulk run can take, from the design: every org's onboarding makes `callsPerOrg` calls with
 * its own bootstrap token, and a token allowed `requests` per `windowMs` cannot make its n-th call before
 * floor((n-1)/requests) windows have passed; `concurrency` orgs run at once, so some slot runs ceil(N /
 * concurrency) orgs one after the other.
 */
export function bulkBoundMs(
  orgs: number,
  concurrency: number,
  limit: { readonly requests: number; readonly windowMs: number },
  callsPerOrg = BOOTSTRAP_CALLS_PER_ORG,
): number {
  const perOrgMs = Math.floor((callsPerOrg - 1) / limit.requests) * limit.windowMs;
  return Math.ceil(orgs / concurrency) * perOrgMs;
}

export interface BulkFigures {
  readonly orgs: number;
  /** Orgs onboarded and found complete in the simulator (one client, integration and credential each). */
  readonly succeeded: number;
  readonly concurrency: number;
  readonly limit: { readonly requests: number; readonly windowMs: number };
  readonly wallMs: number;
  /** `bulkBoundMs`: the least time the design allows under the rate limit. */
  readonly boundMs: number;
  /** CPU of this process (the runner, both engines, the Genesys client and the in-process simulator) per org. */
  readonly cpuMsPerOrg: number;
  /** 429 answers the simulator gave. */
  readonly throttled: number;
  /** The most calls one bootstrap token made (to hold the design's count against a run). */
  readonly maxCallsPerToken: number;
}

/**
 * `orgs` orgs, each with its own bootstrap secret, through the local bulk path (the manifest parser, the bulk
 * item processor and the onboarding state machine) on the simulator with a per-token rate limit (429 +
 * Retry-After), `concurrency` at a time.
 */
export async function bulk(
  orgs = 1_000,
  options: { concurrency?: number; limit?: { requests: number; windowMs: number } } = {},
): Promise<BulkFigures> {
  const concurrency = options.concurrency ?? 50;
  const limit = options.limit ?? { requests: 5, windowMs: 1_000 };
  const simulator = new GenesysSimulator({
    rateLimit: limit,
    activationDelayMs: 0,
    newClientDelayMs: 0,
    readAfterCreateNotFoundMs: 0,
    oauthClientListingLagMs: 0,
  });
  const dir = mkdtempSync(path.join(tmpdir(), 'genesys-onboarding-bulk-bench-'));
  await simulator.start();
  try {
    clearTokenCache();
    const secrets = new FileSecretStore(dir);
    const seeded = [];
    for (let i = 0; i < orgs; i++) seeded.push(await seedOrg(simulator, secrets, PREFIX));
    const text = seeded.map((s) => JSON.stringify(sampleRequest(s.org.id))).join('\n');
    const deps = localStepDeps({
      secrets,
      allowedHosts: ['127.0.0.1'],
      retry: { maxRetryAfterMs: 120_000, totalBudgetMs: 300_000, maxAttempts: 12 },
    });
    const logStart = simulator.requestLog.length;
    const cpuStart = process.cpuUsage();
    const started = performance.now();
    const report = await runLocalBulkOnboarding({
      manifest: { text, name: 'bench.jsonl' },
      deps,
      concurrency,
      fastDelaysMs: 5,
    });
    const wallMs = performance.now() - started;
    const cpu = process.cpuUsage(cpuStart);

    const log = simulator.requestLog.slice(logStart);
    const perToken = new Map<string, number>();
    const bootstrapIds = new Set(seeded.map((s) => s.bootstrap.clientId));
    for (const entry of log) {
      if (entry.path === '/oauth/token' || entry.status === 429 || !entry.clientId) continue;
      if (bootstrapIds.has(entry.clientId))
        perToken.set(entry.clientId, (perToken.get(entry.clientId) ?? 0) + 1);
    }
    const complete = seeded.filter((s) => {
      const clients = [...s.org.clients.values()].filter(
        (c) => c.id !== s.bootstrap.clientId && c.state !== 'deleted',
      );
      return clients.length === 1 && s.org.integrations.size === 1 && s.org.credentials.size === 1;
    }).length;
    return {
      orgs,
      succeeded: Math.min(report.summary.succeeded, complete),
      concurrency,
      limit,
      wallMs,
      boundMs: bulkBoundMs(orgs, concurrency, limit),
      cpuMsPerOrg: (cpu.user + cpu.system) / 1000 / orgs,
      throttled: log.filter((e) => e.status === 429).length,
      maxCallsPerToken: Math.max(0, ...perToken.values()),
    };
  } finally {
    await simulator.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
