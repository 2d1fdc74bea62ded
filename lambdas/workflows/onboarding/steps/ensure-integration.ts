import {
  DATA_ACTIONS_INTEGRATION_TYPE,
  type Integration,
  OAUTH_CREDENTIAL_TYPE,
} from '../../../genesys/models';
import type { StepDeps } from '../../../shared/deps';
import { openBootstrapSession } from '../../../shared/session';
import { defineStep } from '../../../shared/step';
import { type IntegrationOutcome, type OnboardingPlan, planSchema } from '../state';

/** Finds the "Genesys Cloud Data Actions" integration by name or installs it. */
export async function ensureIntegration(plan: OnboardingPlan, deps: StepDeps): Promise<IntegrationOutcome> {
  const { client } = await openBootstrapSession(deps, plan);
  const matches = await client.integrations.findByName(DATA_ACTIONS_INTEGRATION_TYPE, plan.integration.name);
  const existing = pick(matches);
  if (existing) {
    const credentialId = existing.config?.current?.credentials?.[OAUTH_CREDENTIAL_TYPE]?.id;
    return {
      integrationId: existing.id,
      integrationCreated: false,
      ...(credentialId ? { configuredCredentialId: credentialId } : {}),
      intendedState: existing.intendedState,
      ...(existing.reportedState?.code ? { reportedState: existing.reportedState.code } : {}),
    };
  }
  const created = await client.integrations.create({
    name: plan.integration.name,
    integrationType: { id: DATA_ACTIONS_INTEGRATION_TYPE },
  });
  return { integrationId: created.id, integrationCreated: true, intendedState: created.intendedState };
}

/** Several integrations of one name: prefer one already configured and enabled, then the lowest id. */
function pick(integrations: Integration[]): Integration | undefined {
  const score = (i: Integration) =>
    (i.config?.current?.credentials?.[OAUTH_CREDENTIAL_TYPE]?.id ? 2 : 0) +
    (i.intendedState === 'ENABLED' ? 1 : 0);
  return [...integrations].sort((a, b) => score(b) - score(a) || a.id.localeCompare(b.id))[0];
}

export const ensureIntegrationStep = defineStep({
  name: 'onboarding/ensure-integration',
  input: planSchema,
  run: ensureIntegration,
});
