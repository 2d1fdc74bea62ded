import * as z from 'zod/mini';
import { validatedOnboardingRequestSchema } from '../../shared/request';

/**
 * The data that flows between the states, as zod schemas: each step handler parses its input with them
 * (Powertools parser), and the types below are derived from them. Ids only, never a secret.
 */

const roleDivision = z.object({
  roleId: z.string().check(z.minLength(1)),
  divisionId: z.string().check(z.minLength(1)),
});

/**
 * What Prepare found for the org's OAuth client, read-only, before anything is written: create one, or use
 * an existing one and why it is ours (the record names it, it carries the ownership marker, or the request
 * adopts it), with the fields EnsureOAuthClient converges.
 */
export const clientDecisionSchema = z.union([
  z.object({ action: z.literal('create') }),
  z.object({
    action: z.literal('use'),
    oauthClientId: z.string().check(z.minLength(1)),
    basis: z.enum(['recorded', 'marked', 'adopted']),
    current: z.object({
      description: z.string(),
      accessTokenValiditySeconds: z.optional(z.number()),
      state: z.string(),
      roleDivisions: z.array(roleDivision),
      dateCreated: z.optional(z.string()),
    }),
  }),
]);
export type ClientDecision = z.infer<typeof clientDecisionSchema>;

/**
 * The name and notes of an integration's `config/current` as Prepare read them with the integration by id
 * (GET /api/v2/integrations/{id}?expand=config.current), never from a listing (which may lag): with the
 * configured credential they tell Configure that nothing in the config is to change, without reading it again.
 */
const readConfigSchema = z.object({ name: z.string(), notes: z.string() });

/**
 * What Prepare found for the org's integration, read-only: create one, or use an existing one and why (the
 * record names it, it carries the marker, another run of this tool announced it in its creation intent and
 * nobody configured it, nobody configured it, or the request adopts it).
 */
export const integrationDecisionSchema = z.union([
  z.object({ action: z.literal('create') }),
  z.object({
    action: z.literal('use'),
    integrationId: z.string().check(z.minLength(1)),
    basis: z.enum(['recorded', 'marked', 'announced', 'unconfigured', 'adopted']),
    /** The credential configured under `pureCloudOAuthClient`, if any (ours or not). */
    configuredCredentialId: z.optional(z.string()),
    /** The record's credential for this integration, if any. */
    recordedCredentialId: z.optional(z.string()),
    /** The record's `integrationAdopted`, for the recorded integration. */
    recordedAdopted: z.optional(z.boolean()),
    /** Its name, when it differs from the request's and the request asks to rename it. */
    renameFrom: z.optional(z.string()),
    /** The name and notes of its `config/current` as read by id (`readConfigSchema`): the recorded one only. */
    readConfig: z.optional(readConfigSchema),
    intendedState: z.string(),
    reportedState: z.optional(z.string()),
  }),
]);
export type IntegrationDecision = z.infer<typeof integrationDecisionSchema>;

/** What Prepare resolved: everything the later steps need. */
export const planSchema = z.object({
  orgId: z.string().check(z.minLength(1)),
  region: z.string().check(z.minLength(1)),
  bootstrapSecretId: z.string().check(z.minLength(1)),
  resultSecretId: z.string().check(z.minLength(1)),
  /**
   * This run, as what it writes names it (a random UUID made by Prepare): the creation intent carries it, so
   * that Compensate removes an intent only while it is still this run's.
   */
  runId: z.string().check(z.minLength(1)),
  /** The bootstrap client (the caller): never adopted, modified or deleted. */
  bootstrapClientId: z.string().check(z.minLength(1)),
  /** Take over a same-name client or configured integration that is not ours. */
  adoptExisting: z.boolean(),
  /** Rename the recorded integration instead of refusing a new name. */
  renameIntegration: z.boolean(),
  oauthClient: z.object({
    name: z.string().check(z.minLength(1)),
    description: z.string(),
    accessTokenValiditySeconds: z.int(),
    roleDivisions: z.array(roleDivision).check(z.minLength(1)),
  }),
  integration: z.object({ name: z.string().check(z.minLength(1)), notes: z.string() }),
  /** Prepare's read-only findings: what the provisioning steps create, use or adopt. */
  found: z.object({ client: clientDecisionSchema, integration: integrationDecisionSchema }),
  /** The request as validated: recorded with the org's result, for a repair to run it again. */
  request: validatedOnboardingRequestSchema,
  /**
   * A rotation of the client secret is in progress (the record has an AWSPENDING version): the run changes
   * nothing and reports the client the integration runs on now (the live one).
   */
  rotation: z.optional(
    z.object({
      pendingClientId: z.string(),
      liveClientId: z.string(),
      liveCredentialId: z.optional(z.string()),
    }),
  ),
});
export type OnboardingPlan = z.infer<typeof planSchema>;

