import type { GenesysClient } from '../../../genesys/client';
import { isGenesysError } from '../../../genesys/errors';
import type { OAuthClientWithSecret, RoleDivision } from '../../../genesys/models';
import { lookWhileCreatedClientMayBeUnlisted } from '../../../shared/client-creation';
import { type StepDeps, SYSTEM_CLOCK } from '../../../shared/deps';
import { ONBOARDING_ERRORS, OnboardingError } from '../../../shared/errors';
import { latestStartLeaving } from '../../../shared/invocation-time';
import { withMarker } from '../../../shared/ownership';
import { SecretExistsError, type SecretToPut } from '../../../shared/secret-store';
import {
  type ClientCreationIntent,
  type IntegrationCreationIntent,
  integrationCreationOf,
  type ResultSecret,
  readResultRecord,
  serializeResultSecret,
} from '../../../shared/secrets';
import { openBootstrapSession, openClientSession } from '../../../shared/session';
import { defineStep } from '../../../shared/step';
import { findOurClient } from '../find-ours';
import { type ClientDecision, type ClientOutcome, type OnboardingPlan, planSchema } from '../state';

type Session = Awaited<ReturnType<typeof openBootstrapSession>>;
type ResultRecord = Awaited<ReturnType<typeof readResultRecord>>;

/** How long a new client's credentials may take to work, by Genesys's eventual consistency. */
const NEW_CLIENT_GRACE_MS = 120_000;

/**
 * Ensures the org's Data Actions OAuth client as Prepare found it (find-ours.ts): creates it, or brings the
 * client that is ours (or adopted on request) to the plan's roles, token validity and description with the
 * ownership marker. Keeps its secret in the result secret, written in the same invocation that receives it;
 * a client whose stored secret is missing or no longer works gets a new secret. When a record appeared since
 * Prepare looked (a racing run, or this step's earlier attempt), it looks again. When Prepare decided to
 * install the integration, every result secret value it writes holds this run's intent to
 * (`integrationCreation`, see `integrationCreationToWrite`), which EnsureIntegration waits for; when it writes
 * none otherwise, it adds the intent to the record (one more write, on that path only). Throws OnboardingError
 * or GenesysApiError.
 */
export async function ensureOAuthClient(plan: OnboardingPlan, deps: StepDeps): Promise<ClientOutcome> {
  // Both secrets at once; the session is not used while a rotation is in progress.
  const opening = openBootstrapSession(deps, plan);
  opening.catch(() => undefined);
  const record = await readResultRecord(deps.secrets, plan.resultSecretId);
  if (plan.rotation && record.arn) {
    // A rotation is in progress: it owns the clients and their secrets until it finishes; nothing is touched.
    return {
      oauthClientId: plan.rotation.liveClientId,
      clientCreated: false,
      secretArn: record.arn,
      secretCreated: false,
      credentialsVerified: false,
      changes: [],
    };
  }
  const session = await opening;
  let decision = plan.found.client;
  if (decision.action === 'create' && (record.secret || record.intent)) {
    decision = await findOurClient(session.client, plan, record, deps);
  }
  if (decision.action === 'create') return createClient(session, plan, record, deps);

  const settled = await recordOnceCreatorStored(record, decision, plan, deps);
  const changes = await convergeClient(session.client, decision, plan);
  const stored = settled.secret?.clientId === decision.oauthClientId ? settled.secret : undefined;
  const holds = stored && (await storedSecretHolds(deps, stored, decision.current.dateCreated));
  const integrationCreation = integrationCreationToWrite(plan, settled, deps);
  if (settled.arn && stored && holds) {
    if (integrationCreation && integrationCreation !== integrationCreationOf(settled)) {
      await deps.secrets.put({
        name: plan.resultSecretId,
        value: serializeResultSecret({ ...stored, integrationCreation }),
      });
    }
    return {
      oauthClientId: decision.oauthClientId,
      clientCreated: false,
      secretArn: settled.arn,
      secretCreated: false,
      credentialsVerified: holds === 'verified',
      changes: describe(decision, changes),
    };
  }
  const regenerated = await session.client.oauthClients.regenerateSecret(decision.oauthClientId);
  const written = await storeClientSecret(deps, plan, session, regenerated, stored, integrationCreation);
  return {
    oauthClientId: decision.oauthClientId,
    clientCreated: false,
    secretArn: written.arn,
    secretCreated: written.created,
    credentialsVerified: false,
    changes: describe(decision, [...changes, 'new secret (the stored one was missing or no longer worked)']),
  };
}

/**
 * The integration creation intent the result secret is to hold after this step's write: another run's (or
 * this run's) as the record holds it, while it is inside its listing grace (`consistency.clientListingGraceMs`
 * after its `since`: that run may be installing the integration, and this run's EnsureIntegration then stops
 * with `Onboarding.ConcurrentRun`), else this run's new one when Prepare decided to install the integration,
 * else the record's (left as it is; RecordConfiguration drops it). Undefined when there is none. The record's
 * own object when it is kept, so that `===` tells whether anything is to be written.
 */
