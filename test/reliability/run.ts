import './environment';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { LambdaRuntime, setLambdaEnvironment } from '../support/lambda-runtime';
import { XRayDaemonStub } from '../support/xray-daemon';

const USAGE =
  'usage: tsx test/reliability/run.ts [--write-report] [--plant <bug>] [--lanes <n>] [--only <text>]';

/**
 * `npm run test:reliability`: every workflow's fault matrices, real-org cases, crash points, concurrency and
 * bad-input corpus, a leak scan over everything they produced (log lines, histories, API answers, CLI output,
 * X-Ray segment documents), a check that the tracer emitted, and a self-check that plants known bugs and sees
 * the suite catch each; fails unless everything held. `--write-report` (`npm run report:reliability`) also
 * writes docs/reliability.md. `--plant <bug>` plants one bug (test/reliability/plants.ts) in every run: the
 * run must then fail. `--lanes <n>`: cases run side by side (default 8). `--only <text>`: only the cases whose
 * name contains the text, and no self-check (to look into a case).
 */
async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      'write-report': { type: 'boolean', default: false },
      plant: { type: 'string' },
      lanes: { type: 'string', default: '8' },
      only: { type: 'string' },
    },
  });
  const lanes = Number(values.lanes);
  if (!Number.isInteger(lanes) || lanes < 1) throw new Error(`--lanes must be a positive integer. ${USAGE}`);

  // The daemon stand-in listens first: the X-Ray SDK reads its address when it loads.
  const daemon = await XRayDaemonStub.start();
  setLambdaEnvironment({ daemonAddress: daemon.address });
  const runtime = await LambdaRuntime.start();
  const { isPlantName, PLANTS } = await import('./plants');
  const plant = values.plant;
  if (plant !== undefined && !isPlantName(plant)) {
    throw new Error(`--plant must be one of ${Object.keys(PLANTS).join(', ')}. ${USAGE}`);
  }

  const logs: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  const writeErr = process.stderr.write.bind(process.stderr);
  // The functions log to stdout and stderr (Powertools: warnings and errors): every chunk is kept for the scan.
  const keep = ((chunk: string | Uint8Array) => {
    logs.push(String(chunk));
    return true;
  }) as typeof process.stdout.write;
  process.stdout.write = keep;
  process.stderr.write = keep;
  const say = (line: string) => writeErr(`${line}\n`);
  try {
    const { runSuite } = await import('./suite');
    const { failures, renderReport, summaryLine } = await import('./report');
    const report = await runSuite({ runtime, daemon, logs, lanes, plant, only: values.only, say });
    if (values['write-report']) {
      const file = path.join(__dirname, '..', '..', 'docs', 'reliability.md');
      writeFileSync(file, renderReport(report, new Date().toISOString().slice(0, 10)));
    }
    const failed = failures(report);
    for (const failure of failed) say(`FAILED ${failure}`);
    write(`${summaryLine(report)}\n`);
    const { timing } = report;
    say(
      `${timing.wallSeconds.toFixed(1)} s (${timing.cpuSeconds.toFixed(1)} s CPU; event loop delay p99 ${timing.loopDelayP99Ms.toFixed(0)} ms, max ${timing.loopDelayMaxMs.toFixed(0)} ms)`,
    );
    return failed.length === 0 ? 0 : 1;
  } finally {
    process.stdout.write = write;
    process.stderr.write = writeErr;
    await daemon.stop();
  }
}

// Exits explicitly: the runs aborted by the crash cases leave the engine's execution timers behind.
main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`reliability run failed: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
