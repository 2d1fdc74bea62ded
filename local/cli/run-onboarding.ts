import { startOnboarding } from '../../lambdas/api/onboardings';
import type { RetryPolicy } from '../../lambdas/genesys/http';
import { type GenesysEndpoints, resolveEndpoints } from '../../lambdas/genesys/regions';
import { causeMessage } from '../../lambdas/shared/errors';
import type { OnboardingRequest } from '../../lambdas/shared/request';
import type { SecretStore } from '../../lambdas/shared/secret-store';
import {
  clientOutcomeSchema,
  configureOutcomeSchema,
  integrationOutcomeSchema,
  type OnboardingResult,
} from '../../lambdas/workflows/onboarding/state';
import { ONBOARDING_STATES as S } from '../../lambdas/workflows/onboarding/states';
import { OverlaySecretStore } from '../adapters/overlay-secret-store';
import { localStepDeps } from '../deps';
import { type EventLog, type LocalExecution, LocalWorkflow, LocalWorkflowStarter } from '../runner';
import { currentStep } from '../step-context';
import type { Interruption } from './interrupt';
import { type ProgressEvent, type StepSummary, StepTracker } from './step-tracker';

export interface CliOnboardingOptions {
  /** The validated onboarding request. */
  readonly request: OnboardingRequest;
  /**
   * The bootstrap secret's value (JSON) to hold in memory under `request.bootstrapSecretId` for this run: the
   * credentials of GENESYSCLOUD_OAUTHCLIENT_ID/SECRET, or the stored secret with the URL flags applied. Never
   * written anywhere. Absent: the steps read the stored secret.
   */
  readonly bootstrapSecret?: string;
  readonly store: SecretStore;
  readonly secretPrefix: string;
  /** Hosts besides Genesys Cloud's own that API and login URLs may point at (`host`, `host:port`, `*.domain`). */
  readonly allowedHosts?: readonly string[];
  /** KMS key for the result secret in Secrets Manager; absent: the account's default key. */
  readonly resultSecretKmsKeyId?: string;
  /** Shrinks Wait states and retry intervals to this many ms (for the simulator). */
  readonly fastDelaysMs?: number;
  readonly retry?: Partial<RetryPolicy>;
  readonly onProgress?: (event: ProgressEvent) => void;
  /** Ctrl-C: stops starting new work (then the run compensates) or aborts at once. */
  readonly interruption?: Interruption;
}

export interface OnboardingReport {
  readonly onboardingId: string;
  /** The execution's status: SUCCEEDED, FAILED, TIMED_OUT or ABORTED (stopped at once by a second Ctrl-C). */
  readonly status: string;
  readonly result?: OnboardingResult;
  readonly error?: string;
  readonly cause?: string;
  /** The task state whose failure failed the run. */
  readonly failedStep?: string;
  readonly rolledBack: string[];
  readonly leftBehind: string[];
  /** Ctrl-C was pressed during the run: `rolled-back` after the first press, `aborted` after the second. */
  readonly interrupted?: 'rolled-back' | 'aborted';
  /** After an abort: what this run had created, as far as its finished steps tell, e.g. `OAuth client <id>`. */
  readonly created: string[];
  /** After an abort: the steps that were running, which may have created more. */
  readonly runningSteps: string[];
  /** The Genesys endpoints the run's clients used (one entry unless the URLs changed between steps). */
  readonly endpoints: GenesysEndpoints[];
  readonly steps: readonly StepSummary[];
  /** Genesys calls (token requests included) and, among them, the ones that change something. */
  readonly calls: number;
  readonly writes: number;
  readonly transitions: number;
  readonly durationMs: number;
}

