// @ts-check
/**
 * Mutation testing (StrykerJS) of the Genesys client (`lambdas/genesys/`), the onboarding step cores and
 * find-ours (`lambdas/workflows/onboarding/`): `npm run test:mutation`. Only their unit tests run
 * (UNIT_TESTS), and for each mutant only the tests that cover it (per-test coverage analysis); the TypeScript
 * checker drops mutants that do not compile (they show as compile errors, outside the score). The
 * `mutation-doc` reporter below rewrites the generated part of docs/mutation.md: the score per folder, the
 * surviving mutants, and the summary line `mutation: score=… killed=… …` at its end.
 *
 * Incremental: a run keeps its results in reports/stryker-incremental.json (not committed) and the next run
 * tests again only the mutants whose code or covering tests changed, in minutes instead of the full run's
 * (docs/mutation.md gives both on the project's 2-core machine). Stryker does not see changes to other
 * files (test helpers, lambdas/shared): after those, `npm run test:mutation -- --force` runs every mutant.
 *
 * timeoutMS is 10 s, not Stryker's 5 s: a mutant's tests of the Genesys client include real-HTTP and simulator
 * tests whose setup (not counted in the per-test times the timeout is derived from) takes seconds on a loaded
 * machine, so at 5 s mutants that the tests would kill were reported as timeouts.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import * as path from 'node:path';
import { commonTokens, declareClassPlugin, PluginKind } from '@stryker-mutator/api/plugin';

/**
 * The unit tests of the mutated code: fakes, fake clocks and, for the Genesys client, the bundled simulator
 * over local HTTP; no end-to-end workflow, CLI or CDK tests.
 */
const UNIT_TESTS = [
  '<rootDir>/test/lambdas/genesys/**/*.test.ts',
  '<rootDir>/test/lambdas/workflows/onboarding/**/*.test.ts',
];

/** The folders the score is reported for, most specific first (a file counts in the first that holds it). */
const FOLDERS = ['lambdas/genesys', 'lambdas/workflows/onboarding/steps', 'lambdas/workflows/onboarding'];

const DOC = 'docs/mutation.md';
const GENERATED_MARKER =
  '<!-- Everything below is written by `npm run test:mutation` (stryker.config.mjs). -->';

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  packageManager: 'npm',
  testRunner: 'jest',
  jest: {
    projectType: 'custom',
    configFile: 'jest.config.js',
    config: {
      testMatch: UNIT_TESTS,
      // Stryker wraps the test environment for per-test coverage and resolves it from the sandbox folder,
      // where jest's <rootDir> is not replaced.
      testEnvironment: './test/setup/quiet-environment.js',
    },
  },
  checkers: ['typescript'],
  // The mutated folders and what they import, not the whole project: a few seconds per check, not minutes.
  tsconfigFile: 'tsconfig.mutation.json',
  coverageAnalysis: 'perTest',
  // The Genesys client, the step cores and find-ours. Not models.ts (request and response types: nothing to
  // mutate), the state schemas (state.ts: zod tables checked by their own test) or the state names (states.ts:
  // used through the constant by the definition and the local runner alike).
  mutate: [
    'lambdas/genesys/**/*.ts',
    '!lambdas/genesys/models.ts',
    'lambdas/workflows/onboarding/steps/**/*.ts',
    'lambdas/workflows/onboarding/find-ours.ts',
  ],
  incremental: true,
  incrementalFile: 'reports/stryker-incremental.json',
  timeoutMS: 10_000,
  concurrency: cpus().length,
  reporters: ['progress', 'clear-text', 'mutation-doc'],
  plugins: ['@stryker-mutator/jest-runner', '@stryker-mutator/typescript-checker', './stryker.config.mjs'],
  thresholds: { high: 90, low: 80, break: null },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};

/**
 * @typedef {{ killed: number; timeout: number; survived: number; noCoverage: number; compileErrors: number;
 *   runtimeErrors: number; ignored: number; files: number }} Counts
 */

/** A reporter that writes the scores and the surviving mutants into docs/mutation.md. */
class MutationDocReporter {
  static inject = /** @type {const} */ ([commonTokens.options]);

  /** @param {import('@stryker-mutator/api/core').StrykerOptions} options */
  constructor(options) {
    this.startedAt = Date.now();
    // Incremental with an earlier run's results (and no --force): only the changed mutants were tested.
    this.incremental = options.incremental && !options.force && existsSync(options.incrementalFile);
    /** @type {import('@stryker-mutator/api/core').schema.MutationTestResult | undefined} */
    this.report = undefined;
  }

