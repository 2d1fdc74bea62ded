import type { GenesysClient } from '../../../genesys/client';
import { isGenesysError } from '../../../genesys/errors';
import { DATA_ACTIONS_INTEGRATION_TYPE, type IntegrationConfiguration } from '../../../genesys/models';
import { type StepDeps, SYSTEM_CLOCK } from '../../../shared/deps';
import { ONBOARDING_ERRORS, OnboardingError } from '../../../shared/errors';
import { isMarked, withMarker } from '../../../shared/ownership';
import { integrationCreationOf, readResultRecord } from '../../../shared/secrets';
import { openBootstrapSession } from '../../../shared/session';
import { defineStep } from '../../../shared/step';
import { findIntegrationOfEarlierAttempt } from '../find-ours';
import { createOrFindLost } from '../lost-create';
import {
  type EnsureIntegrationInput,
  ensureIntegrationInputSchema,
  type IntegrationOutcome,
  isFirstAttempt,
} from '../state';

/** Why an existing integration is used, in the words of the run's report. */
const BASIS: Record<
  Extract<EnsureIntegrationInput['plan']['found']['integration'], { action: 'use' }>['basis'],
  string | undefined
> = {
  recorded: undefined,
  marked: 'found by its ownership marker (the stored record did not name it)',
  announced:
    'installed by an earlier run of genesys-onboarding that stopped before marking it (its creation intent names it)',
  unconfigured: 'adopted: it had no credential configured',
  adopted: 'adopted on request',
};

/**
 * Ensures the org's "Genesys Cloud Data Actions" integration as Prepare found it (find-ours.ts): uses the
 * one that is ours (or adopted), with no call at all, or installs one (`purecloud-data-actions`) and marks it
 * as ours in its config notes at once (`markAsOurs`). It installs only once the org's result secret holds this
 * run's intent to (`integrationCreation`, written by EnsureOAuthClient beside it: `awaitOwnIntent`), so of two
 * runs one installs, and a run after a crash knows one may exist. Installs at most one per run: on a retry
 * (`input.attempt`: any but the state's first attempt, or not known), the one an earlier attempt of this step
 * created (its answer lost) is found by name and used (`findIntegrationOfEarlierAttempt`); in every attempt, so
 * is the one a create made whose answer this attempt lost (`createOrFindLost`). Both are looked for only while
 * the intent is this run's, so no other run of this tool installs one of the name meanwhile. Throws
 * `Onboarding.ConcurrentRun` when another run's intent holds (or none of this run's appears), a GenesysApiError,
 * or the secret store's errors; when the marker write fails for good, after deleting the integration it
 * created (best effort: the write's error is the one thrown).
 *
 * Why the first attempt does not look: the look is for what an earlier attempt of this state in this
 * execution made, and there is none. Prepare decides `create` only when its listing showed no integration of
 * the name at all; what may have appeared since is another run's (a run racing this one, which the look would
 * wrongly take over as ours) or, when Prepare's listing lagged, a crashed earlier execution's. That one is
 * the next run's to find, not this look's: a look moments after Prepare's is no promise to see past the same
 * lag, and the next Prepare finds it by its marker (`marked`), or as an unconfigured one without data actions
 * when the crash came between its create and the marker write (`unconfigured`, taken over).
 */
export async function ensureIntegration(
  { plan, attempt }: EnsureIntegrationInput,
  deps: StepDeps,
): Promise<IntegrationOutcome> {
  const found = plan.found.integration;
  if (found.action === 'use') {
    const ours = found.basis === 'recorded' || found.basis === 'marked' || found.basis === 'announced';
    const configured = found.configuredCredentialId;
    const changes = [
      ...(BASIS[found.basis] ? [BASIS[found.basis] as string] : []),
      ...(found.basis === 'adopted' && configured
        ? [`its credential ${configured} is replaced by ours and left as it is`]
        : []),
      ...(found.renameFrom !== undefined ? [`renamed from ${JSON.stringify(found.renameFrom)}`] : []),
    ];
    // The credential an integration of ours uses is ours; one configured by someone else is never touched.
    const ourCredentialId = found.recordedCredentialId ?? (ours ? configured : undefined);
    const adopted =
      found.basis === 'adopted' || found.basis === 'unconfigured'
        ? true
        : found.basis === 'recorded'
          ? found.recordedAdopted
          : found.basis === 'announced'
            ? false
            : undefined;
    return {
      integrationId: found.integrationId,
      integrationCreated: false,
      ...(adopted !== undefined ? { integrationAdopted: adopted } : {}),
      ...(configured ? { configuredCredentialId: configured } : {}),
      ...(found.readConfig ? { readConfig: found.readConfig } : {}),
      ...(ourCredentialId ? { ourCredentialId } : {}),
      // A name proves ownership only on an integration this tool created: on one taken over (adopted),
      // credentials named after it may be another team's (the Genesys UI names them so too).
      credentialByName: ours && adopted !== true,
      intendedState: found.intendedState,
      ...(found.reportedState ? { reportedState: found.reportedState } : {}),
      rename: found.renameFrom !== undefined,
      changes: changes.map((line) => `Integration ${found.integrationId}: ${line}`),
    };
  }
  const [{ client }] = await Promise.all([
    openBootstrapSession(deps, plan),
    // A rotation in progress writes nothing into the record (EnsureOAuthClient changes nothing then).
    plan.rotation ? undefined : awaitOwnIntent(plan, deps),
  ]);
  const name = plan.integration.name;
  const earlier = isFirstAttempt(attempt) ? undefined : await findIntegrationOfEarlierAttempt(client, name);
  // Found by name (an earlier attempt's, or a create whose answer was lost) or made by this attempt's create:
  // only the latter is provably this run's, the others may be a racing run's and are never deleted here.
  const creation = earlier
    ? { resource: earlier, found: true }
    : await createOrFindLost(
        deps,
        () => client.integrations.create({ name, integrationType: { id: DATA_ACTIONS_INTEGRATION_TYPE } }),
        () => findIntegrationOfEarlierAttempt(client, name),
      );
  const created = creation.resource;
  const madeNow = !creation.found;
  const marked = await markAsOurs(client, created.id, name, deps, earlier === undefined).catch(
    async (error: unknown) => {
      // A failure that may pass fails the step, whose retry finds this integration by name. Any other ends
      // the run: the integration this run created goes first, as compensation knows nothing of it yet.
      if (madeNow && (!isGenesysError(error) || !error.retryable)) {
        await client.integrations
          .deleteAndWait(created.id, {
            goneTimeoutMs: deps.settings.consistency.goneTimeoutMs,
            // Created moments ago: a DELETE may answer 404 for a while.
            retryNotFoundMs: deps.settings.consistency.readAfterCreateMs,
          })
          .catch(() => undefined);
      }
      throw error;
    },
  );
  return {
    integrationId: created.id,
    integrationCreated: true,
    ...(marked.version !== undefined ? { configVersion: marked.version } : {}),
    integrationAdopted: false,
    // Every credential named after an integration this run created is this run's.
    credentialByName: true,
    intendedState: created.intendedState ?? 'DISABLED',
    rename: false,
    changes: [],
  };
}

