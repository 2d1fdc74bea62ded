import { OAUTH_CREDENTIAL_TYPE } from '../../../genesys/models';
import type { StepDeps } from '../../../shared/deps';
import { OnboardingError, ROTATION_ERRORS } from '../../../shared/errors';
import { readPendingVersion } from '../../../shared/secrets';
import { pendingOf, type RotationEvent, rotationContext } from '../context';
import { awaitUsableCredentials } from '../readiness';

/**
 * setSecret: the switch. First the pending client must get a token (so the integration never holds a
 * credential that cannot; `Rotation.InvalidEvent` at once when the version stops being AWSPENDING meanwhile); then one `config/current` PUT points the integration at the pending credential,
 * and `intendedState: ENABLED` makes it take it up. Idempotent: a config that points there already is left
 * (the PATCH is sent again).
 * Until this step the integration runs on the current client; if it fails, it still does.
 */
export async function setSecret(event: RotationEvent, deps: StepDeps): Promise<{ switched: boolean }> {
  const context = await rotationContext(event, deps);
  const pending = pendingOf(context, event);
  await awaitUsableCredentials(pending, deps, async () => {
    const now = await readPendingVersion(deps.secrets, event.secretId);
    if (!now || now.versionId !== context.pending?.versionId) {
      throw new OnboardingError(
        ROTATION_ERRORS.invalidEvent,
        `Version ${event.token} of ${event.secretId} is no longer AWSPENDING: another rotation replaced or finished it while its client was not usable yet`,
      );
    }
  });
  const integrationId = pending.integrationId as string;
  let switched = false;
  await context.genesys.integrations.updateConfig(integrationId, (config) => {
    if (config.credentials?.[OAUTH_CREDENTIAL_TYPE]?.id === pending.credentialId) return undefined;
    switched = true;
    return {
      ...config,
      credentials: {
        ...(config.credentials ?? {}),
        [OAUTH_CREDENTIAL_TYPE]: { id: pending.credentialId as string },
      },
    };
  });
  // Also when the config was switched by an attempt that stopped before this PATCH.
  await context.genesys.integrations.patch(integrationId, { intendedState: 'ENABLED' });
  return { switched };
}
