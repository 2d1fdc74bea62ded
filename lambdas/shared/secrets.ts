import * as z from 'zod/mini';
import { ONBOARDING_ERRORS, OnboardingError } from './errors';
import { validatedOnboardingRequestSchema } from './request';
import type { SecretStore } from './secret-store';

const bootstrapSecretSchema = z.object({
  clientId: z.string().check(z.minLength(1)),
  clientSecret: z.string().check(z.minLength(1)),
  region: z.optional(z.string().check(z.minLength(1))),
  apiUrl: z.optional(z.url()),
  loginUrl: z.optional(z.url()),
});
export type BootstrapSecret = z.infer<typeof bootstrapSecretSchema>;

/**
 * A run's announcement that it is about to install the org's integration (`name`), written into the result
 * secret by EnsureOAuthClient before EnsureIntegration creates anything (which waits until it reads it): while
 * it is another run's, no run creates a second integration of the name, and a run that follows a crash looks
 * for that one (the integration listing may lag) and takes it as this tool's, not as adopted. Names and ids
 * only, no secret. Dropped by RecordConfiguration once the record names the integration.
 */
const integrationCreationSchema = z.object({
  name: z.string(),
  /** The announcing run (its plan's `runId`). */
  runId: z.string(),
  /** ISO time of the announcement: the integration, if created, was created after it. */
  since: z.iso.datetime(),
});
export type IntegrationCreationIntent = z.infer<typeof integrationCreationSchema>;

const resultSecretSchema = z.object({
  clientId: z.string().check(z.minLength(1)),
  clientSecret: z.string().check(z.minLength(1)),
  orgId: z.string(),
  region: z.string(),
  oauthClientName: z.string(),
  apiUrl: z.optional(z.string()),
  loginUrl: z.optional(z.string()),
  integrationId: z.optional(z.string()),
  /**
   * Whether genesys-onboarding took `integrationId` over instead of creating it (`adoptExisting`, or a
   * same-name integration with nothing configured): an adopted integration is never deleted by offboarding,
   * and credentials named after it (`Integration-<id>`, as the Genesys UI names every credential) are not
   * ours. Absent in records written before it existed and when the origin is unknown (an integration found
   * by its ownership marker): offboarding then reads it as adopted.
   */
  integrationAdopted: z.optional(z.boolean()),
  credentialId: z.optional(z.string()),
  /** Fingerprint of the client id and secret last written into the integration credential. */
  credentialFingerprint: z.optional(z.string()),
  /** The request the org was last onboarded with (names and settings, no secret): what a repair re-runs. */
  onboardedWith: z.optional(validatedOnboardingRequestSchema),
  /** ISO time the record was last written: ids it names that are older than a while are surely readable. */
  recordedAt: z.optional(z.iso.datetime()),
  /** A run's intent to install the integration (`integrationCreationSchema`), until Record names it. */
  integrationCreation: z.optional(integrationCreationSchema),
  /**
   * On a rotation's version: the client and credential it replaces, removed when it is finished, and when
   * the version they were on was recorded.
   */
  rotatedFrom: z.optional(
    z.object({
      clientId: z.string(),
      credentialId: z.optional(z.string()),
      recordedAt: z.optional(z.iso.datetime()),
    }),
  ),
});
export type ResultSecret = z.infer<typeof resultSecretSchema>;

/**
 * What the result secret holds while a client is being created and before its secret is stored: written
 * create-only, so it settles a race between two runs for one org, and it tells a run that follows a crash
 * that a client of this name may exist even though the (lagging) client listing does not show it yet.
 */
const clientCreationIntentSchema = z.object({
  orgId: z.string(),
  region: z.string(),
  oauthClientName: z.string(),
  /** ISO time at which the run started creating the client. */
  creatingSince: z.iso.datetime(),
  /**
   * The run that wrote it (its plan's `runId`): its compensation removes the intent only when it is still
   * this run's. Absent in intents written before runs had ids: those are never removed.
   */
  runId: z.optional(z.string()),
  /** The same run's intent to install the integration, when it installs one (`integrationCreationSchema`). */
  integrationCreation: z.optional(integrationCreationSchema),
});
export type ClientCreationIntent = z.infer<typeof clientCreationIntentSchema>;

/** The integration creation intent the org's record or client creation intent holds, if any. */
export function integrationCreationOf(record: {
  secret?: ResultSecret;
  intent?: ClientCreationIntent;
}): IntegrationCreationIntent | undefined {
  return record.secret?.integrationCreation ?? record.intent?.integrationCreation;
}

