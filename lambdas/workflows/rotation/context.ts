import type { GenesysClient } from '../../genesys/client';
import type { StepDeps } from '../../shared/deps';
import { ONBOARDING_ERRORS, OnboardingError, ROTATION_ERRORS } from '../../shared/errors';
import { bootstrapSecretName } from '../../shared/naming';
import { isOrgSecret } from '../../shared/request-fields';
import { type ResultSecret, readPendingVersion, readResultSecret } from '../../shared/secrets';
import { openBootstrapSession } from '../../shared/session';

/** One step of Secrets Manager's rotation protocol, for one version (`token`) of one secret. */
export interface RotationEvent {
  /** The secret's name or ARN. */
  readonly secretId: string;
  /** The version being rotated in (Secrets Manager's ClientRequestToken). */
  readonly token: string;
}

/**
 * What every rotation step reads: the org's current record (AWSCURRENT, complete), the rotation's pending
 * version if it exists, and a Genesys client authenticated as the org's bootstrap client.
 */
export interface RotationContext {
  readonly current: ResultSecret;
  readonly pending?: { versionId?: string; secret: ResultSecret };
  readonly genesys: GenesysClient;
}

/** What a `Rotation.Drifted` message ends with: how the org is put right before it is rotated. */
export const REPAIR_FIRST =
  'nothing was created. Repair the org with `genesys-onboard onboard` (or POST /onboardings) first, then rotate it';

/**
 * Reads the context; throws `Rotation.NotOnboarded` when the record is missing, `Rotation.Drifted` naming the
 * ids it lacks when it is incomplete (an onboarding that did not finish), or the session's errors.
 */
export async function rotationContext(event: RotationEvent, deps: StepDeps): Promise<RotationContext> {
  const [current, pending] = await Promise.all([
    readResultSecret(deps.secrets, event.secretId),
    readPendingVersion(deps.secrets, event.secretId),
  ]);
  if (!current) {
    throw new OnboardingError(
      ROTATION_ERRORS.notOnboarded,
      `${event.secretId} holds no onboarding record: nothing to rotate; onboard the org first`,
    );
  }
  const lacking = [
    current.secret.integrationId ? undefined : 'integrationId',
    current.secret.credentialId ? undefined : 'credentialId',
  ].filter((field) => field !== undefined);
  if (lacking.length > 0) {
    throw new OnboardingError(
      ROTATION_ERRORS.drifted,
      `The record ${event.secretId} is incomplete (no ${lacking.join(', no ')}: its onboarding did not finish): ${REPAIR_FIRST}`,
    );
  }
  const client = await bootstrapClientOf(current.secret, deps);
  return { current: current.secret, ...(pending ? { pending } : {}), genesys: client };
}

/**
 * A Genesys client as the org's bootstrap client: the secret the record was onboarded with, which must be
 * this org's own (`<prefix>/<orgId>/...`), else the default `<prefix>/<orgId>/bootstrap`.
 */
export async function bootstrapClientOf(record: ResultSecret, deps: StepDeps): Promise<GenesysClient> {
  const bootstrapSecretId =
    record.onboardedWith?.bootstrapSecretId ?? bootstrapSecretName(deps.settings.secretPrefix, record.orgId);
  if (!isOrgSecret(bootstrapSecretId, deps.settings.secretPrefix, record.orgId)) {
    throw new OnboardingError(
      ONBOARDING_ERRORS.invalidRequest,
      `The record names another org's bootstrap secret`,
    );
  }
  return (await openBootstrapSession(deps, { bootstrapSecretId, region: record.region })).client;
}

/** The pending version of this rotation, or `Rotation.InvalidEvent` when it is not there (createSecret first). */
export function pendingOf(context: RotationContext, event: RotationEvent): ResultSecret {
  const pending = context.pending;
  if (!pending || (pending.versionId !== undefined && pending.versionId !== event.token)) {
    throw new OnboardingError(
      ROTATION_ERRORS.invalidEvent,
      `${event.secretId} has no AWSPENDING version ${event.token}: createSecret has not run for it`,
    );
  }
  return pending.secret;
}
