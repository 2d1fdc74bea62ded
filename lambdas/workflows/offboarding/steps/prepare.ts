import type { GenesysClient } from '../../../genesys/client';
import {
  DATA_ACTIONS_INTEGRATION_TYPE,
  type Integration,
  OAUTH_CREDENTIAL_TYPE,
  type OAuthClient,
} from '../../../genesys/models';
import { lookWhileCreatedClientMayBeUnlisted, type ResultRecord } from '../../../shared/client-creation';
import { type StepDeps, SYSTEM_CLOCK } from '../../../shared/deps';
import { ONBOARDING_ERRORS, OnboardingError } from '../../../shared/errors';
import { credentialName, resultSecretName } from '../../../shared/naming';
import {
  type OffboardingRequest,
  validatedOffboardingRequestSchema,
} from '../../../shared/offboarding-request';
import { isMarked } from '../../../shared/ownership';
import {
  type ClientCreationIntent,
  type ResultSecret,
  readPendingRecord,
  readResultRecord,
  recordedIdWindowMs,
} from '../../../shared/secrets';
import { openBootstrapSession } from '../../../shared/session';
import { defineStep } from '../../../shared/step';
import type { OffboardingPlan } from '../state';

type Plan = Omit<
  OffboardingPlan,
  'orgId' | 'region' | 'bootstrapSecretId' | 'resultSecretId' | 'bootstrapClientId'
>;

/**
 * Finds, read-only, what of the org is provably ours and so is to be removed: the clients, integration and
 * credential the stored record names (its current version and, during a rotation, its pending one), else
 * the client and integration the request names when they carry the ownership marker (or with `force`), the
 * credentials our integration uses or that are named after it, and the result secret. The bootstrap client
 * is never a target. What the record names but is gone already is listed as such. When the result secret
 * holds an onboarding's creation intent instead of a record, the marked clients of the intent's name are ours
 * too, and the client that onboarding created is waited for while it may still be missing from the listing
 * (`consistency.clientListingGraceMs` after the intent). Its plan is also the dry run's report. Throws the
 * session's errors, `Onboarding.WrongOrg`, `Onboarding.NotClientCredentials`, `Onboarding.InvalidRequest`
 * (another org's bootstrap secret), `Onboarding.ClientCreationPending` (the intent's client may not be listed
 * yet: retried by the state machine), or a GenesysApiError.
 */
export async function prepareOffboarding(
  request: OffboardingRequest,
  deps: StepDeps,
): Promise<OffboardingPlan> {
  const ownSecrets = `${deps.settings.secretPrefix}/${request.orgId}/`;
  const secretName = request.bootstrapSecretId.startsWith('arn:')
    ? (/:secret:(.+)$/.exec(request.bootstrapSecretId)?.[1] ?? '')
    : request.bootstrapSecretId;
  if (!secretName.toLowerCase().startsWith(ownSecrets)) {
    throw new OnboardingError(
      ONBOARDING_ERRORS.invalidRequest,
      `bootstrapSecretId must name a secret of this org (${ownSecrets}...)`,
    );
  }
  const { client } = await openBootstrapSession(deps, request);
  const token = await client.organization.tokenInfo();
  if (token.organization?.id?.toLowerCase() !== request.orgId) {
    throw new OnboardingError(
      ONBOARDING_ERRORS.wrongOrg,
      `The bootstrap client belongs to another org than the requested org ${request.orgId}: nothing was changed`,
    );
  }
  const callerId = token.OAuthClient?.id;
  if (!callerId || token.OAuthClient?.organization?.id === 'purecloud-builtin') {
    throw new OnboardingError(
      ONBOARDING_ERRORS.notClientCredentials,
      'The bootstrap credentials must belong to a client-credentials OAuth client',
    );
  }
  const resultSecretId = resultSecretName(deps.settings.secretPrefix, request.orgId);
  const [stored, pending] = await Promise.all([
    readResultRecord(deps.secrets, resultSecretId),
    readPendingRecord(deps.secrets, resultSecretId),
  ]);
  const { record, value: listed } = await awaitIntendedClient(client, stored, resultSecretId, deps);
  const records = [record.secret, pending].filter((r): r is ResultSecret => r !== undefined);
  const plan: Plan = { credentials: [], clients: [], alreadyAbsent: [], leftAlone: [] };
  const lookups = { client, request, callerId, records, intent: record.intent, listed, deps };
  const [, configuredCredentialId] = await Promise.all([
    findClients(plan, lookups),
    findIntegration(plan, lookups),
  ]);
  await findCredentials(plan, lookups, configuredCredentialId);
  if (record.arn) plan.secret = { id: resultSecretId, why: 'the org result secret' };
  return {
    orgId: request.orgId,
    region: request.region,
    bootstrapSecretId: request.bootstrapSecretId,
    resultSecretId,
    bootstrapClientId: callerId,
    ...plan,
  };
}

