/**
 * Step Functions error names of the workflows' own failures, beside the `Genesys.*` names of the Genesys
 * client (`STEP_ERROR_NAMES` in genesys/errors.ts). The state machines retry and catch on these names: they
 * are imported there, never retyped.
 */
export const ONBOARDING_ERRORS = {
  invalidRequest: 'Onboarding.InvalidRequest',
  bootstrapSecretMissing: 'Onboarding.BootstrapSecretMissing',
  bootstrapSecretInvalid: 'Onboarding.BootstrapSecretInvalid',
  regionMismatch: 'Onboarding.RegionMismatch',
  unknownRegion: 'Onboarding.UnknownRegion',
  endpointNotAllowed: 'Onboarding.EndpointNotAllowed',
  wrongOrg: 'Onboarding.WrongOrg',
  notClientCredentials: 'Onboarding.NotClientCredentials',
  missingRoles: 'Onboarding.MissingRoles',
  unknownRoles: 'Onboarding.UnknownRoles',
  unknownDivision: 'Onboarding.UnknownDivision',
  resultSecretMissing: 'Onboarding.ResultSecretMissing',
  otherClientOnboarded: 'Onboarding.OtherClientOnboarded',
  otherIntegrationOnboarded: 'Onboarding.OtherIntegrationOnboarded',
  /** A same-name client or configured integration exists and is not ours (no record, no ownership marker). */
  nameTaken: 'Onboarding.NameTaken',
  /** A same-name client was disabled (by Genesys support): never re-activated or used. */
  clientDisabled: 'Onboarding.ClientDisabled',
  /** A client of the name may have been created moments ago and not be listed yet: retried. */
  clientCreationPending: 'Onboarding.ClientCreationPending',
  concurrentRun: 'Onboarding.ConcurrentRun',
  /**
   * A step's invocation has too little time left for what it still has to do (invocation-time.ts): it stops
   * before its Lambda timeout; retried, as a timeout is.
   */
  outOfTime: 'Onboarding.OutOfTime',
  credentialsNotYetUsable: 'Onboarding.CredentialsNotYetUsable',
  integrationError: 'Onboarding.IntegrationError',
  integrationNotActive: 'Onboarding.IntegrationNotActive',
  compensationFailed: 'Onboarding.CompensationFailed',
  /** A run that failed without a named error (should not happen: every step throws a named one). */
  failed: 'Onboarding.Failed',
} as const;

/** Error names of the offboarding workflow (it also ends with the shared `Onboarding.*` checks' names). */
export const OFFBOARDING_ERRORS = {
  invalidRequest: 'Offboarding.InvalidRequest',
  /** Something of ours could not be removed: the cause names what is left and why. */
  incomplete: 'Offboarding.Incomplete',
} as const;

/** Error names of the secret rotation function (Secrets Manager's rotation protocol). */
export const ROTATION_ERRORS = {
  /** The event does not fit the secret (unknown step, a version without AWSPENDING, rotation not enabled). */
  invalidEvent: 'Rotation.InvalidEvent',
  /** The org has no record: there is nothing to rotate. */
  notOnboarded: 'Rotation.NotOnboarded',
  /**
   * The record lacks an id (an onboarding that did not finish), or names a client or integration Genesys Cloud
   * no longer has: nothing is created; the org is repaired by onboarding it again first.
   */
  drifted: 'Rotation.Drifted',
  /**
   * Another rotation replaced this one's pending version, or finished, while this one ran: two local runs (Secrets
   * Manager runs one rotation of a secret at a time, so in the cloud only when a version's stages are moved by
   * hand). setSecret raises it before a config write; the local runner for a step that failed so.
   */
  superseded: 'Rotation.Superseded',
  /** The new client's credentials do not get a token yet, or the integration is not ACTIVE yet: retried. */
  notReady: 'Rotation.NotReady',
  /** The integration reports ERROR with the new credentials. */
  integrationError: 'Rotation.IntegrationError',
  /** finishSecret before the integration was switched to the pending credential: nothing is removed. */
  notSwitched: 'Rotation.NotSwitched',
} as const;

export type OnboardingErrorName =
  | (typeof ONBOARDING_ERRORS)[keyof typeof ONBOARDING_ERRORS]
  | (typeof OFFBOARDING_ERRORS)[keyof typeof OFFBOARDING_ERRORS]
  | (typeof ROTATION_ERRORS)[keyof typeof ROTATION_ERRORS];

/**
 * A failure of the workflows' own logic; its name is what the state machines catch and report. The
 * `Onboarding.*` checks (bootstrap secret, org, region, endpoints) serve every workflow.
 */
export class OnboardingError extends Error {
  constructor(
    override readonly name: OnboardingErrorName,
    message: string,
  ) {
    super(message);
  }
}

/** A Lambda error's Cause is JSON (`errorMessage`, `trace`) in AWS and the plain message locally. */
export function causeMessage(cause: string | undefined): string {
  if (!cause) return 'unknown cause';
  try {
    const parsed = JSON.parse(cause) as { errorMessage?: unknown };
    if (typeof parsed.errorMessage === 'string') return parsed.errorMessage;
  } catch {
    // plain text
  }
  return cause;
}
