import { startOnboarding } from '../../lambdas/api/onboardings';
import type { HttpEvent, RetryPolicy } from '../../lambdas/genesys/http';
import { causeMessage } from '../../lambdas/shared/errors';
import type { OnboardingRequest } from '../../lambdas/shared/request';
import type { SecretStore } from '../../lambdas/shared/secret-store';
import type { OnboardingResult } from '../../lambdas/workflows/onboarding/state';
import { OverlaySecretStore } from '../adapters/overlay-secret-store';
import { localStepDeps } from '../deps';
import { type EventLog, type LocalExecution, LocalWorkflow, LocalWorkflowStarter } from '../runner';
import { currentStep } from '../step-context';

export interface BootstrapCredentials {
  readonly clientId: string;
  readonly clientSecret: string;
}

export interface CliOnboardingOptions {
  /** The validated onboarding request. */
  readonly request: OnboardingRequest;
  /** From GENESYSCLOUD_OAUTHCLIENT_ID/SECRET: held in memory, never written. Absent: read from the store. */
  readonly bootstrap?: BootstrapCredentials;
  readonly apiUrl?: string;
  readonly loginUrl?: string;
  readonly store: SecretStore;
  readonly secretPrefix: string;
  /** Shrinks Wait states and retry intervals to this many ms (for the simulator). */
  readonly fastDelaysMs?: number;
  readonly retry?: Partial<RetryPolicy>;
  readonly onProgress?: (event: ProgressEvent) => void;
}

export type ProgressEvent =
  | { type: 'started'; step: string }
  | { type: 'succeeded' | 'failed'; step: string; ms: number; calls: number; retries: number; error?: string }
  | { type: 'retrying'; step: string; error?: string }
  | { type: 'waiting'; step: string };

export interface StepReport {
  readonly step: string;
  readonly status: 'succeeded' | 'failed';
  readonly ms: number;
  readonly calls: number;
  readonly retries: number;
}

export interface OnboardingReport {
  readonly onboardingId: string;
  readonly status: string;
  readonly result?: OnboardingResult;
  readonly error?: string;
  readonly cause?: string;
  /** The task state whose failure failed the run. */
  readonly failedStep?: string;
  readonly rolledBack: string[];
  readonly leftBehind: string[];
  readonly steps: StepReport[];
  /** Genesys calls (token requests included) and, among them, the ones that change something. */
  readonly calls: number;
  readonly writes: number;
  readonly transitions: number;
  readonly durationMs: number;
}

/** Onboards one org through the synthesized state machine in this process. */
export async function runOnboarding(options: CliOnboardingOptions): Promise<OnboardingReport> {
  const started = Date.now();
  const { request } = options;
  const secrets = new OverlaySecretStore(options.store);
  if (options.bootstrap) {
    secrets.hold(
      request.bootstrapSecretId,
      JSON.stringify({
        ...options.bootstrap,
        region: request.region,
        ...(options.apiUrl ? { apiUrl: options.apiUrl } : {}),
        ...(options.loginUrl ? { loginUrl: options.loginUrl } : {}),
      }),
    );
  }

  const stats = new Map<string, { calls: number; retries: number; startedAt: number }>();
  let calls = 0;
  let writes = 0;
  const onGenesysEvent = (event: HttpEvent) => {
    const entry = stats.get(currentStep() ?? '');
    if (event.type === 'call') {
      calls++;
      if (event.method !== 'GET' && event.path !== '/oauth/token') writes++;
      if (entry) entry.calls++;
    } else if (entry) {
      entry.retries++;
    }
  };
  const steps: StepReport[] = [];
  const lastError = new Map<string, string>();
  const onEvent = (event: EventLog) => {
    const state = (event as { state?: { name: string; type: string } }).state;
    if (!state) return;
    const progress = options.onProgress;
    if (state.type === 'Wait' && event.type === 'StateEntered')
      progress?.({ type: 'waiting', step: state.name });
    if (state.type !== 'Task') return;
    if (event.type === 'StateEntered') {
      stats.set(state.name, { calls: 0, retries: 0, startedAt: Date.now() });
      progress?.({ type: 'started', step: state.name });
    } else if (event.type === 'StateFailed') {
      // Retried or caught: the events that follow say which.
      lastError.set(state.name, (event as { Error?: string }).Error ?? 'unknown');
    } else if (event.type === 'StateRetried') {
      const entry = stats.get(state.name);
      if (entry) entry.retries++;
      progress?.({ type: 'retrying', step: state.name, error: lastError.get(state.name) });
    } else if (event.type === 'StateExited' || event.type === 'StateCaught') {
      const entry = stats.get(state.name) ?? { calls: 0, retries: 0, startedAt: Date.now() };
      const report: StepReport = {
        step: state.name,
        status: event.type === 'StateExited' ? 'succeeded' : 'failed',
        ms: Date.now() - entry.startedAt,
        calls: entry.calls,
        retries: entry.retries,
      };
      steps.push(report);
      progress?.({
        type: report.status,
        ...report,
        ...(report.status === 'failed' ? { error: lastError.get(state.name) } : {}),
      });
    }
  };

  const workflow = new LocalWorkflow({
    deps: localStepDeps({
      secrets,
      secretPrefix: options.secretPrefix,
      onGenesysEvent,
      retry: options.retry,
    }),
    fastDelaysMs: options.fastDelaysMs,
    onEvent,
  });
  const starter = new LocalWorkflowStarter(workflow);
  const { id: onboardingId } = await startOnboarding(request, { starter });
  const execution = await starter.wait(onboardingId);
  return {
    onboardingId,
    status: execution.status,
    ...(execution.output ? { result: JSON.parse(execution.output) as OnboardingResult } : {}),
    ...(execution.error ? { error: execution.error, cause: causeMessage(execution.cause) } : {}),
    ...failureDetails(execution),
    steps,
    calls,
    writes,
    transitions: execution.transitions,
    durationMs: Date.now() - started,
  };
}

/** The step that failed the run, and what compensation removed or could not remove. */
function failureDetails(execution: LocalExecution): {
  failedStep?: string;
  rolledBack: string[];
  leftBehind: string[];
} {
  const caught = execution.events.filter((e) => e.type === 'StateCaught') as Array<{
    state: { name: string };
  }>;
  const compensated = execution.events.find(
    (e) => e.type === 'StateExited' && (e as { state?: { name?: string } }).state?.name === 'Compensate',
  ) as { state: { output: { failure?: { rolledBack?: string[]; leftBehind?: string[] } } } } | undefined;
  const failure = compensated?.state.output.failure;
  const failedStep = caught.map((e) => e.state.name).find((name) => name !== 'Compensate');
  return {
    ...(failedStep ? { failedStep } : {}),
    rolledBack: failure?.rolledBack ?? [],
    leftBehind: failure?.leftBehind ?? [],
  };
}
