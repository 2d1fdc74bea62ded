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
  /** Called (and awaited) before each of the four steps runs. */
  readonly beforeStep?: (step: RotationStep) => void | Promise<void>;
  /** Called (and awaited) after each step with what it returned. */
  readonly afterStep?: (step: RotationStep, result: unknown) => void | Promise<void>;
  /** The version to rotate in. @default the pending version an interrupted rotation left, else a new UUID */
  readonly token?: string;
}

/**
 * One rotation of an org's result secret in-process, the way Secrets Manager drives its rotation function:
 * createSecret, setSecret, testSecret, finishSecret for one version token (resuming an interrupted rotation's
 * pending version, as Secrets Manager retries the same version). The steps are the deployed ones; only the
 * "rotation enabled" check is skipped, since a local store has no rotation configuration.
 * Throws `Rotation.NotOnboarded` when the secret holds no record; `Rotation.Superseded` when a step failed
 * because another rotation of the secret replaced this one's pending version or finished meanwhile (Secrets
 * Manager never runs two at once; two local runs can); else the steps' errors.
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
  const token = options.token ?? pendingVersionOf(described?.versions) ?? randomUUID();
  let newClientId: string | undefined;
  for (const step of ROTATION_STEPS) {
    await options.beforeStep?.(step);
    const result = await rotate({ SecretId: secretId, ClientRequestToken: token, Step: step }, deps, {
      requireRotationEnabled: false,
    }).catch(async (error: unknown) => {
      const started = { token, clientId: before.secret.clientId, newClientId, step };
      throw (await supersession(secretId, deps, started).catch(() => undefined)) ?? error;
    });
    if (step === 'createSecret') newClientId = (result as { oauthClientId?: string }).oauthClientId;
    await options.afterStep?.(step, result);
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

/** The version id that is AWSPENDING and not AWSCURRENT (a rotation in progress), if any. */
export const pendingVersionOf = (versions: Readonly<Record<string, string[]>> | undefined) =>
  Object.entries(versions ?? {}).find(
    ([, stages]) => stages.includes('AWSPENDING') && !stages.includes('AWSCURRENT'),
  )?.[0];

/**
 * `Rotation.Superseded` when `started.step` failed because another run took over: this rotation's version
 * (`started.token`) is neither AWSPENDING nor AWSCURRENT any more, and another version is pending now, or the
 * record names a client that is not the one this rotation started from: another rotation's, or this rotation's
 * own (`newClientId`: a second run resumed the same version and finished it) when the step that failed is not
 * finishSecret (which promotes it itself). Undefined when the failure is this rotation's own. The file store
 * names its current version by content, so the record's client, not the version id, tells whose it is.
 */
async function supersession(
  secretId: string,
  deps: StepDeps,
  started: { token: string; clientId: string; newClientId?: string; step: RotationStep },
): Promise<OnboardingError | undefined> {
  const versions = (await deps.secrets.describe(secretId))?.versions;
  const ours = versions?.[started.token] ?? [];
  if (ours.includes('AWSPENDING') || ours.includes('AWSCURRENT')) return undefined;
  const otherPending = pendingVersionOf(versions);
  if (otherPending) {
    return new OnboardingError(
      ROTATION_ERRORS.superseded,
      `Another rotation of ${secretId} replaced this one's pending version while it ran: its version ${otherPending} is in progress (or stopped: rotate resumes it). Its finishSecret removes what this run created; the record still names OAuth client ${started.clientId}`,
    );
  }
  const now = (await readResultSecret(deps.secrets, secretId))?.secret.clientId;
  if (!now || now === started.clientId) return undefined;
  if (now === started.newClientId) {
    if (started.step === 'finishSecret') return undefined;
    return new OnboardingError(
      ROTATION_ERRORS.superseded,
      `Another run finished this same rotation (version ${started.token}) while this one ran: the record now names OAuth client ${now} (this run started from ${started.clientId}), so the secret is rotated`,
    );
  }
  return new OnboardingError(
    ROTATION_ERRORS.superseded,
    `Another rotation of ${secretId} finished while this one ran: the record now names OAuth client ${now} (this run started from ${started.clientId}), so the secret is rotated; this run's version was dropped, and a client it made, if one is left, is removed by the next rotation`,
  );
}
