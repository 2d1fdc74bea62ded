import { STEP_ERROR_NAMES } from '../../lambdas/genesys/errors';
import { ROTATION_ERRORS } from '../../lambdas/shared/errors';
import { resultSecretName } from '../../lambdas/shared/naming';
import {
  type RotationSchedule,
  SECRET_STORE_TRANSIENT,
  type SecretDescription,
  type SecretReadOptions,
  type SecretStore,
  type SecretSummary,
  type SecretToPut,
  type StoredSecret,
} from '../../lambdas/shared/secret-store';
import { type ResultSecret, readResultSecret } from '../../lambdas/shared/secrets';
import { ROTATION_STEPS, type RotationStep } from '../../lambdas/workflows/rotation/rotate';
import { OverlaySecretStore } from '../adapters/overlay-secret-store';
import { localStepDeps } from '../deps';
import { pendingVersionOf, type RotationOutcome, rotateLocally } from '../rotation';
import type { StopRule } from './interrupt';
import type { StepCatalog } from './progress';
import { type StepSummary, StepTracker } from './step-tracker';
import type { Watch } from './watch';

/** The rotation's four steps (Secrets Manager's rotation protocol) as the progress shows them. */
export const ROTATION_PROGRESS: StepCatalog = {
  labels: {
    createSecret: 'Create the new OAuth client and its credential',
    setSecret: 'Switch the integration to the new credential',
    testSecret: 'Test the new credentials and the integration',
    finishSecret: 'Store the new secret, remove the previous client',
  },
  stages: ROTATION_STEPS.map((step) => [step]),
};

/** Errors that pass: running the rotation again retries what failed (throttling, outages, a client not usable yet). */
const RESUMABLE_ERRORS: ReadonlySet<string> = new Set([
  STEP_ERROR_NAMES['rate-limited'],
  STEP_ERROR_NAMES.transient,
  STEP_ERROR_NAMES.unreachable,
  SECRET_STORE_TRANSIENT,
  ROTATION_ERRORS.notReady,
]);

/** Failures a re-run cannot fix, even with a pending version left: the record or the race must be seen to first. */
const FINAL_ERRORS: ReadonlySet<string> = new Set([
  ROTATION_ERRORS.notOnboarded,
  ROTATION_ERRORS.drifted,
  ROTATION_ERRORS.superseded,
]);

/** The first Ctrl-C: the running step finishes and no other starts; the integration runs on a working client. */
export const ROTATION_STOP: StopRule = {
  consequence:
    'the integration keeps running on a client that works; running rotate again resumes the rotation',
};

export interface CliRotationOptions extends Watch {
  readonly orgId: string;
  readonly store: SecretStore;
  readonly secretPrefix: string;
  /** The bootstrap secret's value (JSON), held in memory under the id the org's record names. */
  readonly bootstrapSecret: string;
  /** The bootstrap secret id to hold it under when the record names none. */
  readonly bootstrapSecretId: string;
  readonly allowedHosts?: readonly string[];
}

/** One rotation as the CLI reports it: ids only, never a secret. */
export interface RotationReport {
  readonly status: 'SUCCEEDED' | 'FAILED';
  readonly orgId: string;
  readonly secretId: string;
  readonly outcome?: RotationOutcome;
  /** The error's name (`Rotation.NotReady`, `Genesys.BadRequest`, `Local.Interrupted`...) and message. */
  readonly error?: string;
  readonly cause?: string;
  readonly failedStep?: RotationStep;
  /** The client the org's stored record names after the run (the one the integration can rely on). */
  readonly recordedClientId?: string;
  readonly interrupted?: 'stopped' | 'aborted';
  /**
   * A failure that running the same command again resumes: Ctrl-C, a transient error (`RESUMABLE_ERRORS`), or
   * any failure that left this rotation's pending version. Not a missing or drifted record, nor a superseded run.
   */
  readonly resumable: boolean;
  readonly steps: readonly StepSummary[];
  readonly genesysCalls: number;
  readonly ms: number;
}

/**
 * Rotates the org's result secret in-process (local/rotation.ts: the deployed rotation steps), with each step
 * reported to `onProgress`, the first Ctrl-C letting the running step finish and starting no other, the second
 * ending the command at once and stopping the rotation where it stands, as an aborted onboarding is: its
 * Genesys requests in flight are aborted and no other is sent, no secret is written any more (the rotation
 * resumes on the next run). Never throws for a failed step: the
 * report says which step failed and why. Throws `Rotation.NotOnboarded` (as a failed report) when the org has
 * no record.
 */
