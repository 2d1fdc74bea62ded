import type { GenesysClient } from '../../genesys/client';
import {
  configuredCredential,
  DATA_ACTIONS_INTEGRATION_TYPE,
  type Integration,
  type OAuthClient,
} from '../../genesys/models';
import {
  type AnnouncedCreation,
  lookWhileAnnouncedMayBeUnlisted,
  lookWhileCreatedClientMayBeUnlisted,
  type ResultRecord,
} from '../../shared/client-creation';
import { type StepDeps, SYSTEM_CLOCK } from '../../shared/deps';
import { ONBOARDING_ERRORS, OnboardingError } from '../../shared/errors';
import { isMarked } from '../../shared/ownership';
import { integrationCreationOf, readResultRecord, recordedIdWindowMs } from '../../shared/secrets';
import type { ClientDecision, IntegrationDecision, OnboardingPlan } from './state';

type IntegrationBasis = Extract<IntegrationDecision, { action: 'use' }>['basis'];

const recordedIdWindow = (record: ResultRecord, deps: StepDeps) =>
  recordedIdWindowMs(
    record.secret,
    deps.settings.consistency.readAfterCreateMs,
    (deps.clock ?? SYSTEM_CLOCK).now(),
  );

/** Everything of the plan the lookups need: the plan before its findings, without the resolved roles. */
export type LookupContext = Omit<OnboardingPlan, 'found' | 'request' | 'oauthClient'> & {
  oauthClient: Omit<OnboardingPlan['oauthClient'], 'roleDivisions'>;
};

/**
 * Finds the org's OAuth client, read-only. Only a provably ours client is used: the one the org's record
 * names (read by id: a listing may not show a new client yet), else one of the requested name carrying the
 * ownership marker, found over every page of the listing. A same-name client that is not ours is refused
 * with `Onboarding.NameTaken` unless `adoptExisting`; one that is `disabled` with `Onboarding.ClientDisabled`;
 * the bootstrap client always with `NameTaken`. `inactive` and `deleted` clients are never counted.
 * When the record holds a run's intent to create a client (its `creatingSince`) and no client is listed, the
 * client may exist and not be listed yet: a listing is conclusive only once the listing grace after the intent
 * (`consistency.clientListingGraceMs`) is over. Until then it looks again every 2 s, for up to
 * `consistency.clientCreationWatchMs` in this invocation, then throws `Onboarding.ClientCreationPending`, which
 * the state machine retries until the grace is over (lambdas/shared/client-creation.ts).
 */
export async function findOurClient(
  api: GenesysClient,
  context: LookupContext,
  record: ResultRecord,
  deps: StepDeps,
): Promise<ClientDecision> {
  const { value } = await lookWhileCreatedClientMayBeUnlisted(
    record,
    context.resultSecretId,
    deps,
    async (current) => {
      const decision = await lookUpClient(api, context, current, deps);
      return { value: decision, found: decision.action === 'use' };
    },
  );
  return value;
}

