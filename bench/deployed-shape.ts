import { randomUUID } from 'node:crypto';
import { AwsSecretStore } from '../lambdas/aws/secret-store';
import { TokenCache } from '../lambdas/genesys/auth';
import { GenesysClient } from '../lambdas/genesys/client';
import type { HttpEvent } from '../lambdas/genesys/http';
import { DEFAULT_CONSISTENCY, type StepDeps } from '../lambdas/shared/deps';
import { resultSecretName } from '../lambdas/shared/naming';
import { parseOnboardingRequest } from '../lambdas/shared/request';
import { ONBOARDING_STATES } from '../lambdas/workflows/onboarding/states';
import { type LocalExecution, LocalWorkflow } from '../local/runner';
import { currentStep } from '../local/step-context';
import { GenesysSimulator, type SimulatorOptions } from '../simulator';
import type { SeededOrg } from '../simulator/state';
import { seedOrg } from '../test/support/orgs';
import { sampleRequest } from '../test/support/requests';
import { InProcessSecretsManager } from './secrets-manager';

export const PREFIX = 'genesys-onboarding';
const TOKEN_PATH = '/oauth/token';

/**
 * How the Lambda containers of the steps are simulated:
 * - `cold`: every task invocation starts in a new container, with no token and no secret cached (a first run,
 *   or functions idle long enough to be reclaimed);
 * - `warm`: one container per function for the life of the bench, keeping its tokens and its cached bootstrap
 *   secret between invocations and runs (functions busy with other onboardings, or a re-run soon after).
 */
export type Containers = 'cold' | 'warm';

export interface DeployedShapeOptions {
  /** Latency of every Genesys and Secrets Manager call, ms. */
  readonly latencyMs: number;
  /** The simulator's knobs besides the latency. */
  readonly simulator?: SimulatorOptions;
}

/** What one onboarding did, counted at the clients. */
export interface RunFigures {
  readonly execution: LocalExecution;
  readonly wallMs: number;
  /** Genesys calls, token requests included. */
  readonly calls: number;
  /** Genesys calls that change something (not GET, not a token request). */
  readonly writes: number;
  /** Token requests among the Genesys calls. */
  readonly tokenCalls: number;
  /** Genesys calls by task state. */
  readonly callsByStep: Record<string, number>;
  /** Secrets Manager calls, and by operation. */
  readonly secretCalls: number;
  readonly secretCallsByOperation: Record<string, number>;
  /** Each task's duration, summed over its invocations, ms: what Lambda bills. */
  readonly stepMs: Record<string, number>;
}

/**
 * The onboarding state machine in-process, shaped as deployed: every task invocation gets the collaborators of
 * a Lambda container (its own token cache; the AWS secret store with its Powertools cache, over a Secrets
 * Manager that answers after the same latency as Genesys), with the settings of the deployed functions
 * (the Record function schedules rotation). Counts every Genesys and Secrets Manager call per task state.
 */
export class DeployedShapeBench {
  readonly simulator: GenesysSimulator;
  readonly secretsManager: InProcessSecretsManager;
  /** The operator's view of the secrets (seeding, removing the record for a repair). */
  readonly operatorStore: AwsSecretStore;
  private readonly warm = new Map<string, StepDeps>();
  private readonly workflows: Record<Containers, LocalWorkflow>;
  private genesysEvents: Array<{ step: string | undefined; event: HttpEvent }> = [];

  constructor(options: DeployedShapeOptions) {
    this.simulator = new GenesysSimulator({ ...options.simulator, latencyMs: options.latencyMs });
    this.secretsManager = new InProcessSecretsManager(options.latencyMs);
    this.operatorStore = new AwsSecretStore(this.secretsManager.client);
    const workflow = (deps: (stateName: string) => StepDeps) => new LocalWorkflow({ deps });
    this.workflows = {
      cold: workflow((stateName) => this.container(stateName)),
      warm: workflow((stateName) => {
        let deps = this.warm.get(stateName);
        if (!deps) {
          deps = this.container(stateName);
          this.warm.set(stateName, deps);
        }
        return deps;
      }),
    };
  }

  start = () => this.simulator.start();
  stop = () => this.simulator.stop();

  newOrg(): Promise<SeededOrg> {
    return seedOrg(this.simulator, this.operatorStore, PREFIX);
  }

  /** Removes the org's result secret, as an operator deleting it by mistake would (for a repair run). */
  loseRecord(seeded: SeededOrg): Promise<void> {
    return this.operatorStore.delete(resultSecretName(PREFIX, seeded.org.id));
  }

  /** One onboarding of `seeded`, measured. */
  async onboard(seeded: SeededOrg, containers: Containers): Promise<RunFigures> {
    this.genesysEvents = [];
    const secretCallsBefore = this.secretsManager.calls.length;
    const request = parseOnboardingRequest(sampleRequest(seeded.org.id), { secretPrefix: PREFIX });
    const started = performance.now();
    const execution = await this.workflows[containers].execute(`bench-${randomUUID()}`, { request });
    const wallMs = performance.now() - started;
    const calls = this.genesysEvents.flatMap(({ step, event }) =>
      event.type === 'call' ? [{ step, event }] : [],
    );
    const secretCalls = this.secretsManager.calls.slice(secretCallsBefore);
    return {
      execution,
      wallMs,
      calls: calls.length,
      writes: calls.filter(({ event }) => event.method !== 'GET' && event.path !== TOKEN_PATH).length,
      tokenCalls: calls.filter(({ event }) => event.path === TOKEN_PATH).length,
      callsByStep: countBy(calls.map(({ step }) => step ?? 'outside a step')),
      secretCalls: secretCalls.length,
      secretCallsByOperation: countBy(secretCalls.map((call) => call.operation)),
      stepMs: stepDurations(execution),
    };
  }

  /** The collaborators of one Lambda container of the function behind `stateName`. */
  private container(stateName: string): StepDeps {
    const tokenCache = new TokenCache();
    return {
      secrets: new AwsSecretStore(this.secretsManager.client),
      genesys: (options) =>
        new GenesysClient({
          ...options,
          tokenCache,
          onEvent: (event) => this.genesysEvents.push({ step: currentStep(), event }),
        }),
      settings: {
        secretPrefix: PREFIX,
        resultSecretKmsKeyId: 'arn:aws:kms:eu-west-1:123456789012:key/bench',
        maxVerifyAttempts: 30,
        allowedHosts: ['127.0.0.1'],
        consistency: DEFAULT_CONSISTENCY,
        recoveryWindowDays: 7,
        // As deployed: only the Record function has ROTATION_FUNCTION_ARN (lib/constructs/secret-rotation.ts).
        ...(stateName === ONBOARDING_STATES.record
          ? {
              rotation: {
                lambdaArn: 'arn:aws:lambda:eu-west-1:123456789012:function:rotation',
                everyDays: 30,
              },
            }
          : {}),
      },
    };
  }
}

function countBy(keys: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const key of keys) counts[key] = (counts[key] ?? 0) + 1;
  return counts;
}

/** Each task's duration (entered to exited, summed over its invocations). */
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
