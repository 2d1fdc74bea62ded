import { monitorEventLoopDelay } from 'node:perf_hooks';
import { stepContext } from '../../local/step-context';
import type { LambdaRuntime } from '../support/lambda-runtime';
import { type LeakHit, LeakScanner, type Output } from '../support/leak-scan';
import type { TraceDocument, XRayDaemonStub } from '../support/xray-daemon';
import type { CaseResult, Cell, Verdict } from './cells';
import { Harness, type Lane, type RunWrappers } from './harness';
import { EVERY_KNOWN_BUG, knownBugsOf } from './known-bugs-lifecycle';
import { LOST_RECORD_WITH_LOOK_ALIKES, offboardingRealOrgCase } from './offboarding';
import { PLANTS, type PlantName } from './plants';
import { failsTheRun, type Report } from './report';
import { rotationRealOrgCase, TWO_ROTATIONS } from './rotation';
import { CLIENT_SECRET_WRITE, LATE_FAILURE_MS, storeFaultCell } from './store-faults';
import { WORKFLOWS } from './workflows';

export interface SuiteOptions {
  readonly runtime: LambdaRuntime;
  readonly daemon: XRayDaemonStub;
  /** Every chunk written to stdout and stderr so far and from now on (the functions' log lines). */
  readonly logs: string[];
  readonly lanes: number;
  /** Plant this bug in every run (the suite must then fail); without it, the self-check runs instead. */
  readonly plant?: PlantName;
  /** Only the cells whose name contains this text, and no self-check. */
  readonly only?: string;
  /** Progress lines, for the person watching. */
  readonly say: (line: string) => void;
}

/** A cell that has not finished after this long fails (and its lane moves on). */
const CELL_TIMEOUT_MS = 75_000;

/**
 * The whole suite: every workflow's cells across the lanes, the leak scan over every output, the trace check,
 * and (unless a bug is planted or the cells filtered) the self-check that plants each bug of PLANTS and sees
 * the suite catch it.
 */
export async function runSuite(options: SuiteOptions): Promise<Report> {
  const { runtime, daemon, logs, say } = options;
  const started = Date.now();
  const cpuStarted = process.cpuUsage();
  // Everything shares one event loop (simulators, runs, tracer): a long stall would look like a Genesys timeout.
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  runtime.invokeEveryStep(stepContext);
  const harness = new Harness(runtime, options.lanes, options.plant ? PLANTS[options.plant].wrappers : {});
  await harness.start();
  try {
    const cells = (
      await Promise.all(
        WORKFLOWS.map(async (workflow) =>
          (await workflow.cells(harness)).map((cell) => ({ workflow: workflow.workflow, cell })),
        ),
      )
    )
      .flat()
      .filter(({ cell }) => options.only === undefined || cell.name.includes(options.only));
    const names = new Set(cells.map(({ cell }) => cell.name));
    const staleMarks =
      options.only === undefined
        ? Object.entries(EVERY_KNOWN_BUG).flatMap(([id, bug]) =>
            bug.cells
              .filter((name) => !names.has(name))
              .map((name) => `${id} names "${name}", which is no cell`),
          )
        : [];
    say(`${cells.length} cells on ${harness.lanes.length} lanes...`);
    const results = await schedule(cells, harness, say);

    // What the main run produced: everything until now (the self-check's outputs are its own).
    await daemon.received(runtime.sentDocuments);
    const documents = [...daemon.documents];
    const outputs: Output[] = [
      ...logs.map((text) => ({ kind: 'log' as const, source: 'stdout/stderr', text })),
      ...harness.outputs,
      ...documents.map((d) => ({ kind: 'trace' as const, source: `X-Ray ${d.name}`, text: d.raw })),
    ];
    harness.rememberSimulatorSecrets();
    const scanner = scannerOf(harness);
    const leaks = scanner.scan(outputs);
    const traces = checkTraces(runtime, daemon, documents);
    const logLevels = {
      debug: logs.filter((line) => line.includes('"level":"DEBUG"')).length,
      lines: logs.length,
    };
    const mainSeconds = (Date.now() - started) / 1000;
    loopDelay.disable();
    say(
      `cells done in ${mainSeconds.toFixed(1)} s; ${leaks.length} leak(s), ${traces.documents} trace documents`,
    );

    const selfCheck =
      options.plant || options.only !== undefined ? undefined : await plantedBugsSelfCheck(options);
    const cpu = process.cpuUsage(cpuStarted);
    return {
      results,
      staleMarks,
      leaks,
      scanned: {
        secrets: scanner.secretCount,
        outputs: outputs.length,
        byKind: countBy(outputs.map((o) => o.kind)),
        bytes: outputs.reduce((sum, o) => sum + o.text.length, 0),
      },
      logLevels,
      traces,
      selfCheck,
      plant: options.plant,
      timing: {
        wallSeconds: (Date.now() - started) / 1000,
        mainSeconds,
        cpuSeconds: (cpu.user + cpu.system) / 1e6,
        lanes: harness.lanes.length,
        loopDelayP99Ms: loopDelay.percentile(99) / 1e6,
        loopDelayMaxMs: loopDelay.max / 1e6,
      },
    };
  } finally {
    await harness.stop();
  }
}

