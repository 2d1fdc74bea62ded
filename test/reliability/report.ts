import type { LeakHit } from '../support/leak-scan';
import { type CaseResult, SECTIONS, type Section, truncate } from './cells';
import {
  FAST_DELAYS_MS,
  KNOB_DEFAULTS_USED,
  RETRY,
  SUITE_CREATOR_SECRET_STORE_MS,
  SUITE_LISTING_GRACE_MS,
} from './harness';
import { EVERY_KNOWN_BUG, unexplained } from './known-bugs-lifecycle';
import { LIFECYCLE_CONSISTENCY } from './lifecycle';
import { PLANTS, type PlantName } from './plants';
import type { SelfCheckResult, TraceCheck } from './suite';

/** Everything a run of the suite found. */
export interface Report {
  readonly results: CaseResult[];
  /** Known-bug marks (EVERY_KNOWN_BUG) naming a cell that does not exist. */
  readonly staleMarks: string[];
  readonly leaks: LeakHit[];
  readonly scanned: { secrets: number; outputs: number; byKind: Record<string, number>; bytes: number };
  readonly logLevels: { debug: number; lines: number };
  readonly traces: TraceCheck;
  /** Absent when a bug was planted into every run (`--plant`). */
  readonly selfCheck?: SelfCheckResult[];
  readonly plant?: PlantName;
  readonly timing: {
    wallSeconds: number;
    mainSeconds: number;
    cpuSeconds: number;
    lanes: number;
    /** Event loop delay while the cells ran (99th percentile, and the longest stall). */
    loopDelayP99Ms: number;
    loopDelayMaxMs: number;
  };
}

/**
 * How a result counts: `failed` (against the run) when it has a problem no known bug of its cell explains,
 * `fixed` (against the run too: the mark must go) when a marked cell holds, `known` when its known bugs
 * explain every problem.
 */
function counts(
  result: Pick<CaseResult, 'ok' | 'problems' | 'detail' | 'knownBugs'>,
): 'held' | 'failed' | 'known' | 'fixed' {
  const bugs = result.knownBugs ?? [];
  if (result.ok) return bugs.length ? 'fixed' : 'held';
  const problems = result.problems ?? [result.detail];
  return bugs.length && unexplained(problems, bugs).length === 0 ? 'known' : 'failed';
}

/** Whether a result fails the run (a problem its known bugs do not explain, or a known bug that is gone). */
export const failsTheRun = (result: Pick<CaseResult, 'ok' | 'problems' | 'detail' | 'knownBugs'>): boolean =>
  counts(result) === 'failed' || counts(result) === 'fixed';

const inSection = (report: Report, section: Section, workflow?: string) =>
  report.results.filter((r) => r.section === section && (workflow === undefined || r.workflow === workflow));
const held = (results: CaseResult[]) => results.filter((r) => r.ok).length;
/** The workflows the results are of, in the order their cells ran. */
const workflowsOf = (report: Report) => [...new Set(report.results.map((r) => r.workflow))];

/** What makes the run fail, in words: `[]` when everything held. */
export function failures(report: Report): string[] {
  return [
    ...report.results
      .filter((r) => counts(r) === 'failed')
      .map((r) => `${r.section}: ${r.name}: ${r.detail}`),
    ...report.results
      .filter((r) => counts(r) === 'fixed')
      .map(
        (r) =>
          `${r.section}: ${r.name} holds now: remove its mark (${r.knownBugs?.join(', ')}) from test/reliability/known-bugs*.ts`,
      ),
    ...report.staleMarks.map((mark) => `known bugs: ${mark}`),
    ...report.leaks.map(
      (hit) => `leak: ${hit.secret} (${hit.form}) in ${hit.kind} output of ${hit.source}: ${hit.excerpt}`,
    ),
    ...report.traces.problems.map((problem) => `traces: ${problem}`),
    ...(report.logLevels.debug === 0
      ? ['logs: no DEBUG line seen: the scan did not see every log line']
      : []),
    ...(report.selfCheck ?? [])
      .filter((c) => !c.caught)
      .map((c) => `self-check: planted ${c.plant} not caught: ${c.detail}`),
  ];
}