async function lookUpClient(
  api: GenesysClient,
  context: LookupContext,
  record: ResultRecord,
  deps: StepDeps,
): Promise<ClientDecision> {
  const recordedId = record.secret?.clientId;
  if (recordedId) {
    const recorded = await api.oauthClients.find(recordedId, {
      retryNotFoundMs: recordedIdWindow(record, deps),
    });
    if (recorded && (recorded.state === 'active' || recorded.state === 'disabled')) {
      refuseUnusable(recorded, context);
      if (recorded.name !== context.oauthClient.name) {
        // One Data Actions client per org: its secret is the org's single place of truth.
        throw new OnboardingError(
          ONBOARDING_ERRORS.otherClientOnboarded,
          `Org ${context.orgId} is onboarded with OAuth client ${recorded.id} (${JSON.stringify(recorded.name)}), whose secret ${context.resultSecretId} holds; this request names ${JSON.stringify(context.oauthClient.name)}. Use that client name, or offboard the org first`,
        );
      }
      return use(recorded, 'recorded');
    }
    // The recorded client is gone (deleted, being deleted, or no longer there): the record is stale.
  }
  const named = (await api.oauthClients.list()).filter(
    (c) => c.name === context.oauthClient.name && c.state !== 'inactive' && c.state !== 'deleted',
  );
  for (const client of named) refuseUnusable(client, context);
  const marked = oldest(named.filter((c) => isMarked(c.description)));
  if (marked) return use(marked, 'marked');
  const foreign = oldest(named);
  if (!foreign) return { action: 'create' };
  if (!context.adoptExisting) {
    throw new OnboardingError(
      ONBOARDING_ERRORS.nameTaken,
      `OAuth client ${JSON.stringify(foreign.name)} exists (id ${foreign.id}, state ${foreign.state}) and was not created by genesys-onboarding: nothing was changed. Choose another client name, or set adoptExisting (CLI --adopt-existing) to take it over: its roles and description are then replaced and its secret regenerated`,
    );
  }
  return use(foreign, 'adopted');
}

function use(client: OAuthClient, basis: 'recorded' | 'marked' | 'adopted'): ClientDecision {
  return {
    action: 'use',
    oauthClientId: client.id,
    basis,
    current: {
      description: client.description ?? '',
      ...(client.accessTokenValiditySeconds === undefined
        ? {}
        : { accessTokenValiditySeconds: client.accessTokenValiditySeconds }),
      state: client.state ?? 'active',
      roleDivisions: client.roleDivisions ?? [],
      ...(client.dateCreated ? { dateCreated: client.dateCreated } : {}),
    },
  };
}

/** The bootstrap client is never taken, and a disabled client (Genesys support set it) is never used. */
function refuseUnusable(client: OAuthClient, context: LookupContext): void {
  if (client.id === context.bootstrapClientId) {
    throw new OnboardingError(
      ONBOARDING_ERRORS.nameTaken,
      `OAuth client ${JSON.stringify(client.name)} (id ${client.id}, state ${client.state}) is the bootstrap client this run authenticates with: it is never adopted, changed or deleted. Choose another client name`,
    );
  }
  if (client.state === 'disabled') {
    throw new OnboardingError(
      ONBOARDING_ERRORS.clientDisabled,
      `OAuth client ${JSON.stringify(client.name)} (id ${client.id}) is disabled (Genesys support sets this state): it is not re-activated or used, and nothing was changed. Ask Genesys support, or choose another client name`,
    );
  }
}

/** Several clients of one name (a lost race, or a hand-made copy): the oldest one is the one to use. */
function oldest(clients: OAuthClient[]): OAuthClient | undefined {
  return [...clients].sort(
    (a, b) => (a.dateCreated ?? '').localeCompare(b.dateCreated ?? '') || a.id.localeCompare(b.id),
  )[0];
}

/**
 * Finds the org's "Genesys Cloud Data Actions" integration (`purecloud-data-actions`), read-only. Only a
 * provably ours one is used: the one the org's record names (read by id), else one of the requested name whose
 * config notes carry the ownership marker; one of that name with no credential configured and no data actions
 * may be adopted (nobody uses it: the actions are read over every page of the org's action listing); one with
 * data actions, or a configured one, that is not ours is refused with `Onboarding.NameTaken` unless
 * `adoptExisting`. A new name for the recorded integration is refused with `Onboarding.OtherIntegrationOnboarded`
 * unless `renameIntegration`.
 * When the record holds another run's intent to install an integration of the requested name
 * (`integrationCreation`), that run may have installed it and the listing may not show it yet, or show it
 * before that run marked it: an unmarked one without credential and data actions is that run's, taken as this
 * tool's (`announced`, never adopted), and a look is conclusive only once the listing grace after the intent
 * (`consistency.clientListingGraceMs`) is over. Until then it reads the record again and looks again every
 * 2 s, for up to `consistency.clientCreationWatchMs` in this invocation, then throws
 * `Onboarding.ClientCreationPending`, retried by the state machine (lambdas/shared/client-creation.ts).
 * An integration that would be adopted as unconfigured is looked up again with the record read after the
 * listing (one more read of the result secret, on that path only): the record given may predate an intent.
 */
