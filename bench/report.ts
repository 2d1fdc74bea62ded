import { BOOTSTRAP_CALLS_PER_ORG, type BulkFigures } from './bulk';
import type { ColdStartFigures } from './cold-start';
import type { DemoStartFigures } from './demo-start';
import type { RunFigures } from './deployed-shape';
import { designCalls, designRoundTrips, FRESH_ONBOARDING_DESIGN } from './design-bound';
import { REALISTIC, type TransitionFigures } from './transitions';

/** Fresh onboarding, no-op re-run and repair after a lost record, in one kind of containers. */
export interface RunSeries {
  readonly fresh: RunFigures;
  /** Wall times of every fresh onboarding of the series, ms. */
  readonly freshWalls: number[];
  readonly noop: RunFigures;
  readonly repair: RunFigures;
}

/** Everything one `npm run bench` measured. */
export interface BenchFigures {
  readonly latencyMs: number;
  readonly coldRuns: RunSeries;
  readonly warmRuns: RunSeries;
  /** Median wall time of the fresh onboardings in cold containers, ms. */
  readonly latencyWallMs: number;
  readonly realistic: TransitionFigures;
  readonly coldStart: ColdStartFigures;
  readonly bulk: BulkFigures;
  readonly demo: DemoStartFigures;
  readonly benchSeconds: number;
  /** The machine: its cores and the 1-minute load average at the start and at the end of the run. */
  readonly machine: { readonly cores: number; readonly loadAtStart: number; readonly loadAtEnd: number };
}

/** The goals of issue 16, each with the figure it judges. */
export const GOALS = {
  callsFresh: 14,
  callsNoop: 8,
  latencyRatio: 1.2,
  transitions: 13,
  bundleRatio: 10,
  coldloadFloorRatio: 1.3,
  coldloadRatio: 2.5,
  bulkOrgs: 1000,
  bulkRatio: 1.3,
  bulkCpuMs: 30,
  demoFreshS: 5,
} as const;

/** AWS list prices (us-east-1): Step Functions Standard, Lambda arm64, API Gateway REST, Secrets Manager API. */
const PRICE = {
  transition: 0.025 / 1000,
  lambdaGbSecond: 0.0000133334,
  lambdaRequest: 0.2 / 1_000_000,
  apiRequest: 3.5 / 1_000_000,
  secretsApiCall: 0.05 / 10_000,
};
const LAMBDA_GB = 0.5;

const goal = (ok: boolean) => (ok ? 'met' : '**missed**');
const usd = (value: number) => `$${value.toFixed(value < 0.01 ? 4 : 3)}`;
const ms = (value: number) => `${value.toFixed(0)} ms`;
const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} KB`;
const byStep = (counts: Record<string, number>) =>
  Object.entries(counts)
    .map(([step, n]) => `${step} ${n}`)
    .join(', ');

/** docs/performance.md from the figures of one run; `line` (the summary line) ends it. */
export function report(f: BenchFigures, line: string): string {
  const bound = designRoundTrips();
  const boundMs = bound * f.latencyMs;
  const latencyRatio = f.latencyWallMs / boundMs;
  const { coldRuns: cold, warmRuns: warm, realistic, coldStart: c } = f;
  const floorRatio = c.step.cpuMs / c.floor.cpuMs;
  const sdkRatio = c.sdk.cpuMs / c.step.cpuMs;
  const bundleRatio = c.sdk.bytes / c.step.bytes;
  const fresh = cold.fresh;
  const otherCalls = fresh.calls - fresh.tokenCalls;
  const designOtherCalls =
    designCalls('genesys') -
    FRESH_ONBOARDING_DESIGN.flatMap((state) => state.roundTrips.flat()).filter((call) =>
      call.call.startsWith('POST /oauth/token'),
    ).length;
  const stepTokens = fresh.tokenCalls - 1;
  const neededForGoal = fresh.calls - GOALS.callsFresh;
  const cost = costPer1000(fresh, f.realistic.run.execution.transitions);
  const bulk = f.bulk;
  const bulkRatio = bulk.wallMs / bulk.boundMs;
  const bulkCpuMs = bulk.cpuMsPerOrg * bulk.orgs;

  return `# Performance