/** Runs the cells on the lanes, each lane one cell at a time, longest-waiting cells first as listed. */
async function schedule(
  cells: Array<{ workflow: string; cell: Cell }>,
  harness: Harness,
  say: (line: string) => void,
): Promise<CaseResult[]> {
  const results: CaseResult[][] = [];
  let next = 0;
  let done = 0;
  await Promise.all(
    harness.lanes.map(async (lane) => {
      for (let index = next++; index < cells.length; index = next++) {
        const { workflow, cell } = cells[index] as { workflow: string; cell: Cell };
        const started = Date.now();
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<never>((_, reject) => {
          timer = setTimeout(
            () => reject(new Error(`no verdict after ${CELL_TIMEOUT_MS / 1000} s`)),
            CELL_TIMEOUT_MS,
          );
        });
        const known = knownBugsOf(cell.name);
        const verdicts = await Promise.race([cell.run(lane), timeout])
          .catch((error: unknown) => ({
            name: cell.name,
            ok: false,
            detail: `the case itself failed: ${error instanceof Error ? error.message : String(error)}`,
          }))
          .finally(() => clearTimeout(timer));
        lane.simulator.faults.clear();
        const ms = Date.now() - started;
        results[index] = (Array.isArray(verdicts) ? verdicts : [verdicts]).map((verdict) => ({
          ...verdict,
          workflow,
          section: cell.section,
          ms,
          ...(known.length ? { knownBugs: known } : {}),
        }));
        done++;
        if (done % 20 === 0) say(`  ${done}/${cells.length} cells`);
      }
    }),
  );
  return results.flat();
}

function scannerOf(harness: Harness): LeakScanner {
  const scanner = new LeakScanner();
  for (const [secret, { label, clientIds }] of harness.secrets) scanner.add(secret, label, clientIds);
  return scanner;
}

export interface TraceCheck {
  readonly ok: boolean;
  readonly problems: string[];
  /** Documents received by the daemon stand-in. */
  readonly documents: number;
  /** Invocations that ended, and how many of them are in the traces with their handler subsegment. */
  readonly invocations: number;
  readonly tracedInvocations: number;
  /** Handler subsegments (`## index.handler`) carrying the Service and ColdStart annotations. */
  readonly annotatedHandlers: number;
  /** HTTP subsegments of Genesys calls (named after the host). */
  readonly httpSubsegments: number;
}

/**
 * The tracer emitted for real: documents arrived (as many as the X-Ray SDK sent, none malformed, no SDK
 * error), and every invocation that ended is in them with the handler subsegment Powertools opens, annotated
 * with the service and the cold start.
 */
function checkTraces(runtime: LambdaRuntime, daemon: XRayDaemonStub, documents: TraceDocument[]): TraceCheck {
  const handler = `## ${process.env._HANDLER}`;
  const withHandler = documents.filter((d) => d.name === handler || d.subsegmentNames.includes(handler));
  const tracedIds = new Set(withHandler.map((d) => d.traceId));
  const traced = runtime.finishedTraceIds.filter((id) => tracedIds.has(id)).length;
  const annotated = documents
    .flatMap((d) => d.allAnnotations)
    .filter((a) => a.Service === 'genesys-onboarding' && typeof a.ColdStart === 'boolean').length;
  const problems = [
    ...(documents.length === 0 ? ['no trace document arrived'] : []),
    ...(documents.length < runtime.sentDocuments
      ? [`${runtime.sentDocuments - documents.length} sent documents never arrived`]
      : []),
    ...(daemon.malformed.length ? [`${daemon.malformed.length} malformed datagrams`] : []),
    ...(runtime.sdkErrors.length ? [`X-Ray SDK errors: ${runtime.sdkErrors.slice(0, 3).join(' | ')}`] : []),
    ...(traced < runtime.finishedTraceIds.length
      ? [`${runtime.finishedTraceIds.length - traced} invocations missing from the traces`]
      : []),
    ...(annotated === 0 ? ['no annotated handler subsegment'] : []),
  ];
  return {
    ok: problems.length === 0,
    problems,
    documents: documents.length,
    invocations: runtime.finishedTraceIds.length,
    tracedInvocations: traced,
    annotatedHandlers: annotated,
    httpSubsegments:
      documents.filter((d) => d.name === '127.0.0.1').length +
      documents.reduce((sum, d) => sum + d.subsegmentNames.filter((n) => n === '127.0.0.1').length, 0),
  };
}

export interface SelfCheckResult {
  readonly plant: PlantName;
  /** The symptom shows with the bug planted and not without it. */
  readonly caught: boolean;
  /** What the suite saw without and with the bug, in words. */
  readonly detail: string;
  readonly ms: number;
}

/** What one part of the suite saw: whether the planted bug's symptom shows, in words. */
type Probe = (harness: Harness) => Promise<{ symptom: boolean; detail: string }>;

