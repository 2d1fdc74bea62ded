import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { clearTokenCache } from '../../lambdas/genesys/auth';
import type { HttpEvent } from '../../lambdas/genesys/http';
import type { ConsistencySettings, StepDeps } from '../../lambdas/shared/deps';
import { bootstrapSecretName, executionName, resultSecretName } from '../../lambdas/shared/naming';
import {
  type OffboardingRequestInput,
  parseOffboardingRequest,
} from '../../lambdas/shared/offboarding-request';
import { type OnboardingRequestInput, parseOnboardingRequest } from '../../lambdas/shared/request';
import type { OnboardingResult } from '../../lambdas/workflows/onboarding/state';
import { FileSecretStore } from '../../local/adapters/file-secret-store';
import { localStepDeps } from '../../local/deps';
import { type LocalRotationOptions, type RotationOutcome, rotateLocally } from '../../local/rotation';
import { type LocalExecution, LocalWorkflow } from '../../local/runner';
import { GenesysSimulator, type SimulatorOptions } from '../../simulator';
import { sampleOrgSeed } from '../../simulator/seeds';
import type { OrgSeed, SeededOrg, SimOAuthClient, SimOrg } from '../../simulator/state';
import { sampleRequest } from './requests';

export const PREFIX = 'genesys-onboarding';

export interface RotateOptions extends LocalRotationOptions {
  readonly deps?: Partial<StepDeps>;
  /** Replaces the Genesys client's fetch (to watch the org between calls). */
  readonly fetch?: typeof globalThis.fetch;
}

export interface OffboardOptions {
  readonly deps?: Partial<StepDeps>;
  /** Aborts the run where it stands (a crash) when this state is entered. */
  readonly crashAt?: string;
}

export interface OnboardOptions {
  /** Aborts the run where it stands (a kill, no compensation) when this state is entered. */
  readonly crashAt?: string;
  /** Called as each task state is entered, before its code runs (to change the world at that moment). */
  readonly beforeTask?: (state: string) => void;
}

/** One org of a WorkflowWorld, with its bootstrap secret stored as an operator would. */
export interface OrgUnderTest {
  readonly seeded: SeededOrg;
  readonly id: string;
  /** The simulator's live state of the org. */
  readonly state: SimOrg;
  request(overrides?: Partial<OnboardingRequestInput>): OnboardingRequestInput;
  /**
   * Runs one onboarding through the synthesized state machine, as the start function would start it, with
   * `options` for crash tests.
   */
  run(
    request?: OnboardingRequestInput,
    deps?: Partial<StepDeps>,
    options?: OnboardOptions,
  ): Promise<LocalExecution>;
  /** Runs one offboarding of the org (`overrides` of its request), with `options` for crash tests. */
  offboard(overrides?: Partial<OffboardingRequestInput>, options?: OffboardOptions): Promise<LocalExecution>;
  /** Rotates the org's result secret (the four rotation steps in-process). */
  rotate(options?: RotateOptions): Promise<RotationOutcome>;
  resultSecret(): Promise<Record<string, string> | undefined>;
  /** Clients besides the bootstrap client that are not deleted. */
  dataActionClients(): SimOAuthClient[];
  /** Requests that changed something in this org since `since` (an index into the request log). */
  writesSince(since: number): string[];
}

/**
 * A simulator and a file secret store for a test file; each test takes its own org (`newOrg`), so tests do
 * not depend on each other or on their order. Every log line, execution and Genesys event is kept for leak
 * scans.
 */
export class WorkflowWorld {
  readonly logs: string[] = [];
  readonly executions: LocalExecution[] = [];
  readonly genesysEvents: HttpEvent[] = [];
  readonly secrets: FileSecretStore;
  private readonly dir: string;
  private readonly restoreOutput: () => void;

  private constructor(
    readonly simulator: GenesysSimulator,
    readonly consistency: Partial<ConsistencySettings>,
  ) {
    this.dir = mkdtempSync(path.join(tmpdir(), 'genesys-onboarding-test-'));
    this.secrets = new FileSecretStore(this.dir);
    // Powertools writes info and debug lines to stdout, warnings and errors to stderr: both are kept.
    const write = process.stdout.write.bind(process.stdout);
    const writeErr = process.stderr.write.bind(process.stderr);
    process.stdout.write = process.stderr.write = ((chunk: string | Uint8Array) => {
      this.logs.push(String(chunk));
      return true;
    }) as typeof process.stdout.write;
    this.restoreOutput = () => {
      process.stdout.write = write;
      process.stderr.write = writeErr;
    };
  }

  /** Starts the simulator; `consistency` overrides the steps' eventual-consistency windows. */
  static async start(
    options: SimulatorOptions = {},
    consistency: Partial<ConsistencySettings> = {},
  ): Promise<WorkflowWorld> {
    const simulator = new GenesysSimulator({ activationDelayMs: 20, ...options });
    await simulator.start();
    return new WorkflowWorld(simulator, consistency);
  }

  /** Step deps on this world's store and simulator; `fetch` replaces the Genesys client's fetch. */
  deps(overrides: Partial<StepDeps> = {}, fetch?: typeof globalThis.fetch): StepDeps {
    return {
      ...localStepDeps({
        secrets: this.secrets,
        fetch,
        onGenesysEvent: (event) => this.genesysEvents.push(event),
        retry: { baseDelayMs: 1, maxDelayMs: 20, attemptTimeoutMs: 2_000 },
        allowedHosts: ['127.0.0.1'],
        consistency: this.consistency,
      }),
      ...overrides,
    };
  }

