import type { GenesysClient } from '../../../genesys/client';
import { configuredCredential } from '../../../genesys/models';
import { type StepDeps, SYSTEM_CLOCK } from '../../../shared/deps';
import { OnboardingError, ROTATION_ERRORS } from '../../../shared/errors';
import { credentialName } from '../../../shared/naming';
import { isMarked } from '../../../shared/ownership';
import {
  type ResultSecret,
  readPendingVersion,
  readResultSecret,
  recordedIdWindowMs,
} from '../../../shared/secrets';
import { bootstrapClientOf, type RotationEvent } from '../context';

/**
 * finishSecret: only once the integration is configured with the pending credential (else
 * `Rotation.NotSwitched`, and nothing changes), AWSCURRENT moves to the pending version; then the previous
 * credential and the previous client (`inactive`, DELETE, gone) are removed, with any other marked active or
 * inactive client of the name (never a `disabled` one: Genesys support set that) and any credential of the integration that neither the record nor the configuration uses
 * (left by an attempt that stopped). Idempotent, also when the version is already current (a retry after the
 * move): the removal is done again and finds nothing. Returns what it removed.
 */
export async function finishSecret(
  event: RotationEvent,
  deps: StepDeps,
): Promise<{ oauthClientId: string; removedClientIds: string[]; removedCredentialIds: string[] }> {
  // The pending version of this rotation is promoted; with none (a retry after the move), the current record
  // is this rotation's and only the removal is left to do.
  const pending = await readPendingVersion(deps.secrets, event.secretId);
  const promoting = pending && (pending.versionId === undefined || pending.versionId === event.token);
  const record = promoting ? pending.secret : (await readResultSecret(deps.secrets, event.secretId))?.secret;
  if (!record) {
    throw new OnboardingError(
      ROTATION_ERRORS.notOnboarded,
      `${event.secretId} holds no record: nothing to finish`,
    );
  }
  const client = await bootstrapClientOf(record, deps);
  const integrationId = record.integrationId as string;
  const integration = await client.integrations.get(integrationId, { expandConfig: true });
  const configured = configuredCredential(integration);
  if (!configured || configured !== record.credentialId) {
    throw new OnboardingError(
      ROTATION_ERRORS.notSwitched,
      `Integration ${integrationId} is not configured with credential ${record.credentialId}: setSecret has not switched it, so the previous client is kept`,
    );
  }
  if (promoting) await deps.secrets.promote(event.secretId, event.token);

  const { goneTimeoutMs, readAfterCreateMs } = deps.settings.consistency;
  // Listed ids surely exist: a 404 on them is the read-after-create window. The previous ids, named by a
  // record, get the window while that record is recent.
  const listed = { retryNotFoundMs: readAfterCreateMs, goneTimeoutMs, releaseTimeoutMs: goneTimeoutMs };
  const previousWindow = recordedIdWindowMs(
    record.rotatedFrom,
    readAfterCreateMs,
    (deps.clock ?? SYSTEM_CLOCK).now(),
  );
  const named = { ...listed, retryNotFoundMs: previousWindow };
  const previous = record.rotatedFrom;

  const removedCredentialIds: string[] = [];
  const credentials = await spareCredentials(client, record, configured);
  if (
    previous?.credentialId &&
    previous.credentialId !== configured &&
    !credentials.includes(previous.credentialId)
  ) {
    credentials.push(previous.credentialId);
  }
  for (const id of credentials) {
    const removal = await client.credentials.delete(id, id === previous?.credentialId ? named : listed);
    if (removal === 'deleted') removedCredentialIds.push(id);
  }
  const leftOver = (await client.oauthClients.list())
    .filter(
      (c) =>
        c.name === record.oauthClientName &&
        c.id !== record.clientId &&
        (c.state === 'active' || c.state === 'inactive') &&
        isMarked(c.description),
    )
    .map((c) => c.id);
  const toRemove = [
    ...new Set([
      ...(previous && previous.clientId !== record.clientId ? [previous.clientId] : []),
      ...leftOver,
    ]),
  ];
  const removedClientIds: string[] = [];
  for (const id of toRemove) {
    const removal = await client.oauthClients.deactivateAndDelete(id, leftOver.includes(id) ? listed : named);
    if (removal === 'deleted') removedClientIds.push(id);
  }
  return { oauthClientId: record.clientId, removedClientIds, removedCredentialIds };
}

/**
 * The listed credentials of the record's integration (named after it, so ours) that the configuration does
 * not use: the previous one, and any an attempt that stopped made. None on an integration taken over
 * (adopted): credentials named after it may be another team's.
 */
async function spareCredentials(
  client: GenesysClient,
  record: ResultSecret,
  configured: string,
): Promise<string[]> {
  if (record.integrationAdopted === true) return [];
  const named = await client.credentials.findByName(credentialName(record.integrationId as string));
  return named.map((c) => c.id).filter((id) => id !== configured);
}