  /** @param {import('@stryker-mutator/api/core').schema.MutationTestResult} report */
  onMutationTestReportReady(report) {
    this.report = report;
  }

  wrapUp() {
    if (!this.report) return;
    const files = Object.entries(this.report.files).map(([name, file]) => ({
      name: path.relative(process.cwd(), path.resolve(name)).split(path.sep).join('/'),
      mutants: file.mutants,
    }));
    const previous = readOr(DOC, '');
    // Without the marker the whole document is hand-written: it is kept and the generated part follows it.
    const handWritten = previous.includes(GENERATED_MARKER)
      ? previous.slice(0, previous.indexOf(GENERATED_MARKER))
      : previous || '# Mutation testing\n\n';
    const run = { startedAt: this.startedAt, incremental: this.incremental };
    writeFileSync(DOC, `${handWritten}${GENERATED_MARKER}\n${generated(files, handWritten, run)}`);
  }
}

/**
 * @param {Array<{ name: string; mutants: import('@stryker-mutator/api/core').schema.MutantResult[] }>} files
 * @param {string} handWritten the part of the document above the generated one (it explains survivors)
 * @param {{ startedAt: number; incremental: boolean }} run
 */
function generated(files, handWritten, run) {
  const minutes = (Date.now() - run.startedAt) / 60_000;
  const kind = run.incremental
    ? 'an incremental run (only the mutants whose code or tests changed since the results it started from were tested)'
    : 'a full run';
  const folderOf = (/** @type {string} */ name) =>
    FOLDERS.find((folder) => name.startsWith(`${folder}/`)) ?? 'other';
  const rows = FOLDERS.map((folder) => row(folder, count(files.filter((f) => folderOf(f.name) === folder))));
  const total = count(files);
  const survivors = files.flatMap((file) =>
    file.mutants
      .filter((m) => m.status === 'Survived' || m.status === 'NoCoverage')
      .map((m) => {
        const where = `${file.name}:${m.location.start.line}`;
        const explained = handWritten.includes(`${where} ${m.mutatorName}`);
        const replacement = (m.replacement ?? '').replace(/\s+/g, ' ').slice(0, 80);
        return `- \`${where}\` ${m.mutatorName} (${m.status}): \`${replacement}\`${explained ? ' (explained above)' : ''}`;
      }),
  );
  const date = new Date().toISOString().slice(0, 16).replace('T', ' ');
  return [
    '',
    '## Last run',
    '',
    `${date} UTC: ${kind}, ${minutes.toFixed(1)} minutes on ${cpus().length} cores (concurrency ${cpus().length}).`,
    '',
    '| folder | score | killed | timeout | survived | no coverage | compile errors | runtime errors | files |',
    '|---|---|---|---|---|---|---|---|---|',
    ...rows,
    row('all mutated code', total),
    '',
    `Score = (killed + timeout) / (killed + timeout + survived + no coverage). Surviving mutants (${survivors.length}):`,
    '',
    ...(survivors.length > 0 ? survivors : ['- none']),
    '',
    `mutation: score=${score(total)} killed=${total.killed} survived=${total.survived + total.noCoverage} timeout=${total.timeout} files=${total.files}`,
    '',
  ].join('\n');
}

/**
 * @param {Array<{ mutants: import('@stryker-mutator/api/core').schema.MutantResult[] }>} files
 * @returns {Counts}
 */
function count(files) {
  const all = files.flatMap((file) => file.mutants);
  const of = (/** @type {string} */ status) => all.filter((m) => m.status === status).length;
  return {
    killed: of('Killed'),
    timeout: of('Timeout'),
    survived: of('Survived'),
    noCoverage: of('NoCoverage'),
    compileErrors: of('CompileError'),
    runtimeErrors: of('RuntimeError'),
    ignored: of('Ignored'),
    files: files.filter((file) => file.mutants.length > 0).length,
  };
}

/** @param {Counts} c */
function score(c) {
  const valid = c.killed + c.timeout + c.survived + c.noCoverage;
  return valid === 0 ? 'n/a' : ((100 * (c.killed + c.timeout)) / valid).toFixed(2);
}

/** @param {string} name @param {Counts} c */
function row(name, c) {
  return `| ${name} | ${score(c)} | ${c.killed} | ${c.timeout} | ${c.survived} | ${c.noCoverage} | ${c.compileErrors} | ${c.runtimeErrors} | ${c.files} |`;
}

/** @param {string} file @param {string} fallback */
function readOr(file, fallback) {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return fallback;
  }
}

export const strykerPlugins = [declareClassPlugin(PluginKind.Reporter, 'mutation-doc', MutationDocReporter)];