  async newOrg(seed: OrgSeed = sampleOrgSeed({ id: randomUUID(), name: 'Test org' })): Promise<OrgUnderTest> {
    const seeded = this.simulator.addOrg(seed);
    const url = this.simulator.url;
    await this.secrets.put({
      name: bootstrapSecretName(PREFIX, seeded.org.id),
      value: JSON.stringify({ ...seeded.bootstrap, region: 'eu-west-1', apiUrl: url, loginUrl: url }),
    });
    const world = this;
    const state = this.simulator.org(seeded.org.id);
    return {
      seeded,
      id: seeded.org.id,
      state,
      request: (overrides = {}) => sampleRequest(seeded.org.id, overrides),
      run: (request = sampleRequest(seeded.org.id), deps = {}, options = {}) =>
        world.run(request, deps, options),
      offboard: (overrides = {}, options = {}) =>
        world.offboard({ orgId: seeded.org.id, region: 'eu-west-1', ...overrides }, options),
      rotate: (options = {}) => world.rotate(seeded.org.id, options),
      async resultSecret() {
        const stored = await world.secrets.get(resultSecretName(PREFIX, seeded.org.id));
        return stored ? (JSON.parse(stored.value) as Record<string, string>) : undefined;
      },
      dataActionClients: () =>
        [...state.clients.values()].filter(
          (c) => c.id !== seeded.bootstrap.clientId && c.state !== 'deleted',
        ),
      writesSince: (since) =>
        world.simulator.requestLog
          .slice(since)
          .filter((e) => e.orgId === seeded.org.id && e.method !== 'GET' && e.path !== '/oauth/token')
          .map((e) => `${e.method} ${e.route ?? e.path}`),
    };
  }

  /** Every run is its own set of Lambda containers: no token survives from the last one. */
  async run(
    input: OnboardingRequestInput,
    deps: Partial<StepDeps> = {},
    options: OnboardOptions = {},
  ): Promise<LocalExecution> {
    clearTokenCache();
    const request = parseOnboardingRequest(input, { secretPrefix: PREFIX });
    const crash = new AbortController();
    const workflow = new LocalWorkflow({
      deps: this.deps(deps),
      fastDelaysMs: 5,
      beforeTask: (state) => {
        options.beforeTask?.(state);
        if (state !== options.crashAt) return;
        crash.abort();
        throw new Error(`crashed before ${state}`);
      },
    });
    const execution = await workflow.execute(
      `${executionName(request)}-${randomUUID()}`.slice(0, 80),
      { request },
      crash.signal,
    );
    this.executions.push(execution);
    return execution;
  }

  /** Runs one offboarding through the synthesized offboarding state machine. */
  async offboard(input: OffboardingRequestInput, options: OffboardOptions = {}): Promise<LocalExecution> {
    clearTokenCache();
    const request = parseOffboardingRequest(input, { secretPrefix: PREFIX });
    const crash = new AbortController();
    const workflow = new LocalWorkflow({
      workflow: 'offboarding',
      deps: this.deps(options.deps),
      fastDelaysMs: 5,
      beforeTask: (state) => {
        // A crash: the run stops where it stands and this step's code never runs.
        if (state !== options.crashAt) return;
        crash.abort();
        throw new Error(`crashed before ${state}`);
      },
    });
    const execution = await workflow.execute(
      `${executionName(request, 'off')}-${randomUUID()}`.slice(0, 80),
      { request },
      crash.signal,
    );
    this.executions.push(execution);
    return execution;
  }

  /** Rotates the org's result secret in-process, the four steps as Secrets Manager invokes them. */
  rotate(orgId: string, options: RotateOptions = {}): Promise<RotationOutcome> {
    clearTokenCache();
    return rotateLocally(resultSecretName(PREFIX, orgId), this.deps(options.deps, options.fetch), options);
  }

  async stop(): Promise<void> {
    this.restoreOutput();
    await this.simulator.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** The success output of an execution. */
export const resultOf = (execution: LocalExecution): OnboardingResult =>
  JSON.parse(execution.output ?? 'null') as OnboardingResult;

/** What Compensate reported, from the execution's events. */
export function compensationOf(
  execution: LocalExecution,
): { rolledBack: string[]; leftBehind: string[] } | undefined {
  const exited = execution.events.find(
    (e) => e.type === 'StateExited' && (e as { state?: { name?: string } }).state?.name === 'Compensate',
  ) as { state: { output: { failure: { rolledBack: string[]; leftBehind: string[] } } } } | undefined;
  return exited?.state.output.failure;
}

/** How many times the state machine ran `state` again after `error` in an execution. */
export function retriesOf(execution: LocalExecution, state: string, error: string): number {
  return execution.events.filter((e) => {
    const event = e as {
      type: string;
      state?: { name?: string };
      retry?: { retrier?: { ErrorEquals?: string[] } };
    };
    return (
      event.type === 'StateRetried' &&
      event.state?.name === state &&
      event.retry?.retrier?.ErrorEquals?.includes(error) === true
    );
  }).length;
}
