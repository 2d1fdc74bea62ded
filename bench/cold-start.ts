import { execFileSync } from 'node:child_process';
import { mkdirSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { build } from 'esbuild';
import { median } from './measure';

const ROOT = path.join(__dirname, '..');
const OUT = path.join(ROOT, 'node_modules', '.cache', 'genesys-onboarding', 'bench-bundles');

export const HANDLERS = [
  'prepare',
  'ensure-oauth-client',
  'ensure-integration',
  'configure-integration',
  'verify',
  'compensate',
  'start-onboarding',
  'get-onboarding',
];

/** Bundles a handler with the options NodejsFunction uses in the stack (minified, node22, CJS, SDK v3 external). */
async function bundle(entry: string, name: string): Promise<string> {
  mkdirSync(OUT, { recursive: true });
  const outfile = path.join(OUT, `${name}.js`);
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    minify: true,
    platform: 'node',
    target: 'node22',
    format: 'cjs',
    external: ['@aws-sdk/*'],
    logLevel: 'error',
  });
  return outfile;
}

/** Milliseconds a fresh node process spends in `require(bundle)`: module load, parse and top-level code. */
function loadMs(file: string): number {
  const script = `const t=process.hrtime.bigint();require(${JSON.stringify(file)});process.stdout.write(String(Number(process.hrtime.bigint()-t)/1e6))`;
  const output = execFileSync(process.execPath, ['-e', script], {
    // The Lambda runtime provides the AWS SDK v3: here it comes from the project's node_modules.
    env: {
      PATH: process.env.PATH ?? '',
      NODE_PATH: path.join(ROOT, 'node_modules'),
      POWERTOOLS_METRICS_DISABLED: 'true',
    },
    encoding: 'utf8',
  });
  return Number(output);
}

export interface ColdStartFigures {
  functions: Array<{ name: string; bytes: number; loadMs: number }>;
  ours: { bytes: number; loadMs: number };
  sdk: { bytes: number; loadMs: number };
  samples: number;
}

/** Each function's bundle and cold load; Prepare side by side with the same handler on the official SDK. */
export async function coldStart(samples = 15): Promise<ColdStartFigures> {
  const bundles = await Promise.all(
    HANDLERS.map(async (name) => ({
      name,
      file: await bundle(path.join(ROOT, 'lambdas', 'handlers', `${name}.ts`), name),
    })),
  );
  const sdkFile = await bundle(path.join(ROOT, 'bench', 'sdk', 'prepare-handler.ts'), 'prepare-sdk');
  const oursFile = bundles[0]?.file as string;

  // Side by side, alternating, so that machine noise falls on both alike.
  const oursTimes: number[] = [];
  const sdkTimes: number[] = [];
  loadMs(oursFile);
  loadMs(sdkFile);
  for (let i = 0; i < samples; i++) {
    oursTimes.push(loadMs(oursFile));
    sdkTimes.push(loadMs(sdkFile));
  }
  const functions = bundles.map(({ name, file }) => ({
    name,
    bytes: statSync(file).size,
    loadMs: name === 'prepare' ? median(oursTimes) : median(Array.from({ length: 10 }, () => loadMs(file))),
  }));
  return {
    functions,
    ours: { bytes: statSync(oursFile).size, loadMs: median(oursTimes) },
    sdk: { bytes: statSync(sdkFile).size, loadMs: median(sdkTimes) },
    samples,
  };
}
