import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { UsageError } from './usage';

/** AWS cannot be used as configured (no credentials, credentials refused, access denied, no route): exit 1. */
export class AwsAccessError extends Error {
  override readonly name = 'AwsAccessError';
}

export interface AwsAccessOptions {
  /** --aws-region; absent: the SDK's own chain (AWS_REGION, then the profile's region). */
  readonly region?: string;
  /** A secret to read as the check, e.g. the org's result secret: absent is fine, denied is not. */
  readonly probeSecretId: string;
}

/**
 * A Secrets Manager client for the CLI's AWS store, checked before any Genesys call: its region resolves, its
 * credentials resolve (the SDK's default chain: environment, SSO, profiles, container and instance roles), and
 * GetSecretValue of `probeSecretId` is allowed (ResourceNotFoundException, or a secret scheduled for deletion,
 * count as allowed). Resolves with the client and its region.
 * Throws UsageError naming --aws-region when no region is configured, AwsAccessError otherwise.
 */
export async function checkAwsAccess(
  options: AwsAccessOptions,
): Promise<{ client: SecretsManagerClient; region: string }> {
  const client = new SecretsManagerClient({
    ...(options.region ? { region: options.region } : {}),
    // Fail in seconds when Secrets Manager cannot be reached at all, rather than hang.
    requestHandler: { connectionTimeout: 5_000, requestTimeout: 15_000 },
  });
  let region: string;
  try {
    region = await client.config.region();
  } catch {
    region = '';
  }
  if (!region) {
    throw new UsageError([
      {
        flag: '--aws-region',
        problem:
          'is required with --secret-store aws: no AWS region is configured (set it, AWS_REGION, or a region in your AWS profile); --region is the Genesys Cloud region',
      },
    ]);
  }
  try {
    await client.config.credentials();
  } catch (error) {
    throw new AwsAccessError(
      `no AWS credentials for --secret-store aws (${messageOf(error)}): configure the AWS SDK's default credential chain (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_PROFILE, SSO, or a role)`,
    );
  }
  try {
    await client.send(new GetSecretValueCommand({ SecretId: options.probeSecretId }));
  } catch (error) {
    if (!isAbsentSecret(error)) {
      throw new AwsAccessError(
        describeAwsError(error, 'secretsmanager:GetSecretValue', options.probeSecretId, region),
      );
    }
  }
  return { client, region };
}

/** An AWS error as one line naming the action, the secret and the region; never a secret value. */
export function describeAwsError(error: unknown, action: string, secretId: string, region: string): string {
  const name = (error as { name?: string }).name ?? 'Error';
  const message = messageOf(error);
  switch (name) {
    case 'AccessDeniedException':
      return `AWS denied ${action} on ${secretId} in ${region}: ${message}`;
    case 'UnrecognizedClientException':
    case 'InvalidSignatureException':
    case 'ExpiredTokenException':
    case 'InvalidClientTokenId':
      return `AWS refused the credentials (${name}) calling ${action} in ${region}: ${message}`;
    case 'DecryptionFailure':
      return `AWS could not decrypt ${secretId} in ${region} (kms:Decrypt on its key): ${message}`;
    default:
      return `${action} on ${secretId} in ${region} failed (${name}): ${message}`;
  }
}

function isAbsentSecret(error: unknown): boolean {
  const name = (error as { name?: string }).name;
  return (
    name === 'ResourceNotFoundException' ||
    (name === 'InvalidRequestException' && /marked for deletion/i.test(messageOf(error)))
  );
}

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));
