/** State names of the offboarding state machine (lib/constructs/offboarding-state-machine.ts, local tasks). */
export const OFFBOARDING_STATES = {
  prepare: 'PrepareOffboarding',
  removeIntegration: 'RemoveIntegration',
  removeCredentials: 'RemoveCredentials',
  removeClients: 'RemoveOAuthClients',
  removeSecret: 'RemoveSecret',
  offboarded: 'Offboarded',
  describeLeftovers: 'DescribeLeftovers',
  failed: 'OffboardingFailed',
} as const;
