import { z } from 'zod';

/**
 * The data that flows between the states, as zod schemas: each step handler parses its input with them
 * (Powertools parser), and the types below are derived from them. Ids only, never a secret.
 */

const roleDivision = z.object({ roleId: z.string().min(1), divisionId: z.string().min(1) });

/** What Prepare resolved: everything the later steps need. */
export const planSchema = z.object({
  orgId: z.string().min(1),
  region: z.string().min(1),
  bootstrapSecretId: z.string().min(1),
  resultSecretId: z.string().min(1),
  oauthClient: z.object({
    name: z.string().min(1),
    description: z.string(),
    accessTokenValiditySeconds: z.number().int(),
    roleDivisions: z.array(roleDivision).min(1),
  }),
  integration: z.object({ name: z.string().min(1), notes: z.string() }),
});
export type OnboardingPlan = z.infer<typeof planSchema>;

export const clientOutcomeSchema = z.object({
  oauthClientId: z.string().min(1),
  /** This run created the client: compensation deletes it. */
  clientCreated: z.boolean(),
  secretArn: z.string().min(1),
  /** This run created the result secret. */
  secretCreated: z.boolean(),
  /** The client existed but its stored secret was missing or stale, so a new one was generated. */
  secretRegenerated: z.boolean(),
  /** The stored credentials were just seen to mint a token. */
  credentialsVerified: z.boolean(),
});
export type ClientOutcome = z.infer<typeof clientOutcomeSchema>;

export const integrationOutcomeSchema = z.object({
  integrationId: z.string().min(1),
  /** This run created the integration: compensation deletes it (and its credential). */
  integrationCreated: z.boolean(),
  /** The credential configured under `pureCloudOAuthClient`, if any. */
  configuredCredentialId: z.string().optional(),
  intendedState: z.string(),
  /** `reportedState.code` when it was found, e.g. ACTIVE. */
  reportedState: z.string().optional(),
});
export type IntegrationOutcome = z.infer<typeof integrationOutcomeSchema>;

export const configureOutcomeSchema = z.object({
  credentialId: z.string().min(1),
  /** This run created the credential: compensation deletes it. */
  credentialCreated: z.boolean(),
  credentialUpdated: z.boolean(),
  configUpdated: z.boolean(),
  enabled: z.boolean(),
});
export type ConfigureOutcome = z.infer<typeof configureOutcomeSchema>;

export const verifyOutcomeSchema = z.object({ attempt: z.number().int(), reportedState: z.string() });
export type VerifyOutcome = z.infer<typeof verifyOutcomeSchema>;

const stepError = z.object({ Error: z.string().optional(), Cause: z.string().optional() });

/** A Parallel branch that failed: its error, kept so that the other branch's outcome is not lost. */
export const branchFailureSchema = z.object({ failed: z.literal(true), error: stepError });
export type BranchFailure = z.infer<typeof branchFailureSchema>;

/** The whole state as Compensate sees it: every part after the request may be missing. */
export const workflowStateSchema = z.object({
  request: z.unknown().optional(),
  plan: planSchema.optional(),
  provisioned: z
    .tuple([
      z.union([branchFailureSchema, clientOutcomeSchema]),
      z.union([branchFailureSchema, integrationOutcomeSchema]),
    ])
    .optional(),
  configured: configureOutcomeSchema.optional(),
  verification: verifyOutcomeSchema.optional(),
  error: stepError.optional(),
});
export type WorkflowState = z.infer<typeof workflowStateSchema>;

/** The input of Configure and Verify: the plan, both provisioning outcomes, and for Verify what Configure did. */
export const provisionedInputSchema = z.object({
  plan: planSchema,
  client: clientOutcomeSchema,
  integration: integrationOutcomeSchema,
  configured: configureOutcomeSchema.optional(),
  verification: verifyOutcomeSchema.optional(),
});
export type ProvisionedInput = z.infer<typeof provisionedInputSchema>;

export const recordInputSchema = z.object({
  plan: planSchema,
  client: clientOutcomeSchema,
  integration: integrationOutcomeSchema,
  configured: configureOutcomeSchema,
});
export type RecordInput = z.infer<typeof recordInputSchema>;

/** The success output: ids only. */
export interface OnboardingResult {
  orgId: string;
  oauthClientId: string;
  integrationId: string;
  credentialId: string;
  secretArn: string;
}

export const isBranchFailure = (value: unknown): value is BranchFailure =>
  branchFailureSchema.safeParse(value).success;
