import type { GenesysClient } from '../../../genesys/client';
import {
  configuredCredential,
  DATA_ACTIONS_INTEGRATION_TYPE,
  type Integration,
  type OAuthClient,
} from '../../../genesys/models';
import { lookWhileCreatedClientMayBeUnlisted, type ResultRecord } from '../../../shared/client-creation';
import { type StepDeps, SYSTEM_CLOCK } from '../../../shared/deps';
import { ONBOARDING_ERRORS, OnboardingError } from '../../../shared/errors';
import { ensureTimeFor } from '../../../shared/invocation-time';
import { credentialName, resultSecretName } from '../../../shared/naming';
import {
  type OffboardingRequest,
  validatedOffboardingRequestSchema,
} from '../../../shared/offboarding-request';
import { isMarked } from '../../../shared/ownership';
import { isOrgSecret } from '../../../shared/request-fields';
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
 * credentials the stored record names (its current version and, during a rotation, its pending one), the
 * marked clients of the record's client name (`findUnrecordedClientsOfRecordedName`) and the marked
 * integrations of the recorded integration's names that no record names, with the credentials named after
 * them (`findUnrecordedIntegrationsOfRecordedName`), else the client the
 * request names and the integration of the request's or the recorded request's name when they carry the
 * ownership marker (or with `force`), the credentials named after an integration we created
 * (`decideIntegrationAndCredentials`), and the result secret. An integration we did not create is never
 * deleted: it is left, and released (`disableIntegration`) when it runs on our credential. The bootstrap client
 * is never a target. What the record names but is gone already is listed as such. When the result secret
 * holds an onboarding's creation intent instead of a record, the marked clients of the intent's name are ours
 * too, and the client that onboarding created is waited for while it may still be missing from the listing
 * (`consistency.clientListingGraceMs` after the intent). Its plan is also the dry run's report. Throws the
 * session's errors, `Onboarding.WrongOrg`, `Onboarding.NotClientCredentials`, `Onboarding.InvalidRequest`
 * (another org's bootstrap secret), `Onboarding.ClientCreationPending` (the intent's client may not be listed
 * yet: retried by the state machine), `Onboarding.OutOfTime` (too little of the invocation left to read an
 * unlisted credential by id: retried), or a GenesysApiError.
 */
