import type { GenesysClient } from '../../../genesys/client';
import {
  configuredCredential,
  type Integration,
  OAUTH_CREDENTIAL_TYPE,
  type OAuthClient,
} from '../../../genesys/models';
import type { ConsistencyOptions } from '../../../genesys/transport';
import { type StepDeps, SYSTEM_CLOCK } from '../../../shared/deps';
import { OnboardingError, ROTATION_ERRORS } from '../../../shared/errors';
import { credentialFingerprint, credentialName } from '../../../shared/naming';
import { isMarked, withMarker } from '../../../shared/ownership';
import { type ResultSecret, recordedIdWindowMs, serializeResultSecret } from '../../../shared/secrets';
import { REPAIR_FIRST, type RotationEvent, rotationContext } from '../context';

/**
 * createSecret: first, the client and integration the record names must exist (else `Rotation.Drifted`,
 * nothing created); then a second OAuth client with the current one's name, roles and divisions, token lifetime and
 * description (with the ownership marker), and a `pureCloudOAuthClient` credential for it, both unused so far;
 * their ids and the new secret are stored as the AWSPENDING version `token`. A Secrets Manager version cannot
 * be changed once written, so everything the record needs (the credential too) is made before it is stored.
 * Idempotent: a pending version of this token ends it; a marked client of the name and a credential named
 * after the integration that an earlier attempt left (it stopped before storing; not on an adopted integration,
 * where such a name proves nothing) are reused rather than made twice (the client gets a new secret, which only that attempt had), never the client of an earlier pending
 * version. Returns the new client's id.
 */
export async function createSecret(event: RotationEvent, deps: StepDeps): Promise<{ oauthClientId: string }> {
  const context = await rotationContext(event, deps);
  if (context.pending?.versionId === event.token) return { oauthClientId: context.pending.secret.clientId };
  const { current, genesys } = context;
  const integrationId = current.integrationId as string;
  const clock = deps.clock ?? SYSTEM_CLOCK;
  const recorded = {
    retryNotFoundMs: recordedIdWindowMs(current, deps.settings.consistency.readAfterCreateMs, clock.now()),
  };
  const { live, integration } = await recordedResources(event, current, genesys, recorded);
  // An earlier rotation's pending client may be the one the integration runs on (it stopped after setSecret):
  // its secret is never regenerated.
  const inUse = new Set([current.clientId, context.pending?.secret.clientId]);
  const leftOver = (await genesys.oauthClients.list()).find(
    (c) =>
      c.name === current.oauthClientName &&
      !inUse.has(c.id) &&
      c.state === 'active' &&
      isMarked(c.description),
  );
  // Listed or just created: a 404 on these ids is the read-after-create window, not absence.
  const known = { retryNotFoundMs: deps.settings.consistency.readAfterCreateMs };
  const client = leftOver
    ? await genesys.oauthClients.regenerateSecret(leftOver.id, known)
    : await genesys.oauthClients.create({
        name: current.oauthClientName,
        description: isMarked(live.description)
          ? (live.description ?? '')
          : withMarker(live.description ?? ''),
        authorizedGrantType: 'CLIENT-CREDENTIALS',
        accessTokenValiditySeconds: live.accessTokenValiditySeconds,
        roleDivisions: live.roleDivisions ?? [],
        state: 'active',
      });

  const body = {
    name: credentialName(integrationId),
    type: { name: OAUTH_CREDENTIAL_TYPE },
    credentialFields: { clientId: client.id, clientSecret: client.secret },
  } as const;
  const configured = configuredCredential(integration);
  // On an integration taken over (adopted), credentials named after it may be another team's (the Genesys UI
  // names credentials so too): a name proves nothing there, so none is reused.
  const spare =
    current.integrationAdopted === true
      ? undefined
      : (await genesys.credentials.findByName(body.name)).find(
          (c) => c.id !== current.credentialId && c.id !== configured,
        );
  const credentialId = spare
    ? (await genesys.credentials.update(spare.id, body, known)).id
    : (await genesys.credentials.create(body)).id;

  const pending: ResultSecret = {
    ...current,
    clientId: client.id,
    clientSecret: client.secret,
    credentialId,
    credentialFingerprint: credentialFingerprint(client.id, client.secret),
    recordedAt: new Date(clock.now()).toISOString(),
    rotatedFrom: {
      clientId: current.clientId,
      ...(current.credentialId ? { credentialId: current.credentialId } : {}),
      ...(current.recordedAt ? { recordedAt: current.recordedAt } : {}),
    },
  };
  await deps.secrets.putPending(event.secretId, event.token, serializeResultSecret(pending));
  return { oauthClientId: client.id };
}

/**
 * The current client and the integration the record names, read by id (a 404 within `recorded` is the
 * read-after-create window of a recent record). Throws `Rotation.Drifted` naming each that Genesys Cloud no
 * longer has (404, or a client shown as `deleted`) before anything is created: a rotation cannot copy a client
 * that is gone, and a new client would be of no use to an integration that is gone.
 */
async function recordedResources(
  event: RotationEvent,
  current: ResultSecret,
  genesys: GenesysClient,
  recorded: ConsistencyOptions,
): Promise<{ live: OAuthClient; integration: Integration }> {
  const integrationId = current.integrationId as string;
  const [live, integration] = await Promise.all([
    genesys.oauthClients.find(current.clientId, recorded),
    genesys.integrations.find(integrationId, { expandConfig: true, ...recorded }),
  ]);
  const missing = [
    live && live.state !== 'deleted' ? undefined : `OAuth client ${current.clientId}`,
    integration ? undefined : `integration ${integrationId}`,
  ].filter((what) => what !== undefined);
  if (!live || live.state === 'deleted' || !integration) {
    throw new OnboardingError(
      ROTATION_ERRORS.drifted,
      `The record ${event.secretId} names ${missing.join(' and ')}, which Genesys Cloud no longer has (deleted outside this tool): ${REPAIR_FIRST}`,
    );
  }
  return { live, integration };
}
