import type { StepDeps } from '../lambdas/shared/deps';
import { causeMessage } from '../lambdas/shared/errors';
import {
  type ManifestItem,
  manifestFormat,
  type ParsedManifest,
  parseManifest,
} from '../lambdas/workflows/bulk/manifest';
import { BULK_STATES } from '../lambdas/workflows/bulk/states';
import {
  type BulkSummary,
  childFailure,
  type OrgOutcome,
  onboardedIds,
  summarize,
} from '../lambdas/workflows/bulk/summary';
import { LocalWorkflow, LocalWorkflowStarter } from './runner';

/** What the bulk runner tells as it goes, for a progress display. */
export type BulkProgressEvent =
  | {
      readonly type: 'validated';
      readonly total: number;
      readonly valid: number;
      readonly invalidLines: ParsedManifest['invalidLines'];
    }
  | { readonly type: 'started'; readonly line: number; readonly orgId: string }
  | { readonly type: 'finished'; readonly outcome: OrgOutcome; readonly durationMs: number };

export interface LocalBulkOptions {
  /** The manifest's text and name (its extension says JSONL or CSV, see `manifestFormat`). */
  readonly manifest: { readonly text: string; readonly name: string };
  /** The onboarding steps' collaborators: the secret store holds each org's bootstrap secret. */
  readonly deps: StepDeps;
  /** Orgs onboarded at once, as the Distributed Map's MaxConcurrency. @default 10 */
  readonly concurrency?: number;
  /**
   * As the Distributed Map's ToleratedFailurePercentage: once more than this percentage of the valid lines
   * failed, no further org is started and the run fails. @default 100 (never)
   */
  readonly toleratedFailurePercentage?: number;
  /** Replaces every Wait state's and retrier's delay with this many ms (the simulator needs no real waits). */
  readonly fastDelaysMs?: number;
  /**
   * The onboarding executions, by name: an org whose onboarding of the same request ran in it already is
   * reported as it ended (done: `reused`), as Step Functions answers ExecutionAlreadyExists for a name
   * used before. @default a new one (every org runs its onboarding)
   */
  readonly starter?: LocalWorkflowStarter;
  readonly onProgress?: (event: BulkProgressEvent) => void;
  /** Called before each onboarding task (see LocalWorkflowOptions.beforeTask): Ctrl-C's first press. */
  readonly beforeTask?: (stateName: string) => void;
  /** Stops starting orgs once set (Ctrl-C), and aborts the running ones when aborted. */
  readonly stop?: { readonly requested: () => boolean; readonly signal?: AbortSignal };
}

export interface LocalBulkReport {
  readonly format: ParsedManifest['format'];
  readonly summary: BulkSummary;
  /** Every valid line's org, in line order (`NOT_STARTED` when the run stopped before it). */
  readonly outcomes: OrgOutcome[];
  /** `FAILED` when more orgs failed than tolerated; `STOPPED` after a stop request. */
  readonly status: 'SUCCEEDED' | 'FAILED' | 'STOPPED';
  readonly durationMs: number;
}

/**
 * Bulk onboarding on this machine, with the semantics of the stack's Distributed Map: the manifest is
 * validated with the same code (an invalid line starts nothing), then each valid line runs the bulk state
 * machine's own item processor (the synthesized definition, in-process) which runs the onboarding state
 * machine as its child, `concurrency` orgs at a time; an earlier onboarding of the same request is reported
 * as it ended. Resolves with the same summary as the stack's; throws FleetError `Bulk.ManifestTooLarge`.
 */
export async function runLocalBulkOnboarding(options: LocalBulkOptions): Promise<LocalBulkReport> {
  const started = Date.now();
  const manifest = parseManifest(options.manifest.text, {
    format: manifestFormat(options.manifest.name, options.manifest.text),
    secretPrefix: options.deps.settings.secretPrefix,
  });
  options.onProgress?.({
    type: 'validated',
    total: manifest.total,
    valid: manifest.items.length,
    invalidLines: manifest.invalidLines,
  });
  const signal = options.stop?.signal;
  const starter =
    options.starter ??
    new LocalWorkflowStarter(
      new LocalWorkflow({
        deps: options.deps,
        fastDelaysMs: options.fastDelaysMs,
        ...(options.beforeTask ? { beforeTask: options.beforeTask } : {}),
      }),
      signal,
    );
  const processor = new LocalWorkflow({
    deps: options.deps,
    workflow: 'bulkOrg',
    fastDelaysMs: options.fastDelaysMs,
    nativeTasks: itemProcessorTasks(starter),
  });

  const tolerated = options.toleratedFailurePercentage ?? 100;
  const outcomes = new Map<number, OrgOutcome>();
  let failed = 0;
  let thresholdExceeded = false;
  const queue = [...manifest.items];
  const worker = async () => {
    for (let item = queue.shift(); item; item = queue.shift()) {
      if (thresholdExceeded || options.stop?.requested()) {
        outcomes.set(item.line, notStarted(item));
        continue;
      }
      options.onProgress?.({ type: 'started', line: item.line, orgId: item.orgId });
      const itemStarted = Date.now();
      const outcome = await runItem(processor, item, signal);
      outcomes.set(item.line, outcome);
      if (outcome.status === 'FAILED') {
        failed++;
        if ((failed / manifest.items.length) * 100 > tolerated) thresholdExceeded = true;
      }
      options.onProgress?.({ type: 'finished', outcome, durationMs: Date.now() - itemStarted });
    }
  };
  const workers = Math.max(1, Math.min(options.concurrency ?? 10, manifest.items.length));
  await Promise.all(Array.from({ length: workers }, worker));

  const ordered = manifest.items.map((item) => outcomes.get(item.line) ?? notStarted(item));
  return {
    format: manifest.format,
    summary: summarize(manifest, ordered),
    outcomes: ordered,
    status: thresholdExceeded ? 'FAILED' : options.stop?.requested() ? 'STOPPED' : 'SUCCEEDED',
    durationMs: Date.now() - started,
  };
}

