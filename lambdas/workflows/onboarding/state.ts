import * as z from 'zod/mini';

/**
 * The data that flows between the states, as zod schemas: each step handler parses its input with them
 * (Powertools parser), and the types below are derived from them. Ids only, never a secret.
 */

const roleDivision = z.object({
  roleId: z.string().check(z.minLength(1)),
  divisionId: z.string().check(z.minLength(1)),
});

/** What Prepare resolved: everything the later steps need. */
export const planSchema = z.object({
  orgId: z.string().check(z.minLength(1)),
  region: z.string().check(z.minLength(1)),
  bootstrapSecretId: z.string().check(z.minLength(1)),
  resultSecretId: z.string().check(z.minLength(1)),
  oauthClient: z.object({
    name: z.string().check(z.minLength(1)),
    description: z.string(),
    accessTokenValiditySeconds: z.int(),
    roleDivisions: z.array(roleDivision).check(z.minLength(1)),
  }),
  integration: z.object({ name: z.string().check(z.minLength(1)), notes: z.string() }),
});
export type OnboardingPlan = z.infer<typeof planSchema>;

export const clientOutcomeSchema = z.object({
  oauthClientId: z.string().check(z.minLength(1)),
  /** This run created the client: compensation deletes it. */
  clientCreated: z.boolean(),
  secretArn: z.string().check(z.minLength(1)),
  /** This run created the result secret. */
  secretCreated: z.boolean(),
  /** The stored credentials were just seen to mint a token. */
  credentialsVerified: z.boolean(),
});
export type ClientOutcome = z.infer<typeof clientOutcomeSchema>;

export const integrationOutcomeSchema = z.object({
  integrationId: z.string().check(z.minLength(1)),
  /** This run created the integration: compensation deletes it (and its credential). */
  integrationCreated: z.boolean(),
  /** The credential configured under `pureCloudOAuthClient`, if any. */
  configuredCredentialId: z.optional(z.string()),
  intendedState: z.string(),
  /** `reportedState.code` when it was found, e.g. ACTIVE. */
  reportedState: z.optional(z.string()),
});
export type IntegrationOutcome = z.infer<typeof integrationOutcomeSchema>;

export const configureOutcomeSchema = z.object({
  credentialId: z.string().check(z.minLength(1)),
  /** One-way fingerprint of the client id and secret the credential holds (never the secret itself). */
  credentialFingerprint: z.string().check(z.minLength(1)),
  /** This run created the credential: compensation deletes it. */
  credentialCreated: z.boolean(),
  credentialUpdated: z.boolean(),
  configUpdated: z.boolean(),
  enabled: z.boolean(),
});
export type ConfigureOutcome = z.infer<typeof configureOutcomeSchema>;

export const verifyOutcomeSchema = z.object({ attempt: z.int(), reportedState: z.string() });
export type VerifyOutcome = z.infer<typeof verifyOutcomeSchema>;

const stepError = z.object({ Error: z.optional(z.string()), Cause: z.optional(z.string()) });

/** A Parallel branch that failed: its error, kept so that the other branch's outcome is not lost. */
export const branchFailureSchema = z.object({ failed: z.literal(true), error: stepError });
export type BranchFailure = z.infer<typeof branchFailureSchema>;

/** The whole state as Compensate sees it: every part after the request may be missing. */
export const workflowStateSchema = z.object({
  request: z.optional(z.unknown()),
  plan: z.optional(planSchema),
  provisioned: z.optional(
    z.tuple([
      z.union([branchFailureSchema, clientOutcomeSchema]),
      z.union([branchFailureSchema, integrationOutcomeSchema]),
    ]),
  ),
  configured: z.optional(configureOutcomeSchema),
  verification: z.optional(verifyOutcomeSchema),
  error: z.optional(stepError),
});
export type WorkflowState = z.infer<typeof workflowStateSchema>;

/** The input of Configure and Verify: the plan, both provisioning outcomes, and for Verify what Configure did. */
export const provisionedInputSchema = z.object({
  plan: planSchema,
  client: clientOutcomeSchema,
  integration: integrationOutcomeSchema,
  configured: z.optional(configureOutcomeSchema),
  verification: z.optional(verifyOutcomeSchema),
});
export type ProvisionedInput = z.infer<typeof provisionedInputSchema>;

/** The input of Record: as Configure's, with Configure's outcome. */
export const recordInputSchema = z.extend(provisionedInputSchema, { configured: configureOutcomeSchema });
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
