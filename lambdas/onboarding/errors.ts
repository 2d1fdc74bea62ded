/** Step Functions error names of the onboarding steps, beside the `Genesys.*` names of the Genesys client. */
export const ONBOARDING_ERRORS = {
  invalidRequest: 'Onboarding.InvalidRequest',
  bootstrapSecretMissing: 'Onboarding.BootstrapSecretMissing',
  bootstrapSecretInvalid: 'Onboarding.BootstrapSecretInvalid',
  regionMismatch: 'Onboarding.RegionMismatch',
  wrongOrg: 'Onboarding.WrongOrg',
  notClientCredentials: 'Onboarding.NotClientCredentials',
  missingRoles: 'Onboarding.MissingRoles',
  unknownRoles: 'Onboarding.UnknownRoles',
  unknownDivision: 'Onboarding.UnknownDivision',
  resultSecretMissing: 'Onboarding.ResultSecretMissing',
  otherClientOnboarded: 'Onboarding.OtherClientOnboarded',
  concurrentRun: 'Onboarding.ConcurrentRun',
  credentialsNotYetUsable: 'Onboarding.CredentialsNotYetUsable',
  integrationError: 'Onboarding.IntegrationError',
  integrationNotActive: 'Onboarding.IntegrationNotActive',
} as const;

export type OnboardingErrorName = (typeof ONBOARDING_ERRORS)[keyof typeof ONBOARDING_ERRORS];

/** A failure of the onboarding logic itself; its name is what the state machine catches and reports. */
export class OnboardingError extends Error {
  constructor(
    override readonly name: OnboardingErrorName,
    message: string,
  ) {
    super(message);
  }
}