export async function findOurIntegration(
  api: GenesysClient,
  context: LookupContext,
  record: ResultRecord,
  deps: StepDeps,
): Promise<IntegrationDecision> {
  const look = async (from: ResultRecord): Promise<IntegrationDecision> => {
    const { value } = await lookWhileAnnouncedMayBeUnlisted(
      from,
      context.resultSecretId,
      deps,
      (current) => integrationAnnouncedByAnotherRun(current, context),
      async (current) => {
        const decision = await lookUpIntegration(api, context, current, deps);
        // An announced one not marked yet may still be marked, configured and recorded by the run that made it.
        return { value: decision, found: decision.action === 'use' && decision.basis !== 'announced' };
      },
    );
    return value;
  };
  const decision = await look(record);
  if (decision.action !== 'use' || decision.basis !== 'unconfigured') return decision;
  // The record was read before the listing: a run that announced its install since (the intent is written before
  // the create) and installed it before the listing made this unmarked one. Read after the listing, the record
  // holds that run's intent, or its record of the integration.
  const after = await readResultRecord(deps.secrets, context.resultSecretId);
  const unchanged =
    integrationAnnouncedByAnotherRun(after, context) === undefined &&
    after.secret?.integrationId === record.secret?.integrationId;
  return unchanged ? decision : look(after);
}

/** Another run's intent to install an integration of the requested name, as the record holds it. */
function integrationAnnouncedByAnotherRun(record: ResultRecord, context: LookupContext): AnnouncedCreation {
  const creation = integrationCreationOf(record);
  return creation && creation.runId !== context.runId && creation.name === context.integration.name
    ? { since: creation.since, what: `integration ${JSON.stringify(creation.name)}` }
    : undefined;
}

async function lookUpIntegration(
  api: GenesysClient,
  context: LookupContext,
  record: ResultRecord,
  deps: StepDeps,
): Promise<IntegrationDecision> {
  const recordedId = record.secret?.integrationId;
  const recorded = recordedId
    ? await api.integrations.find(recordedId, {
        expandConfig: true,
        retryNotFoundMs: recordedIdWindow(record, deps),
      })
    : undefined;
  if (recorded) {
    const renamed = recorded.name !== context.integration.name;
    if (renamed && !context.renameIntegration) {
      throw new OnboardingError(
        ONBOARDING_ERRORS.otherIntegrationOnboarded,
        `Org ${context.orgId} is onboarded with integration ${recorded.id} (${JSON.stringify(recorded.name)}); this request names ${JSON.stringify(context.integration.name)}. Use that name, rename the recorded integration with renameIntegration (CLI --rename-integration), or offboard the org first`,
      );
    }
    const config = recorded.config?.current;
    return useIntegration(recorded, 'recorded', {
      recordedCredentialId: record.secret?.credentialId,
      recordedAdopted: record.secret?.integrationAdopted,
      ...(renamed ? { renameFrom: recorded.name ?? '' } : {}),
      ...(typeof config?.name === 'string' && typeof config.notes === 'string'
        ? { readConfig: { name: config.name, notes: config.notes } }
        : {}),
    });
  }
  const named = await api.integrations.findByName(DATA_ACTIONS_INTEGRATION_TYPE, context.integration.name);
  const marked = lowestId(named.filter((i) => isMarked(i.config?.current?.notes)));
  if (marked) return useIntegration(marked, 'marked');
  const unconfigured = named.filter((i) => !configuredCredential(i));
  const actionCounts = unconfigured.length > 0 ? await actionsPerIntegration(api) : new Map<string, number>();
  const unused = lowestId(unconfigured.filter((i) => !actionCounts.has(i.id)));
  if (unused) {
    return useIntegration(
      unused,
      integrationAnnouncedByAnotherRun(record, context) ? 'announced' : 'unconfigured',
    );
  }
  const withActions = lowestId(unconfigured);
  if (withActions && !context.adoptExisting) {
    const count = actionCounts.get(withActions.id) ?? 0;
    throw new OnboardingError(
      ONBOARDING_ERRORS.nameTaken,
      `Integration ${JSON.stringify(withActions.name)} exists (id ${withActions.id}, ${count} data action${count === 1 ? '' : 's'}) and was not created by genesys-onboarding: it has no credential configured but its data actions are someone's, so nothing was changed. Choose another integration name, or set adoptExisting (CLI --adopt-existing) to take it over: it is then configured with this org's client`,
    );
  }
  const foreign = lowestId(named);
  if (!foreign) return { action: 'create' };
  if (!context.adoptExisting) {
    throw new OnboardingError(
      ONBOARDING_ERRORS.nameTaken,
      `Integration ${JSON.stringify(foreign.name)} exists (id ${foreign.id}, ${foreign.intendedState ?? 'unknown'}, reported ${foreign.reportedState?.code ?? 'unknown'}), is configured with a credential and was not created by genesys-onboarding: nothing was changed. Choose another integration name, or set adoptExisting (CLI --adopt-existing) to take it over: it is then configured with this org's client and its current credential (${configuredCredential(foreign)}) is left as it is`,
    );
  }
  return useIntegration(foreign, 'adopted');
}

