import { createHash } from 'node:crypto';
import {
  CreateSecretCommand,
  type CreateSecretCommandOutput,
  DeleteSecretCommand,
  GetSecretValueCommand,
  type GetSecretValueCommandOutput,
  PutSecretValueCommand,
  type PutSecretValueCommandOutput,
  RestoreSecretCommand,
  type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { isServerError, isThrottlingError, isTransientError } from '@smithy/service-error-classification';
import {
  SecretExistsError,
  type SecretStore,
  SecretStoreUnavailableError,
  type SecretToPut,
  type StoredSecret,
} from '../shared/secret-store';
import { secretsManagerClient } from './clients/secrets-manager';

/** The secret store on AWS Secrets Manager. */
export class AwsSecretStore implements SecretStore {
  constructor(private readonly client: SecretsManagerClient = secretsManagerClient) {}

  async get(secretId: string): Promise<StoredSecret | undefined> {
    try {
      const result = await this.send<GetSecretValueCommandOutput>(
        'GetSecretValue',
        new GetSecretValueCommand({ SecretId: secretId }),
      );
      if (result.SecretString === undefined || !result.ARN) return undefined;
      return { arn: result.ARN, value: result.SecretString };
    } catch (error) {
      if (isAwsError(error, 'ResourceNotFoundException')) return undefined;
      // A secret scheduled for deletion cannot be read: for us it is gone.
      if (isAwsError(error, 'InvalidRequestException') && /marked for deletion/i.test(messageOf(error))) {
        return undefined;
      }
      throw error;
    }
  }

  /**
   * CreateSecret, or PutSecretValue when it exists (restoring one scheduled for deletion). The request token
   * is derived from the value, so a retried call with the same value makes no second version.
   */
  async put(secret: SecretToPut): Promise<{ arn: string; created: boolean }> {
    const token = requestToken(secret.name, secret.value);
    try {
      const created = await this.send<CreateSecretCommandOutput>(
        'CreateSecret',
        new CreateSecretCommand({
          Name: secret.name,
          SecretString: secret.value,
          Description: secret.description,
          KmsKeyId: secret.kmsKeyId,
          Tags: secret.tags ? Object.entries(secret.tags).map(([Key, Value]) => ({ Key, Value })) : undefined,
          ClientRequestToken: token,
        }),
      );
      return { arn: created.ARN as string, created: true };
    } catch (error) {
      if (isAwsError(error, 'InvalidRequestException') && /marked for deletion/i.test(messageOf(error))) {
        // Scheduled for deletion counts as absent, for create-only too.
        await this.send('RestoreSecret', new RestoreSecretCommand({ SecretId: secret.name }));
      } else if (!isAwsError(error, 'ResourceExistsException')) {
        throw error;
      } else if (secret.createOnly) {
        throw new SecretExistsError(secret.name);
      }
    }
    const updated = await this.send<PutSecretValueCommandOutput>(
      'PutSecretValue',
      new PutSecretValueCommand({
        SecretId: secret.name,
        SecretString: secret.value,
        ClientRequestToken: token,
      }),
    );
    return { arn: updated.ARN as string, created: false };
  }

  /** Sends a command; a failure that may pass becomes SecretStoreUnavailableError (`SecretStore.Transient`). */
  private async send<T>(operation: string, command: object): Promise<T> {
    try {
      return (await this.client.send(command as never)) as T;
    } catch (error) {
      if (isTransient(error)) {
        throw new SecretStoreUnavailableError(
          `Secrets Manager ${operation} failed and may work again: ${(error as Error).name}: ${messageOf(error)}`,
        );
      }
      throw error;
    }
  }

  async delete(secretId: string): Promise<void> {
    try {
      await this.send(
        'DeleteSecret',
        new DeleteSecretCommand({ SecretId: secretId, ForceDeleteWithoutRecovery: true }),
      );
    } catch (error) {
      if (!isAwsError(error, 'ResourceNotFoundException')) throw error;
    }
  }
}

/**
 * Whether a Secrets Manager failure may pass if tried again, by the SDK's own classification (throttling,
 * server errors, network errors and timeouts), after the SDK's own retries.
 */
function isTransient(error: unknown): boolean {
  const sdkError = error as Parameters<typeof isTransientError>[0];
  if (typeof error !== 'object' || error === null) return false;
  return isThrottlingError(sdkError) || isTransientError(sdkError) || isServerError(sdkError);
}

/** A deterministic ClientRequestToken (32-64 characters) for a name and value. */
function requestToken(name: string, value: string): string {
  return createHash('sha256').update(`${name}\u0000${value}`).digest('hex').slice(0, 64);
}

function isAwsError(error: unknown, name: string): boolean {
  return typeof error === 'object' && error !== null && (error as { name?: unknown }).name === name;
}

function messageOf(error: unknown): string {
  return typeof error === 'object' && error !== null
    ? String((error as { message?: unknown }).message ?? '')
    : '';
}
