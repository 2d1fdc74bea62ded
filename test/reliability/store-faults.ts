import { SecretsManagerServiceException } from '@aws-sdk/client-secrets-manager';
import { type SecretStore, SecretStoreUnavailableError } from '../../lambdas/shared/secret-store';
import { currentStep } from '../../local/step-context';
import { storeWith } from '../support/stores';
import { compensationOf } from '../support/workflow';
import { type Cell, timed, type Verdict } from './cells';
import { type Harness, type Lane, leftovers } from './harness';

/** The secret store's operations, as the steps call them (SecretStore), a read of AWSPENDING on its own. */
export type StoreOperation = 'get' | 'getPending' | 'put' | 'putPending' | 'promote' | 'describe' | 'delete';

/** One call of the steps to the secret store: which step, what, on which of the org's secrets, the how-manieth. */
export interface StoreCall {
  readonly step: string;
  readonly operation: StoreOperation;
  readonly secret: 'bootstrap' | 'result';
  /** 1 for the step's first call of this operation on this secret, 2 for the next... */
  readonly nth: number;
  readonly faulted?: StoreFaultKind;
}

export type StoreFaultKind = 'transient' | 'permanent';

/** `Prepare: get result #2`: how the report names a store call. */
export const storeCallLabel = (call: Pick<StoreCall, 'step' | 'operation' | 'secret' | 'nth'>) =>
  `${call.step}: ${call.operation} ${call.secret}${call.nth > 1 ? ` #${call.nth}` : ''}`;

/**
 * The Secrets Manager operation behind a store call, as AwsSecretStore sends it (lambdas/aws/secret-store.ts):
 * a read of AWSPENDING is GetSecretValue with a VersionStage, promote is UpdateSecretVersionStage.
 */
const AWS_OPERATION: Record<StoreOperation, string> = {
  get: 'GetSecretValue',
  getPending: 'GetSecretValue',
  put: 'PutSecretValue',
  putPending: 'PutSecretValue',
  promote: 'UpdateSecretVersionStage',
  describe: 'DescribeSecret',
  delete: 'DeleteSecret',
};

/**
 * What the AWS adapter throws for each fault: a throttled call becomes SecretStoreUnavailableError
 * (`SecretStore.Transient`, retried by the state machine); an AccessDenied comes through as the SDK's
 * exception, as it does from Secrets Manager when a policy does not allow the action.
 */
export function storeFailure(kind: StoreFaultKind, operation: StoreOperation, secretName: string): Error {
  const action = AWS_OPERATION[operation];
  if (kind === 'transient') {
    return new SecretStoreUnavailableError(
      `Secrets Manager ${action} failed and may work again: ThrottlingException: Rate exceeded`,
    );
  }
  return new SecretsManagerServiceException({
    name: 'AccessDeniedException',
    $fault: 'client',
    $metadata: { httpStatusCode: 400, requestId: '5c1f0d3e-8b1a-4c2e-9f7d-1a2b3c4d5e6f' },
    message: `User: arn:aws:sts::123456789012:assumed-role/genesys-onboarding-steps/genesys-onboarding-step is not authorized to perform: secretsmanager:${action} on resource: ${secretName} because no identity-based policy allows the secretsmanager:${action} action`,
  });
}

/** Where a RecordingStore finds the step of a call, and how it tells reads of AWSPENDING. */
export interface RecordingOptions {
  /** The step the run is in. @default the local runner's step context (the state's name) */
  readonly currentStep?: () => string | undefined;
  /**
   * Record a read of AWSPENDING as `getPending`, apart from reads of AWSCURRENT. @default false: as `get`
   * (the onboarding matrix counts Prepare's read of a rotation's pending record as its second `get`)
   */
  readonly pendingReadsApart?: boolean;
}

/**
 * A store that records every call of the steps (step from the runner's step context, or `currentStep`) and
 * fails the one matching `fault` (once), as the AWS adapter would fail it.
 */
export class RecordingStore {
  readonly calls: StoreCall[] = [];

  constructor(
    private readonly fault?: {
      call: Omit<StoreCall, 'faulted'>;
      kind: StoreFaultKind;
      /** The failure comes this long after the call (a slow call that fails in the end). */
      afterMs?: number;
    },
    private readonly options: RecordingOptions = {},
  ) {}

