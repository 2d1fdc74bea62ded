import type { GenesysClient } from '../../../genesys/client';
import { isGenesysError } from '../../../genesys/errors';
import {
  type CredentialRequest,
  type IntegrationConfiguration,
  OAUTH_CREDENTIAL_TYPE,
} from '../../../genesys/models';
import type { StepDeps } from '../../../shared/deps';
import { ONBOARDING_ERRORS, OnboardingError } from '../../../shared/errors';
import { credentialFingerprint, credentialName } from '../../../shared/naming';
import { type ResultSecret, readResultSecret } from '../../../shared/secrets';
import { openBootstrapSession } from '../../../shared/session';
import { defineStep } from '../../../shared/step';
import {
  type ConfigureOutcome,
  type IntegrationOutcome,
  type ProvisionedInput,
  provisionedInputSchema,
} from '../state';

const MAX_CONFIG_ATTEMPTS = 5;

/**
 * Points the integration at the OAuth client: the `pureCloudOAuthClient` credential (created or updated from
 * the stored secret), `config/current` (GET then PUT with the current version), then `intendedState: ENABLED`.
 * Each part is skipped when it is already so.
 */
export async function configureIntegration(
  input: ProvisionedInput,
  deps: StepDeps,
): Promise<ConfigureOutcome> {
  const { plan, integration } = input;
  const stored = await readResultSecret(deps.secrets, plan.resultSecretId);
  if (!stored || stored.secret.clientId !== input.client.oauthClientId) {
    throw new OnboardingError(
      ONBOARDING_ERRORS.resultSecretMissing,
      `The credentials of OAuth client ${input.client.oauthClientId} are not in ${plan.resultSecretId}`,
    );
  }
  const { client } = await openBootstrapSession(deps, plan);

  const credential = await ensureCredential(client, integration, stored.secret);
  const configUpdated = await ensureConfig(client, integration, credential.credentialId, plan.integration);
  // Re-enabling after a credential change is harmless and makes the integration pick the new secret up;
  // an integration found in ERROR gets another activation too.
  const enabled =
    integration.intendedState !== 'ENABLED' ||
    integration.reportedState === 'ERROR' ||
    configUpdated ||
    credential.credentialUpdated;
  if (enabled) await client.integrations.patch(integration.integrationId, { intendedState: 'ENABLED' });
  return {
    ...credential,
    credentialFingerprint: credentialFingerprint(stored.secret.clientId, stored.secret.clientSecret),
    configUpdated,
    enabled,
  };
}

async function ensureCredential(
  client: GenesysClient,
  integration: IntegrationOutcome,
  secret: ResultSecret,
): Promise<{ credentialId: string; credentialCreated: boolean; credentialUpdated: boolean }> {
  const body: CredentialRequest = {
    name: credentialName(integration.integrationId),
    type: { name: OAUTH_CREDENTIAL_TYPE },
    credentialFields: { clientId: secret.clientId, clientSecret: secret.clientSecret },
  };
  const fingerprint = credentialFingerprint(secret.clientId, secret.clientSecret);
  const knownId =
    integration.configuredCredentialId ??
    (await client.credentials.findByName(body.name)).map((c) => c.id).sort()[0];

  if (knownId) {
    // The API never returns a credential's secret: the fingerprint recorded with it says whether it is current.
    if (secret.credentialId === knownId && secret.credentialFingerprint === fingerprint) {
      return { credentialId: knownId, credentialCreated: false, credentialUpdated: false };
    }
    try {
      await client.credentials.update(knownId, body);
      return { credentialId: knownId, credentialCreated: false, credentialUpdated: true };
    } catch (error) {
      if (!isGenesysError(error, 'not-found')) throw error;
    }
  }
  const created = await client.credentials.create(body);
  return { credentialId: created.id, credentialCreated: true, credentialUpdated: false };
}

/**
 * PUT config/current with the current version: a new integration's config is known (version 1, empty, as the
 * Genesys wizard sends it), any other is read first. A version conflict re-reads and tries again.
 */
async function ensureConfig(
  client: GenesysClient,
  integration: IntegrationOutcome,
  credentialId: string,
  wanted: { name: string; notes: string },
): Promise<boolean> {
  if (integration.configuredCredentialId === credentialId) return false;
  const fresh: IntegrationConfiguration = {
    name: wanted.name,
    version: 1,
    properties: {},
    advanced: {},
    notes: wanted.notes,
    credentials: {},
  };
  for (let attempt = 1; ; attempt++) {
    const current =
      integration.integrationCreated && attempt === 1
        ? fresh
        : await client.integrations.getConfig(integration.integrationId);
    const notes = current.notes === 'node_dynamodb_empty_string' ? '' : (current.notes ?? '');
    try {
      await client.integrations.putConfig(integration.integrationId, {
        name: current.name ?? wanted.name,
        version: current.version,
        properties: current.properties ?? {},
        advanced: current.advanced ?? {},
        notes: wanted.notes || notes,
        credentials: { ...(current.credentials ?? {}), [OAUTH_CREDENTIAL_TYPE]: { id: credentialId } },
      });
      return true;
    } catch (error) {
      if (!isGenesysError(error, 'conflict') || attempt >= MAX_CONFIG_ATTEMPTS) throw error;
    }
  }
}

export const configureIntegrationStep = defineStep({
  name: 'onboarding/configure-integration',
  input: provisionedInputSchema,
  run: configureIntegration,
});