/**
 * For each bug of PLANTS, runs the part of the suite that must catch it twice, in a harness of its own (one
 * lane): without the bug, where the symptom must not show, then with it planted, where it must: a fresh
 * onboarding whose outputs (log lines, history, trace documents since it started) go through the same leak
 * scan; the store fault cell of a client secret write that fails after the 404 window (so that the
 * clean-up, when it is there, can remove the client); the offboarding real-org case of a lost record with
 * look-alikes; the rotation real-org case of two rotations in a row (its watcher).
 */
async function plantedBugsSelfCheck(options: SuiteOptions): Promise<SelfCheckResult[]> {
  const { runtime, daemon, logs, say } = options;
  const leakProbe =
    (plant: PlantName, expected: 'log' | 'trace'): Probe =>
    async (harness) => {
      const logsFrom = logs.length;
      const documentsFrom = daemon.documents.length;
      const [lane] = harness.lanes as [Harness['lanes'][number]];
      const org = await harness.newOrg(lane, `self-check ${plant}`);
      const execution = await harness.run(org, { source: `self-check: ${plant}` });
      await daemon.received(runtime.sentDocuments);
      harness.rememberSimulatorSecrets();
      const outputs: Output[] = [
        ...logs.slice(logsFrom).map((text) => ({ kind: 'log' as const, source: 'stdout/stderr', text })),
        ...harness.outputs,
        ...daemon.documents
          .slice(documentsFrom)
          .map((d) => ({ kind: 'trace' as const, source: `X-Ray ${d.name}`, text: d.raw })),
      ];
      const hits = scannerOf(harness)
        .scan(outputs)
        .filter((hit) => hit.kind === expected);
      return {
        symptom: hits.length > 0,
        detail: `run ${execution.status}, ${hits.length} leak(s) in ${expected} outputs${describeHits(hits)}`,
      };
    };
  // The cell is judged as the run judges it: with its known bugs, whose symptoms must not hide the orphan.
  const orphanProbe: Probe = async (harness) => {
    const [lane] = harness.lanes as [Harness['lanes'][number]];
    const verdict = await storeFaultCell(harness, lane, CLIENT_SECRET_WRITE, 'permanent', LATE_FAILURE_MS);
    const knownBugs = knownBugsOf(verdict.name);
    return {
      symptom: failsTheRun({ ...verdict, knownBugs }),
      detail: `the cell ${failsTheRun({ ...verdict, knownBugs }) ? 'fails the run' : `counts as ${verdict.ok ? 'held' : `its known bugs (${knownBugs.join(', ')})`}`}: ${verdict.detail}`,
    };
  };
  // A lifecycle cell, judged as the run judges it (with its known bugs, if any).
  const cellProbe =
    (cell: (harness: Harness, lane: Lane) => Promise<Verdict>): Probe =>
    async (harness) => {
      const [lane] = harness.lanes as [Lane];
      const verdict = await cell(harness, lane);
      const knownBugs = knownBugsOf(verdict.name);
      const fails = failsTheRun({ ...verdict, knownBugs });
      return {
        symptom: fails,
        detail: `the cell ${fails ? 'fails the run' : 'holds'}: ${verdict.detail}`,
      };
    };
  const probes: Record<PlantName, Probe> = {
    'basic-header-logged': leakProbe('basic-header-logged', 'log'),
    'client-in-trace': leakProbe('client-in-trace', 'trace'),
    'no-orphan-cleanup': orphanProbe,
    'ownership-check-lost': cellProbe((harness, lane) =>
      offboardingRealOrgCase(harness, lane, LOST_RECORD_WITH_LOOK_ALIKES),
    ),
    'previous-client-removed-early': cellProbe((harness, lane) =>
      rotationRealOrgCase(harness, lane, TWO_ROTATIONS),
    ),
  };
  const seen = async (probe: Probe, wrappers: RunWrappers) => {
    const harness = new Harness(runtime, 1, wrappers);
    await harness.start();
    try {
      return await probe(harness);
    } finally {
      await harness.stop();
    }
  };
  // The plants are probed side by side, each in harnesses of its own: a leak probe's scanner knows only its
  // harness's secrets, so another probe's output in the shared logs and traces is no hit for it.
  say(`self-check: ${Object.keys(PLANTS).join(', ')}...`);
  return Promise.all(
    (Object.keys(PLANTS) as PlantName[]).map(async (plant): Promise<SelfCheckResult> => {
      const started = Date.now();
      const without = await seen(probes[plant], {});
      const planted = await seen(probes[plant], PLANTS[plant].wrappers);
      return {
        plant,
        caught: !without.symptom && planted.symptom,
        detail: `without the bug: ${without.detail}; planted: ${planted.detail}`,
        ms: Date.now() - started,
      };
    }),
  );
}

function describeHits(hits: LeakHit[]): string {
  const forms = [...new Set(hits.map((h) => `${h.secret} (${h.form})`))];
  return forms.length ? `: ${forms.slice(0, 4).join(', ')}` : '';
}

function countBy(values: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}
