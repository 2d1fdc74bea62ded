import * as z from 'zod/mini';
import { ONBOARDING_ERRORS, OnboardingError } from './errors';
import type { SecretStore } from './secret-store';

const bootstrapSecretSchema = z.object({
  clientId: z.string().check(z.minLength(1)),
  clientSecret: z.string().check(z.minLength(1)),
  region: z.optional(z.string().check(z.minLength(1))),
  apiUrl: z.optional(z.url()),
  loginUrl: z.optional(z.url()),
});
export type BootstrapSecret = z.infer<typeof bootstrapSecretSchema>;

const resultSecretSchema = z.object({
  clientId: z.string().check(z.minLength(1)),
  clientSecret: z.string().check(z.minLength(1)),
  orgId: z.string(),
  region: z.string(),
  oauthClientName: z.string(),
  apiUrl: z.optional(z.string()),
  loginUrl: z.optional(z.string()),
  integrationId: z.optional(z.string()),
  credentialId: z.optional(z.string()),
  /** Fingerprint of the client id and secret last written into the integration credential. */
  credentialFingerprint: z.optional(z.string()),
});
export type ResultSecret = z.infer<typeof resultSecretSchema>;

/** Reads and checks the operator's bootstrap secret; problems name the field, never a value. */
export async function readBootstrapSecret(secrets: SecretStore, secretId: string): Promise<BootstrapSecret> {
  const stored = await secrets.get(secretId);
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

export function serializeResultSecret(secret: ResultSecret): string {
  return JSON.stringify(secret);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
