import './environment';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { badInputs } from './bad-inputs';
import { concurrency } from './concurrency';
import { crashPoints } from './crashes';
import { faultMatrix } from './faults';
import { type CaseResult, Harness } from './harness';

/**
 * `npm run test:reliability`: the fault matrix, crash points, concurrency, bad-input corpus and a leak scan
 * over everything they produced; fails unless everything held. With `--write-report` (`npm run
 * report:reliability`) it also writes docs/reliability.md; without it, no tracked file changes.
 */
async function main(): Promise<number> {
  const started = Date.now();
  const logs: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  const writeErr = process.stderr.write.bind(process.stderr);
  // The functions log to stdout and stderr (Powertools: warnings and errors): every line is kept for the scan.
  const keep = ((chunk: string | Uint8Array) => {
    logs.push(String(chunk));
    return true;
  }) as typeof process.stdout.write;
  process.stdout.write = keep;
  process.stderr.write = keep;
  const say = (line: string) => writeErr(`${line}\n`);

  const harness = new Harness();
  await harness.start();
  try {
    say('fault matrix...');
    const faults = await faultMatrix(harness);
    say(`  ${count(faults.results)} held`);
    say('crash points...');
    const crashes = await crashPoints(harness);
    say(`  ${count(crashes.results)} held`);
    say('concurrency...');
    const concurrent = await concurrency(harness);
    say(`  ${count(concurrent.results)} held`);
    say('bad inputs...');
    const bad = await badInputs(harness);
    say(
      `  ${count(bad.results)} held; ${bad.started} executions started, ${bad.touched} Genesys calls for the org`,
    );

    const haystack = [...logs, ...harness.outputs];
    const leakHits = [...harness.secrets].flatMap((secret) =>
      haystack.filter((text) => text.includes(secret)).map((text) => text.slice(0, 200)),
    );
    const duplicates = faults.duplicates + crashes.duplicates + concurrent.duplicates;
    const badInputsOk =
      bad.results.filter((r) => r.ok).length - (bad.started > 0 || bad.touched > 0 ? bad.results.length : 0);
    const summary = [
      `reliability: faults=${ok(faults.results)}/${faults.results.length}`,
      `crashes=${ok(crashes.results)}/${crashes.results.length}`,
      `leaks=${leakHits.length}`,
      `bad_inputs=${Math.max(0, badInputsOk)}/${bad.results.length}`,
      `duplicates=${duplicates}`,
      `orphans=${faults.orphans}`,
    ].join(' ');

    const report = [
      '# Reliability report',
      '',
      'Written by `npm run report:reliability` (CI runs the same cases with `npm run test:reliability`). Every case runs the synthesized state machine in-process,',
      'with the real handlers, against the Genesys Cloud simulator, each in a fresh org. Retry waits are shortened',
      '(Wait states and Step Functions retry intervals 5 ms); `Retry-After` is honoured for real (1 s).',
      '',
      `Run on ${new Date().toISOString().slice(0, 10)} in ${((Date.now() - started) / 1000).toFixed(1)} s.`,
      '',
      '| what | tried | held |',
      '| --- | --- | --- |',
      `| Fault matrix: every Genesys call of a fresh onboarding × (429 + Retry-After, 503, connection reset, timeout after processing, permanent 400) | ${faults.results.length} | ${ok(faults.results)} |`,
      `| Crash points: a step dies mid-way, then a re-run | ${crashes.results.length} | ${ok(crashes.results)} |`,
      `| Concurrency: the same onboarding started several times at once | ${concurrent.results.length} | ${ok(concurrent.results)} |`,
      `| Bad inputs: API bodies, event details, CLI invocations | ${bad.results.length} | ${ok(bad.results)} |`,
      `| Leak scan: ${harness.secrets.size} secret values (bootstrap, client secrets as issued, tokens) searched in ${haystack.length} outputs (log lines, execution histories with every state input and output, API answers, CLI output) | ${harness.secrets.size} | ${leakHits.length === 0 ? 'no hit' : `${leakHits.length} hits`} |`,
      '',
      'Expectations: a transient fault (429, 503, reset, timeout) is survived and the end state is exactly one',
      "client, one integration and one credential, with credential secret = stored secret = the client's current",
      'secret, and the integration enabled; a permanent 4xx fails the run and leaves nothing in the org (no client,',
      'integration, credential or stored secret); after a crash a re-run reaches the consistent end state; a bad',
      `input gets a 400/415 naming the field (event: \`Onboarding.InvalidRequest\` naming it; CLI: exit 2 naming the flag), starts no execution (${bad.started} started) and makes no Genesys call for the org (${bad.touched} made).`,
      '',
      ...section('Fault matrix', faults.results),
      ...section('Crash points', crashes.results),
      ...section('Concurrency', concurrent.results),
      ...section('Bad inputs', bad.results),
      ...(leakHits.length
        ? ['## Leaks', '', ...leakHits.map((hit) => `- ${hit.replace(/\n/g, ' ')}`), '']
        : []),
      summary,
      '',
    ].join('\n');
    if (process.argv.includes('--write-report')) {
      writeFileSync(path.join(__dirname, '..', '..', 'docs', 'reliability.md'), report);
    }
    process.stdout.write = write;
    process.stderr.write = writeErr;
    process.stdout.write(`${summary}\n`);
    const allHeld =
      [faults.results, crashes.results, concurrent.results, bad.results].every((results) =>
        results.every((r) => r.ok),
      ) &&
      leakHits.length === 0 &&
      duplicates === 0 &&
      faults.orphans === 0 &&
      bad.started === 0 &&
      bad.touched === 0;
    if (!allHeld) {
      for (const r of [...faults.results, ...crashes.results, ...concurrent.results, ...bad.results].filter(
        (x) => !x.ok,
      )) {
        say(`FAILED ${r.name}: ${r.detail}`);
      }
    }
    return allHeld ? 0 : 1;
  } finally {
    process.stdout.write = write;
    process.stderr.write = writeErr;
    await harness.stop();
  }
}

const ok = (results: CaseResult[]) => results.filter((r) => r.ok).length;
const count = (results: CaseResult[]) => `${ok(results)}/${results.length}`;
const section = (title: string, results: CaseResult[]) => [
  `## ${title}`,
  '',
  '| case | held | outcome |',
  '| --- | --- | --- |',
  ...results.map(
    (r) =>
      `| ${r.name.replace(/\|/g, '\\|')} | ${r.ok ? 'yes' : '**no**'} | ${r.detail.replace(/\n/g, ' ')} |`,
  ),
  '',
];

// Exits explicitly: the runs aborted by the crash cases leave the engine's execution timers behind.
main().then(
  (code) => {
    process.exit(code);
  },
  (error: unknown) => {
    process.stderr.write(`reliability run failed: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
