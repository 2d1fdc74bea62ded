import { createHash } from 'node:crypto';
import {
  CreateSecretCommand,
  DeleteSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  RestoreSecretCommand,
  type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import {
  SecretExistsError,
  type SecretStore,
  type SecretToPut,
  type StoredSecret,
} from '../shared/secret-store';
import { secretsManagerClient } from './clients/secrets-manager';

/** The secret store on AWS Secrets Manager. */
export class AwsSecretStore implements SecretStore {
  constructor(private readonly client: SecretsManagerClient = secretsManagerClient) {}

  async get(secretId: string): Promise<StoredSecret | undefined> {
    try {
      const result = await this.client.send(new GetSecretValueCommand({ SecretId: secretId }));
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
      const created = await this.client.send(
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
        await this.client.send(new RestoreSecretCommand({ SecretId: secret.name }));
      } else if (!isAwsError(error, 'ResourceExistsException')) {
        throw error;
      } else if (secret.createOnly) {
        throw new SecretExistsError(secret.name);
      }
    }
    const updated = await this.client.send(
      new PutSecretValueCommand({
        SecretId: secret.name,
        SecretString: secret.value,
        ClientRequestToken: token,
      }),
    );
    return { arn: updated.ARN as string, created: false };
  }

  async delete(secretId: string): Promise<void> {
    try {
      await this.client.send(
        new DeleteSecretCommand({ SecretId: secretId, ForceDeleteWithoutRecovery: true }),
      );
    } catch (error) {
      if (!isAwsError(error, 'ResourceNotFoundException')) throw error;
    }
  }
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