  wrap(base: SecretStore): SecretStore {
    const around = async <T>(
      operation: StoreOperation,
      secretId: string,
      action: () => Promise<T>,
    ): Promise<T> => {
      const secret = secretId.includes('/bootstrap') ? 'bootstrap' : 'result';
      const step = (this.options.currentStep ?? currentStep)() ?? 'outside a step';
      const nth =
        this.calls.filter((c) => c.step === step && c.operation === operation && c.secret === secret).length +
        1;
      const call = { step, operation, secret, nth } as const;
      const fault = this.fault;
      const fires =
        fault !== undefined &&
        !this.calls.some((c) => c.faulted) &&
        storeCallLabel(fault.call) === storeCallLabel(call);
      this.calls.push(fires ? { ...call, faulted: fault.kind } : call);
      if (fires) {
        if (fault.afterMs) await new Promise((resolve) => setTimeout(resolve, fault.afterMs));
        throw storeFailure(fault.kind, operation, secretId);
      }
      return action();
    };
    const pendingApart = this.options.pendingReadsApart === true;
    return storeWith(base, {
      get: (id, options) =>
        around(pendingApart && options?.stage === 'AWSPENDING' ? 'getPending' : 'get', id, () =>
          base.get(id, options),
        ),
      put: (secret) => around('put', secret.name, () => base.put(secret)),
      delete: (id, options) => around('delete', id, () => base.delete(id, options)),
      putPending: (id, versionId, value) =>
        around('putPending', id, () => base.putPending(id, versionId, value)),
      promote: (id, versionId) => around('promote', id, () => base.promote(id, versionId)),
      describe: (id) => around('describe', id, () => base.describe(id)),
    });
  }
}