function integrationCreationToWrite(
  plan: OnboardingPlan,
  record: ResultRecord,
  deps: StepDeps,
): IntegrationCreationIntent | undefined {
  const held = integrationCreationOf(record);
  if (plan.found.integration.action !== 'create' || held?.runId === plan.runId) return held;
  const now = (deps.clock ?? SYSTEM_CLOCK).now();
  if (held && now < Date.parse(held.since) + deps.settings.consistency.clientListingGraceMs) return held;
  return { name: plan.integration.name, runId: plan.runId, since: new Date(now).toISOString() };
}

/**
 * The record to take the found client's secret from. While the record holds another run's creation intent,
 * that run may have created the client (it carries the marker, so it is found by it, or by the record that
 * run has written since this step read it) and not yet stored the secret its create answered with, the only
 * answer that carries it: regenerating the secret now would leave that run storing and configuring a secret
 * that no longer works. So the record is read again until it holds the client's secret (or no intent), for
 * as long as the intent's listing grace lasts and until `consistency.creatorSecretStoreMs` after the client's
 * `dateCreated` (a create slowed by rate limits lands after the grace): `lookWhileCreatedClientMayBeUnlisted`,
 * up to `consistency.clientCreationWatchMs` per invocation and no longer than leaves time for the calls after
 * it (`CALLS_AFTER_CREATOR_WAIT`), then `Onboarding.ClientCreationPending`, retried by the state machine.
 * After that the creating run is taken to have stopped, as when deciding to create. An intent of this run is
 * its own earlier attempt's, which stopped before storing: nothing to wait for. Returns the record as last
 * read; throws what the record read throws and `Onboarding.ClientCreationPending`.
 */
async function recordOnceCreatorStored(
  record: ResultRecord,
  found: Extract<ClientDecision, { action: 'use' }>,
  plan: OnboardingPlan,
  deps: StepDeps,
): Promise<ResultRecord> {
  const clientId = found.oauthClientId;
  if (record.secret?.clientId === clientId || !record.intent || record.intent.runId === plan.runId) {
    return record;
  }
  const created = Date.parse(found.current.dateCreated ?? '');
  const { record: settled } = await lookWhileCreatedClientMayBeUnlisted(
    // Read again first: a lookup since this step's read (findOurClient) may have seen a newer record.
    await readResultRecord(deps.secrets, plan.resultSecretId),
    plan.resultSecretId,
    deps,
    async (current) => ({ value: current, found: current.secret?.clientId === clientId }),
    {
      ...(Number.isNaN(created)
        ? {}
        : { notConclusiveBefore: created + deps.settings.consistency.creatorSecretStoreMs }),
      watchEndsBy: latestStartLeaving(deps, CALLS_AFTER_CREATOR_WAIT),
      pending: `its client ${clientId} has no stored secret yet`,
    },
  );
  return settled;
}

/**
 * The Genesys calls EnsureOAuthClient makes after waiting for a racing creator's secret: the update, a token
 * with the stored secret, the regenerate. That wait comes after findOurClient's watch, and the step's timeout
 * counts one watch (lib/constructs/onboarding-state-machine.ts `WAITS_PER_STEP`): it is bounded by the time
 * left instead.
 */
const CALLS_AFTER_CREATOR_WAIT = 3;

/**
 * Creates the client with the ownership marker. The intent (with this run's id) goes into the result secret
 * first (create-only when there is none, so of two racing runs one creates and the other uses its client), the
 * secret right after the only response that carries it; without its stored secret a new client is removed
 * again (allowing for the 404s of its read-after-create window). A run that fails before its client's secret
 * is stored leaves its intent for Compensate to remove.
 */
async function createClient(
  session: Session,
  plan: OnboardingPlan,
  record: ResultRecord,
  deps: StepDeps,
): Promise<ClientOutcome> {
  const clock = deps.clock ?? SYSTEM_CLOCK;
  const integrationCreation = integrationCreationToWrite(plan, record, deps);
  const intent: ClientCreationIntent = {
    orgId: plan.orgId,
    region: plan.region,
    oauthClientName: plan.oauthClient.name,
    creatingSince: new Date(clock.now()).toISOString(),
    runId: plan.runId,
    ...(integrationCreation ? { integrationCreation } : {}),
  };
  let intentWritten: { arn: string; created: boolean };
  // The bootstrap token is requested while the intent is written; the create call takes it (or asks again).
  session.client.tokens.getToken().catch(() => undefined);
  try {
    intentWritten = await deps.secrets.put({
      ...secretMetadata(plan, deps),
      value: serializeResultSecret(intent),
      createOnly: record.arn === undefined,
    });
  } catch (error) {
    if (!(error instanceof SecretExistsError)) throw error;
    throw new OnboardingError(
      ONBOARDING_ERRORS.concurrentRun,
      `Another run of org ${plan.orgId} started creating its client first; this run will use that one`,
    );
  }
  const created = await session.client.oauthClients.create({
    name: plan.oauthClient.name,
    description: withMarker(plan.oauthClient.description),
    authorizedGrantType: 'CLIENT-CREDENTIALS',
    accessTokenValiditySeconds: plan.oauthClient.accessTokenValiditySeconds,
    roleDivisions: plan.oauthClient.roleDivisions,
    state: 'active',
  });
  try {
    await storeClientSecret(deps, plan, session, created, undefined, integrationCreation);
  } catch (error) {
    // Without its stored secret the new client is unusable: remove it rather than leave an orphan. It was
    // created moments ago, so its reads and writes by id may answer 404 for a while: not a sign it is gone.
    const { readAfterCreateMs, goneTimeoutMs } = deps.settings.consistency;
    await session.client.oauthClients
      .deactivateAndDelete(created.id, { retryNotFoundMs: readAfterCreateMs, goneTimeoutMs })
      .catch(() => undefined);
    throw error;
  }
  return {
    oauthClientId: created.id,
    clientCreated: true,
    secretArn: intentWritten.arn,
    secretCreated: intentWritten.created,
    credentialsVerified: false,
    changes: [],
  };
}