/**
 * Which attempt of its task state an invocation is, from the Step Functions context object (AWS, "Context
 * object": `$$.State.RetryCount`, the retries of the state so far, every Retry entry counted, 0 on its first
 * attempt; `$$.Execution.RedriveCount`, how often the execution was redriven, which starts a redriven state
 * again at RetryCount 0). The local runner provides both (local/context-object.ts). Absent on an input that
 * does not carry it (an execution started on an older definition, a direct call): not known.
 */
export const stateAttemptSchema = z.object({
  retryCount: z.int().check(z.nonnegative()),
  redriveCount: z.int().check(z.nonnegative()),
});
export type StateAttempt = z.infer<typeof stateAttemptSchema>;

/**
 * Whether nothing an earlier attempt of this task state did can exist: the state's first attempt in an
 * execution that was never redriven. False when the attempt is not known.
 */
export const isFirstAttempt = (attempt: StateAttempt | undefined): boolean =>
  attempt !== undefined && attempt.retryCount === 0 && attempt.redriveCount === 0;

/** The input of EnsureIntegration: the plan, and which attempt of the state this is. */
export const ensureIntegrationInputSchema = z.object({
  plan: planSchema,
  attempt: z.optional(stateAttemptSchema),
});
export type EnsureIntegrationInput = z.infer<typeof ensureIntegrationInputSchema>;

export const clientOutcomeSchema = z.object({
  oauthClientId: z.string().check(z.minLength(1)),
  /** This run created the client: compensation deletes it. */
  clientCreated: z.boolean(),
  secretArn: z.string().check(z.minLength(1)),
  /** This run created the result secret. */
  secretCreated: z.boolean(),
  /** The stored credentials were just seen to mint a token. */
  credentialsVerified: z.boolean(),
  /** What this run changed on a client that existed before it (adopted, converged, new secret). */
  changes: z.array(z.string()),
});
export type ClientOutcome = z.infer<typeof clientOutcomeSchema>;

export const integrationOutcomeSchema = z.object({
  integrationId: z.string().check(z.minLength(1)),
  /** This run created the integration: compensation deletes it (and its credential). */
  integrationCreated: z.boolean(),
  /**
   * genesys-onboarding took it over instead of creating it (this run or, per the record, an earlier one);
   * undefined when that is not known (found by its ownership marker alone, or an old record). Recorded.
   */
  integrationAdopted: z.optional(z.boolean()),
  /** The `config/current` version after EnsureIntegration marked the integration it created. */
  configVersion: z.optional(z.int()),
  /** The credential configured under `pureCloudOAuthClient`, if any (ours or not). */
  configuredCredentialId: z.optional(z.string()),
  /** The name and notes of its `config/current` as Prepare read them by id, if it did (`readConfigSchema`). */
  readConfig: z.optional(readConfigSchema),
  /** Our credential for this integration, when known: the record's, or the configured one when it is ours. */
  ourCredentialId: z.optional(z.string()),
  /**
   * A credential named after the integration (`Integration-<id>`) may be ours: a run that stopped between
   * creating it and configuring it left it, or (always true for an integration this run created) an earlier
   * attempt whose answer was lost made it. False for an integration taken over (adopted) or configured by
   * someone else, where credentials of that name may be another team's.
   */
  credentialByName: z.boolean(),
  /** The integration's name differs from the request's and the request asks to rename it. */
  rename: z.boolean(),
  /** What this run changed, or will change, on an integration that existed before it. */
  changes: z.array(z.string()),
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
  /** `reportedState.code` as the enable PATCH answered it, when it was sent. */
  reportedState: z.optional(z.string()),
  /**
   * What the run changed on an integration that existed before it: EnsureIntegration's lines, then
   * Configure's (e.g. `Integration <id>: ownership marker added to its notes`). The result's `changed.integration`.
   */
  changes: z.array(z.string()),
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

/** The input of Configure: as Verify's, and which attempt of the state this is. */
export const configureInputSchema = z.extend(provisionedInputSchema, {
  attempt: z.optional(stateAttemptSchema),
});
export type ConfigureInput = z.infer<typeof configureInputSchema>;

/** The input of Record: as Configure's, with Configure's outcome. */
export const recordInputSchema = z.extend(provisionedInputSchema, { configured: configureOutcomeSchema });
export type RecordInput = z.infer<typeof recordInputSchema>;

/** The success output: ids only, and what was changed on resources that existed before the run. */
export interface OnboardingResult {
  orgId: string;
  oauthClientId: string;
  integrationId: string;
  credentialId: string;
  secretArn: string;
  changed: { oauthClient: string[]; integration: string[] };
}

export const isBranchFailure = (value: unknown): value is BranchFailure =>
  branchFailureSchema.safeParse(value).success;
