import type { GenesysEndpoints } from '../../lambdas/genesys/regions';
import { causeMessage } from '../../lambdas/shared/errors';
import type {
  SecretDescription,
  SecretStore,
  SecretSummary,
  SecretToPut,
  StoredSecret,
  VersionStage,
} from '../../lambdas/shared/secret-store';
import type { Connection } from './connection';
import type { ConnectionSettings } from './flags';
import type { Io } from './onboard';
import { label, type StepCatalog } from './progress';
import { EXIT } from './usage';
import { watchRun } from './watch';
import { exitOutput, lastFailure, type RunFacts, runWorkflow, type WorkflowRunOptions } from './workflow-run';

/** What a dry run found: the first step's plan, or why it stopped. */
export interface DryRunReport<P> extends RunFacts {
  /** The id a run of the same request would have (its execution name). */
  readonly id: string;
  /** PLANNED: the step made its plan; FAILED: it refused, failed or made none; STOPPED: Ctrl-C stopped it. */
  readonly status: 'PLANNED' | 'FAILED' | 'STOPPED';
  readonly plan?: P;
  readonly error?: string;
  readonly cause?: string;
}

export interface DryRunOptions<P>
  extends Omit<WorkflowRunOptions, 'only' | 'settings' | 'fastDelaysMs' | 'retry'> {
  /** The workflow's first step: read-only, it finds what the run would do and returns it as `$.plan`. */
  readonly step: string;
  /** The step's plan from its output, checked; undefined when it is not one. */
  readonly planOf: (output: unknown) => P | undefined;
}

/**
 * Runs only the first step of a workflow's state machine, in this process, with every other task refused
 * before it starts and secrets that cannot be written or deleted: a dry run. Resolves with the step's plan
 * (its `$.plan` output) or its error.
 */
export async function dryRun<P>(options: DryRunOptions<P>): Promise<DryRunReport<P>> {
  const run = await runWorkflow({
    ...options,
    store: new ReadOnlySecretStore(options.store),
    only: options.step,
  });
  const { events } = run.execution;
  const failure = events.some((e) => e.type === 'StateCaught' && e.state.name === options.step)
    ? lastFailure(events, options.step)
    : undefined;
  const output = exitOutput(events, options.step) as { plan?: unknown } | undefined;
  const plan = failure ? undefined : options.planOf(output?.plan);
  const counts = { id: run.id, ...run.facts };
  if (plan) return { ...counts, status: 'PLANNED', plan };
  if (failure)
    return { ...counts, status: 'FAILED', error: failure.error, cause: causeMessage(failure.cause) };
  if (options.interruption?.interrupted) return { ...counts, status: 'STOPPED' };
  return {
    ...counts,
    status: 'FAILED',
    error: run.execution.error ?? 'Local.NoPlan',
    cause: run.execution.cause
      ? causeMessage(run.execution.cause)
      : `"${options.step}" ended without a plan (execution ${run.execution.status})`,
  };
}

/** How a command shows its dry run. */
export interface DryRunDisplay<P> {
  /** `onboarding` or `offboarding`. */
  readonly noun: string;
  readonly orgId: string;
  /** The request's region. */
  readonly region: string;
  /**
   * The Genesys Cloud hosts a run would call as resolved before the dry run (`Connection.endpoints`): shown
   * when the step made no Genesys client (e.g. a bootstrap secret it refused), else the ones it used.
   */
  readonly endpoints?: GenesysEndpoints;
  /** The step that runs (the workflow's first), and the workflow's labels. */
  readonly step: string;
  readonly labels: StepCatalog['labels'];
  /** The plan in words: lines after the heading. */
  readonly describe: (plan: P) => string[];
  /** The plan as the JSON object's fields. */
  readonly json: (plan: P) => Record<string, unknown>;
}

/**
 * A command's --dry-run: runs the first step with its progress on stderr (Ctrl-C stops it at once), prints
 * the plan (or why it would be refused) on stdout, as text or one JSON object
 * `{"dryRun":true,"status":"PLANNED"|"FAILED"|"STOPPED",...,"region","apiUrl","loginUrl"}`, with the Genesys
 * Cloud hosts a run would call in every outcome (text: the `  Genesys Cloud  region R, API a, login l` line;
 * JSON: `apiUrl` and `loginUrl` null when not known). Resolves with the exit code: 0 planned, 1 refused or
 * failed, 130 stopped.
 */
