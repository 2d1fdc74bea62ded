import type { GenesysClient } from '../../../genesys/client';
import { isGenesysError } from '../../../genesys/errors';
import type { OAuthClient, OAuthClientWithSecret, RoleDivision } from '../../../genesys/models';
import type { StepDeps } from '../../../shared/deps';
import { ONBOARDING_ERRORS, OnboardingError } from '../../../shared/errors';
import { SecretExistsError, type SecretToPut } from '../../../shared/secret-store';
import { type ResultSecret, readResultSecret, serializeResultSecret } from '../../../shared/secrets';
import { openBootstrapSession, openClientSession } from '../../../shared/session';
import { defineStep } from '../../../shared/step';
import { type ClientOutcome, type OnboardingPlan, planSchema } from '../state';

/**
 * Finds the OAuth client by name or creates it, and keeps its secret in the result secret: written in this
 * invocation, right after the only response that carries it. A client whose stored secret is missing or no
 * longer works gets a new secret.
 */
export async function ensureOAuthClient(plan: OnboardingPlan, deps: StepDeps): Promise<ClientOutcome> {
  const session = await openBootstrapSession(deps, plan);
  const { client } = session;
  const [clients, stored] = await Promise.all([
    client.oauthClients.list(),
    readResultSecret(deps.secrets, plan.resultSecretId),
  ]);
  const named = clients.filter((c) => c.name === plan.oauthClient.name);
  // The one whose secret is stored, else the oldest: a lost race can leave a second one of the name.
  const existing = named.find((c) => c.id === stored?.secret.clientId) ?? oldest(named);
  const other =
    stored && stored.secret.clientId !== existing?.id && clients.find((c) => c.id === stored.secret.clientId);
  if (other) {
    // One Data Actions client per org: its secret is the org's single place of truth.
    throw new OnboardingError(
      ONBOARDING_ERRORS.otherClientOnboarded,
      `Org ${plan.orgId} is onboarded with OAuth client ${other.id} (${JSON.stringify(other.name)}), whose secret ${plan.resultSecretId} holds; this request names ${JSON.stringify(plan.oauthClient.name)}. Use that client name, or remove that client and its secret first`,
    );
  }

  if (!existing) {
    const created = await client.oauthClients.create({
      name: plan.oauthClient.name,
      description: plan.oauthClient.description,
      authorizedGrantType: 'CLIENT-CREDENTIALS',
      accessTokenValiditySeconds: plan.oauthClient.accessTokenValiditySeconds,
      roleDivisions: plan.oauthClient.roleDivisions,
      state: 'active',
    });
    let written: { arn: string; created: boolean };
    try {
      // With no secret stored yet, creating it settles a race between two runs: the first to create wins.
      written = await storeClientSecret(deps, plan, session, created, undefined, stored === undefined);
    } catch (error) {
      // Without its stored secret the new client is unusable: remove it rather than leave an orphan.
      await client.oauthClients.deactivateAndDelete(created.id).catch(() => undefined);
      if (error instanceof SecretExistsError) {
        throw new OnboardingError(
          ONBOARDING_ERRORS.concurrentRun,
          `Another run stored the secret of org ${plan.orgId} first; this run's new client was removed and it will use that one`,
        );
      }
      throw error;
    }
    return {
      oauthClientId: created.id,
      clientCreated: true,
      secretArn: written.arn,
      secretCreated: written.created,
      credentialsVerified: false,
    };
  }

  await convergeClient(client, existing, plan);
  const holds =
    stored &&
    stored.secret.clientId === existing.id &&
    (await storedSecretHolds(deps, stored.secret, existing));
  if (stored && holds) {
    return {
      oauthClientId: existing.id,
      clientCreated: false,
      secretArn: stored.arn,
      secretCreated: false,
      credentialsVerified: holds === 'verified',
    };
  }

  const regenerated = await client.oauthClients.regenerateSecret(existing.id);
  const written = await storeClientSecret(deps, plan, session, regenerated, stored?.secret);
  return {
    oauthClientId: existing.id,
    clientCreated: false,
    secretArn: written.arn,
    secretCreated: written.created,
    credentialsVerified: false,
  };
}

/** How long a new client's credentials may take to work, by Genesys's eventual consistency. */
const NEW_CLIENT_GRACE_MS = 120_000;

