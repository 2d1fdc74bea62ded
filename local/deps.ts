import { GenesysClient } from '../lambdas/genesys/client';
import type { HttpEvent, RetryPolicy } from '../lambdas/genesys/http';
import { recordGenesysEvent } from '../lambdas/observability';
import { type ConsistencySettings, DEFAULT_CONSISTENCY, type StepDeps } from '../lambdas/shared/deps';
import { DEFAULT_SECRET_PREFIX } from '../lambdas/shared/naming';
import type { SecretStore } from '../lambdas/shared/secret-store';

export interface LocalDepsOptions {
  readonly secrets: SecretStore;
  /** @default genesys-onboarding */
  readonly secretPrefix?: string;
  /** Sees every Genesys call and retry (progress display, benchmarks), besides the usual metrics. */
  readonly onGenesysEvent?: (event: HttpEvent) => void;
  readonly retry?: Partial<RetryPolicy>;
  /** @default 30 */
  readonly maxVerifyAttempts?: number;
  /** The fetch the Genesys client uses. @default globalThis.fetch */
  readonly fetch?: typeof fetch;
  /** Hosts besides Genesys Cloud's own the bootstrap URLs may name (the simulator, sandboxes). */
  readonly allowedHosts?: readonly string[];
  /** @default DEFAULT_CONSISTENCY */
  readonly consistency?: Partial<ConsistencySettings>;
}

/** The step collaborators on a laptop: a local secret store, the same Genesys client. */
export function localStepDeps(options: LocalDepsOptions): StepDeps {
  return {
    secrets: options.secrets,
    genesys: (clientOptions) =>
      new GenesysClient({
        ...clientOptions,
        retry: options.retry,
        fetch: options.fetch,
        onEvent: (event) => {
          recordGenesysEvent(event);
          options.onGenesysEvent?.(event);
        },
      }),
    settings: {
      secretPrefix: options.secretPrefix ?? DEFAULT_SECRET_PREFIX,
      maxVerifyAttempts: options.maxVerifyAttempts ?? 30,
      allowedHosts: options.allowedHosts,
      consistency: { ...DEFAULT_CONSISTENCY, ...options.consistency },
    },
  };
}