/**
 * `reliability: onboarding=... offboarding=... rotation=... faults=... store_faults=... ...`: the line CI prints
 * and greps. Each workflow's cases held out of tried, then each section's over every workflow.
 */
export function summaryLine(report: Report): string {
  const section = (key: Section) => {
    const results = inSection(report, key);
    return `${key}=${held(results)}/${results.length}`;
  };
  const workflows = workflowsOf(report).map((workflow) => {
    const results = report.results.filter((r) => r.workflow === workflow);
    return `${workflow}=${held(results)}/${results.length}`;
  });
  const known = report.results.filter((r) => r.knownBugs?.length);
  const sum = (key: 'duplicates' | 'orphans') =>
    report.results.reduce((total, r) => total + (r[key] ?? 0), 0);
  return [
    'reliability:',
    ...workflows,
    section('faults'),
    section('store_faults'),
    section('real_org'),
    section('crashes'),
    section('concurrency'),
    `leaks=${report.leaks.length}`,
    section('bad_inputs'),
    `duplicates=${sum('duplicates')}`,
    `orphans=${sum('orphans')}`,
    `traces=${report.traces.documents}`,
    ...(report.selfCheck
      ? [`planted=${report.selfCheck.filter((c) => c.caught).length}/${report.selfCheck.length}`]
      : [`planted_bug=${report.plant ?? 'none'}`]),
    `known_bugs=${known.filter((r) => !r.ok).length}/${known.length}`,
  ].join(' ');
}

/** What each workflow's section of the summary table tried. */
const WHAT: Record<string, Partial<Record<Section, string>>> = {
  onboarding: {
    faults:
      'Fault matrix (Genesys): every call of a fresh onboarding × (429 + Retry-After, 503, connection reset, timeout after processing, permanent 400)',
    store_faults:
      "Fault matrix (Secrets Manager): every store call of a fresh onboarding (and Compensate's delete) × (throttled: `SecretStore.Transient`; AccessDenied)",
    real_org:
      'Real-org cases: same-name clients and integrations, paging, consistency windows, activation ERROR, 409',
    crashes: 'Crash points: a step dies mid-way, then a re-run',
    concurrency: 'Concurrency: the same onboarding started several times at once',
    bad_inputs: 'Bad inputs: API bodies, event details, CLI invocations',
  },
  offboarding: {
    faults:
      'Fault matrix (Genesys): every call of an offboarding, each route once per state × (the same five faults; the permanent 400 on every request of the call in its state)',
    store_faults:
      "Fault matrix (Secrets Manager): every store call of an offboarding (get, get AWSPENDING, delete), and DescribeLeftovers' reads after a failed removal × (throttled; AccessDenied)",
    real_org:
      'Real-org cases: look-alikes of our names, a lost record, the bootstrap client named, a rotation in progress, paging, 404 windows, listing lag',
    crashes:
      "Crash points: before each state, after each removal request, after the secret's deletion; then a re-run",
  },
  rotation: {
    faults:
      'Fault matrix (Genesys): every call of the four rotation steps, each route once per step × (the same five faults)',
    store_faults:
      'Fault matrix (Secrets Manager): every store call of the four steps (get, get AWSPENDING, describe, putPending, promote) × (throttled; AccessDenied)',
    real_org:
      "Real-org cases: a same-name client made by hand, one of ours disabled, paging with a stopped attempt's client on page 2, listing lag, re-activation and ERROR on a credential change, rotations in a row, right after an onboarding",
    crashes:
      "Crash points: after each step, and inside steps (after the client, the credential, the config PUT, the promotion, the removals); then Secrets Manager's retry",
  },
};