/** Several clients of one name (a race, or a hand-made copy): the oldest one is the one to use. */
function oldest(clients: OAuthClient[]): OAuthClient | undefined {
  return [...clients].sort(
    (a, b) => (a.dateCreated ?? '').localeCompare(b.dateCreated ?? '') || a.id.localeCompare(b.id),
  )[0];
}

/** Brings an existing client's roles, validity and state to what the plan asks, with one PUT if anything differs. */
async function convergeClient(
  client: GenesysClient,
  existing: OAuthClient,
  plan: OnboardingPlan,
): Promise<void> {
  const wanted = plan.oauthClient;
  const sameRoles = sameRoleDivisions(existing.roleDivisions ?? [], wanted.roleDivisions);
  if (
    sameRoles &&
    existing.state === 'active' &&
    existing.accessTokenValiditySeconds === wanted.accessTokenValiditySeconds &&
    (existing.description ?? '') === wanted.description
  ) {
    return;
  }
  await client.oauthClients.update(existing.id, {
    name: wanted.name,
    description: wanted.description,
    authorizedGrantType: 'CLIENT-CREDENTIALS',
    accessTokenValiditySeconds: wanted.accessTokenValiditySeconds,
    roleDivisions: wanted.roleDivisions,
    state: 'active',
  });
}

function sameRoleDivisions(a: RoleDivision[], b: RoleDivision[]): boolean {
  const key = (rd: RoleDivision) => `${rd.roleId}/${rd.divisionId}`;
  const left = new Set(a.map(key));
  return left.size === new Set(b.map(key)).size && b.every((rd) => left.has(key(rd)));
}

/**
 * Whether the stored secret is the client's current one. A client created moments ago (by a run racing this
 * one) may not mint tokens yet: its stored secret is trusted, and Verify tries it with retries.
 */
async function storedSecretHolds(
  deps: StepDeps,
  secret: ResultSecret,
  existing: OAuthClient,
): Promise<'verified' | 'trusted' | false> {
  const ageMs = Date.now() - Date.parse(existing.dateCreated ?? '');
  if (ageMs >= 0 && ageMs < NEW_CLIENT_GRACE_MS) return 'trusted';
  return (await credentialsWork(deps, secret)) ? 'verified' : false;
}

/** Whether stored credentials still mint a token (a stale secret answers invalid_client). */
async function credentialsWork(deps: StepDeps, secret: ResultSecret): Promise<boolean> {
  try {
    await openClientSession(deps, secret).tokens.getToken();
    return true;
  } catch (error) {
    if (isGenesysError(error, 'authentication')) return false;
    throw error;
  }
}

async function storeClientSecret(
  deps: StepDeps,
  plan: OnboardingPlan,
  session: { apiUrl?: string; loginUrl?: string },
  client: OAuthClientWithSecret,
  previous: ResultSecret | undefined,
  createOnly = false,
): Promise<{ arn: string; created: boolean }> {
  const value: ResultSecret = {
    clientId: client.id,
    clientSecret: client.secret,
    orgId: plan.orgId,
    region: plan.region,
    oauthClientName: plan.oauthClient.name,
    ...(session.apiUrl ? { apiUrl: session.apiUrl } : {}),
    ...(session.loginUrl ? { loginUrl: session.loginUrl } : {}),
    // The integration and credential ids stay; the credential now holds an old secret, so no fingerprint.
    ...(previous?.clientId === client.id && previous.integrationId
      ? { integrationId: previous.integrationId }
      : {}),
    ...(previous?.clientId === client.id && previous.credentialId
      ? { credentialId: previous.credentialId }
      : {}),
  };
  const secret: SecretToPut = {
    name: plan.resultSecretId,
    value: serializeResultSecret(value),
    description: `Genesys Cloud Data Actions OAuth client ${plan.oauthClient.name} of org ${plan.orgId}`,
    tags: { 'genesys-onboarding:org-id': plan.orgId, 'genesys-onboarding:oauth-client-id': client.id },
    kmsKeyId: deps.settings.resultSecretKmsKeyId,
    createOnly,
  };
  return deps.secrets.put(secret);
}

export const ensureOAuthClientStep = defineStep({
  name: 'onboarding/ensure-oauth-client',
  input: planSchema,
  run: ensureOAuthClient,
});
