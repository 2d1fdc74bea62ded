import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { clearTokenCache } from '../../lambdas/genesys/auth';
import type { HttpEvent } from '../../lambdas/genesys/http';
import { bootstrapSecretName, executionName, resultSecretName } from '../../lambdas/shared/naming';
import { type OnboardingRequestInput, parseOnboardingRequest } from '../../lambdas/shared/request';
import { FileSecretStore } from '../../local/adapters/file-secret-store';
import { localStepDeps } from '../../local/deps';
import { type LocalExecution, LocalWorkflow } from '../../local/runner';
import { GenesysSimulator, type SimulatorOptions } from '../../simulator';
import { sampleOrgSeed } from '../../simulator/seeds';
import type { SeededOrg } from '../../simulator/state';
import { sampleRequest } from './requests';

export const PREFIX = 'genesys-onboarding';

export interface WorkflowFixture {
  readonly simulator: GenesysSimulator;
  readonly seeded: SeededOrg;
  readonly secrets: FileSecretStore;
  readonly workflow: LocalWorkflow;
  readonly genesysEvents: HttpEvent[];
  /** Every line the functions logged, to stdout or stderr. */
  readonly logs: string[];
  /** Every execution run so far, with all its events. */
  readonly executions: LocalExecution[];
  request(overrides?: Partial<OnboardingRequestInput>): OnboardingRequestInput;
  /** Runs one onboarding of a request through the synthesized state machine, as the start function would. */
  run(request?: OnboardingRequestInput, name?: string): Promise<LocalExecution>;
  resultSecret(): Promise<Record<string, string> | undefined>;
  stop(): Promise<void>;
}

let runs = 0;

export async function startWorkflowFixture(options: SimulatorOptions = {}): Promise<WorkflowFixture> {
  const simulator = new GenesysSimulator({ activationDelayMs: 20, ...options });
  const seeded = simulator.addOrg(sampleOrgSeed());
  const url = await simulator.start();
  const dir = mkdtempSync(path.join(tmpdir(), 'genesys-onboarding-test-'));
  const secrets = new FileSecretStore(dir);
  await secrets.put({
    name: bootstrapSecretName(PREFIX, seeded.org.id),
    value: JSON.stringify({ ...seeded.bootstrap, region: 'eu-west-1', apiUrl: url, loginUrl: url }),
  });
  const genesysEvents: HttpEvent[] = [];
  const deps = localStepDeps({
    secrets,
    onGenesysEvent: (event) => genesysEvents.push(event),
    retry: { baseDelayMs: 1, maxDelayMs: 20, attemptTimeoutMs: 2_000 },
  });
  const workflow = new LocalWorkflow({ deps, fastDelaysMs: 5 });

  const logs: string[] = [];
  const executions: LocalExecution[] = [];
  // Powertools writes info and debug lines to stdout, warnings and errors to stderr: both are kept.
  const originalWrite = process.stdout.write.bind(process.stdout);
  const originalErrorWrite = process.stderr.write.bind(process.stderr);
  process.stdout.write = process.stderr.write = ((chunk: string | Uint8Array) => {
    logs.push(String(chunk));
    return true;
  }) as typeof process.stdout.write;

  const request = (overrides: Partial<OnboardingRequestInput> = {}): OnboardingRequestInput =>
    sampleRequest(seeded.org.id, overrides);

  return {
    simulator,
    seeded,
    secrets,
    workflow,
    genesysEvents,
    logs,
    executions,
    request,
    async run(input = request(), name) {
      // Every run is its own set of Lambda containers: no token survives from the last one.
      clearTokenCache();
      const parsed = parseOnboardingRequest(input, { secretPrefix: PREFIX });
      runs++;
      const execution = await workflow.execute(name ?? `${executionName(parsed)}-${runs}`.slice(0, 80), {
        request: parsed,
      });
      executions.push(execution);
      return execution;
    },
    async resultSecret() {
      const stored = await secrets.get(resultSecretName(PREFIX, seeded.org.id));
      return stored ? (JSON.parse(stored.value) as Record<string, string>) : undefined;
    },
    async stop() {
      process.stdout.write = originalWrite;
      process.stderr.write = originalErrorWrite;
      await simulator.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