const notStarted = (item: ManifestItem): OrgOutcome => ({
  line: item.line,
  orgId: item.orgId,
  executionName: item.executionName,
  status: 'NOT_STARTED',
  reused: false,
});

/** One org through the item processor definition: its outcome as the map's result files would say it. */
async function runItem(
  processor: LocalWorkflow,
  item: ManifestItem,
  signal?: AbortSignal,
): Promise<OrgOutcome> {
  const execution = await processor.execute(
    `item-${item.line}`,
    { ...item, executionArn: executionArnOf(item.executionName) },
    signal,
  );
  const base = { line: item.line, orgId: item.orgId, executionName: item.executionName };
  if (execution.status === 'SUCCEEDED') {
    const output = JSON.parse(execution.output ?? '{}') as { reused?: boolean; result?: unknown };
    const result = onboardedIds(output.result);
    return { ...base, status: 'SUCCEEDED', reused: output.reused === true, ...(result ? { result } : {}) };
  }
  if (execution.status === 'ABORTED') {
    return {
      ...base,
      status: 'FAILED',
      reused: false,
      error: 'Local.Aborted',
      cause: 'stopped at once by Ctrl-C',
    };
  }
  return { ...base, status: 'FAILED', reused: false, ...childFailure(execution.error, execution.cause) };
}

const executionArnOf = (name: string) => `local:execution:onboarding:${name}`;
const executionNameOf = (arn: string) => arn.slice(arn.lastIndexOf(':') + 1);

/** An error named as Step Functions names a service integration's failure. */
function named(name: string, message: string): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}

/**
 * The item processor's service integrations on the local starter, answering as Step Functions does:
 * `startExecution.sync:2` starts the onboarding (or joins a running one of the same name), waits, and
 * returns its DescribeExecution answer with `Output` as JSON, or fails with `States.TaskFailed` whose cause
 * is that answer; a name used by a finished execution is `StepFunctions.ExecutionAlreadyExistsException`.
 * `aws-sdk:sfn:describeExecution` answers with `Output` as text.
 */
function itemProcessorTasks(
  starter: LocalWorkflowStarter,
): Record<string, (input: unknown) => Promise<unknown>> {
  return {
    [BULK_STATES.startOnboarding]: async (input) => {
      const { Name, Input } = input as { Name: string; Input: unknown };
      const started = await starter.start(Name, Input);
      if (started.alreadyStarted && (await starter.describe(Name))?.status !== 'RUNNING') {
        throw named(
          'StepFunctions.ExecutionAlreadyExistsException',
          `Execution Already Exists: '${executionArnOf(Name)}'`,
        );
      }
      const done = await starter.wait(Name);
      const described = {
        ExecutionArn: executionArnOf(Name),
        Name,
        Status: done.status,
        StartDate: done.startDate?.toISOString(),
        StopDate: done.stopDate?.toISOString(),
      };
      if (done.status === 'SUCCEEDED') return { ...described, Output: JSON.parse(done.output ?? 'null') };
      throw named(
        'States.TaskFailed',
        JSON.stringify({ ...described, Error: done.error, Cause: causeMessage(done.cause) }),
      );
    },
    [BULK_STATES.describeEarlierRun]: async (input) => {
      const arn = (input as { ExecutionArn: string }).ExecutionArn;
      const execution = await starter.describe(executionNameOf(arn));
      if (!execution) throw named('Sfn.ExecutionDoesNotExistException', `Execution Does Not Exist: '${arn}'`);
      return {
        ExecutionArn: arn,
        Name: execution.name,
        Status: execution.status,
        ...(execution.output !== undefined ? { Output: execution.output } : {}),
        ...(execution.error !== undefined ? { Error: execution.error } : {}),
        ...(execution.cause !== undefined ? { Cause: causeMessage(execution.cause) } : {}),
      };
    },
  };
}
