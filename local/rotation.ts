import { randomUUID } from 'node:crypto';
import type { StepDeps } from '../lambdas/shared/deps';
import { OnboardingError, ROTATION_ERRORS } from '../lambdas/shared/errors';
import { readResultSecret } from '../lambdas/shared/secrets';
import { ROTATION_STEPS, type RotationStep, rotate } from '../lambdas/workflows/rotation/rotate';

/** What a finished rotation reports: ids only. */
export interface RotationOutcome {
  readonly orgId: string;
  /** The client the integration runs on now. */
  readonly oauthClientId: string;
  /** The client it ran on before, now removed. */
  readonly previousOauthClientId: string;
  readonly integrationId: string;
  readonly credentialId: string;
  readonly secretId: string;
}

export interface LocalRotationOptions {
  /** Called before each of the four steps runs. */
  readonly beforeStep?: (step: RotationStep) => void;
  /** Called after each step with what it returned. */
  readonly afterStep?: (step: RotationStep, result: unknown) => void;
  /** The version to rotate in. @default the pending version an interrupted rotation left, else a new UUID */
  readonly token?: string;
}

/**
 * One rotation of an org's result secret in-process, the way Secrets Manager drives its rotation function:
 * createSecret, setSecret, testSecret, finishSecret for one version token (resuming an interrupted rotation's
 * pending version, as Secrets Manager retries the same version). The steps are the deployed ones; only the
 * "rotation enabled" check is skipped, since a local store has no rotation configuration.
 * Throws `Rotation.NotOnboarded` when the secret holds no record, else the steps' errors.
 */
export async function rotateLocally(
  secretId: string,
  deps: StepDeps,
  options: LocalRotationOptions = {},
): Promise<RotationOutcome> {
  const before = await readResultSecret(deps.secrets, secretId);
  if (!before) {
    throw new OnboardingError(
      ROTATION_ERRORS.notOnboarded,
      `${secretId} holds no onboarding record: onboard the org first`,
    );
  }
  const described = await deps.secrets.describe(secretId);
  const pendingVersion = Object.entries(described?.versions ?? {}).find(
    ([, stages]) => stages.includes('AWSPENDING') && !stages.includes('AWSCURRENT'),
  )?.[0];
  const token = options.token ?? pendingVersion ?? randomUUID();
  for (const step of ROTATION_STEPS) {
    options.beforeStep?.(step);
    const result = await rotate({ SecretId: secretId, ClientRequestToken: token, Step: step }, deps, {
      requireRotationEnabled: false,
    });
    options.afterStep?.(step, result);
  }
  const after = await readResultSecret(deps.secrets, secretId);
  const record = after?.secret;
  if (!record?.integrationId || !record.credentialId) {
    throw new OnboardingError(
      ROTATION_ERRORS.notOnboarded,
      `${secretId} lost its record during the rotation`,
    );
  }
  return {
    orgId: record.orgId,
    oauthClientId: record.clientId,
    previousOauthClientId: record.rotatedFrom?.clientId ?? before.secret.clientId,
    integrationId: record.integrationId,
    credentialId: record.credentialId,
    secretId,
  };
}
