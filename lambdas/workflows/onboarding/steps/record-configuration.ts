import { type StepDeps, SYSTEM_CLOCK } from '../../../shared/deps';
import { canonicalJson } from '../../../shared/naming';
import type { SecretDescription } from '../../../shared/secret-store';
import { readResultSecret, serializeResultSecret } from '../../../shared/secrets';
import { defineStep } from '../../../shared/step';
import { type RecordInput, recordInputSchema } from '../state';

/**
 * Records in the result secret which integration and credential use the client, whether the integration was
 * adopted rather than created (`integrationAdopted`, left out when unknown), and the fingerprint of the
 * credentials the credential was written with; a run's intent to install the integration (`integrationCreation`)
 * is dropped, as the record now names it. Its function and the OAuth-client step's are the only ones, with
 * compensation, allowed to write the result secret.
 */
export async function recordConfiguration(
  input: RecordInput,
  deps: StepDeps,
): Promise<{ updated: boolean; rotationScheduled?: boolean }> {
  // A rotation in progress writes the record itself when it finishes.
  if (input.plan.rotation) return { updated: false };
  const [stored, described] = await Promise.all([
    readResultSecret(deps.secrets, input.plan.resultSecretId),
    deps.settings.rotation ? deps.secrets.describe(input.plan.resultSecretId) : undefined,
  ]);
  if (!stored || stored.secret.clientId !== input.client.oauthClientId) return { updated: false };
  // The intent to install the integration is settled once the record names the integration.
  const { integrationAdopted: earlierOrigin, integrationCreation, ...secret } = stored.secret;
  const adopted = input.integration.integrationAdopted;
  const recorded = {
    integrationId: input.integration.integrationId,
    ...(adopted !== undefined ? { integrationAdopted: adopted } : {}),
    credentialId: input.configured.credentialId,
    // What Configure wrote: if another run replaced the secret since, the next run sees the mismatch.
    credentialFingerprint: input.configured.credentialFingerprint,
    onboardedWith: input.plan.request,
  };
  const unchanged =
    integrationCreation === undefined &&
    secret.integrationId === recorded.integrationId &&
    earlierOrigin === adopted &&
    secret.credentialId === recorded.credentialId &&
    secret.credentialFingerprint === recorded.credentialFingerprint &&
    canonicalJson(secret.onboardedWith) === canonicalJson(recorded.onboardedWith);
  if (!unchanged) {
    await deps.secrets.put({
      name: input.plan.resultSecretId,
      value: serializeResultSecret({
        ...secret,
        ...recorded,
        recordedAt: new Date((deps.clock ?? SYSTEM_CLOCK).now()).toISOString(),
      }),
    });
  }
  const rotationScheduled = await scheduleRotation(input.plan.resultSecretId, described, deps);
  return { updated: !unchanged, ...(rotationScheduled ? { rotationScheduled } : {}) };
}

/**
 * Has Secrets Manager rotate the org's secret with the stack's rotation function (once the integration uses
 * the client: rotation switches its credential), when it does not already (`described`: the secret as read
 * beside the record). Only after the record is written: scheduling without rotating now runs the rotation
 * function's testSecret step on the secret as it is (AWS RotateSecret, `RotateImmediately`). Nothing in local
 * runs.
 */
async function scheduleRotation(
  secretId: string,
  described: SecretDescription | undefined,
  deps: StepDeps,
): Promise<boolean> {
  const rotation = deps.settings.rotation;
  if (!rotation) return false;
  if (described?.rotation?.enabled && described.rotation.everyDays === rotation.everyDays) return false;
  return deps.secrets.scheduleRotation(secretId, rotation);
}

export const recordConfigurationStep = defineStep({
  name: 'onboarding/record-configuration',
  input: recordInputSchema,
  run: recordConfiguration,
});
