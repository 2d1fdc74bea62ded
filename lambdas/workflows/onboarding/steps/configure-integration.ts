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
import { isMarked, withMarker, withoutMarker } from '../../../shared/ownership';
import { type ResultSecret, readPendingRecord, readResultSecret } from '../../../shared/secrets';
import { openBootstrapSession } from '../../../shared/session';
import { defineStep } from '../../../shared/step';
import { createOrFindLost } from '../lost-create';
import {
  type ConfigureInput,
  type ConfigureOutcome,
  configureInputSchema,
  isFirstAttempt,
  type ProvisionedInput,
} from '../state';

/**
 * Points the integration at the OAuth client: our `pureCloudOAuthClient` credential (created or updated from
 * the stored secret; a credential someone else configured is never changed), `config/current` (name, notes
 * with the ownership marker, the credential; read-modify-write with the current version, retried on
 * version conflicts), then `intendedState: ENABLED`. Each part is skipped when it is already so. `changes`:
 * EnsureIntegration's lines, then what this step changed on an integration that existed before the run (a
 * repair: the marker written back, the credential pointed back or rewritten, enabled again). Throws
 * OnboardingError `ResultSecretMissing` or a GenesysApiError.
 */
export async function configureIntegration(input: ConfigureInput, deps: StepDeps): Promise<ConfigureOutcome> {
  const { plan, integration } = input;
  if (plan.rotation) return unchangedDuringRotation(input, deps);
  // Both secrets at once; the session is used only once the record holds the client's credentials.
  const opening = openBootstrapSession(deps, plan);
  opening.catch(() => undefined);
  const stored = await readResultSecret(deps.secrets, plan.resultSecretId);
  if (!stored || stored.secret.clientId !== input.client.oauthClientId) {
    throw new OnboardingError(
      ONBOARDING_ERRORS.resultSecretMissing,
      `The credentials of OAuth client ${input.client.oauthClientId} are not in ${plan.resultSecretId}`,
    );
  }
  const { client } = await opening;
  const retryNotFoundMs = deps.settings.consistency.readAfterCreateMs;

  const credential = await ensureCredential(client, input, stored.secret, deps);
  const config = await ensureConfig(client, input, credential.credentialId, retryNotFoundMs);
  const configUpdated = config.updated;
  // Re-enabling after a credential change makes the integration pick the new secret up; an integration found
  // in ERROR has had its credential rewritten (ensureCredential), so it gets another activation too.
  const enabled = integration.intendedState !== 'ENABLED' || configUpdated || credential.credentialUpdated;
  const patched = enabled
    ? await client.integrations.patch(
        integration.integrationId,
        { intendedState: 'ENABLED' },
        { retryNotFoundMs },
      )
    : undefined;
  // An integration this run created is set up, not changed: only one that existed before has changes.
  const repairs = integration.integrationCreated
    ? []
    : [
        ...(credential.credentialUpdated
          ? [`credential ${credential.credentialId} rewritten with the stored client id and secret`]
          : []),
        ...config.changes,
        ...(integration.intendedState === 'ENABLED' ? [] : [`enabled (was ${integration.intendedState})`]),
      ];
  return {
    ...credential,
    credentialFingerprint: credentialFingerprint(stored.secret.clientId, stored.secret.clientSecret),
    configUpdated,
    enabled,
    ...(patched?.reportedState?.code ? { reportedState: patched.reportedState.code } : {}),
    changes: [
      ...integration.changes,
      ...repairs.map((line) => `Integration ${integration.integrationId}: ${line}`),
    ],
  };
}

/**
 * A rotation in progress owns the credential and the configuration until it finishes: the outcome reports the
 * live credential (the pending one once the rotation switched to it) and changes nothing.
 */