/** How many data actions each integration has (integrations without any are not in the map). */
async function actionsPerIntegration(api: GenesysClient): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const action of await api.integrations.listActions()) {
    if (action.integrationId) counts.set(action.integrationId, (counts.get(action.integrationId) ?? 0) + 1);
  }
  return counts;
}

/**
 * The integration an earlier attempt of this run's EnsureIntegration created, for a run whose Prepare found
 * none of the requested name (its decision was `create`): a create whose answer was lost (Genesys processed
 * it) leaves one the step never heard of, and the step is retried with the same input. Read over every page
 * of the listing. It is one of the name with no credential configured: none of the name existed when Prepare
 * looked, and only Configure, which runs after EnsureIntegration succeeded, gives it a credential. Whether it
 * carries the ownership marker says nothing here: EnsureIntegration writes the marker right after the create,
 * so a lost attempt may have left it with or without. The lowest id when there are several; undefined when none.
 */
export async function findIntegrationOfEarlierAttempt(
  api: GenesysClient,
  name: string,
): Promise<Integration | undefined> {
  const named = await api.integrations.findByName(DATA_ACTIONS_INTEGRATION_TYPE, name);
  return lowestId(named.filter((integration) => !configuredCredential(integration)));
}

function useIntegration(
  integration: Integration,
  basis: IntegrationBasis,
  extra: {
    recordedCredentialId?: string;
    recordedAdopted?: boolean;
    renameFrom?: string;
    readConfig?: { name: string; notes: string };
  } = {},
): IntegrationDecision {
  const configured = configuredCredential(integration);
  return {
    action: 'use',
    integrationId: integration.id,
    basis,
    ...(configured ? { configuredCredentialId: configured } : {}),
    ...(extra.recordedCredentialId ? { recordedCredentialId: extra.recordedCredentialId } : {}),
    ...(extra.recordedAdopted !== undefined ? { recordedAdopted: extra.recordedAdopted } : {}),
    ...(extra.renameFrom !== undefined ? { renameFrom: extra.renameFrom } : {}),
    ...(extra.readConfig ? { readConfig: extra.readConfig } : {}),
    intendedState: integration.intendedState ?? 'DISABLED',
    ...(integration.reportedState?.code ? { reportedState: integration.reportedState.code } : {}),
  };
}

const lowestId = (integrations: Integration[]): Integration | undefined =>
  [...integrations].sort((a, b) => a.id.localeCompare(b.id))[0];
