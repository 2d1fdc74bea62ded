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
  /** The AWS SDK v3 comes with the Lambda runtime. */
  externalModules: ['@aws-sdk/*'],
} as const;

/** The environment variables every function starts with. */
export const FUNCTION_ENVIRONMENT: Readonly<Record<string, string>> = {
  POWERTOOLS_SERVICE_NAME: 'genesys-onboarding',
  POWERTOOLS_LOG_LEVEL: 'INFO',
};
