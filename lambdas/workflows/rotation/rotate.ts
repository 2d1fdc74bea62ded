import * as z from 'zod/mini';
import type { StepDeps } from '../../shared/deps';
import { OnboardingError, ROTATION_ERRORS } from '../../shared/errors';
import { defineStep } from '../../shared/step';
import { createSecret } from './steps/create-secret';
import { finishSecret } from './steps/finish-secret';
import { setSecret } from './steps/set-secret';
import { testSecret } from './steps/test-secret';

/** The event Secrets Manager invokes a rotation function with (its rotation protocol). */
export const rotationEventSchema = z.object({
  SecretId: z.string().check(z.minLength(1)),
  ClientRequestToken: z.string().check(z.minLength(1)),
  Step: z.enum(['createSecret', 'setSecret', 'testSecret', 'finishSecret']),
  RotationToken: z.optional(z.string()),
});
export type RotationProtocolEvent = z.infer<typeof rotationEventSchema>;
export type RotationStep = RotationProtocolEvent['Step'];

/** The protocol's steps in the order Secrets Manager invokes them. */
export const ROTATION_STEPS: readonly RotationStep[] = rotationEventSchema.shape.Step.options;

/** The four steps by their protocol names: dispatch is by the event's explicit `Step`. */
const STEPS: Record<
  RotationStep,
  (event: { secretId: string; token: string }, deps: StepDeps) => Promise<unknown>
> = {
  createSecret,
  setSecret,
  testSecret,
  finishSecret,
};

/**
 * One step of a rotation, as Secrets Manager's rotation templates check it first: the secret exists (and,
 * on Secrets Manager, has rotation enabled); the version `ClientRequestToken` is AWSPENDING, or AWSCURRENT
 * already, which ends every step but finishSecret (whose removals are then done again, idempotently).
 * createSecret may find the version not written yet. Throws `Rotation.InvalidEvent` otherwise.
 */
export async function rotate(
  event: RotationProtocolEvent,
  deps: StepDeps,
  options: { readonly requireRotationEnabled: boolean } = { requireRotationEnabled: true },
): Promise<unknown> {
  const described = await deps.secrets.describe(event.SecretId);
  if (!described) throw invalid(`Secret ${event.SecretId} does not exist`);
  if (options.requireRotationEnabled && !described.rotation?.enabled) {
    throw invalid(`Secret ${event.SecretId} does not have rotation enabled`);
  }
  const stages = described.versions[event.ClientRequestToken] ?? [];
  if (stages.includes('AWSCURRENT') && event.Step !== 'finishSecret') return { alreadyCurrent: true };
  if (!stages.includes('AWSPENDING') && event.Step !== 'createSecret' && !stages.includes('AWSCURRENT')) {
    throw invalid(`Version ${event.ClientRequestToken} of ${event.SecretId} is not AWSPENDING`);
  }
  return STEPS[event.Step]({ secretId: event.SecretId, token: event.ClientRequestToken }, deps);
}

const invalid = (message: string) => new OnboardingError(ROTATION_ERRORS.invalidEvent, message);

export const rotateStep = defineStep({
  name: 'rotation/rotate',
  input: rotationEventSchema,
  run: (event, deps) => rotate(event, deps),
});
