import type { StepDeps } from '../../../shared/deps';
import { defineStep } from '../../../shared/step';
import { removalOptions, removeEach } from '../removal';
import { type RemovalInput, type RemovalOutcome, removalInputSchema } from '../state';

/**
 * Each client: `state: inactive`, DELETE, then wait for 404 or `deleted`. Never the bootstrap client, even if
 * a plan named it.
 */
export const removeClients = (input: RemovalInput, deps: StepDeps): Promise<RemovalOutcome> =>
  removeEach(
    input,
    deps,
    'oauthClient',
    input.plan.clients.map((c) => c.id).filter((id) => id !== input.plan.bootstrapClientId),
    (api, id) => api.oauthClients.deactivateAndDelete(id, removalOptions(deps)),
  );

export const removeClientsStep = defineStep({
  name: 'offboarding/remove-clients',
  input: removalInputSchema,
  run: removeClients,
});