const capitalized = (text: string) => `${text.charAt(0).toUpperCase()}${text.slice(1)}`;

/** docs/reliability.md. */
export function renderReport(report: Report, date: string): string {
  const { scanned, traces, timing } = report;
  const row = (cells: Array<string | number>) => `| ${cells.join(' | ')} |`;
  const workflows = workflowsOf(report);
  const sectionRows = workflows.flatMap((workflow) =>
    (Object.keys(SECTIONS) as Section[]).flatMap((key) => {
      const results = inSection(report, key, workflow);
      if (results.length === 0) return [];
      const known = results.filter((r) => counts(r) === 'known').length;
      return [
        row([
          workflow,
          WHAT[workflow]?.[key] ?? SECTIONS[key],
          results.length,
          `${held(results)}${known ? ` (${known} known bug${known > 1 ? 's' : ''})` : ''}`,
        ]),
      ];
    }),
  );
  const kinds = Object.entries(scanned.byKind)
    .map(([kind, n]) => `${n} ${kind}`)
    .join(', ');
  const {
    readAfterCreateMs = 0,
    goneTimeoutMs = 0,
    readinessPollMs = 0,
    readinessWaitMs = 0,
  } = LIFECYCLE_CONSISTENCY;
  return [
    '# Reliability report',
    '',
    'Written by `npm run report:reliability` (CI runs the same cases with `npm run test:reliability`). The three',
    "workflows of an org's life: every onboarding and offboarding case runs the synthesized state machine in-process,",
    'each task through its real Lambda handler; every rotation attempt runs the four rotation steps in-process',
    "(local/rotation.ts `rotateLocally`) as one invocation of a handler built as the rotation function's. All run",
    `against the Genesys Cloud simulator, in a fresh org of their own, on one of ${timing.lanes} lanes (a simulator each, one case`,
    'at a time per lane); offboarding and rotation cases start from an org seeded as a finished onboarding left it 40',
    'days before (its client, integration, credential and record), unless the case says otherwise.',
    `Wait states and Step Functions retry intervals take ${FAST_DELAYS_MS} ms; the Genesys client retries with ${RETRY.baseDelayMs}-${RETRY.maxDelayMs} ms`,
    `backoff and a ${RETRY.attemptTimeoutMs} ms attempt timeout; \`Retry-After\` is honoured for real (1 s). The simulators run with`,
    `the realistic consistency windows: ${KNOB_DEFAULTS_USED}. The listing grace is ${SUITE_LISTING_GRACE_MS / 1000} s (above the 2 s lag, as`,
    `the product's 60 s default is above Genesys Cloud's), a racing creator's secret is waited for up to ${SUITE_CREATOR_SECRET_STORE_MS / 1000} s after its`,
    "client's creation (default 30 s); one case runs with the defaults. Offboarding and rotation",
    `retry a 404 on a recorded or new id for ${readAfterCreateMs / 1000} s (above the simulators' 1 s window; default 15 s), wait up to`,
    `${goneTimeoutMs / 1000} s for a deleted resource to go, and look for a new client's token or an activation every ${readinessPollMs} ms for up to`,
    `${readinessWaitMs / 1000} s (the simulators make a new client usable after 20 ms and activate in 10 ms).`,
    '',
    'The functions run in the environment Lambda gives them (`AWS_EXECUTION_ENV`, `LAMBDA_TASK_ROOT`, `_HANDLER`,',
    '`AWS_XRAY_DAEMON_ADDRESS`, `AWS_XRAY_CONTEXT_MISSING`, `POWERTOOLS_TRACE_ENABLED`, log level DEBUG), each invocation',
    'with its own trace header: the Powertools tracer is on, and a UDP listener standing in for the X-Ray daemon keeps',
    "every segment document the X-Ray SDK sends. The suite's own requests (a watcher's tokens) are sent outside the",
    'traces.',
    '',
    `Run on ${date}: ${timing.wallSeconds.toFixed(1)} s wall (cases ${timing.mainSeconds.toFixed(1)} s, self-check the rest), ${timing.cpuSeconds.toFixed(1)} s CPU in the main process; event loop delay p99 ${timing.loopDelayP99Ms.toFixed(0)} ms, longest ${timing.loopDelayMaxMs.toFixed(0)} ms.`,
    '',
    '| workflow | what | tried | held |',
    '| --- | --- | --- | --- |',
    ...sectionRows,
    row([
      'all',
      `Leak scan: ${scanned.secrets} secret values (bootstrap and client secrets, issued and seeded, credential fields, tokens; the secrets of every client a rotation made) in every encoded form, searched in ${scanned.outputs} outputs (${kinds}; ${(scanned.bytes / 1e6).toFixed(1)} MB; ${report.logLevels.debug} DEBUG lines)`,
      scanned.secrets,
      report.leaks.length === 0 ? 'no hit' : `**${report.leaks.length} hits**`,
    ]),
    row([
      'all',
      `Traces: ${traces.documents} segment documents received, ${traces.tracedInvocations} of ${traces.invocations} invocations in them with their handler subsegment, ${traces.annotatedHandlers} annotated (Service, ColdStart), ${traces.httpSubsegments} Genesys call subsegments`,
      traces.invocations,
      traces.ok ? traces.tracedInvocations : `**${traces.problems.join('; ')}**`,
    ]),
    ...(report.selfCheck
      ? [
          row([
            'all',
            'Self-check: bugs planted one at a time, each must be caught',
            report.selfCheck.length,
            report.selfCheck.filter((c) => c.caught).length,
          ]),
        ]
      : []),
    '',
    'Expectations: a transient fault is survived and the end state is exactly what the stored record names: one',
    "client (active, the request's name, marked as ours, its current secret = the stored one), one integration",
    '(ENABLED, marked, configured with the recorded credential), one credential holding that client id and secret,',
    'nothing more. Each fault cell also shows, from the request log, that its fault fired and had its effect: a',
    'retry no sooner than `Retry-After`, a retry of the call after a 503 or a reset, a wait for the attempt timeout',
    'then a retry or a look-up. A permanent failure fails the run naming its cause and leaves nothing (no client,',
    'integration, credential or stored record); a refused request (a name taken, a disabled client) writes nothing.',
    'After a crash a re-run reaches the consistent end state. A bad input gets a 400/415 naming the field (event:',
    '`Onboarding.InvalidRequest` naming it; CLI: exit 2 naming the flag), starts no execution and makes no call.',
    'Secret store faults are injected at the store port as the AWS adapter raises them; each store cell shows its',
    'fault fired and, for a throttled call, that the call was made again. `duplicates` and `orphans` in the summary',
    'count every case, known bugs included.',
    '',
    'Offboarding: a transient fault is survived and nothing of ours is left (no client but deleted ones, no',
    'integration, no credential, no result secret), nothing that is not ours is touched (no write request to it, its',
    "state unchanged: the bootstrap client, other teams' resources, look-alikes of our names), and the result reports",
    'every resource of ours as removed or already absent. A permanent failure fails the run, its cause naming the',
    'failed call and exactly what of ours is left (DescribeLeftovers), touching nothing else; a re-run then finishes',
    'the job, as it does after every crash point.',
    '',
    'Rotation: after every call that changes something in Genesys (answered or not), a token request with the',
    'credential the integration is configured with at that moment must succeed: zero downtime. A finished rotation',
    'leaves exactly one client of ours with the name (active, marked, the recorded one, the record holding its current',
    'secret), one credential of ours (the recorded one, holding that client, the one configured), the integration',
    "ENABLED and ACTIVE, no pending version, and the onboarded client's secret getting no token. A failed attempt is",
    'tried again with the same token, as Secrets Manager retries a rotation ("If any rotation step fails, Secrets',
    'Manager retries the entire rotation process multiple times": three attempts in all here; after an attempt that',
    'stopped before storing its pending version, the retry comes once the listing shows the clients it made). A',
    'transient fault must be survived that way; a permanent 400 must fail its attempt naming the call (a store',
    "AccessDenied: with the store's error), the integration working, and the next attempt must finish cleanly.",
    '',
    'The self-check plants each bug of test/reliability/plants.ts in a run of its own and sees the part of the suite',
    'that must catch it fail (and the same part hold without it). `npm run test:reliability -- --plant <bug>` plants',
    'one in every run of the whole suite, which must then fail; `--only <text>` runs the cases whose name has it.',
    '',
    ...(report.plant
      ? [`**Planted bug: ${report.plant}** (${PLANTS[report.plant].bug}): this run is expected to fail.`, '']
      : []),
    ...(Object.keys(EVERY_KNOWN_BUG).length
      ? [
          '## Known product bugs',
          '',
          "Found by this suite and left to the product code's owners (test/reliability/known-bugs.ts: onboarding; known-bugs-lifecycle.ts: offboarding and rotation). A case marked with one fails until it is fixed without failing the run; once it holds, the run fails until the mark is removed.",
          '',
          ...Object.entries(EVERY_KNOWN_BUG).flatMap(([id, bug]) => [
            `- **${id}**: ${bug.summary}. Where: ${bug.where}. Cases: ${report.results
              .filter((r) => r.knownBugs?.includes(id))
              .map((r) => `${r.name} (${r.ok ? 'holds now' : 'fails'})`)
              .join('; ')}.`,
          ]),
          '',
        ]
      : []),
    ...workflows.flatMap((workflow) =>
      (Object.keys(SECTIONS) as Section[]).flatMap((key) => {
        const results = inSection(report, key, workflow);
        return results.length ? section(`${capitalized(workflow)}: ${SECTIONS[key]}`, results) : [];
      }),
    ),
    ...(report.selfCheck
      ? [
          '## Self-check: planted bugs',
          '',
          '| bug | planted as | caught by | caught | what the suite saw |',
          '| --- | --- | --- | --- | --- |',
          ...report.selfCheck.map((c) =>
            row([
              PLANTS[c.plant].bug,
              PLANTS[c.plant].how,
              PLANTS[c.plant].caughtBy,
              c.caught ? 'yes' : '**no**',
              truncate(`${c.detail} (${c.ms} ms)`, 300),
            ]),
          ),
          '',
        ]
      : []),
    ...(report.leaks.length
      ? [
          '## Leaks',
          '',
          ...report.leaks.map(
            (hit) =>
              `- ${hit.secret} (${hit.form}) in ${hit.kind} output of ${truncate(hit.source)}: \`${truncate(hit.excerpt, 200)}\``,
          ),
          '',
        ]
      : []),
    ...(traces.problems.length ? ['## Trace problems', '', ...traces.problems.map((p) => `- ${p}`), ''] : []),
    summaryLine(report),
    '',
  ].join('\n');
}

function section(title: string, results: CaseResult[]): string[] {
  return [
    `## ${title}`,
    '',
    '| case | held | outcome |',
    '| --- | --- | --- |',
    ...results.map((r) => {
      const outcome = counts(r);
      const heldText =
        outcome === 'held'
          ? 'yes'
          : outcome === 'known'
            ? `no (known bug: ${r.knownBugs?.join(', ')})`
            : outcome === 'fixed'
              ? 'yes (**known bug fixed: remove the mark**)'
              : r.knownBugs?.length
                ? `**no**, beyond its known bugs (${r.knownBugs.join(', ')})`
                : '**no**';
      return `| ${truncate(r.name, 200)} | ${heldText} | ${truncate(r.detail, 400)} |`;
    }),
    '',
  ];
}
