import { DATA_ACTIONS_INTEGRATION_TYPE } from '../../../genesys/models';
import type { StepDeps } from '../../../shared/deps';
import { openBootstrapSession } from '../../../shared/session';
import { defineStep } from '../../../shared/step';
import { findIntegrationOfEarlierAttempt } from '../find-ours';
import { createOrFindLost } from '../lost-create';
import { type IntegrationOutcome, type OnboardingPlan, planSchema } from '../state';

/** Why an existing integration is used, in the words of the run's report. */
const BASIS: Record<'recorded' | 'marked' | 'unconfigured' | 'adopted', string | undefined> = {
  recorded: undefined,
  marked: 'found by its ownership marker (the stored record did not name it)',
  unconfigured: 'adopted: it had no credential configured',
  adopted: 'adopted on request',
};

/**
 * Ensures the org's "Genesys Cloud Data Actions" integration as Prepare found it (find-ours.ts): uses the
 * one that is ours (or adopted), with no call at all, or installs one (`purecloud-data-actions`; Configure
 * marks it as ours). Installs at most one per run: the one an earlier attempt of this step created (its
 * answer lost) is found by name and used (`findIntegrationOfEarlierAttempt`), and so is the one a create
 * made whose answer this attempt lost (`createOrFindLost`). Throws a GenesysApiError.
 */
export async function ensureIntegration(plan: OnboardingPlan, deps: StepDeps): Promise<IntegrationOutcome> {
  const found = plan.found.integration;
  if (found.action === 'use') {
    const ours = found.basis === 'recorded' || found.basis === 'marked';
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
          : undefined;
    return {
      integrationId: found.integrationId,
      integrationCreated: false,
      ...(adopted !== undefined ? { integrationAdopted: adopted } : {}),
      ...(configured ? { configuredCredentialId: configured } : {}),
      ...(ourCredentialId ? { ourCredentialId } : {}),
      credentialByName: ours || !configured,
      intendedState: found.intendedState,
      ...(found.reportedState ? { reportedState: found.reportedState } : {}),
      rename: found.renameFrom !== undefined,
      changes: changes.map((line) => `Integration ${found.integrationId}: ${line}`),
    };
  }
  const { client } = await openBootstrapSession(deps, plan);
  const name = plan.integration.name;
  const earlier = await findIntegrationOfEarlierAttempt(client, name);
  const created =
    earlier ??
    (
      await createOrFindLost(
        deps,
        () => client.integrations.create({ name, integrationType: { id: DATA_ACTIONS_INTEGRATION_TYPE } }),
        () => findIntegrationOfEarlierAttempt(client, name),
      )
    ).resource;
  return {
    integrationId: created.id,
    integrationCreated: true,
    integrationAdopted: false,
    // Every credential named after an integration this run created is this run's.
    credentialByName: true,
    intendedState: created.intendedState ?? 'DISABLED',
    rename: false,
    changes: [],
  };
}

export const ensureIntegrationStep = defineStep({
  name: 'onboarding/ensure-integration',
  input: planSchema,
  run: ensureIntegration,
});