const window = (record: ResultSecret | undefined, deps: StepDeps) =>
  recordedIdWindowMs(record, deps.settings.consistency.readAfterCreateMs, (deps.clock ?? SYSTEM_CLOCK).now());

interface Lookups {
  readonly client: GenesysClient;
  readonly request: OffboardingRequest;
  readonly callerId: string;
  /** The stored record's current version, and its pending one during a rotation. */
  readonly records: ResultSecret[];
  /** What the result secret holds instead of a record while an onboarding creates its client. */
  readonly intent?: ClientCreationIntent;
  /** The client listing read while waiting for the intent's client, if it was waited for. */
  readonly listed?: OAuthClient[];
  readonly deps: StepDeps;
}

const usable = (c: OAuthClient) => c.state !== 'deleted' && c.state !== 'inactive';

/**
 * When the result secret holds an onboarding's creation intent, the client that run created may not be listed
 * yet (the listing lags) even when other clients of its name are: the listing is looked at until it shows a
 * client of the intent's name carrying the ownership marker, or the listing grace after the intent is over
 * (`lookWhileCreatedClientMayBeUnlisted`, which throws `Onboarding.ClientCreationPending` for the state machine
 * to retry). Only then is the intent, the one trace of that client, safe to remove with the result secret.
 * Returns the record as last read and the last listing (undefined when the record holds no intent).
 */
function awaitIntendedClient(
  api: GenesysClient,
  record: ResultRecord,
  resultSecretId: string,
  deps: StepDeps,
): Promise<{ record: ResultRecord; value: OAuthClient[] | undefined }> {
  return lookWhileCreatedClientMayBeUnlisted(record, resultSecretId, deps, async (current) => {
    const intent = current.intent;
    if (!intent) return { value: undefined, found: true };
    const listed = await api.oauthClients.list();
    const found = listed.some(
      (c) => c.name === intent.oauthClientName && usable(c) && isMarked(c.description),
    );
    return { value: listed, found };
  });
}

/**
 * The recorded clients (read by id), else the named one when it is ours or forced, and those of a creation
 * intent's name that carry the ownership marker. Never the caller.
 */
async function findClients(
  plan: Plan,
  { client, request, callerId, records, intent, listed, deps }: Lookups,
): Promise<void> {
  const recordedIds = [...new Set(records.map((r) => r.clientId))];
  for (const id of recordedIds) {
    if (id === callerId) {
      plan.leftAlone.push({ kind: 'oauthClient', id, why: 'the bootstrap client is never removed' });
      continue;
    }
    const record = records.find((r) => r.clientId === id);
    const found = await client.oauthClients.find(id, { retryNotFoundMs: window(record, deps) });
    if (found && found.state !== 'deleted') plan.clients.push({ id, why: 'the stored record names it' });
    else plan.alreadyAbsent.push({ kind: 'oauthClient', id });
  }
  const names = new Set([request.oauthClientName, intent?.oauthClientName]);
  names.delete(undefined);
  if (recordedIds.length > 0 || names.size === 0) return;
  const ofTheNames = (clients: OAuthClient[]) =>
    clients.filter((c) => names.has(c.name) && c.state !== 'deleted');
  let named = ofTheNames(listed ?? (await client.oauthClients.list()));
  if (named.length === 0) {
    // A client created moments ago may not be listed yet: look once more before concluding there is none.
    await (deps.clock ?? SYSTEM_CLOCK).sleep(deps.settings.consistency.clientListingLagMs);
    named = ofTheNames(await client.oauthClients.list());
  }
  for (const c of named) {
    const why =
      c.name === request.oauthClientName
        ? ownership(c.id === callerId, isMarked(c.description), request.force, 'client')
        : intendedOwnership(c.id === callerId, isMarked(c.description));
    if (why.ours) plan.clients.push({ id: c.id, why: why.text });
    else plan.leftAlone.push({ kind: 'oauthClient', id: c.id, name: c.name, why: why.text });
  }
}

