/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: '<rootDir>/test/setup/quiet-environment.js',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.(t|j|mj)s$': ['@swc/jest'] },
  transformIgnorePatterns: ['/node_modules/(?!(@middy)/)'],
  setupFiles: ['<rootDir>/test/setup/environment.ts'],
  setupFilesAfterEnv: ['aws-cdk-lib/testhelpers/jest-autoclean'],
  testTimeout: 30000,
  collectCoverageFrom: ['lambdas/genesys/**/*.ts'],
  coverageThreshold: {
    'lambdas/genesys/': { lines: 90 },
  },
};
