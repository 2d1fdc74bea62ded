import { STEP_ERROR_NAMES } from '../../../genesys/errors';
import type { StepDeps } from '../../../shared/deps';
import { causeMessage, OFFBOARDING_ERRORS } from '../../../shared/errors';
import { SECRET_STORE_TRANSIENT } from '../../../shared/secret-store';
import { openBootstrapSession } from '../../../shared/session';
import { defineStep } from '../../../shared/step';
import { type OffboardingFailureState, type OffboardingPlan, offboardingFailureSchema } from '../state';

/**
 * Lookup failures that may pass and that the state machine retries (lib/constructs/state-machine-defaults.ts
 * `rateLimitRetry`, `transientRetry`): thrown, so that a retry can still say what is left.
 */
const RETRIED_LOOKUP_FAILURES: ReadonlySet<string> = new Set([
  STEP_ERROR_NAMES.transient,
  STEP_ERROR_NAMES['rate-limited'],
  SECRET_STORE_TRANSIENT,
]);

/**
 * After a failure: the error that stopped the run, and which of the plan's targets are still there (in what
 * state), read-only, so the run's cause says what is left and why. A lookup that fails in a way that may pass
 * (`Genesys.Transient`, `Genesys.RateLimited`, `SecretStore.Transient`) is thrown for the state machine to
 * retry (when the retries run out, the run fails with the error that stopped it and its cause); for any other
 * failed lookup the cause says what could not be read. The result secret is described, never read (a secret
 * scheduled for deletion counts as gone).
 */
export async function describeLeftovers(
  state: OffboardingFailureState,
  deps: StepDeps,
): Promise<{ error: string; cause: string }> {
  const error = state.error?.Error ?? OFFBOARDING_ERRORS.incomplete;
  const why = causeMessage(state.error?.Cause);
  if (!state.plan) return { error, cause: `${why}. Nothing was removed.` };
  let left: string[];
  try {
    left = await stillThere(state.plan, deps);
  } catch (lookup) {
    if (lookup instanceof Error && RETRIED_LOOKUP_FAILURES.has(lookup.name)) throw lookup;
    const text = lookup instanceof Error ? lookup.message : String(lookup);
    return {
      error,
      cause: `${why}. What is left could not be read (${text}); run the offboarding again to finish.`,
    };
  }
  return {
    error,
    cause:
      left.length > 0
        ? `${why}. Still there: ${left.join(', ')}. Run the offboarding again to finish.`
        : `${why}. Nothing of ours is left.`,
  };
}

async function stillThere(plan: OffboardingPlan, deps: StepDeps): Promise<string[]> {
  const left: string[] = [];
  const { client } = await openBootstrapSession(deps, plan);
  for (const target of [plan.integration, ...(plan.unrecordedIntegrations ?? [])]) {
    if (target && (await client.integrations.find(target.id))) left.push(`integration ${target.id}`);
  }
  if (plan.credentials.length > 0) {
    const listed = new Set((await client.credentials.listAll()).map((c) => c.id));
    for (const { id } of plan.credentials) {
      // The listing lags: one it does not show is read by id (Prepare saw it, so it is past its 404 window).
      if (listed.has(id) || (await client.credentials.find(id))) left.push(`credential ${id}`);
    }
  }
  for (const { id } of plan.clients) {
    const found = await client.oauthClients.find(id);
    if (found && found.state !== 'deleted') left.push(`OAuth client ${id} (${found.state})`);
  }
  // Described (DescribeSecret), never read: whether it is there needs no value.
  if (plan.secret && (await deps.secrets.describe(plan.secret.id))) left.push(`secret ${plan.secret.id}`);
  return left;
}

export const describeLeftoversStep = defineStep({
  name: 'offboarding/describe-leftovers',
  input: offboardingFailureSchema,
  run: describeLeftovers,
});