export async function prepareOffboarding(
  request: OffboardingRequest,
  deps: StepDeps,
): Promise<OffboardingPlan> {
  const ownSecrets = `${deps.settings.secretPrefix}/${request.orgId}/`;
  if (!isOrgSecret(request.bootstrapSecretId, deps.settings.secretPrefix, request.orgId)) {
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
  const findIntegrations = async () => {
    const [finding, listing] = await Promise.all([
      findIntegration(plan, lookups),
      listIntegrationsWhenRecorded(lookups),
    ]);
    return { finding, unrecorded: unrecordedIntegrationsOfRecordedName(plan, lookups, finding, listing) };
  };
  const [, integrations] = await Promise.all([findClients(plan, lookups), findIntegrations()]);
  await decideIntegrationAndCredentials(plan, lookups, integrations.finding, integrations.unrecorded);
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

const window = (record: Pick<ResultSecret, 'recordedAt'> | undefined, deps: StepDeps) =>
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
  if (recordedIds.length > 0) {
    await findUnrecordedClientsOfRecordedName(plan, { client, records, callerId, deps }, recordedIds);
    return;
  }
  const names = new Set([request.oauthClientName, intent?.oauthClientName]);
  names.delete(undefined);
  if (names.size === 0) return;
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

/**
 * The clients of the records' `oauthClientName` that no record names: a rotation that crashed or failed
 * after creating its new client (marked, as every client it creates) leaves one. Those carrying the ownership
 * marker are ours; unmarked ones and the bootstrap client are left alone. The listing lags behind creates:
 * when it does not show a recorded client that exists, it is read again after `consistency.clientListingLagMs`.
 * A rotation that crashed within that lag before an offboarding whose listing shows the recorded clients may
 * go unseen (a failed rotation's client is in its pending version, which is read by id).
 */
async function findUnrecordedClientsOfRecordedName(
  plan: Plan,
  { client, records, callerId, deps }: Pick<Lookups, 'client' | 'records' | 'callerId' | 'deps'>,
  recordedIds: string[],
): Promise<void> {
  const names = new Set(records.map((r) => r.oauthClientName));
  let listed = await client.oauthClients.list();
  const present = plan.clients.map((c) => c.id);
  if (present.some((id) => !listed.some((c) => c.id === id))) {
    // The listing lags behind a recorded client that exists: a newer one may be missing too.
    await (deps.clock ?? SYSTEM_CLOCK).sleep(deps.settings.consistency.clientListingLagMs);
    listed = await client.oauthClients.list();
  }
  for (const c of listed) {
    if (!names.has(c.name ?? '') || recordedIds.includes(c.id) || c.state === 'deleted') continue;
    if (c.id === callerId) {
      plan.leftAlone.push({ kind: 'oauthClient', id: c.id, why: 'the bootstrap client is never removed' });
      continue;
    }
    if (isMarked(c.description)) {
      plan.clients.push({
        id: c.id,
        why: "named as the stored record's client and carries the ownership marker (a rotation's client not yet recorded)",
      });
    } else {
      plan.leftAlone.push({
        kind: 'oauthClient',
        id: c.id,
        name: c.name,
        why: "named as the stored record's client but not created by genesys-onboarding (no ownership marker)",
      });
    }
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

/** An integration of the org that a record or a name points at, and what is known of its origin. */
interface IntegrationFinding {
  readonly integration: Integration;
  /** Why it is ours, or undefined when it is not (left alone with `leftAloneWhy`). */
  readonly oursWhy?: string;
  readonly leftAloneWhy?: string;
  /** The record's `integrationAdopted`, when the record names it. */
  readonly recordedAdopted?: boolean;
  /** Removed by force (named in the request without the marker). */
  readonly forced?: boolean;
  /** Named in the request with `force`: removed as created by us, marked or not. */
  readonly requestedByForce?: boolean;
}

/**
 * Why an unmarked integration of the name an onboarding's intent announces is left alone: it may be that
 * onboarding's, stopped between the install and the marker write (a re-run of the onboarding takes it as its own).
 */
const ANNOUNCED_UNMARKED =
  "no ownership marker, but an onboarding's intent to install an integration of this name is in the record: it may be one that onboarding installed and stopped before marking; force, with integrationName, removes this integration";

/**
 * The recorded integration (read by id), else those of the names the request, the records and an onboarding's
 * intent to install one hold (`integrationName`, `onboardedWith.integration.name`, `integrationCreation.name`:
 * an onboarding stopped before recording its integration leaves one of the recorded request's or the intent's
 * name) that carry the ownership marker, or with `force` the request's. Returns the first of ours; those of
 * the names that are not ours are left alone.
 */
async function findIntegration(
  plan: Plan,
  { client, request, records, intent, deps }: Lookups,
): Promise<IntegrationFinding | undefined> {
  const recorded = records.find((r) => r.integrationId);
  if (recorded?.integrationId) {
    const found = await client.integrations.find(recorded.integrationId, {
      expandConfig: true,
      retryNotFoundMs: window(recorded, deps),
    });
    if (!found) {
      plan.alreadyAbsent.push({ kind: 'integration', id: recorded.integrationId });
      return undefined;
    }
    return {
      integration: found,
      oursWhy: 'the stored record names it',
      ...(recorded.integrationAdopted !== undefined ? { recordedAdopted: recorded.integrationAdopted } : {}),
    };
  }
  const announced = [...records.map((r) => r.integrationCreation), intent?.integrationCreation];
  const names = new Set(
    [
      request.integrationName,
      ...records.map((r) => r.onboardedWith?.integration.name),
      ...announced.map((creation) => creation?.name),
    ].filter((name): name is string => name !== undefined),
  );
  const seen = new Set<string>();
  let ours: IntegrationFinding | undefined;
  for (const name of names) {
    for (const integration of await client.integrations.findByName(DATA_ACTIONS_INTEGRATION_TYPE, name)) {
      if (seen.has(integration.id)) continue;
      seen.add(integration.id);
      const marked = isMarked(integration.config?.current?.notes);
      const forced = name === request.integrationName && request.force;
      const why = ownership(false, marked, forced, 'integration');
      const text =
        !why.ours && announced.some((creation) => creation?.name === name)
          ? ANNOUNCED_UNMARKED
          : name === request.integrationName || !why.ours
            ? why.text
            : records.some((r) => r.onboardedWith?.integration.name === name)
              ? "named in the stored record's onboarding request and carries the ownership marker"
              : "named in an onboarding's intent to install it and carries the ownership marker";
      if (why.ours && !ours) {
        ours = {
          integration,
          oursWhy: text,
          ...(marked ? {} : { forced: true }),
          ...(forced ? { requestedByForce: true } : {}),
        };
      } else {
        plan.leftAlone.push({
          kind: 'integration',
          id: integration.id,
          name: integration.name,
          why: why.ours ? 'another integration of the name is removed' : text,
        });
      }
    }
  }
  return ours;
}

/**
 * When a record names an integration: the other integrations of the recorded names (the recorded integration's
 * own, when it was read, and `onboardedWith.integration.name` and `integrationCreation.name` of the records
 * and of an onboarding's intent), over every page of one integration listing, that no record names. Those
 * carrying the ownership marker are ours (two onboardings of the org at once, or a re-run inside the
 * integration listing lag, leave a second one): returned, to be removed with the credentials named after
 * them. Unmarked ones are left alone; an integration a record names (adopted or not) is never one of them.
 * One created within the listing lag before this read goes unseen (genesys-cloud-api.md §4). `listing` is
 * `listIntegrationsWhenRecorded`'s, read beside the recorded integration's own read, so it adds no sequential
 * call to the step.
 */
function unrecordedIntegrationsOfRecordedName(
  plan: Plan,
  { records, intent }: Pick<Lookups, 'records' | 'intent'>,
  recorded: IntegrationFinding | undefined,
  listing: readonly Integration[] | undefined,
): Integration[] {
  const recordedIds = new Set(records.map((r) => r.integrationId).filter((id) => id !== undefined));
  if (recordedIds.size === 0 || !listing) return [];
  const names = new Set(
    [
      recorded?.integration.name,
      ...records.flatMap((r) => [r.onboardedWith?.integration.name, r.integrationCreation?.name]),
      intent?.integrationCreation?.name,
    ].filter((name) => name !== undefined),
  );
  if (names.size === 0) return [];
  const ours: Integration[] = [];
  for (const integration of listing) {
    if (!names.has(integration.name ?? '') || recordedIds.has(integration.id)) continue;
    if (isMarked(integration.config?.current?.notes)) {
      ours.push(integration);
    } else {
      plan.leftAlone.push({
        kind: 'integration',
        id: integration.id,
        ...(integration.name ? { name: integration.name } : {}),
        why: "named as the stored record's integration but not created by genesys-onboarding (no ownership marker)",
      });
    }
  }
  return ours;
}

/**
 * Every Data Actions integration, over every page, when a record names an integration (the listing
 * `unrecordedIntegrationsOfRecordedName` looks through); undefined otherwise, with no call. Throws a
 * GenesysApiError.
 */
async function listIntegrationsWhenRecorded({
  client,
  records,
}: Pick<Lookups, 'client' | 'records'>): Promise<Integration[] | undefined> {
  if (!records.some((r) => r.integrationId !== undefined)) return undefined;
  return client.integrations.listByType(DATA_ACTIONS_INTEGRATION_TYPE);
}

/**
 * Whether genesys-onboarding created the integration (so that it and the credentials named after it are ours)
 * rather than took it over. The record's `integrationAdopted` says so when present. Without it (a record
 * written before the field, or an integration found by name), the safe reading: created only when it carries
 * the ownership marker (or is removed by force) and no credential named after it (`Integration-<id>`) is
 * left beside it that no record names and it is not configured with: adopting leaves the integration's
 * earlier credential, of that name, as it is. Named in the request with `force`: created by us.
 */
function createdByUs(
  finding: IntegrationFinding,
  credentials: ReadonlyArray<{ id: string; name?: string }>,
  recordedCredentials: ReadonlySet<string>,
): boolean {
  if (finding.recordedAdopted !== undefined) return !finding.recordedAdopted;
  // The request names it with force: the caller takes it (and the credentials named after it) as ours.
  if (finding.requestedByForce) return true;
  const { integration } = finding;
  if (!finding.forced && !isMarked(integration.config?.current?.notes)) return false;
  const configured = configuredCredential(integration);
  return !credentials.some(
    (c) => c.name === credentialName(integration.id) && c.id !== configured && !recordedCredentials.has(c.id),
  );
}

/**
 * Decides what becomes of our integration and which credentials are ours, from one credential listing
 * (credential GETs answer with redacted fields, so a credential's client cannot be read); a credential known
 * by id (recorded, or the configured one of an integration removed by force) that the lagging listing does
 * not show is read directly before it is taken as absent (`credentialExists`). Credentials are ours
 * when a record names them (current, pending, and the one a rotation replaced), or when they are named after
 * an integration genesys-onboarding created, or after one of `unrecorded` (`Integration-<id>`: the Genesys UI names every credential this
 * way, genesys-cloud-api.md §5); the credential the integration is configured with only when it is one of
 * those (or the integration is removed by force). An integration we created is removed; one we took over (or
 * of unknown origin) is left, and when it is configured with a credential that is removed it is disabled
 * and released first (RemoveIntegration), so that it does not keep running on a deleted credential.
 */
async function decideIntegrationAndCredentials(
  plan: Plan,
  { client, records, deps }: Lookups,
  finding: IntegrationFinding | undefined,
  unrecorded: Integration[],
): Promise<void> {
  const candidates = new Map<string, string>();
  // The 404 window of each credential known by id: that of the record version that names it.
  const knownIdWindows = new Map<string, number>();
  for (const record of records) {
    if (record.credentialId) {
      candidates.set(record.credentialId, 'the stored record names it');
      knownIdWindows.set(record.credentialId, window(record, deps));
    }
  }
  // A finished rotation removed the credential it replaced: that one counts only while it is still there.
  const replaced = new Set<string>();
  for (const record of records) {
    const id = record.rotatedFrom?.credentialId;
    if (id && !candidates.has(id)) {
      candidates.set(id, 'the stored record names it (replaced by a rotation)');
      knownIdWindows.set(id, window(record.rotatedFrom, deps));
      replaced.add(id);
    }
  }
  const recordedCredentials = new Set(candidates.keys());
  const all = await client.credentials.listAll();
  if (finding) {
    const { integration } = finding;
    if (createdByUs(finding, all, recordedCredentials)) {
      plan.integration = { id: integration.id, why: finding.oursWhy ?? '' };
      for (const c of all) {
        if (c.name === credentialName(integration.id))
          candidates.set(c.id, `named after our integration (${c.name})`);
      }
      const configured = configuredCredential(integration);
      if (finding.forced && configured && !candidates.has(configured)) {
        candidates.set(configured, 'our integration is configured with it');
        // Known by id from the configuration: read directly if unlisted, allowing for a create moments ago.
        knownIdWindows.set(configured, deps.settings.consistency.readAfterCreateMs);
      }
    } else {
      const configured = configuredCredential(integration);
      const disable = configured !== undefined && candidates.has(configured);
      const origin =
        finding.recordedAdopted === true
          ? 'taken over (adopted), not created, by genesys-onboarding'
          : 'not known to be created by genesys-onboarding (the record does not say, or another credential named after it is left beside it)';
      if (disable) {
        plan.disableIntegration = {
          id: integration.id,
          credentialId: configured,
          why: `configured with our credential ${configured}, which is removed`,
        };
      }
      plan.leftAlone.push({
        kind: 'integration',
        id: integration.id,
        ...(integration.name ? { name: integration.name } : {}),
        why: `${origin}: not deleted (deleting it would delete its data actions)${disable ? `; disabled (intendedState DISABLED) and our credential ${configured} and ownership marker taken out of its configuration before that credential is removed` : ''}`,
      });
    }
  }
  if (unrecorded.length > 0) {
    plan.unrecordedIntegrations = unrecorded.map((integration) => ({
      id: integration.id,
      why: "named as the stored record's integration and carries the ownership marker, but no record names it (left by two onboardings at once)",
    }));
    const names = new Set(unrecorded.map((integration) => credentialName(integration.id)));
    for (const c of all) {
      if (c.name && names.has(c.name) && !candidates.has(c.id))
        candidates.set(c.id, `named after our unrecorded integration (${c.name})`);
    }
  }
  const listed = new Set(all.map((c) => c.id));
  for (const [id, why] of candidates) {
    if (await credentialExists(client, id, listed, knownIdWindows.get(id), deps))
      plan.credentials.push({ id, why });
    else if (!replaced.has(id)) plan.alreadyAbsent.push({ kind: 'credential', id });
  }
}

/**
 * Whether a credential is there: listed, or (the listing lags behind creates) one known by id read directly,
 * with its 404 window (`windowMs`: the record's; undefined: found in the listing only). These reads, one per
 * unlisted credential known by id, are not counted in the step's timeout (`OFFBOARDING_CALLS_PER_STEP`): each
 * first checks that it fits in what is left of the invocation, else throws `Onboarding.OutOfTime` (retried).
 */
async function credentialExists(
  client: GenesysClient,
  id: string,
  listed: ReadonlySet<string>,
  windowMs: number | undefined,
  deps: StepDeps,
): Promise<boolean> {
  if (listed.has(id)) return true;
  if (windowMs === undefined) return false;
  ensureTimeFor(deps, 1, `read credential ${id}, not listed, by id`, windowMs);
  return (await client.credentials.find(id, { retryNotFoundMs: windowMs })) !== undefined;
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