/**
 * How often the record is read again while this run's integration creation intent is not in it yet: every
 * 100 ms for the first second (the OAuth client step writes it one or two round trips after this step
 * starts), then every second (that step is slow or waits for another run's client).
 */
const INTENT_POLL_MS = { early: 100, late: 1_000, earlyFor: 1_000 };

/**
 * Waits until the org's result secret holds this run's integration creation intent, which EnsureOAuthClient
 * writes at its start (in the same parallel state), reading it every 100 ms, after a second every second, for up to
 * `consistency.clientCreationWatchMs`. Throws `Onboarding.ConcurrentRun` at once when it holds another run's
 * intent still inside its listing grace (`consistency.clientListingGraceMs`): that run installs the
 * integration, and this run's next Prepare finds it; and when this run's intent does not appear in time (its
 * client step failed or stopped). Throws what the record read throws.
 */
async function awaitOwnIntent(plan: EnsureIntegrationInput['plan'], deps: StepDeps): Promise<void> {
  const clock = deps.clock ?? SYSTEM_CLOCK;
  const { clientCreationWatchMs, clientListingGraceMs } = deps.settings.consistency;
  const started = clock.now();
  const until = started + clientCreationWatchMs;
  for (;;) {
    const creation = integrationCreationOf(await readResultRecord(deps.secrets, plan.resultSecretId));
    if (creation?.runId === plan.runId) return;
    const now = clock.now();
    if (creation && now < Date.parse(creation.since) + clientListingGraceMs) {
      throw new OnboardingError(
        ONBOARDING_ERRORS.concurrentRun,
        `Another run of org ${plan.orgId} started installing integration ${JSON.stringify(creation.name)} at ${creation.since}: this run installed none. Run it again once that run has finished; it then uses that integration`,
      );
    }
    if (now >= until) {
      throw new OnboardingError(
        ONBOARDING_ERRORS.concurrentRun,
        `This run's intent to install integration ${JSON.stringify(plan.integration.name)} was not in secret ${plan.resultSecretId} after ${clientCreationWatchMs} ms (its OAuth client step writes it): this run installed none. Run it again`,
      );
    }
    const pause = now - started < INTENT_POLL_MS.earlyFor ? INTENT_POLL_MS.early : INTENT_POLL_MS.late;
    await clock.sleep(Math.min(pause, until - now));
  }
}

/**
 * Writes the ownership marker into a new integration's config notes at once (POST /api/v2/integrations takes
 * no notes or config: `CreateIntegrationRequest` is `{name, integrationType}`), so that a run stopped before
 * Configure leaves an integration that is provably ours. Version 1 and an empty config are what a new
 * integration has (the Genesys wizard sends `version: 1` first), so one `justCreated` is not read first; a
 * conflict re-reads it. Returns the config
 * as saved (or as it was, when it carries the marker already).
 */
function markAsOurs(
  client: GenesysClient,
  integrationId: string,
  name: string,
  deps: StepDeps,
  justCreated: boolean,
): Promise<IntegrationConfiguration> {
  const fresh: IntegrationConfiguration = {
    name,
    version: 1,
    properties: {},
    advanced: {},
    notes: '',
    credentials: {},
  };
  return client.integrations.updateConfig(
    integrationId,
    (current) =>
      isMarked(current.notes)
        ? undefined
        : {
            name: current.name ?? name,
            version: current.version,
            properties: current.properties ?? {},
            advanced: current.advanced ?? {},
            notes: withMarker(current.notes ?? ''),
            credentials: current.credentials ?? {},
          },
    {
      ...(justCreated ? { knownCurrent: fresh } : {}),
      retryNotFoundMs: deps.settings.consistency.readAfterCreateMs,
    },
  );
}

export const ensureIntegrationStep = defineStep({
  name: 'onboarding/ensure-integration',
  input: ensureIntegrationInputSchema,
  run: ensureIntegration,
});
