import './environment';
import { writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import * as path from 'node:path';
import { bulk as bulkOnboarding } from './bulk';
import { coldStart } from './cold-start';
import { demoStart } from './demo-start';
import { DeployedShapeBench, median, type RunFigures } from './deployed-shape';
import { designRoundTrips } from './design-bound';
import { type BenchFigures, report } from './report';
import { transitions } from './transitions';

/** Latency of every Genesys and Secrets Manager call, ms. */
export const LATENCY_MS = 50;
/** Fresh onboardings measured for the latency (the median counts), each of a new org. */
const LATENCY_SAMPLES = 3;

const USAGE = 'usage: npm run bench [-- --write-report]';

/**
 * `npm run bench`: every figure of docs/performance.md, measured in this run, and the summary line
 * (`bench: key=value ...`) last on stdout. Writes docs/performance.md only with `--write-report`.
 */
async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const unknown = args.filter((arg) => arg !== '--write-report');
  if (unknown.length > 0) throw new Error(`unknown argument ${unknown.join(' ')}; ${USAGE}`);
  const say = (line: string) => process.stderr.write(`${line}\n`);
  const started = performance.now();
  const [loadAtStart = 0] = loadavg();

  say(`Genesys and Secrets Manager calls, latency (${LATENCY_MS} ms per call), cold and warm containers...`);
  const shape = await deployedShapeRuns();
  say('state transitions with realistic delays...');
  const realistic = await transitions(LATENCY_MS);
  say('cold start...');
  const coldLoads = await coldStart();
  say('bulk onboarding...');
  const bulk = await bulkOnboarding();
  say('npm start on a fresh clone...');
  const demo = demoStart();

  const figures: BenchFigures = {
    latencyMs: LATENCY_MS,
    ...shape,
    realistic,
    coldStart: coldLoads,
    bulk,
    demo,
    benchSeconds: (performance.now() - started) / 1000,
    machine: { cores: availableParallelism(), loadAtStart, loadAtEnd: loadavg()[0] ?? 0 },
  };
  const line = summaryLine(figures);
  if (args.includes('--write-report')) {
    writeFileSync(path.join(__dirname, '..', 'docs', 'performance.md'), report(figures, line));
    say('wrote docs/performance.md');
  }
  process.stdout.write(`${line}\n`);
}

/**
 * The onboarding runs in the deployed shape: a warm-up onboarding of another org (warm containers, and the
 * process's JIT), then in cold containers fresh onboardings of new orgs, a no-op re-run and a repair after the
 * record was lost; then the same three in warm containers.
 */
async function deployedShapeRuns(): Promise<Pick<BenchFigures, 'coldRuns' | 'warmRuns' | 'latencyWallMs'>> {
  const bench = new DeployedShapeBench({
    latencyMs: LATENCY_MS,
    // Round trips only: no consistency windows, activation at once (the transitions run has the delays).
    simulator: {
      activationDelayMs: 0,
      newClientDelayMs: 0,
      readAfterCreateNotFoundMs: 0,
      oauthClientListingLagMs: 0,
    },
  });
  await bench.start();
  try {
    await succeeded('warm-up', bench.onboard(await bench.newOrg(), 'warm'));
    const series = async (containers: 'cold' | 'warm', samples: number) => {
      const org = await bench.newOrg();
      const fresh = [await succeeded(`fresh (${containers})`, bench.onboard(org, containers))];
      for (let i = 1; i < samples; i++) {
        fresh.push(await succeeded(`fresh (${containers})`, bench.onboard(await bench.newOrg(), containers)));
      }
      const noop = await succeeded(`no-op (${containers})`, bench.onboard(org, containers));
      await bench.loseRecord(org);
      const repair = await succeeded(`repair (${containers})`, bench.onboard(org, containers));
      return { fresh: fresh[0] as RunFigures, freshWalls: fresh.map((run) => run.wallMs), noop, repair };
    };
    const coldRuns = await series('cold', LATENCY_SAMPLES);
    const warmRuns = await series('warm', 1);
    return { coldRuns, warmRuns, latencyWallMs: median(coldRuns.freshWalls) };
  } finally {
    await bench.stop();
  }
}

async function succeeded(name: string, running: Promise<RunFigures>): Promise<RunFigures> {
  const run = await running;
  if (run.execution.status !== 'SUCCEEDED') {
    throw new Error(`the ${name} run failed: ${run.execution.error}: ${run.execution.cause}`);
  }
  return run;
}

/** `bench: key=value ...`: the goals' keys of issue 16, each measured in this run. */
export function summaryLine(f: BenchFigures): string {
  const pairs: Array<[string, string]> = [
    ['calls_fresh', String(f.coldRuns.fresh.calls)],
    ['calls_noop', String(f.coldRuns.noop.calls)],
    ['latency_ratio', (f.latencyWallMs / (designRoundTrips() * f.latencyMs)).toFixed(2)],
    ['bound_round_trips', String(designRoundTrips())],
    ['transitions', String(f.realistic.run.execution.transitions)],
    ['bundle_ratio', (f.coldStart.sdk.bytes / f.coldStart.step.bytes).toFixed(1)],
    ['coldload_floor_ratio', (f.coldStart.step.cpuMs / f.coldStart.floor.cpuMs).toFixed(2)],
    ['coldload_ratio', (f.coldStart.sdk.cpuMs / f.coldStart.step.cpuMs).toFixed(1)],
    ['bulk_ok', `${f.bulk.succeeded}/${f.bulk.orgs}`],
    ['bulk_ratio', (f.bulk.wallMs / f.bulk.boundMs).toFixed(2)],
    ['bulk_cpu_ms', f.bulk.cpuMsPerOrg.toFixed(1)],
    ['bulk_sim_cpu_ms', f.bulk.simulatorCpuMsPerOrg.toFixed(1)],
  ];
  pairs.push(['demo_fresh_s', f.demo.fresh.wallS.toFixed(1)]);
  return `bench: ${pairs.map(([key, value]) => `${key}=${value}`).join(' ')}`;
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
