import { isGenesysError } from '../../../genesys/errors';
import { messageInfoText } from '../../../genesys/messages';
import type { StepDeps } from '../../../shared/deps';
import { ONBOARDING_ERRORS, OnboardingError } from '../../../shared/errors';
import { readResultSecret } from '../../../shared/secrets';
import { openBootstrapSession, openClientSession } from '../../../shared/session';
import { defineStep } from '../../../shared/step';
import { type ProvisionedInput, provisionedInputSchema, type VerifyOutcome } from '../state';

/**
 * Checks that the new client's credentials mint a token (a new client can take seconds to become usable:
 * the state machine retries `Onboarding.CredentialsNotYetUsable` with backoff) and reads the integration's
 * reported state. The state machine loops through a Wait state until it is ACTIVE.
 */
export async function verify(input: ProvisionedInput, deps: StepDeps): Promise<VerifyOutcome> {
  const attempt = (input.verification?.attempt ?? 0) + 1;
  // During a rotation its testSecret step checks the credentials; the current record may not be the live one.
  const checkCredentials = !input.client.credentialsVerified && attempt === 1 && !input.plan.rotation;
  // Found ACTIVE and left as it was, or ACTIVE in the enable PATCH's answer: nothing to wait for.
  const configured = input.configured;
  const untouched =
    configured !== undefined &&
    !configured.credentialCreated &&
    !configured.credentialUpdated &&
    !configured.configUpdated &&
    !configured.enabled;
  const knownActive =
    (untouched && input.integration.reportedState === 'ACTIVE') || configured?.reportedState === 'ACTIVE';
  if (attempt === 1 && knownActive) {
    if (checkCredentials) await checkClientCredentials(input, deps);
    return { attempt, reportedState: 'ACTIVE' };
  }

  const { client } = await openBootstrapSession(deps, input.plan);
  const [, integration] = await Promise.all([
    checkCredentials ? checkClientCredentials(input, deps) : undefined,
    client.integrations.get(input.integration.integrationId, {
      retryNotFoundMs: deps.settings.consistency.readAfterCreateMs,
    }),
  ]);
  const reportedState = integration.reportedState?.code ?? 'UNKNOWN';
  if (reportedState === 'ERROR') {
    const detail = messageInfoText(integration.reportedState?.detail);
    throw new OnboardingError(
      ONBOARDING_ERRORS.integrationError,
      `Integration ${integration.id} reports ERROR${detail ? `: ${detail}` : ' (no detail given)'}`,
    );
  }
  if (reportedState !== 'ACTIVE' && attempt >= deps.settings.maxVerifyAttempts) {
    throw new OnboardingError(
      ONBOARDING_ERRORS.integrationNotActive,
      `Integration ${integration.id} is still ${reportedState} after ${attempt} checks`,
    );
  }
  return { attempt, reportedState };
}

async function checkClientCredentials(input: ProvisionedInput, deps: StepDeps): Promise<void> {
  const stored = await readResultSecret(deps.secrets, input.plan.resultSecretId);
  if (!stored) {
    throw new OnboardingError(
      ONBOARDING_ERRORS.resultSecretMissing,
      `${input.plan.resultSecretId} is missing`,
    );
  }
  try {
    await openClientSession(deps, stored.secret).tokens.getToken();
  } catch (error) {
    if (isGenesysError(error, 'authentication')) {
      throw new OnboardingError(
        ONBOARDING_ERRORS.credentialsNotYetUsable,
        `OAuth client ${input.client.oauthClientId} cannot get a token yet`,
      );
    }
    throw error;
  }
}

export const verifyStep = defineStep({
  name: 'onboarding/verify',
  input: provisionedInputSchema,
  run: verify,
});
