import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { build } from 'esbuild';
import { FUNCTION_BUNDLING, FUNCTION_ENVIRONMENT } from '../lib/constructs/function-settings';
import { median } from './deployed-shape';

const ROOT = path.join(__dirname, '..');

/** The handlers measured, as the stack names them (files under lambdas/handlers). */
export const HANDLERS = [
  'onboarding/prepare',
  'onboarding/ensure-oauth-client',
  'onboarding/ensure-integration',
  'onboarding/configure-integration',
  'onboarding/record-configuration',
  'onboarding/verify',
  'onboarding/compensate',
  'api/start-onboarding',
  'api/get-onboarding',
];

/** The step compared with the floor and with its twin on the official SDK. */
const STEP = 'onboarding/prepare';

export interface Bundle {
  readonly name: string;
  readonly file: string;
  /** The bundle and, when source maps are deployed, its map: what Lambda loads. */
  readonly bytes: number;
  readonly mapBytes: number;
}

export interface LoadTime {
  /** CPU time of `require(bundle)` in a fresh process (user + system), median, ms. */
  readonly cpuMs: number;
  /** Wall time of the same, median, ms: above the CPU time when other processes compete for the cores. */
  readonly wallMs: number;
}

export interface ColdStartFigures {
  readonly functions: Array<Bundle & LoadTime>;
  readonly step: Bundle & LoadTime;
  readonly floor: Bundle & LoadTime;
  readonly sdk: Bundle & LoadTime;
  /** Samples per bundle for the step, the floor and the SDK build (alternating); the others get `samples / 3`. */
  readonly samples: number;
}

/** Bundles an entry with the stack's settings (FUNCTION_BUNDLING, CommonJS as NodejsFunction builds it). */
async function bundle(entry: string, name: string, outDir: string): Promise<Bundle> {
  const file = path.join(outDir, `${name.replace('/', '-')}.js`);
  await build({
    entryPoints: [entry],
    outfile: file,
    bundle: true,
    minify: FUNCTION_BUNDLING.minify,
    sourcemap: FUNCTION_BUNDLING.sourceMap,
    keepNames: FUNCTION_BUNDLING.keepNames,
    platform: 'node',
    target: FUNCTION_BUNDLING.target,
    format: 'cjs',
    mainFields: [...FUNCTION_BUNDLING.mainFields],
    external: [...FUNCTION_BUNDLING.externalModules],
    logLevel: 'error',
  });
  let mapBytes = 0;
  try {
    mapBytes = statSync(`${file}.map`).size;
  } catch {
    // no map deployed
  }
  return { name, file, bytes: statSync(file).size, mapBytes };
}

/**
 * The environment of a deployed function at load: the stack's (FUNCTION_ENVIRONMENT, NODE_OPTIONS included),
 * the variables Lambda sets (the execution environment turns the Powertools tracer on), and the runtime's AWS
 * SDK v3, here from the project's node_modules. Node 20's SDK version warning is off: nodejs22.x has none.
 */
function deployedEnvironment(name: string): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH ?? '',
    NODE_PATH: path.join(ROOT, 'node_modules'),
    ...FUNCTION_ENVIRONMENT,
    AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
    AWS_LAMBDA_FUNCTION_NAME: `genesys-onboarding-${name.replace('/', '-')}`,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '512',
    AWS_REGION: 'eu-west-1',
    SECRET_PREFIX: 'genesys-onboarding',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
}

/** One load of a bundle in a fresh node process: CPU and wall time of `require(bundle)`, ms. */
function loadOnce(bundled: Bundle): { cpuMs: number; wallMs: number } {
  const script =
    'const c=process.cpuUsage(),t=process.hrtime.bigint();require(process.argv[1]);' +
    'const u=process.cpuUsage(c);process.stdout.write(JSON.stringify({cpuMs:(u.user+u.system)/1e3,wallMs:Number(process.hrtime.bigint()-t)/1e6}))';
  const output = execFileSync(process.execPath, ['-e', script, bundled.file], {
    env: deployedEnvironment(bundled.name),
    encoding: 'utf8',
  });
  return JSON.parse(output) as { cpuMs: number; wallMs: number };
}

/** Median load times of each bundle, `samples` rounds with every bundle loaded once per round (noise falls on all). */
function loadTimes(bundles: Bundle[], samples: number): Map<Bundle, LoadTime> {
  const times = new Map(bundles.map((b) => [b, { cpu: [] as number[], wall: [] as number[] }]));
  for (const b of bundles) loadOnce(b); // the file system cache
  for (let round = 0; round < samples; round++) {
    for (const b of bundles) {
      const { cpuMs, wallMs } = loadOnce(b);
      times.get(b)?.cpu.push(cpuMs);
      times.get(b)?.wall.push(wallMs);
    }
  }
  return new Map([...times].map(([b, t]) => [b, { cpuMs: median(t.cpu), wallMs: median(t.wall) }] as const));
}

/**
 * Each function's bundle as deployed and its load time; the Prepare step side by side with the floor (middy
 * and the Secrets Manager client only, bench/floor-handler.ts) and with its twin on the official SDK
 * (bench/sdk/prepare-handler.ts).
 */
export async function coldStart(samples = 15): Promise<ColdStartFigures> {
  const outDir = mkdtempSync(path.join(tmpdir(), 'genesys-onboarding-bundles-'));
  try {
    return await measure(outDir, samples);
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
}

async function measure(outDir: string, samples: number): Promise<ColdStartFigures> {
  const functions = await Promise.all(
    HANDLERS.map((name) => bundle(path.join(ROOT, 'lambdas', 'handlers', `${name}.ts`), name, outDir)),
  );
  const floor = await bundle(path.join(__dirname, 'floor-handler.ts'), 'floor', outDir);
  const sdk = await bundle(
    path.join(__dirname, 'sdk', 'prepare-handler.ts'),
    'prepare-on-official-sdk',
    outDir,
  );
  const step = functions.find((f) => f.name === STEP) as Bundle;

  const key = loadTimes([step, floor, sdk], samples);
  const others = loadTimes(
    functions.filter((f) => f !== step),
    Math.max(3, Math.round(samples / 3)),
  );
  const timed = (b: Bundle): Bundle & LoadTime => ({ ...b, ...((key.get(b) ?? others.get(b)) as LoadTime) });
  return {
    functions: functions.map(timed),
    step: timed(step),
    floor: timed(floor),
    sdk: timed(sdk),
    samples,
  };
}
