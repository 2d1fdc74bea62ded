import type { StepDeps } from '../../../shared/deps';
import { defineStep } from '../../../shared/step';
import { removalOptions, removeEach } from '../removal';
import { type RemovalInput, type RemovalOutcome, removalInputSchema } from '../state';

/** DELETE the integration (its data actions go with it), then wait until it is gone. */
export const removeIntegration = (input: RemovalInput, deps: StepDeps): Promise<RemovalOutcome> =>
  removeEach(
    input,
    deps,
    'integration',
    input.plan.integration ? [input.plan.integration.id] : [],
    (api, id) => api.integrations.deleteAndWait(id, removalOptions(deps)),
  );

export const removeIntegrationStep = defineStep({
  name: 'offboarding/remove-integration',
  input: removalInputSchema,
  run: removeIntegration,
});