export async function runRotation(options: CliRotationOptions): Promise<RotationReport> {
  const started = Date.now();
  const secretId = resultSecretName(options.secretPrefix, options.orgId);
  const tracker = new StepTracker(options.onProgress);
  let genesysCalls = 0;
  let running: RotationStep | undefined;
  const { interruption } = options;
  const stop = interruption.signal;
  const secrets = new OverlaySecretStore(new StoppableSecretStore(options.store, stop));
  const record = await readResultSecret(options.store, secretId);
  secrets.hold(bootstrapIdOf(record?.secret) ?? options.bootstrapSecretId, options.bootstrapSecret);
  const deps = localStepDeps({
    secrets,
    secretPrefix: options.secretPrefix,
    allowedHosts: options.allowedHosts,
    fetch: (input, init) =>
      stop.aborted
        ? Promise.reject(stop.reason)
        : globalThis.fetch(input, {
            ...init,
            signal: init?.signal ? AbortSignal.any([init.signal, stop]) : stop,
          }),
    onGenesysEvent: (event) => {
      if (event.type === 'call') genesysCalls++;
      tracker.onGenesysEvent(running, event);
    },
  });
  const aborted = new Promise<never>((_, reject) =>
    interruption.signal.addEventListener('abort', () => reject(new Error('stopped at once by Ctrl-C')), {
      once: true,
    }),
  );
  interruption.setRunning(true);
  const report = (fields: Partial<RotationReport>): RotationReport => ({
    status: 'FAILED',
    orgId: options.orgId,
    secretId,
    resumable: false,
    steps: tracker.end(),
    genesysCalls,
    ms: Date.now() - started,
    ...fields,
  });
  try {
    const outcome = await Promise.race([
      rotateLocally(secretId, deps, {
        beforeStep: (step) => {
          interruption.beforeTask(step);
          running = step;
          tracker.startStep(step);
        },
        afterStep: (step) => {
          tracker.endStep(step);
          running = undefined;
        },
      }),
      aborted,
    ]);
    return report({ status: 'SUCCEEDED', outcome, recordedClientId: outcome.oauthClientId });
  } catch (error) {
    const failedStep = running;
    const name = error instanceof Error && error.name !== 'Error' ? error.name : 'Local.Failed';
    // A step the second Ctrl-C stopped stays open: the tracker ends it as stopped while running.
    if (failedStep && !interruption.aborted) tracker.endStep(failedStep, name);
    const after = await readResultSecret(options.store, secretId).catch(() => undefined);
    const described = await options.store.describe(secretId).catch(() => undefined);
    const pending = pendingVersionOf(described?.versions);
    const resumable =
      interruption.interrupted ||
      (!FINAL_ERRORS.has(name) && (RESUMABLE_ERRORS.has(name) || pending !== undefined));
    return report({
      error: interruption.aborted ? 'Local.Aborted' : name,
      cause: error instanceof Error ? error.message : String(error),
      ...(failedStep ? { failedStep } : {}),
      ...(after ? { recordedClientId: after.secret.clientId } : {}),
      ...(interruption.interrupted ? { interrupted: interruption.aborted ? 'aborted' : 'stopped' } : {}),
      resumable,
    });
  } finally {
    interruption.setRunning(false);
  }
}

const bootstrapIdOf = (record: ResultSecret | undefined) => record?.onboardedWith?.bootstrapSecretId;

/** A secret store whose writes are refused once `stop` is aborted: a rotation stopped at once writes no more. */
class StoppableSecretStore implements SecretStore {
  constructor(
    private readonly base: SecretStore,
    private readonly stop: AbortSignal,
  ) {}

  get(secretId: string, options?: SecretReadOptions): Promise<StoredSecret | undefined> {
    return this.base.get(secretId, options);
  }

  describe(secretId: string): Promise<SecretDescription | undefined> {
    return this.base.describe(secretId);
  }

  list(prefix: string): Promise<SecretSummary[]> {
    return this.base.list(prefix);
  }

  async put(secret: SecretToPut): Promise<{ arn: string; created: boolean }> {
    this.refuseOnceStopped(secret.name);
    return this.base.put(secret);
  }

  async delete(secretId: string, options?: { readonly recoveryWindowDays?: number }): Promise<void> {
    this.refuseOnceStopped(secretId);
    return this.base.delete(secretId, options);
  }

  async putPending(secretId: string, versionId: string, value: string): Promise<void> {
    this.refuseOnceStopped(secretId);
    return this.base.putPending(secretId, versionId, value);
  }

  async promote(secretId: string, versionId: string): Promise<void> {
    this.refuseOnceStopped(secretId);
    return this.base.promote(secretId, versionId);
  }

  async scheduleRotation(secretId: string, rotation: RotationSchedule): Promise<boolean> {
    this.refuseOnceStopped(secretId);
    return this.base.scheduleRotation(secretId, rotation);
  }

  private refuseOnceStopped(secretId: string): void {
    if (this.stop.aborted) throw new Error(`stopped at once by Ctrl-C: secret ${secretId} is not changed`);
  }
}