async function unchangedDuringRotation(
  { plan, integration }: ProvisionedInput,
  deps: StepDeps,
): Promise<ConfigureOutcome> {
  const rotation = plan.rotation as NonNullable<ProvisionedInput['plan']['rotation']>;
  const [current, pending] = await Promise.all([
    readResultSecret(deps.secrets, plan.resultSecretId),
    readPendingRecord(deps.secrets, plan.resultSecretId),
  ]);
  const live = [current?.secret, pending].find((record) => record?.clientId === rotation.liveClientId);
  if (!live?.credentialId) {
    throw new OnboardingError(
      ONBOARDING_ERRORS.resultSecretMissing,
      `The record of OAuth client ${rotation.liveClientId} is not in ${plan.resultSecretId}`,
    );
  }
  return {
    credentialId: live.credentialId,
    credentialFingerprint: credentialFingerprint(live.clientId, live.clientSecret),
    credentialCreated: false,
    credentialUpdated: false,
    configUpdated: false,
    enabled: false,
    changes: integration.changes,
  };
}

/**
 * Our `pureCloudOAuthClient` credential for the integration, holding the stored client id and secret: the one
 * known to be ours, else (where a name proves ownership) the oldest named `Integration-<integrationId>`,
 * updated unless its recorded fingerprint matches; else a new one. A credential named after an integration
 * this run created was created by this run (an earlier attempt's, whose answer was lost) or by a run racing
 * this one. A create whose answer this attempt lost is found by name (`createOrFindLost`). Any other run may
 * have created one too: after creating, the oldest is kept and our own removed.
 *
 * The look before creating is skipped on the first attempt of this state (`input.attempt`) for an integration
 * this run created: no earlier attempt of this state exists, and the integration's id was known to nobody
 * before this run's EnsureIntegration created it, so what the look could find is a credential of a run that
 * found the integration by its marker since (the only other way to learn its id). The look after creating
 * sees that credential too, being later, and settles on the oldest one as the look before would have.
 */
async function ensureCredential(
  client: GenesysClient,
  input: ConfigureInput,
  secret: ResultSecret,
  deps: StepDeps,
): Promise<{ credentialId: string; credentialCreated: boolean; credentialUpdated: boolean }> {
  const { integration } = input;
  const retryNotFoundMs = deps.settings.consistency.readAfterCreateMs;
  const createdByThisRun = integration.integrationCreated;
  const body: CredentialRequest = {
    name: credentialName(integration.integrationId),
    type: { name: OAUTH_CREDENTIAL_TYPE },
    credentialFields: { clientId: secret.clientId, clientSecret: secret.clientSecret },
  };
  const lookFirst = integration.credentialByName && !(createdByThisRun && isFirstAttempt(input.attempt));
  const knownId =
    integration.ourCredentialId ??
    (lookFirst ? (await namedAfter(client, integration.integrationId))[0] : undefined);

  if (knownId) {
    // The API never returns a credential's secret: the fingerprint recorded with it says whether it is current,
    // unless the integration reports ERROR: then its contents may have been changed by hand, so it is rewritten.
    const fingerprint = credentialFingerprint(secret.clientId, secret.clientSecret);
    if (
      secret.credentialId === knownId &&
      secret.credentialFingerprint === fingerprint &&
      integration.reportedState !== 'ERROR'
    ) {
      return { credentialId: knownId, credentialCreated: false, credentialUpdated: false };
    }
    try {
      await client.credentials.update(knownId, body, { retryNotFoundMs });
      return { credentialId: knownId, credentialCreated: createdByThisRun, credentialUpdated: true };
    } catch (error) {
      // Gone for good (404 after the read-after-create window): a new one is made below.
      if (!isGenesysError(error, 'not-found')) throw error;
    }
  }
  if (!integration.credentialByName) {
    // Someone else configured this integration: a name proves nothing (the Genesys UI names credentials so too).
    const created = await client.credentials.create(body);
    return { credentialId: created.id, credentialCreated: true, credentialUpdated: false };
  }
  const attempt = await createOrFindLost(
    deps,
    () => client.credentials.create(body),
    async () => {
      const [lost] = await namedAfter(client, integration.integrationId);
      return lost === undefined ? undefined : { id: lost };
    },
  );
  if (attempt.found) {
    await client.credentials.update(attempt.resource.id, body, { retryNotFoundMs });
    return {
      credentialId: attempt.resource.id,
      credentialCreated: createdByThisRun,
      credentialUpdated: true,
    };
  }
  const created = attempt.resource;
  // The later creator always sees the earlier one (a racing run's, or an earlier attempt's the first look
  // missed or skipped), so every run keeps the oldest and removes its own. Needed on the first attempt too: a
  // run that found this run's new integration by its marker (requests that differ are executions of their
  // own) may have created its credential before this one and looked before this one existed.
  const [oldest] = await namedAfter(client, integration.integrationId);
  if (oldest && oldest !== created.id) {
    await client.credentials.update(oldest, body, { retryNotFoundMs });
    await client.credentials.delete(created.id);
    return { credentialId: oldest, credentialCreated: createdByThisRun, credentialUpdated: true };
  }
  return { credentialId: created.id, credentialCreated: true, credentialUpdated: false };
}

