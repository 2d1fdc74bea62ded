/**
 * How every function of the stack is bundled and what it starts with, as plain data (no CDK import):
 * StepFunction applies it, and the benchmark (bench/cold-start.ts) builds and loads its bundles with it, so
 * what it measures is what is deployed.
 */
export const FUNCTION_BUNDLING = {
  minify: true,
  // No source maps: with Node's --enable-source-maps each load of a step took about 14 ms more CPU
  // (docs/performance-changes.md). Minified code keeps the functions' and classes' names for stack traces.
  sourceMap: false,
  keepNames: true,
  target: 'node22',
  // A package's ES module build before its CommonJS one (esbuild's default for node is the reverse): esbuild
  // drops the unused exports of an ES module only. @smithy/service-error-classification's CommonJS build
  // re-exports all of @smithy/core/retry (about 27 KB); its ES module build brings 14 KB.
  mainFields: ['module', 'main'],
  /**
   * The AWS SDK v3 comes with the Lambda runtime. `@smithy/*` stays bundled: the runtime does not ship
   * `@smithy/service-error-classification`, which lambdas/aws and the X-Ray SDK import (aws/aws-cdk#33099).
   */
  externalModules: ['@aws-sdk/*'],
} as const;

/** The environment variables every function starts with. */
export const FUNCTION_ENVIRONMENT: Readonly<Record<string, string>> = {
  POWERTOOLS_SERVICE_NAME: 'genesys-onboarding',
  POWERTOOLS_LOG_LEVEL: 'INFO',
};
