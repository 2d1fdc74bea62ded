import { messageInfoText } from '../../../genesys/messages';
import type { StepDeps } from '../../../shared/deps';
import { OnboardingError, ROTATION_ERRORS } from '../../../shared/errors';
import { type RotationEvent, rotationContext } from '../context';
import { awaitUsableCredentials, pollUntil } from '../readiness';

/**
 * testSecret: the pending credentials get a token, and the integration, now on them, reports ACTIVE (polled;
 * `Rotation.NotReady` when it is still activating after `readinessWaitMs`, `Rotation.IntegrationError` with its
 * message when it reports ERROR). Changes nothing. Secrets Manager also runs this step alone to test the
 * configuration when rotation is turned on without rotating (RotateSecret with `RotateImmediately: false`),
 * on an AWSPENDING version it wrote itself that names no new client: the current client is tested then.
 */
export async function testSecret(event: RotationEvent, deps: StepDeps): Promise<{ reportedState: string }> {
  const context = await rotationContext(event, deps);
  const pending = context.pending?.versionId === event.token ? context.pending.secret : undefined;
  const tested = pending && pending.clientId !== context.current.clientId ? pending : context.current;
  await awaitUsableCredentials(tested, deps);
  const integrationId = tested.integrationId as string;
  await pollUntil(deps, `Integration ${integrationId} is not ACTIVE yet`, async () => {
    const integration = await context.genesys.integrations.get(integrationId);
    const code = integration.reportedState?.code;
    if (code === 'ERROR') {
      const detail = messageInfoText(integration.reportedState?.detail);
      throw new OnboardingError(
        ROTATION_ERRORS.integrationError,
        `Integration ${integrationId} reports ERROR with the credentials of client ${tested.clientId}${detail ? `: ${detail}` : ''}`,
      );
    }
    return code === 'ACTIVE';
  });
  return { reportedState: 'ACTIVE' };
}
