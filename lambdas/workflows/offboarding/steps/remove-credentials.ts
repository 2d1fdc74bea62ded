import type { StepDeps } from '../../../shared/deps';
import { defineStep } from '../../../shared/step';
import { removeEach } from '../removal';
import { type RemovalInput, type RemovalOutcome, removalInputSchema } from '../state';

/**
 * DELETE each credential, retried while an integration being deleted still holds it. Prepare found each one
 * in the credential listing, so a 404 is retried for `readAfterCreateMs`: a credential made moments before
 * (a repair re-created it) answers 404 by id for a while after it is listed.
 */
export const removeCredentials = (input: RemovalInput, deps: StepDeps): Promise<RemovalOutcome> =>
  removeEach(
    input,
    deps,
    'credential',
    input.plan.credentials.map((c) => c.id),
    (api, id) =>
      api.credentials.delete(id, {
        releaseTimeoutMs: deps.settings.consistency.goneTimeoutMs,
        retryNotFoundMs: deps.settings.consistency.readAfterCreateMs,
      }),
  );

export const removeCredentialsStep = defineStep({
  name: 'offboarding/remove-credentials',
  input: removalInputSchema,
  run: removeCredentials,
});