Written by \`npm run bench -- --write-report\` (\`npm run bench\` alone prints the figures and changes no file).
This run took ${f.benchSeconds.toFixed(0)} s on a machine with ${f.machine.cores} cores whose 1-minute load average was
${f.machine.loadAtStart.toFixed(1)} at the start and ${f.machine.loadAtEnd.toFixed(1)} at the end${
    Math.max(f.machine.loadAtStart, f.machine.loadAtEnd) > f.machine.cores
      ? ' (above the cores: other processes competed for them, so the wall times are longer than on a quiet machine; the CPU times less so)'
      : ''
  }. Every figure below is measured in that run, or computed
from a bound written down in code (bench/design-bound.ts, the prices in bench/report.ts); the summary line
at the end is the last line the bench prints. What changed to get here, with the figures before and after:
[performance-changes.md](performance-changes.md).

The onboarding runs are the synthesized state machine in-process with the real handlers, in the **deployed
shape** (bench/deployed-shape.ts): each task invocation gets the collaborators of a Lambda container of its
own function, the AWS secret store (lambdas/aws/secret-store.ts, its Powertools cache included) over a
Secrets Manager that answers after the same ${f.latencyMs} ms as every Genesys call (bench/secrets-manager.ts), and
the deployed settings (the Record function schedules rotation). **Cold**: every invocation starts in a new
container, with no token and no secret cached. **Warm**: one container per function for the whole bench,
warmed by an onboarding of another org first.

## Goals

| goal | measured | |
| --- | --- | --- |
| Genesys calls, fresh onboarding (cold) ≤ ${GOALS.callsFresh} | ${fresh.calls} | ${goal(fresh.calls <= GOALS.callsFresh)} |
| Genesys calls, no-op re-run (cold) ≤ ${GOALS.callsNoop} | ${cold.noop.calls} | ${goal(cold.noop.calls <= GOALS.callsNoop)} |
| latency ≤ ${GOALS.latencyRatio} × the design bound at ${f.latencyMs} ms per call | ${latencyRatio.toFixed(2)} × (${bound} round trips) | ${goal(latencyRatio <= GOALS.latencyRatio)} |
| state transitions with realistic delays ≤ ${GOALS.transitions} | ${realistic.run.execution.transitions} | ${goal(realistic.run.execution.transitions <= GOALS.transitions)} |
| bundle ≥ ${GOALS.bundleRatio}× smaller than on the official SDK | ${bundleRatio.toFixed(1)}× | ${goal(bundleRatio >= GOALS.bundleRatio)} |
| step load ≤ ${GOALS.coldloadFloorRatio}× the floor | ${floorRatio.toFixed(2)}× | ${goal(floorRatio <= GOALS.coldloadFloorRatio)} |
| step load ≥ ${GOALS.coldloadRatio}× faster than on the official SDK | ${sdkRatio.toFixed(1)}× | ${goal(sdkRatio >= GOALS.coldloadRatio)} |
| bulk: ${GOALS.bulkOrgs} orgs all succeed | ${bulk.succeeded}/${bulk.orgs} | ${goal(bulk.orgs >= GOALS.bulkOrgs && bulk.succeeded === bulk.orgs)} |
| bulk: wall ≤ ${GOALS.bulkRatio}× the design bound | ${bulkRatio.toFixed(2)}×${bulkRatio < 1 ? ' (below the bound, which assumes one token per org: §6)' : ''} | ${goal(bulkRatio <= GOALS.bulkRatio)} |
| bulk: CPU per org ≤ ${GOALS.bulkCpuMs} ms | ${bulk.cpuMsPerOrg.toFixed(1)} ms | ${goal(bulk.cpuMsPerOrg <= GOALS.bulkCpuMs)} |
| \`npm start\` on a fresh clone ≤ ${GOALS.demoFreshS} s | ${f.demo.fresh.wallS.toFixed(1)} s | ${goal(f.demo.fresh.wallS <= GOALS.demoFreshS)} |

## 1. Calls

| run | containers | Genesys calls | of them token requests | changes | Secrets Manager calls | by step (Genesys) |
| --- | --- | --- | --- | --- | --- | --- |
${[
  ['fresh onboarding', 'cold', cold.fresh],
  ['no-op re-run', 'cold', cold.noop],
  ['repair after the record was lost', 'cold', cold.repair],
  ['fresh onboarding', 'warm', warm.fresh],
  ['no-op re-run', 'warm', warm.noop],
  ['repair after the record was lost', 'warm', warm.repair],
]
  .map(
    ([name, containers, run]) =>
      `| ${name} | ${containers} | ${(run as RunFigures).calls} | ${(run as RunFigures).tokenCalls} | ${(run as RunFigures).writes} | ${(run as RunFigures).secretCalls} | ${byStep((run as RunFigures).callsByStep)} |`,
  )
  .join('\n')}

Counted at the clients: every Genesys request (token requests included) and every Secrets Manager request.
Secrets Manager calls of the fresh cold run by operation: ${byStep(fresh.secretCallsByOperation)}.

Why a fresh onboarding makes ${fresh.calls} and not ${GOALS.callsFresh}: ${otherCalls} of its calls are reads and writes,
${designOtherCalls} of them those the design needs (listed state by state in §2; the design makes ${designCalls('genesys')} Genesys calls in all,
tokens included) and ${otherCalls - designOtherCalls} for safety on a real org: the ownership marker written into a new integration's
config at once, and the credential listing after the credential's create, which settles a race with another run
that found the integration by its marker (a cursor listing ends at an empty page: two requests). The lookups for
what an earlier attempt of a state made, its answer lost, are made only on a retry (the execution's
\`$$.State.RetryCount\`): a fresh run makes none. And
${fresh.tokenCalls} are token requests: one for each of the ${stepTokens} step functions that call Genesys as the
bootstrap client, each in a container of its own with no token cached, and one with the new client's
credentials (the check that they work). Reaching ${GOALS.callsFresh} means ${neededForGoal} fewer calls, and every
call left is either needed by a safety check or a token of a function that has none. The ways to get there
all cost something; none is taken here (see performance-changes.md for each with its security cost): a token
shared between the step functions (a bearer credential stored for up to its lifetime), or fewer step
functions (merging steps gives code the secret access of the other step: least privilege per step is lost).

## 2. Latency

The bound, fixed from the design (bench/design-bound.ts): the shortest chain of round trips that depend on
each other in a fresh onboarding, state by state, each Genesys or Secrets Manager call taking ${f.latencyMs} ms.
Calls on one line go out at once.

| state | round trips | calls, at once per round trip | why not fewer |
| --- | --- | --- | --- |
${FRESH_ONBOARDING_DESIGN.map(
  (state) =>
    `| ${state.state} | ${state.offChain ? `(${state.roundTrips.length}, beside)` : state.roundTrips.length} | ${state.roundTrips
      .map((trip) => trip.map((call) => `${call.service === 'secrets' ? 'SM ' : ''}${call.call}`).join(' ∥ '))
      .join(' → ')} | ${state.why} |`,
).join('\n')}

${bound} round trips × ${f.latencyMs} ms = **${ms(boundMs)}**. A fresh onboarding in cold containers took
${ms(f.latencyWallMs)} (median of ${cold.freshWalls.length}: ${cold.freshWalls.map((w) => ms(w)).join(', ')}): ratio
**${latencyRatio.toFixed(2)}** (goal ≤ ${GOALS.latencyRatio}: ${goal(latencyRatio <= GOALS.latencyRatio)}). In warm containers: ${ms(warm.fresh.wallMs)}. What is above the
bound is the CPU time of the steps and of the engine between the states. This run has no consistency
windows and activation at once (the simulator's knobs at 0); §3 has the delays.

## 3. State transitions with realistic delays

One fresh onboarding in cold containers with the new client's credentials working after
${REALISTIC.newClientDelayMs / 1000} s and the integration ACTIVE ${REALISTIC.activationDelayMs / 1000} s after it is enabled (the listing lag and
the 404 window after a create at the simulator's defaults), with the definition's real waits and retry
intervals: **${realistic.run.execution.transitions} state transitions** (goal ≤ ${GOALS.transitions}: ${goal(realistic.run.execution.transitions <= GOALS.transitions)}), ${realistic.verifyInvocations} Verify
invocations (${realistic.credentialRetries} of them retries for credentials not working yet), ${realistic.waits} waits for ACTIVE,
${ms(realistic.run.wallMs)} in all, ${realistic.run.calls} Genesys calls.

## 4. Cost

Per fresh onboarding (cold): ${fresh.execution.transitions} state transitions with activation at once
(${realistic.run.execution.transitions} with the delays of §3), ${cost.invocations} Lambda invocations (${fresh.execution.invocations} steps + the start
function), ${cost.gbSeconds.toFixed(3)} GB-s at 512 MB (the task durations measured here), ${fresh.secretCalls} Secrets Manager calls.

| per 1,000 onboardings | list price | cost |
| --- | --- | --- |
| Step Functions Standard (the delays of §3) | $0.025 per 1,000 transitions | ${usd(cost.stepFunctions)} |
| Lambda arm64 | $0.0000133334 per GB-s, $0.20 per million requests | ${usd(cost.lambda)} |
| API Gateway REST | $3.50 per million requests (POST and one status GET) | ${usd(cost.apiGateway)} |
| Secrets Manager API | $0.05 per 10,000 calls | ${usd(cost.secretsManagerApi)} |
| **total** | | **${usd(cost.total)}** |

Not per onboarding: Secrets Manager storage ($0.40 per secret per month, two per org), the KMS key ($1 per
month), CloudWatch Logs ingestion.

## 5. Cold start

Each function bundled with the stack's settings (lib/constructs/function-settings.ts: esbuild, minified,
${c.step.mapBytes > 0 ? 'source maps' : 'no source maps'}, names kept, node22, CommonJS, ES module builds first,
the AWS SDK v3 left to the runtime) and loaded as deployed: a fresh \`node\`
process with the function's environment (FUNCTION_ENVIRONMENT) and the variables Lambda sets (the
Powertools tracer is on), timing \`require(bundle)\`. The load time is the CPU time of that require (median
of ${c.samples}, the step, the floor and the SDK build alternating; ${Math.max(3, Math.round(c.samples / 3))} for the other functions): on a
quiet machine it is also the wall time, and it does not count the time other processes took the cores.

| function | bundle | source map | load (CPU) | load (wall) |
| --- | --- | --- | --- | --- |
${c.functions.map((fn) => `| ${fn.name} | ${kb(fn.bytes)} | ${fn.mapBytes > 0 ? kb(fn.mapBytes) : 'none'} | ${fn.cpuMs.toFixed(1)} ms | ${fn.wallMs.toFixed(1)} ms |`).join('\n')}
| **floor**: middy and the Secrets Manager client only | ${kb(c.floor.bytes)} | ${c.floor.mapBytes > 0 ? kb(c.floor.mapBytes) : 'none'} | ${c.floor.cpuMs.toFixed(1)} ms | ${c.floor.wallMs.toFixed(1)} ms |
| **prepare on purecloud-platform-client-v2** | ${kb(c.sdk.bytes)} | ${c.sdk.mapBytes > 0 ? kb(c.sdk.mapBytes) : 'none'} | ${c.sdk.cpuMs.toFixed(1)} ms | ${c.sdk.wallMs.toFixed(1)} ms |

The Prepare step loads in **${floorRatio.toFixed(2)}×** the floor's time (goal ≤ ${GOALS.coldloadFloorRatio}×: ${goal(floorRatio <= GOALS.coldloadFloorRatio)}): the
${(c.step.cpuMs - c.floor.cpuMs).toFixed(1)} ms above it are Powertools (logger, metrics, parser, parameters, and the tracer with the X-Ray
SDK, which Lambda's tracing needs), zod/mini and the project's code. Against the same step on the official
SDK: **${bundleRatio.toFixed(1)}× smaller** (goal ≥ ${GOALS.bundleRatio}×: ${goal(bundleRatio >= GOALS.bundleRatio)}) and **${sdkRatio.toFixed(1)}× faster to load**
(goal ≥ ${GOALS.coldloadRatio}×: ${goal(sdkRatio >= GOALS.coldloadRatio)}).

## 6. Bulk onboarding

${bulk.orgs} orgs, each with a bootstrap secret of its own, through the local bulk path (local/bulk.ts: the manifest
parser, the bulk state machine's item processor and the onboarding state machine, bench/bulk.ts), ${bulk.concurrency}
at a time, against the simulator limiting each token to ${bulk.limit.requests} requests per ${bulk.limit.windowMs / 1000} s (429 with
\`Retry-After\`, as Genesys answers). Shaped as deployed where it matters to the figures: the simulator runs in a
process of its own, reached over HTTP as Genesys Cloud is; the orgs are spread over ${bulk.processes} worker processes
(${Math.ceil(bulk.concurrency / bulk.processes)} at a time each), as Lambda spreads the steps over containers; and each step function has its own token cache,
as each Lambda function's containers have (so an org's calls are spread over one token per function). The
secrets are files with no latency, and the waits and retry intervals are 5 ms.

**${bulk.succeeded}/${bulk.orgs}** succeeded (the bulk summary's count, checked against the simulator: one client,
integration and credential each) in ${ms(bulk.wallMs)}. The bound, fixed from the design (bench/bulk.ts,
\`bulkBoundMs\`): a fresh org's onboarding makes at least ${BOOTSTRAP_CALLS_PER_ORG} calls with its bootstrap token, a token allowed
${bulk.limit.requests} per window cannot make its last call before floor((${BOOTSTRAP_CALLS_PER_ORG} − 1) / ${bulk.limit.requests}) windows, and some slot of
${bulk.concurrency} runs ceil(${bulk.orgs} / ${bulk.concurrency}) orgs one after the other: **${ms(bulk.boundMs)}**. Ratio
**${bulkRatio.toFixed(2)}** (goal ≤ ${GOALS.bulkRatio}: ${goal(bulkRatio <= GOALS.bulkRatio)}). ${bulk.throttled} requests were answered 429 and
retried; the busiest bootstrap client made ${bulk.maxCallsPerBootstrapClient} calls over its tokens (the design's fewest: ${BOOTSTRAP_CALLS_PER_ORG}).${
    bulkRatio < 1
      ? ` The run took less than the bound: the bound puts every call of an org on one bootstrap token (the fewest tokens the design allows), while here, as deployed, each step function has a token of its own, and ${bulk.throttled === 0 ? 'no token reached' : 'few tokens reached'} the limit of ${bulk.limit.requests} per window. So this bound says what a shared token would cost; what limits this run is CPU (below).`
      : ''
  } CPU of the
onboarding code (the worker processes over the run: the runner, both engines, the steps, the Genesys client
with its HTTP calls and the file secret store): **${bulk.cpuMsPerOrg.toFixed(1)} ms per org** (goal ≤ ${GOALS.bulkCpuMs}: ${goal(bulk.cpuMsPerOrg <= GOALS.bulkCpuMs)}), ${ms(bulkCpuMs)} in all${
    bulkCpuMs / bulk.processes > bulk.boundMs
      ? `, more than the bound even spread over the ${bulk.processes} processes`
      : ''
  }; the simulator's process spent ${bulk.simulatorCpuMsPerOrg.toFixed(1)} ms per org answering (not counted: it stands in for Genesys).
With the simulator's, ${ms(bulkCpuMs + bulk.simulatorCpuMsPerOrg * bulk.orgs)} of CPU on this machine's ${f.machine.cores} cores: at least
${ms((bulkCpuMs + bulk.simulatorCpuMsPerOrg * bulk.orgs) / f.machine.cores)} of wall time whatever the rate limit allows; the run took ${(bulk.wallMs / ((bulkCpuMs + bulk.simulatorCpuMsPerOrg * bulk.orgs) / f.machine.cores)).toFixed(2)}× that.

## 7. \`npm start\` on a fresh clone

A \`git clone\` of this checkout's HEAD (${f.demo.commit}${f.demo.uncommittedChanges ? ', without the uncommitted changes of the working tree' : ''}) with node_modules
installed (this checkout's, copied as hard links, without its cache folder): the first \`npm start\` builds
the CLI bundle and the state machine definitions, **${f.demo.fresh.wallS.toFixed(1)} s** (${f.demo.fresh.cpuS.toFixed(1)} s of CPU; goal ≤ ${GOALS.demoFreshS} s:
${goal(f.demo.fresh.wallS <= GOALS.demoFreshS)}); the second one ${f.demo.again.wallS.toFixed(1)} s (${f.demo.again.cpuS.toFixed(1)} s of CPU).

${line}
`;
}

/** Cost of 1,000 runs like `run`, billed `transitions` state transitions each. */
function costPer1000(run: RunFigures, transitions: number) {
  const gbSeconds = (Object.values(run.stepMs).reduce((sum, value) => sum + value, 0) / 1000) * LAMBDA_GB;
  const invocations = run.execution.invocations + 1;
  const parts = {
    stepFunctions: transitions * PRICE.transition * 1000,
    lambda: (gbSeconds * PRICE.lambdaGbSecond + invocations * PRICE.lambdaRequest) * 1000,
    apiGateway: 2 * PRICE.apiRequest * 1000,
    secretsManagerApi: run.secretCalls * PRICE.secretsApiCall * 1000,
  };
  return { ...parts, gbSeconds, invocations, total: Object.values(parts).reduce((a, b) => a + b, 0) };
}