/** Ids of the credentials named `Integration-<integrationId>`, oldest first. */
async function namedAfter(client: GenesysClient, integrationId: string): Promise<string[]> {
  return (await client.credentials.findByName(credentialName(integrationId)))
    .sort((a, b) => (a.createdDate ?? '').localeCompare(b.createdDate ?? '') || a.id.localeCompare(b.id))
    .map((c) => c.id);
}

/**
 * The integration's name, its notes with the ownership marker, and our credential, in `config/current`. A
 * new integration's config is known (empty but for the marker, at the version EnsureIntegration saved it
 * with), any other is read first; `updateConfig` sends no PUT when nothing differs and retries version conflicts.
 *
 * No call at all when the config Prepare read with the integration by id (`readConfig`, the recorded
 * integration) is already as wanted with the configured credential: reading it again moments later tells no
 * more, as the config may change right after any read; a change between the two reads is one no run can tell
 * from a change just after it. Only a config that is to change is read again, for its version and the parts
 * that are kept (properties, advanced, other credentials). Returns whether it was written, and what the write
 * changed besides the name (a rename is EnsureIntegration's to report).
 */
async function ensureConfig(
  client: GenesysClient,
  input: ProvisionedInput,
  credentialId: string,
  retryNotFoundMs: number,
): Promise<{ updated: boolean; changes: string[] }> {
  const { plan, integration } = input;
  // What EnsureIntegration left on an integration it created: empty but for the marker.
  const fresh: IntegrationConfiguration = {
    name: plan.integration.name,
    version: integration.configVersion ?? 1,
    properties: {},
    advanced: {},
    notes: integration.configVersion === undefined ? '' : withMarker(''),
    credentials: {},
  };
  const notesFor = (current: string | undefined) =>
    withMarker(plan.integration.notes || withoutMarker(current));
  const asWanted = (name: string | undefined, notes: string | undefined, configured: string | undefined) =>
    name === plan.integration.name && notes === notesFor(notes) && configured === credentialId;
  const read = integration.readConfig;
  if (read && asWanted(read.name, read.notes, integration.configuredCredentialId)) {
    return { updated: false, changes: [] };
  }
  let updated = false;
  let changes: string[] = [];
  await client.integrations.updateConfig(
    integration.integrationId,
    (current) => {
      const notes = notesFor(current.notes);
      const unchanged = asWanted(
        current.name,
        current.notes,
        current.credentials?.[OAUTH_CREDENTIAL_TYPE]?.id,
      );
      updated = !unchanged;
      changes = [];
      if (unchanged) return undefined;
      const configured = current.credentials?.[OAUTH_CREDENTIAL_TYPE]?.id;
      changes = [
        ...(isMarked(current.notes) ? [] : ['ownership marker added to its notes']),
        ...(withoutMarker(current.notes) === withoutMarker(notes)
          ? []
          : [`notes set to ${JSON.stringify(withoutMarker(notes))}`]),
        ...(configured === credentialId
          ? []
          : [`configured with credential ${credentialId} (was ${configured ?? 'none'})`]),
      ];
      return {
        name: plan.integration.name,
        version: current.version,
        properties: current.properties ?? {},
        advanced: current.advanced ?? {},
        notes,
        credentials: { ...(current.credentials ?? {}), [OAUTH_CREDENTIAL_TYPE]: { id: credentialId } },
      };
    },
    { ...(integration.integrationCreated ? { knownCurrent: fresh } : {}), retryNotFoundMs },
  );
  return { updated, changes };
}

export const configureIntegrationStep = defineStep({
  name: 'onboarding/configure-integration',
  input: configureInputSchema,
  run: configureIntegration,
});
