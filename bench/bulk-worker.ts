/**
 * One process of the bulk benchmark's onboarding side (bench/bulk.ts forks several, as Lambda spreads the
 * orgs' steps over containers): runs its share of the manifest through the local bulk path against the
 * simulator's URL and reports its CPU. Driven over the fork's IPC channel: answers `ready` once loaded, then
 * one `WorkerRun` with one `WorkerResult`.
 */
import './environment';
import { TokenCache } from '../lambdas/genesys/auth';
import type { StepDeps } from '../lambdas/shared/deps';
import { FileSecretStore } from '../local/adapters/file-secret-store';
import { runLocalBulkOnboarding } from '../local/bulk';
import { localStepDeps } from '../local/deps';
import { currentStep } from '../local/step-context';

export interface WorkerRun {
  readonly type: 'run';
  /** The share of the manifest, JSONL. */
  readonly manifest: string;
  /** The file secret store's folder, holding the orgs' bootstrap secrets. */
  readonly secretsDir: string;
  readonly concurrency: number;
}

export type WorkerMessage =
  | { readonly type: 'ready' }
  | {
      readonly type: 'result';
      /** Orgs the bulk summary counts as succeeded. */
      readonly succeeded: number;
      /** This process's CPU over the run (user + system), ms. */
      readonly cpuMs: number;
    }
  | { readonly type: 'error'; readonly message: string };

/**
 * `deps` with one token cache per task state, as each Lambda function's containers keep their own tokens: an
 * org's steps take one token per function, as deployed (the rate limit is per token, genesys-cloud-api.md §9).
 */
export function tokenCachePerFunction(deps: StepDeps): StepDeps {
  const caches = new Map<string, TokenCache>();
  return {
    ...deps,
    genesys: (options) => {
      const step = currentStep() ?? 'outside a step';
      let tokenCache = caches.get(step);
      if (!tokenCache) {
        tokenCache = new TokenCache();
        caches.set(step, tokenCache);
      }
      return deps.genesys({ ...options, tokenCache });
    },
  };
}

async function run(request: WorkerRun): Promise<WorkerMessage> {
  const deps = tokenCachePerFunction(
    localStepDeps({
      secrets: new FileSecretStore(request.secretsDir),
      allowedHosts: ['127.0.0.1'],
      retry: { maxRetryAfterMs: 120_000, totalBudgetMs: 300_000, maxAttempts: 12 },
    }),
  );
  const cpuStart = process.cpuUsage();
  const report = await runLocalBulkOnboarding({
    manifest: { text: request.manifest, name: 'bench.jsonl' },
    deps,
    concurrency: request.concurrency,
    fastDelaysMs: 5,
  });
  const cpu = process.cpuUsage(cpuStart);
  return { type: 'result', succeeded: report.summary.succeeded, cpuMs: (cpu.user + cpu.system) / 1000 };
}

if (require.main === module && process.send) {
  process.on('message', (request: WorkerRun) => {
    run(request).then(
      (result) => process.send?.(result),
      (error: unknown) =>
        process.send?.({ type: 'error', message: error instanceof Error ? error.message : String(error) }),
    );
  });
  process.on('disconnect', () => process.exit(0));
  process.send({ type: 'ready' } satisfies WorkerMessage);
}
