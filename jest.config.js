/**
 * Coverage is measured over all runtime code: what runs in Lambda (`lambdas/`), on a laptop (`local/`) and at
 * synth (`lib/`); not the simulator, the tests or the benchmarks. The source folders are roots too, so a file
 * no test loads still counts (at 0%) instead of vanishing from the report.
 *
 * Every file falls under one of the folder thresholds below, so jest checks `global` against all files
 * together: the overall figure. A file counts in each folder it is under (`lambdas/` and `lambdas/genesys/`).
 */
const LINES_90 = { lines: 90 };

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: '<rootDir>/test/setup/quiet-environment.js',
  roots: ['<rootDir>/test', '<rootDir>/lambdas', '<rootDir>/local', '<rootDir>/lib'],
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  // listr2's CommonJS build loads its terminal renderer's modules (log-update, cli-truncate, wrap-ansi: ES modules
  // only) with import(), which jest's CommonJS runtime refuses: swc compiles listr2 and those modules to
  // CommonJS, so the live progress displays draw in-process, on a fake terminal, where coverage sees them.
  transform: {
    '^.+\\.(t|j|mj)s$': ['@swc/jest'],
    '/node_modules/listr2/.+\\.cjs$': ['@swc/jest'],
  },
  transformIgnorePatterns: [
    '/node_modules/(?!(@middy|listr2|log-update|cli-truncate|wrap-ansi|slice-ansi|ansi-styles|ansi-escapes|ansi-regex|strip-ansi|string-width|is-fullwidth-code-point|get-east-asian-width|environment|cli-cursor|restore-cursor|onetime|mimic-function)/)',
  ],
  setupFiles: ['<rootDir>/test/setup/environment.ts'],
  setupFilesAfterEnv: ['aws-cdk-lib/testhelpers/jest-autoclean'],
  testTimeout: 30000,
  // Most tests wait on simulated Genesys delays rather than compute: two workers on CI's two cores (jest's
  // default there is one) halve the wall time.
  maxWorkers: 2,
  collectCoverageFrom: ['lambdas/**/*.ts', 'local/**/*.ts', 'lib/**/*.ts'],
  // The CLI's own code is measured in-process: test/local/cli runs each command through main() against the
  // simulator (commands.test.ts), Ctrl-C with SIGINT emitted on the process (watch.test.ts) and the live progress
  // on a fake terminal; the tests that run the real command as a child process add no coverage.
  coverageThreshold: {
    global: LINES_90,
    './lambdas/': LINES_90,
    './lambdas/api/': LINES_90,
    './lambdas/aws/': LINES_90,
    './lambdas/genesys/': LINES_90,
    './lambdas/handlers/': LINES_90,
    './lambdas/shared/': LINES_90,
    './lambdas/workflows/': LINES_90,
    './local/': LINES_90,
    './local/adapters/': LINES_90,
    './local/cli/': LINES_90,
    './lib/': LINES_90,
    './lib/constructs/': LINES_90,
  },
};