/** Whether a client of the intent's name (not named in the request) is ours to remove, and why in words. */
function intendedOwnership(isCaller: boolean, marked: boolean): { ours: boolean; text: string } {
  if (isCaller) return { ours: false, text: 'the bootstrap client is never removed' };
  if (marked) {
    return {
      ours: true,
      text: "an onboarding's creation intent names it and it carries the ownership marker",
    };
  }
  return {
    ours: false,
    text: "named in an onboarding's creation intent but not created by genesys-onboarding (no ownership marker)",
  };
}

/**
 * The recorded integration (read by id), else the named one when it is ours or forced. Returns the credential
 * the chosen integration is configured with, if any.
 */
async function findIntegration(
  plan: Plan,
  { client, request, records, deps }: Lookups,
): Promise<string | undefined> {
  const recordedId = records.find((r) => r.integrationId)?.integrationId;
  if (recordedId) {
    const record = records.find((r) => r.integrationId === recordedId);
    const found = await client.integrations.find(recordedId, {
      expandConfig: true,
      retryNotFoundMs: window(record, deps),
    });
    if (!found) {
      plan.alreadyAbsent.push({ kind: 'integration', id: recordedId });
      return undefined;
    }
    plan.integration = { id: found.id, why: 'the stored record names it' };
    return configuredCredential(found);
  }
  if (!request.integrationName) return undefined;
  const named = await client.integrations.findByName(DATA_ACTIONS_INTEGRATION_TYPE, request.integrationName);
  let configured: string | undefined;
  for (const integration of named) {
    const why = ownership(false, isMarked(integration.config?.current?.notes), request.force, 'integration');
    if (why.ours && !plan.integration) {
      plan.integration = { id: integration.id, why: why.text };
      configured = configuredCredential(integration);
    } else {
      plan.leftAlone.push({
        kind: 'integration',
        id: integration.id,
        name: integration.name,
        why: why.ours ? 'another integration of the name is removed' : why.text,
      });
    }
  }
  return configured;
}

const configuredCredential = (integration: Integration): string | undefined =>
  integration.config?.current?.credentials?.[OAUTH_CREDENTIAL_TYPE]?.id;

/**
 * The credentials the records name, the one our integration is configured with, and those named after our
 * integration (`Integration-<id>`): present ones are targets, the others already gone. One listing shows
 * which exist (credential GETs answer with redacted fields, so a credential's client cannot be read).
 */
async function findCredentials(
  plan: Plan,
  { client, records }: Lookups,
  configuredId: string | undefined,
): Promise<void> {
  const candidates = new Map<string, string>();
  for (const record of records) {
    if (record.credentialId) candidates.set(record.credentialId, 'the stored record names it');
  }
  const integration = plan.integration;
  if (configuredId) candidates.set(configuredId, 'our integration is configured with it');
  const all = await client.credentials.listAll();
  if (integration) {
    for (const c of all) {
      if (c.name === credentialName(integration.id))
        candidates.set(c.id, `named after our integration (${c.name})`);
    }
  }
  const present = new Set(all.map((c) => c.id));
  for (const [id, why] of candidates) {
    if (present.has(id)) plan.credentials.push({ id, why });
    else plan.alreadyAbsent.push({ kind: 'credential', id });
  }
}

/** Whether a named resource is ours to remove, and why in words. */
function ownership(
  isCaller: boolean,
  marked: boolean,
  force: boolean,
  kind: 'client' | 'integration',
): { ours: boolean; text: string } {
  if (isCaller) return { ours: false, text: 'the bootstrap client is never removed' };
  if (marked) return { ours: true, text: `named in the request and carries the ownership marker` };
  if (force) return { ours: true, text: `named in the request, removed by force (no ownership marker)` };
  return {
    ours: false,
    text: `not created by genesys-onboarding (no ownership marker): force removes this ${kind}`,
  };
}

export const prepareOffboardingStep = defineStep({
  name: 'offboarding/prepare',
  input: validatedOffboardingRequestSchema,
  run: prepareOffboarding,
});
