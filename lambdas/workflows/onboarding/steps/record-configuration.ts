import { type StepDeps, SYSTEM_CLOCK } from '../../../shared/deps';
import { canonicalJson } from '../../../shared/naming';
import { readResultSecret, serializeResultSecret } from '../../../shared/secrets';
import { defineStep } from '../../../shared/step';
import { type RecordInput, recordInputSchema } from '../state';

/**
 * Records in the result secret which integration and credential use the client, and the fingerprint of the
 * credentials the credential was written with. Its function and the OAuth-client step's are the only ones, with
 * compensation, allowed to write the result secret.
 */
export async function recordConfiguration(input: RecordInput, deps: StepDeps): Promise<{ updated: boolean }> {
  const stored = await readResultSecret(deps.secrets, input.plan.resultSecretId);
  if (!stored || stored.secret.clientId !== input.client.oauthClientId) return { updated: false };
  const { secret } = stored;
  const recorded = {
    integrationId: input.integration.integrationId,
    credentialId: input.configured.credentialId,
    // What Configure wrote: if another run replaced the secret since, the next run sees the mismatch.
    credentialFingerprint: input.configured.credentialFingerprint,
    onboardedWith: input.plan.request,
  };
  if (
    secret.integrationId === recorded.integrationId &&
    secret.credentialId === recorded.credentialId &&
    secret.credentialFingerprint === recorded.credentialFingerprint &&
    canonicalJson(secret.onboardedWith) === canonicalJson(recorded.onboardedWith)
  ) {
    return { updated: false };
  }
  await deps.secrets.put({
    name: input.plan.resultSecretId,
    value: serializeResultSecret({
      ...secret,
      ...recorded,
      recordedAt: new Date((deps.clock ?? SYSTEM_CLOCK).now()).toISOString(),
    }),
  });
  return { updated: true };
}

export const recordConfigurationStep = defineStep({
  name: 'onboarding/record-configuration',
  input: recordInputSchema,
  run: recordConfiguration,
});