/**
 * Brings an existing client's roles, token validity, description (with the marker) and state to what the
 * plan asks, with one full-replace PUT if anything differs. Returns what it changed, in words.
 */
async function convergeClient(
  api: GenesysClient,
  decision: Extract<ClientDecision, { action: 'use' }>,
  plan: OnboardingPlan,
): Promise<string[]> {
  const wanted = plan.oauthClient;
  const existing = decision.current;
  const description = withMarker(wanted.description);
  const changes: string[] = [];
  if (!sameRoleDivisions(existing.roleDivisions ?? [], wanted.roleDivisions)) {
    changes.push(
      `roles set to ${wanted.roleDivisions.length} role-division pair(s) (were ${existing.roleDivisions?.length ?? 0})`,
    );
  }
  if (existing.accessTokenValiditySeconds !== wanted.accessTokenValiditySeconds) {
    changes.push(`token validity set to ${wanted.accessTokenValiditySeconds} s`);
  }
  if ((existing.description ?? '') !== description)
    changes.push('description set (with the ownership marker)');
  if (existing.state !== 'active') changes.push(`state set to active (was ${existing.state})`);
  if (changes.length === 0) return [];
  await api.oauthClients.update(decision.oauthClientId, {
    name: wanted.name,
    description,
    authorizedGrantType: 'CLIENT-CREDENTIALS',
    accessTokenValiditySeconds: wanted.accessTokenValiditySeconds,
    roleDivisions: wanted.roleDivisions,
    state: 'active',
  });
  return changes;
}

/** What this run changed on a client that existed before it, with why it took it. */
function describe(decision: Extract<ClientDecision, { action: 'use' }>, changes: string[]): string[] {
  const why =
    decision.basis === 'adopted'
      ? 'adopted on request (it carried no ownership marker)'
      : decision.basis === 'marked'
        ? 'found by its ownership marker (the stored record did not name it)'
        : undefined;
  const lines = [...(why ? [why] : []), ...changes];
  return lines.map((line) => `OAuth client ${decision.oauthClientId}: ${line}`);
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
  dateCreated: string | undefined,
): Promise<'verified' | 'trusted' | false> {
  const ageMs = (deps.clock ?? SYSTEM_CLOCK).now() - Date.parse(dateCreated ?? '');
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

/** Name, description, tags and key of the org's result secret. */
function secretMetadata(plan: OnboardingPlan, deps: StepDeps): Omit<SecretToPut, 'value'> {
  return {
    name: plan.resultSecretId,
    description: `Genesys Cloud Data Actions OAuth client ${plan.oauthClient.name} of org ${plan.orgId}`,
    tags: { 'genesys-onboarding:org-id': plan.orgId },
    kmsKeyId: deps.settings.resultSecretKmsKeyId,
  };
}

async function storeClientSecret(
  deps: StepDeps,
  plan: OnboardingPlan,
  session: Session,
  client: OAuthClientWithSecret,
  previous: ResultSecret | undefined,
  integrationCreation: IntegrationCreationIntent | undefined,
): Promise<{ arn: string; created: boolean }> {
  const value: ResultSecret = {
    clientId: client.id,
    clientSecret: client.secret,
    orgId: plan.orgId,
    region: plan.region,
    oauthClientName: plan.oauthClient.name,
    ...(session.apiUrl ? { apiUrl: session.apiUrl } : {}),
    ...(session.loginUrl ? { loginUrl: session.loginUrl } : {}),
    recordedAt: new Date((deps.clock ?? SYSTEM_CLOCK).now()).toISOString(),
    // The request from the start: an onboarding stopped before its Record step leaves an integration of the
    // request's name that offboarding then finds by that name.
    onboardedWith: plan.request,
    // The integration and credential ids stay; the credential now holds an old secret, so no fingerprint.
    ...(previous?.integrationId ? { integrationId: previous.integrationId } : {}),
    ...(previous?.credentialId ? { credentialId: previous.credentialId } : {}),
    ...(integrationCreation ? { integrationCreation } : {}),
  };
  return deps.secrets.put({ ...secretMetadata(plan, deps), value: serializeResultSecret(value) });
}

export const ensureOAuthClientStep = defineStep({
  name: 'onboarding/ensure-oauth-client',
  input: planSchema,
  run: ensureOAuthClient,
});
