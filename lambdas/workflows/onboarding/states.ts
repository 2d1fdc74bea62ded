/**
 * State names of the onboarding state machine: the contract between its definition
 * (lib/constructs/onboarding-state-machine.ts), the local runner's task registry and the CLI's progress.
 */
export const ONBOARDING_STATES = {
  prepare: 'Prepare',
  provision: 'Provision',
  ensureOAuthClient: 'EnsureOAuthClient',
  ensureIntegration: 'EnsureIntegration',
  provisioned: 'Provisioned?',
  configure: 'ConfigureIntegration',
  record: 'RecordConfiguration',
  verify: 'Verify',
  active: 'IntegrationActive?',
  waitForActivation: 'WaitForActivation',
  onboarded: 'Onboarded',
  compensate: 'Compensate',
  compensationFailed: 'CompensationFailed',
  failed: 'OnboardingFailed',
} as const;
