import type { StepDeps } from '../../../shared/deps';
import { defineStep } from '../../../shared/step';
import { type RemovalInput, type RemovalOutcome, removalInputSchema } from '../state';

/**
 * The org's result secret, last (its record names what the other steps remove, so a re-run after a crash
 * still finds them): deleted with a recovery window on Secrets Manager (`recoveryWindowDays`, default 7).
 * Whether it was there is described (DescribeSecret), never read: its value is not needed.
 */
export async function removeSecret(input: RemovalInput, deps: StepDeps): Promise<RemovalOutcome> {
  const secret = input.plan.secret;
  if (!secret) return { removed: [], alreadyAbsent: [] };
  const existed = (await deps.secrets.describe(secret.id)) !== undefined;
  await deps.secrets.delete(secret.id, { recoveryWindowDays: deps.settings.recoveryWindowDays ?? 7 });
  const found = { kind: 'secret' as const, id: secret.id };
  return existed ? { removed: [found], alreadyAbsent: [] } : { removed: [], alreadyAbsent: [found] };
}

export const removeSecretStep = defineStep({
  name: 'offboarding/remove-secret',
  input: removalInputSchema,
  run: removeSecret,
});