export async function showDryRun<P>(
  io: Io,
  settings: ConnectionSettings,
  display: DryRunDisplay<P>,
  run: (watch: Pick<WorkflowRunOptions, 'onProgress' | 'interruption'>) => Promise<DryRunReport<P>>,
): Promise<number> {
  const report = await watchRun(
    io,
    {
      ...settings,
      steps: { labels: display.labels, stages: [[display.step]] },
      stopRule: { consequence: 'a dry run changes nothing' },
      stopping: 'Ctrl-C: stopping the dry run (it changed nothing)',
      stopAtOnce: true,
    },
    run,
  );
  const seconds = (report.durationMs / 1000).toFixed(1);
  const { step } = display;
  const hosts = report.endpoints[0] ?? display.endpoints;
  if (settings.json) {
    const fields =
      report.status === 'PLANNED' && report.plan
        ? display.json(report.plan)
        : { orgId: display.orgId, error: report.error ?? null, cause: report.cause ?? null };
    const where = {
      region: display.region,
      apiUrl: hosts?.apiUrl ?? null,
      loginUrl: hosts?.loginUrl ?? null,
    };
    io.stdout.write(`${JSON.stringify({ dryRun: true, status: report.status, ...fields, ...where })}\n`);
  } else {
    const read = `read-only: ${report.calls} Genesys calls, ${report.writes} of them changes, in ${seconds} s`;
    const lines =
      report.status === 'PLANNED' && report.plan
        ? [
            `Dry run of the ${display.noun} of org ${display.orgId} (${read})`,
            ...display.describe(report.plan),
          ]
        : report.status === 'FAILED'
          ? [
              `Dry run of the ${display.noun} of org ${display.orgId}: a run would stop at "${label(step, display.labels)}" (${step}): ${report.error}`,
              `  ${report.cause ?? ''}`,
            ]
          : [`Dry run of the ${display.noun} of org ${display.orgId} stopped by Ctrl-C after ${seconds} s.`];
    const where = hosts
      ? `  Genesys Cloud  region ${display.region}, API ${hosts.apiUrl}, login ${hosts.loginUrl}`
      : `  Genesys Cloud  region ${display.region} (its API and login hosts are not known: the bootstrap secret could not be read)`;
    io.stdout.write(`${[...lines, where, '  Nothing was changed: this was a dry run.'].join('\n')}\n`);
  }
  if (report.status === 'STOPPED') return EXIT.interrupted;
  return report.status === 'PLANNED' ? EXIT.ok : EXIT.failed;
}

/** What `showDryRun`'s runs share: the connection's store and bootstrap secret, the settings' allowed hosts. */
export const dryRunConnection = (settings: ConnectionSettings, connection: Connection) => ({
  store: connection.store,
  bootstrapSecret: connection.bootstrapSecret,
  secretPrefix: settings.secretPrefix,
  allowedHosts: settings.allowedHosts,
});

/** A secret store a dry run cannot change: reads go to `base`, every write or delete is refused. */
export class ReadOnlySecretStore implements SecretStore {
  constructor(private readonly base: SecretStore) {}

  get(secretId: string, options?: { stage?: VersionStage }): Promise<StoredSecret | undefined> {
    return this.base.get(secretId, options);
  }

  describe(secretId: string): Promise<SecretDescription | undefined> {
    return this.base.describe(secretId);
  }

  list(prefix: string): Promise<SecretSummary[]> {
    return this.base.list(prefix);
  }

  async put(secret: SecretToPut): Promise<never> {
    throw refused('written', secret.name);
  }

  async delete(secretId: string): Promise<never> {
    throw refused('deleted', secretId);
  }

  async putPending(secretId: string): Promise<never> {
    throw refused('rotated', secretId);
  }

  async promote(secretId: string): Promise<never> {
    throw refused('rotated', secretId);
  }

  async scheduleRotation(secretId: string): Promise<never> {
    throw refused('scheduled for rotation', secretId);
  }
}

const refused = (what: string, secretId: string) =>
  new Error(`a dry run changes nothing: secret ${secretId} is not ${what}`);