/** Onboards one org through the synthesized state machine in this process. */
export async function runOnboarding(options: CliOnboardingOptions): Promise<OnboardingReport> {
  const started = Date.now();
  const { request, interruption } = options;
  const secrets = new OverlaySecretStore(options.store);
  if (options.bootstrapSecret !== undefined) secrets.hold(request.bootstrapSecretId, options.bootstrapSecret);

  const tracker = new StepTracker(options.onProgress);
  let calls = 0;
  let writes = 0;
  const endpoints = new Map<string, GenesysEndpoints>();
  const base = localStepDeps({
    secrets,
    secretPrefix: options.secretPrefix,
    allowedHosts: options.allowedHosts,
    retry: options.retry,
    onGenesysEvent: (event) => {
      if (event.type === 'call') {
        calls++;
        if (event.method !== 'GET' && event.path !== '/oauth/token') writes++;
      }
      tracker.onGenesysEvent(currentStep(), event);
    },
  });
  const deps = {
    ...base,
    settings: {
      ...base.settings,
      ...(options.resultSecretKmsKeyId ? { resultSecretKmsKeyId: options.resultSecretKmsKeyId } : {}),
    },
    genesys: (clientOptions: Parameters<typeof base.genesys>[0]) => {
      const client = base.genesys(clientOptions);
      // The client resolved the same endpoints from the same options (or threw above).
      const used = resolveEndpoints(clientOptions);
      endpoints.set(`${used.apiUrl} ${used.loginUrl}`, used);
      return client;
    },
  };

  const workflow = new LocalWorkflow({
    deps,
    fastDelaysMs: options.fastDelaysMs,
    onEvent: (event) => tracker.onStateEvent(event),
    ...(interruption ? { beforeTask: interruption.beforeTask } : {}),
  });
  const starter = new LocalWorkflowStarter(workflow, interruption?.signal);
  interruption?.setRunning(true);
  let execution: LocalExecution;
  let onboardingId: string;
  try {
    ({ id: onboardingId } = await startOnboarding(request, { starter }));
    execution = await starter.wait(onboardingId);
  } finally {
    interruption?.setRunning(false);
  }
  const steps = tracker.end();
  const aborted = execution.status === 'ABORTED';
  // A run that reached its end before Ctrl-C took effect onboarded the org: nothing to report as stopped.
  const interrupted = interruption?.interrupted && execution.status !== 'SUCCEEDED';
  return {
    onboardingId,
    status: execution.status,
    ...(execution.output ? { result: JSON.parse(execution.output) as OnboardingResult } : {}),
    ...(execution.error ? { error: execution.error, cause: causeMessage(execution.cause) } : {}),
    ...failureDetails(execution),
    ...(interrupted ? { interrupted: aborted ? 'aborted' : 'rolled-back' } : {}),
    created: aborted ? createdSoFar(execution.events) : [],
    runningSteps: aborted ? steps.filter((s) => s.status === 'stopped').map((s) => s.step) : [],
    endpoints: [...endpoints.values()],
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
  const caught = execution.events.filter((e) => e.type === 'StateCaught');
  const compensated = exitOutput(execution.events, S.compensate) as
    | { failure?: { rolledBack?: string[]; leftBehind?: string[] } }
    | undefined;
  const failure = compensated?.failure;
  const failedStep = caught.map((e) => e.state.name).find((name) => name !== S.compensate);
  return {
    ...(failedStep ? { failedStep } : {}),
    rolledBack: failure?.rolledBack ?? [],
    leftBehind: failure?.leftBehind ?? [],
  };
}

/** What the finished steps of a run say it created (read from their outputs: ids, never a secret). */
function createdSoFar(events: readonly EventLog[]): string[] {
  const created: string[] = [];
  const client = clientOutcomeSchema.safeParse(exitOutput(events, S.ensureOAuthClient));
  if (client.success && client.data.clientCreated) created.push(`OAuth client ${client.data.oauthClientId}`);
  if (client.success && client.data.secretCreated) created.push(`secret ${client.data.secretArn}`);
  const integration = integrationOutcomeSchema.safeParse(exitOutput(events, S.ensureIntegration));
  if (integration.success && integration.data.integrationCreated) {
    created.push(`integration ${integration.data.integrationId}`);
  }
  const configured = configureOutcomeSchema.safeParse(
    (exitOutput(events, S.configure) as { configured?: unknown } | undefined)?.configured,
  );
  if (configured.success && configured.data.credentialCreated) {
    created.push(`credential ${configured.data.credentialId}`);
  }
  return created;
}

/** The output of the last exit of a state, if it exited. */
function exitOutput(events: readonly EventLog[], stateName: string): unknown {
  const exits = events.filter((e) => e.type === 'StateExited' && e.state.name === stateName);
  const last = exits[exits.length - 1];
  return last && 'state' in last ? last.state.output : undefined;
}