/** The store calls of a fresh onboarding from a probe run: each step's first get of each secret, every put. */
export async function storeCallsOfAFreshRun(harness: Harness, lane: Lane): Promise<StoreCall[]> {
  const probe = await harness.newOrg(lane, 'probe: store calls');
  const recorder = new RecordingStore();
  const execution = await harness.run(probe, {
    source: 'probe: store calls',
    wrappers: { store: (store) => recorder.wrap(store) },
  });
  if (execution.status !== 'SUCCEEDED')
    throw new Error(`the probe run failed: ${execution.error} ${execution.cause}`);
  const seen = new Set<string>();
  return recorder.calls.filter((call) => {
    const key = storeCallLabel(call);
    if (seen.has(key) || (call.operation === 'get' && call.nth > 1)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * The secret store fails (transient: throttled, retried by the state machine; permanent: AccessDenied) on
 * each of its calls in a fresh onboarding, and on Compensate's delete of the record after a failure late in
 * the run. A transient failure must be survived (the call made again, consistent end state); a permanent one
 * must fail the run naming the store's error, and leave nothing behind.
 */
export function storeFaultCells(harness: Harness, calls: StoreCall[]): Cell[] {
  const kinds: StoreFaultKind[] = ['transient', 'permanent'];
  const cells = calls.flatMap((call) =>
    kinds.map(
      (kind): Cell => ({
        section: 'store_faults',
        name: `${storeCallLabel(call)} — ${kind}`,
        run: (lane) => storeFaultCell(harness, lane, call, kind),
      }),
    ),
  );
  // The write fails after the new client's read-after-create window is over (the clean-up can see the client).
  const late: Cell = {
    section: 'store_faults',
    name: `${storeCallLabel(CLIENT_SECRET_WRITE)} — permanent, after the 404 window`,
    run: (lane) => storeFaultCell(harness, lane, CLIENT_SECRET_WRITE, 'permanent', LATE_FAILURE_MS),
  };
  const compensation = kinds.map(
    (kind): Cell => ({
      section: 'store_faults',
      name: `Compensate: delete result (after a permanent 400 on the enable PATCH) — ${kind}`,
      run: (lane) => compensationDeleteCell(harness, lane, kind),
    }),
  );
  return [...cells, late, ...compensation];
}

/** EnsureOAuthClient's second write of the result secret: the new client's secret (the first is the intent). */
export const CLIENT_SECRET_WRITE = {
  step: 'EnsureOAuthClient',
  operation: 'put',
  secret: 'result',
  nth: 2,
} as const;
/** Longer than the simulator's 404 window after a create (1 s). */
export const LATE_FAILURE_MS = 1_300;

export async function storeFaultCell(
  harness: Harness,
  lane: Lane,
  call: StoreCall,
  kind: StoreFaultKind,
  afterMs?: number,
): Promise<Verdict> {
  const name = `${storeCallLabel(call)} — ${kind}${afterMs ? ', after the 404 window' : ''}`;
  const org = await harness.newOrg(lane, `store fault ${name}`);
  const recorder = new RecordingStore({ call, kind, afterMs });
  const { value: execution, ms } = await timed(
    harness.run(org, {
      source: `store faults: ${name}`,
      wrappers: { store: (store) => recorder.wrap(store) },
    }),
  );
  const problems = firedAndRetried(recorder, kind);
  const state = await harness.endState(org);
  const left = leftovers(state);
  if (kind === 'transient') {
    if (execution.status !== 'SUCCEEDED')
      problems.push(`run ${execution.status} ${execution.error ?? ''}: ${execution.cause ?? ''}`);
    else problems.push(...state.problems);
  } else {
    if (execution.status !== 'FAILED') problems.push(`run ${execution.status}`);
    else if (execution.error !== 'AccessDeniedException')
      problems.push(`failed with ${execution.error}, not the store's AccessDeniedException`);
    problems.push(...left.map((what) => `left behind: ${what}`));
  }
  return {
    name,
    ok: problems.length === 0,
    problems,
    detail: `${execution.status}${execution.error ? ` ${execution.error}` : ''}, ${problems.length ? problems.join('; ') : kind === 'transient' ? 'fired, call made again, consistent' : 'fired, nothing left'} (${ms} ms)`,
    duplicates: state.duplicates,
    orphans: kind === 'permanent' ? left.length : 0,
    leftBehind: left,
  };
}

/** The fault fired; a transient one was followed by the same call (the step or the call tried again). */
export function firedAndRetried(recorder: RecordingStore, kind: StoreFaultKind): string[] {
  const at = recorder.calls.findIndex((c) => c.faulted);
  const faulted = recorder.calls[at];
  if (!faulted) return ['the fault never fired'];
  if (kind === 'permanent') return [];
  const again = recorder.calls
    .slice(at + 1)
    .some((c) => c.operation === faulted.operation && c.secret === faulted.secret);
  return again ? [] : ['the failed call was not made again'];
}

/**
 * A run that fails after everything was created (a permanent 400 on the enable PATCH) and whose compensation
 * cannot delete the stored record at first: a transient failure must be retried until the record is gone;
 * a permanent one must leave only the record, reported in the compensation's `leftBehind`.
 */
async function compensationDeleteCell(harness: Harness, lane: Lane, kind: StoreFaultKind): Promise<Verdict> {
  const name = `Compensate: delete result (after a permanent 400 on the enable PATCH) — ${kind}`;
  const org = await harness.newOrg(lane, `store fault ${name}`);
  const call = { step: 'Compensate', operation: 'delete', secret: 'result', nth: 1 } as const;
  const recorder = new RecordingStore({ call, kind });
  lane.simulator.injectFault({
    method: 'PATCH',
    path: '/api/v2/integrations/{integrationId}',
    fault: { kind: 'status', status: 400 },
  });
  const { value: execution, ms } = await timed(
    harness.run(org, {
      source: `store faults: ${name}`,
      wrappers: { store: (store) => recorder.wrap(store) },
    }),
  );
  lane.simulator.faults.clear();
  const problems = firedAndRetried(recorder, kind);
  const state = await harness.endState(org);
  const left = leftovers(state);
  if (execution.status !== 'FAILED') problems.push(`run ${execution.status}`);
  const leftBehind = compensationOf(execution)?.leftBehind ?? [];
  if (kind === 'transient') problems.push(...left.map((what) => `left behind: ${what}`));
  if (kind === 'permanent') {
    const onlyRecord = left.length === 1 && state.added.secret;
    if (!onlyRecord) problems.push(`left behind: ${left.join(', ') || 'nothing'} (expected the record only)`);
    if (!leftBehind.some((line) => /secret/.test(line)))
      problems.push("the record is not in the compensation's leftBehind");
  }
  return {
    name,
    ok: problems.length === 0,
    problems,
    detail: `${execution.status}${execution.error ? ` ${execution.error}` : ''}, ${problems.length ? problems.join('; ') : kind === 'transient' ? 'fired, delete made again, nothing left' : 'fired, only the record left, reported'} (${ms} ms)`,
    duplicates: state.duplicates,
    orphans: kind === 'transient' ? left.length : Math.max(0, left.length - 1),
  };
}