/** After this long, an id a record names has surely left Genesys's read-after-create window. */
const RECORDED_ID_SETTLED_MS = 120_000;

/**
 * The 404 retry window for the ids a record names: the read-after-create window while the record is recent
 * (or its age unknown), none once it is older than two minutes, so a resource deleted since is known gone
 * at once instead of after the whole window.
 */
export function recordedIdWindowMs(
  record: Pick<ResultSecret, 'recordedAt'> | undefined,
  readAfterCreateMs: number,
  now: number,
): number {
  const recordedAt = record?.recordedAt ? Date.parse(record.recordedAt) : Number.NaN;
  return Number.isNaN(recordedAt) || now - recordedAt < RECORDED_ID_SETTLED_MS ? readAfterCreateMs : 0;
}

/**
 * How long, in seconds, a function may use a bootstrap secret it read before (per Lambda container): every step
 * opens a session with it, and a warm function reading it once a minute instead of at every invocation saves a
 * Secrets Manager round trip. A bootstrap secret the operator replaced is used everywhere within this time.
 */
export const BOOTSTRAP_SECRET_MAX_AGE_SECONDS = 60;

/**
 * Reads and checks the operator's bootstrap secret (from the store's cache when read less than
 * `BOOTSTRAP_SECRET_MAX_AGE_SECONDS` ago); problems name the field, never a value.
 */
export async function readBootstrapSecret(secrets: SecretStore, secretId: string): Promise<BootstrapSecret> {
  const stored = await secrets.get(secretId, { maxAgeSeconds: BOOTSTRAP_SECRET_MAX_AGE_SECONDS });
  if (!stored) {
    throw new OnboardingError(
      ONBOARDING_ERRORS.bootstrapSecretMissing,
      `Bootstrap secret ${secretId} does not exist: store {"clientId","clientSecret","region"} there first`,
    );
  }
  const parsed = bootstrapSecretSchema.safeParse(parseJson(stored.value));
  if (!parsed.success) {
    const fields = parsed.error.issues.map((issue) => issue.path.join('.') || 'value').join(', ');
    throw new OnboardingError(
      ONBOARDING_ERRORS.bootstrapSecretInvalid,
      `Bootstrap secret ${secretId} is not {"clientId","clientSecret","region"} JSON: check ${fields}`,
    );
  }
  return parsed.data;
}

/** The Data Actions client's stored credentials, or undefined when absent or unreadable (then it is repaired). */
export async function readResultSecret(
  secrets: SecretStore,
  secretId: string,
): Promise<{ arn: string; secret: ResultSecret } | undefined> {
  const stored = await secrets.get(secretId);
  if (!stored) return undefined;
  const parsed = resultSecretSchema.safeParse(parseJson(stored.value));
  return parsed.success ? { arn: stored.arn, secret: parsed.data } : undefined;
}

/**
 * The org's stored record as it is: a complete record (`secret`), a creation intent (`intent`), or neither
 * when the secret is absent or unreadable (then it is repaired).
 */
export async function readResultRecord(
  secrets: SecretStore,
  secretId: string,
): Promise<{ arn?: string; secret?: ResultSecret; intent?: ClientCreationIntent }> {
  const stored = await secrets.get(secretId);
  if (!stored) return {};
  const value = parseJson(stored.value);
  const record = resultSecretSchema.safeParse(value);
  if (record.success) return { arn: stored.arn, secret: record.data };
  const intent = clientCreationIntentSchema.safeParse(value);
  return intent.success ? { arn: stored.arn, intent: intent.data } : { arn: stored.arn };
}

/** The record of a rotation in progress (its AWSPENDING version), or undefined when there is none. */
export async function readPendingRecord(
  secrets: SecretStore,
  secretId: string,
): Promise<ResultSecret | undefined> {
  return (await readPendingVersion(secrets, secretId))?.secret;
}

/** The AWSPENDING version of the record with its version id, or undefined when there is none. */
export async function readPendingVersion(
  secrets: SecretStore,
  secretId: string,
): Promise<{ versionId?: string; secret: ResultSecret } | undefined> {
  const pending = await secrets.get(secretId, { stage: 'AWSPENDING' });
  if (!pending) return undefined;
  const parsed = resultSecretSchema.safeParse(parseJson(pending.value));
  if (!parsed.success) return undefined;
  return { ...(pending.versionId ? { versionId: pending.versionId } : {}), secret: parsed.data };
}

export function serializeResultSecret(secret: ResultSecret | ClientCreationIntent): string {
  return JSON.stringify(secret);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
