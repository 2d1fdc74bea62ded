import { isGenesysError } from '../../genesys/errors';
import { type StepDeps, SYSTEM_CLOCK } from '../../shared/deps';
import { OnboardingError, ROTATION_ERRORS } from '../../shared/errors';
import type { ResultSecret } from '../../shared/secrets';
import { openClientSession } from '../../shared/session';

/**
 * Waits until a record's client credentials get a token (a new client can take seconds to become usable),
 * polling for up to `consistency.readinessWaitMs`; then throws `Rotation.NotReady` (Secrets Manager tries the rotation again).
 * `stillWanted`, asked after each refused token, ends the wait with its error at once when it throws (the
 * version waited for was replaced meanwhile, and its client may be gone for good).
 */
export async function awaitUsableCredentials(
  secret: ResultSecret,
  deps: StepDeps,
  stillWanted?: () => Promise<void>,
): Promise<void> {
  await pollUntil(deps, `OAuth client ${secret.clientId} does not get a token yet`, async () => {
    try {
      await openClientSession(deps, secret).tokens.getToken();
      return true;
    } catch (error) {
      if (!isGenesysError(error, 'authentication')) throw error;
      await stillWanted?.();
      return false;
    }
  });
}

/**
 * Polls `ready` every `consistency.readinessPollMs` (2 s) for up to `readinessWaitMs` (60 s); throws
 * `Rotation.NotReady` with `notYet` after (Secrets Manager tries the step again later).
 */
export async function pollUntil(
  deps: StepDeps,
  notYet: string,
  ready: () => Promise<boolean>,
): Promise<void> {
  const clock = deps.clock ?? SYSTEM_CLOCK;
  const { readinessPollMs, readinessWaitMs } = deps.settings.consistency;
  const started = clock.now();
  for (;;) {
    if (await ready()) return;
    if (clock.now() - started >= readinessWaitMs) {
      throw new OnboardingError(
        ROTATION_ERRORS.notReady,
        `${notYet} after ${readinessWaitMs / 1000} s; trying again later`,
      );
    }
    await clock.sleep(readinessPollMs);
  }
}
