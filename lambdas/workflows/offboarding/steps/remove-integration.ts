import { isGenesysError } from '../../../genesys/errors';
import {
  configuredCredential,
  type IntegrationConfiguration,
  OAUTH_CREDENTIAL_TYPE,
} from '../../../genesys/models';
import type { StepDeps } from '../../../shared/deps';
import { isMarked, withoutMarker } from '../../../shared/ownership';
import { openBootstrapSession } from '../../../shared/session';
import { defineStep } from '../../../shared/step';
import { removalOptions, removeEach } from '../removal';
import { type RemovalInput, type RemovalOutcome, removalInputSchema } from '../state';

/**
 * DELETE our integrations (`plan.integration`, then `plan.unrecordedIntegrations`; their data actions go with
 * them), each waited for until it is gone. An integration we did not
 * create that runs on a credential of ours (`plan.disableIntegration`) is not deleted: it is disabled
 * (`PATCH {intendedState: "DISABLED"}`, genesys-cloud-api.md §4), then its `config/current` is written without
 * our credential and without the ownership marker in its notes (§6; a credential an integration holds cannot
 * be deleted), before RemoveCredentials removes that credential. Both are idempotent; an integration already
 * gone counts as absent. Throws a GenesysApiError.
 */
export async function removeIntegration(input: RemovalInput, deps: StepDeps): Promise<RemovalOutcome> {
  const outcome = await removeEach(
    input,
    deps,
    'integration',
    [input.plan.integration, ...(input.plan.unrecordedIntegrations ?? [])]
      .filter((target) => target !== undefined)
      .map((target) => target.id),
    (api, id) => api.integrations.deleteAndWait(id, removalOptions(deps)),
  );
  const toDisable = input.plan.disableIntegration;
  if (!toDisable) return outcome;
  const { client } = await openBootstrapSession(deps, input.plan);
  const found = { kind: 'integration' as const, id: toDisable.id };
  let runsOnOurs: boolean;
  try {
    const current = await client.integrations.get(toDisable.id, { expandConfig: true });
    runsOnOurs = configuredCredential(current) === toDisable.credentialId;
    // Disabled only while it still runs on our credential: switched to another since the plan, it is theirs.
    if (runsOnOurs && current.intendedState !== 'DISABLED') {
      await client.integrations.patch(toDisable.id, { intendedState: 'DISABLED' });
    }
    await client.integrations.updateConfig(toDisable.id, (config) =>
      releasedConfig(config, toDisable.credentialId),
    );
  } catch (error) {
    if (!isGenesysError(error, 'not-found')) throw error;
    return { ...outcome, alreadyAbsent: [...outcome.alreadyAbsent, found] };
  }
  return { ...outcome, disabled: runsOnOurs ? [found] : [] };
}

/** The config without our credential and marker, or undefined when it holds neither (nothing to write). */
function releasedConfig(
  config: IntegrationConfiguration,
  ourCredentialId: string,
): IntegrationConfiguration | undefined {
  const credentials = { ...(config.credentials ?? {}) };
  const holdsOurs = credentials[OAUTH_CREDENTIAL_TYPE]?.id === ourCredentialId;
  if (!holdsOurs && !isMarked(config.notes)) return undefined;
  if (holdsOurs) delete credentials[OAUTH_CREDENTIAL_TYPE];
  return { ...config, credentials, notes: withoutMarker(config.notes) };
}

export const removeIntegrationStep = defineStep({
  name: 'offboarding/remove-integration',
  input: removalInputSchema,
  run: removeIntegration,
});
