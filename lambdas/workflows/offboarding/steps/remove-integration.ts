import { isGenesysError } from '../../../genesys/errors';
import type { StepDeps } from '../../../shared/deps';
import { openBootstrapSession } from '../../../shared/session';
import { defineStep } from '../../../shared/step';
import { removalOptions, removeEach } from '../removal';
import { type RemovalInput, type RemovalOutcome, removalInputSchema } from '../state';

/**
 * DELETE our integration (its data actions go with it), then wait until it is gone. An integration we did not
 * create that runs on a credential of ours (`plan.disableIntegration`) is not deleted but disabled first
 * (`PATCH {intendedState: "DISABLED"}`, genesys-cloud-api.md §4), before RemoveCredentials removes that
 * credential; one already gone counts as absent. Throws a GenesysApiError.
 */
export async function removeIntegration(input: RemovalInput, deps: StepDeps): Promise<RemovalOutcome> {
  const outcome = await removeEach(
    input,
    deps,
    'integration',
    input.plan.integration ? [input.plan.integration.id] : [],
    (api, id) => api.integrations.deleteAndWait(id, removalOptions(deps)),
  );
  const toDisable = input.plan.disableIntegration;
  if (!toDisable) return outcome;
  const { client } = await openBootstrapSession(deps, input.plan);
  const found = { kind: 'integration' as const, id: toDisable.id };
  try {
    await client.integrations.patch(toDisable.id, { intendedState: 'DISABLED' });
  } catch (error) {
    if (!isGenesysError(error, 'not-found')) throw error;
    return { ...outcome, alreadyAbsent: [...outcome.alreadyAbsent, found] };
  }
  return { ...outcome, disabled: [found] };
}

export const removeIntegrationStep = defineStep({
  name: 'offboarding/remove-integration',
  input: removalInputSchema,
  run: removeIntegration,
});
