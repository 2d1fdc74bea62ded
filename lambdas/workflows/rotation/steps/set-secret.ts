import { OAUTH_CREDENTIAL_TYPE } from '../../../genesys/models';
import type { StepDeps } from '../../../shared/deps';
import { OnboardingError, ROTATION_ERRORS } from '../../../shared/errors';
import { readPendingVersion } from '../../../shared/secrets';
import { pendingOf, type RotationEvent, rotationContext } from '../context';
import { awaitUsableCredentials } from '../readiness';

/**
 * setSecret: the switch. First the pending client must get a token (so the integration never holds a
 * credential that cannot; `Rotation.InvalidEvent` at once when the version stops being AWSPENDING meanwhile);
 * then one `config/current` PUT points the integration at the pending credential, and `intendedState: ENABLED`
 * makes it take it up. Idempotent: a config that points there already is left (the PATCH is sent again).
 * Every attempt of the PUT (version conflicts are retried) first checks that `event.token` is still the
 * AWSPENDING version, else throws `Rotation.Superseded` and writes nothing: a conflict can be another rotation's
 * switch, which a replaced version must not undo (two local runs at once; Secrets Manager runs one at a time).
 * Until this step the integration runs on the current client; if it fails, it still does.
 */
export async function setSecret(event: RotationEvent, deps: StepDeps): Promise<{ switched: boolean }> {
  const context = await rotationContext(event, deps);
  const pending = pendingOf(context, event);
  const stillPending = async () => {
    const now = await readPendingVersion(deps.secrets, event.secretId);
    return now !== undefined && now.versionId === context.pending?.versionId;
  };
  await awaitUsableCredentials(pending, deps, async () => {
    if (!(await stillPending())) {
      throw new OnboardingError(
        ROTATION_ERRORS.invalidEvent,
        `Version ${event.token} of ${event.secretId} is no longer AWSPENDING: another rotation replaced or finished it while its client was not usable yet`,
      );
    }
  });
  const integrationId = pending.integrationId as string;
  let switched = false;
  await context.genesys.integrations.updateConfig(integrationId, async (config) => {
    if (config.credentials?.[OAUTH_CREDENTIAL_TYPE]?.id === pending.credentialId) return undefined;
    if (!(await stillPending())) {
      throw new OnboardingError(
        ROTATION_ERRORS.superseded,
        `Version ${event.token} of ${event.secretId} is no longer AWSPENDING: another rotation replaced or finished it, so the integration is not switched to this version's credential`,
      );
    }
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
