import * as z from 'zod/mini';

/**
 * The data that flows between the offboarding states, as zod schemas (each step handler parses its input
 * with them). Ids and reasons only, never a secret.
 */

export const resourceKind = z.enum(['integration', 'credential', 'oauthClient', 'secret']);
export type ResourceKind = z.infer<typeof resourceKind>;

/** A resource of ours to remove, and why it is ours. */
const target = z.object({ id: z.string().check(z.minLength(1)), why: z.string() });
export type RemovalTarget = z.infer<typeof target>;

/** A resource that is not removed, and why (not ours, or the bootstrap client). */
const leftAlone = z.object({
  kind: resourceKind,
  id: z.string(),
  name: z.optional(z.string()),
  why: z.string(),
});

const found = z.object({ kind: resourceKind, id: z.string() });
export type FoundResource = z.infer<typeof found>;

/** What PrepareOffboarding found, read-only: what the removal steps remove, in order, and what they leave. */
export const offboardingPlanSchema = z.object({
  orgId: z.string().check(z.minLength(1)),
  region: z.string().check(z.minLength(1)),
  bootstrapSecretId: z.string().check(z.minLength(1)),
  resultSecretId: z.string().check(z.minLength(1)),
  /** The caller: never removed, whatever a record or a request says. */
  bootstrapClientId: z.string().check(z.minLength(1)),
  integration: z.optional(target),
  /**
   * Further integrations of ours, removed with `integration`: marked integrations of the recorded names that no
   * record names (left by two onboardings of the org at once). Absent in plans made before it existed.
   */
  unrecordedIntegrations: z.optional(z.array(target)),
  /**
   * An integration we did not create (left alone) that runs on our credential `credentialId`, which is
   * removed: instead of being deleted it is disabled (`intendedState: DISABLED`) and our credential and
   * ownership marker are taken out of its configuration before the credential goes.
   */
  disableIntegration: z.optional(
    z.object({
      id: z.string().check(z.minLength(1)),
      credentialId: z.string().check(z.minLength(1)),
      why: z.string(),
    }),
  ),
  credentials: z.array(target),
  clients: z.array(target),
  secret: z.optional(target),
  /** Named in the record but already gone when the run started. */
  alreadyAbsent: z.array(found),
  leftAlone: z.array(leftAlone),
});
export type OffboardingPlan = z.infer<typeof offboardingPlanSchema>;

/** What one removal step did: removed, or found already gone (a crashed run's work, or a lagging read). */
export const removalOutcomeSchema = z.object({
  removed: z.array(found),
  alreadyAbsent: z.array(found),
  /** Disabled instead of removed (an integration we did not create). */
  disabled: z.optional(z.array(found)),
});
export type RemovalOutcome = z.infer<typeof removalOutcomeSchema>;

/** The input of every removal step: the plan. */
export const removalInputSchema = z.object({ plan: offboardingPlanSchema });
export type RemovalInput = z.infer<typeof removalInputSchema>;

const stepError = z.object({ Error: z.optional(z.string()), Cause: z.optional(z.string()) });

/** What DescribeLeftovers sees on a failure: the plan (if Prepare finished) and the error. */
export const offboardingFailureSchema = z.object({
  request: z.optional(z.unknown()),
  plan: z.optional(offboardingPlanSchema),
  error: z.optional(stepError),
});
export type OffboardingFailureState = z.infer<typeof offboardingFailureSchema>;

/**
 * The success output, as the API and the CLI give it: ids only, null where nothing was there.
 * `oauthClientIds` has two ids when a rotation was in progress (both clients were ours).
 */
export interface OffboardingResult {
  orgId: string;
  removed: {
    oauthClientId: string | null;
    oauthClientIds: string[];
    integrationId: string | null;
    credentialIds: string[];
    secretId: string | null;
  };
  alreadyAbsent: FoundResource[];
  /** Left in place but disabled: an integration we did not create whose credential of ours was removed. */
  disabled: FoundResource[];
  leftAlone: Array<{ kind: ResourceKind; id: string; name?: string; why: string }>;
}
