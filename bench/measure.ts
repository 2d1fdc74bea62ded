import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { clearTokenCache } from '../lambdas/genesys/auth';
import type { HttpEvent } from '../lambdas/genesys/http';
import { parseOnboardingRequest } from '../lambdas/shared/request';
import { FileSecretStore } from '../local/adapters/file-secret-store';
import { localStepDeps } from '../local/deps';
import { type LocalExecution, LocalWorkflow } from '../local/runner';
import { GenesysSimulator, type SimulatorOptions } from '../simulator';
import type { SeededOrg } from '../simulator/state';
import { seedOrg } from '../test/support/orgs';
import { sampleRequest } from '../test/support/requests';

export const PREFIX = 'genesys-onboarding';

/** A simulator and secret store for benchmark runs, with every Genesys call timed on the client side. */
export class Bench {
  readonly simulator: GenesysSimulator;
  readonly store = new FileSecretStore(mkdtempSync(path.join(tmpdir(), 'genesys-onboarding-bench-')));
  private events: Array<{ event: HttpEvent; end: number }> = [];
  readonly workflow: LocalWorkflow;

  constructor(options: SimulatorOptions) {
    this.simulator = new GenesysSimulator({ activationDelayMs: 0, newClientDelayMs: 0, ...options });
    this.workflow = new LocalWorkflow({
      deps: localStepDeps({
        secrets: this.store,
        onGenesysEvent: (event) => this.events.push({ event, end: performance.now() }),
        retry: { maxRetryAfterMs: 120_000, totalBudgetMs: 300_000, maxAttempts: 12 },
        allowedHosts: ['127.0.0.1'],
      }),
      fastDelaysMs: 5,
    });
  }

  start = () => this.simulator.start();
  stop = () => this.simulator.stop();

  newOrg(): Promise<SeededOrg> {
    return seedOrg(this.simulator, this.store, PREFIX);
  }

  /** One onboarding among many running at once (no per-run measurement: the hooks are shared). */
  async onboardConcurrently(seeded: SeededOrg): Promise<LocalExecution> {
    return this.workflow.execute(`bench-${randomUUID()}`, { request: this.request(seeded) });
  }

  request(seeded: SeededOrg) {
    return parseOnboardingRequest(sampleRequest(seeded.org.id), { secretPrefix: PREFIX });
  }

  /** One onboarding, measured: Genesys calls, writes, sequential round trips, wall time. */
  async onboard(seeded: SeededOrg, latencyMs: number): Promise<RunFigures> {
    clearTokenCache();
    this.events = [];
    const started = performance.now();
    const execution = await this.workflow.execute(`bench-${randomUUID()}`, { request: this.request(seeded) });
    const wallMs = performance.now() - started;
    const calls = this.events.filter((e) => e.event.type === 'call');
    return {
      execution,
      wallMs,
      calls: calls.length,
      writes: calls.filter((e) => e.event.method !== 'GET' && e.event.path !== '/oauth/token').length,
      // Over the median call's own duration (latency plus the simulator's work), not the nominal latency.
      roundTrips:
        latencyMs > 0
          ? Math.round(
              inFlightMs(calls) /
                median(calls.map((c) => (c.event.type === 'call' ? c.event.durationMs : 0))),
            )
          : Number.NaN,
      stepMs: stepDurations(execution),
    };
  }
}

export interface RunFigures {
  execution: LocalExecution;
  wallMs: number;
  calls: number;
  writes: number;
  /** Sequential round trips: time with at least one call in flight, over the median call duration. */
  roundTrips: number;
  stepMs: Record<string, number>;
}

/** Length of the union of the calls' [start, end] intervals. */
function inFlightMs(calls: Array<{ event: HttpEvent; end: number }>): number {
  const intervals = calls
    .map(({ event, end }) => [end - (event.type === 'call' ? event.durationMs : 0), end] as const)
    .sort((a, b) => a[0] - b[0]);
  let total = 0;
  let current: [number, number] | undefined;
  for (const [start, end] of intervals) {
    if (!current || start > current[1]) {
      if (current) total += current[1] - current[0];
      current = [start, end];
    } else {
      current[1] = Math.max(current[1], end);
    }
  }
  if (current) total += current[1] - current[0];
  return total;
}

/** Each task's duration (entered to exited, summed over its invocations): what Lambda would bill. */
function stepDurations(execution: LocalExecution): Record<string, number> {
  const durations: Record<string, number> = {};
  const entered = new Map<string, number>();
  for (const event of execution.events) {
    const state = (event as { state?: { name: string; type: string } }).state;
    if (state?.type !== 'Task') continue;
    if (event.type === 'StateEntered') entered.set(state.name, event.timestamp);
    if (event.type === 'StateExited' || event.type === 'StateFailed') {
      durations[state.name] =
        (durations[state.name] ?? 0) + (event.timestamp - (entered.get(state.name) ?? event.timestamp));
    }
  }
  return durations;
}

export const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
};
