import { createHash } from 'node:crypto';
import { BaseProvider } from '@aws-lambda-powertools/parameters/base';
import { GetParameterError } from '@aws-lambda-powertools/parameters/errors';
import {
  CreateSecretCommand,
  type CreateSecretCommandOutput,
  DeleteSecretCommand,
  DescribeSecretCommand,
  type DescribeSecretCommandOutput,
  GetSecretValueCommand,
  type GetSecretValueCommandOutput,
  PutSecretValueCommand,
  type PutSecretValueCommandOutput,
  paginateListSecrets,
  RestoreSecretCommand,
  RotateSecretCommand,
  type SecretsManagerClient,
  UpdateSecretVersionStageCommand,
} from '@aws-sdk/client-secrets-manager';
import { isServerError, isThrottlingError, isTransientError } from '@smithy/service-error-classification';
import {
  type RotationSchedule,
  type SecretDescription,
  SecretExistsError,
  type SecretReadOptions,
  type SecretStore,
  SecretStoreUnavailableError,
  type SecretSummary,
  type SecretToPut,
  type StoredSecret,
} from '../shared/secret-store';
import { secretsManagerClient } from './clients/secrets-manager';

/**
 * Powertools Parameters' cache (a custom provider, as its docs describe) over the store's own reads: the
 * whole answer (ARN, value, version) by secret id, for `maxAge` seconds, for the life of the store (in Lambda,
 * of the container). An absent secret is not cached.
 */
class CachedSecretReads extends BaseProvider {
  constructor(private readonly read: (secretId: string) => Promise<StoredSecret | undefined>) {
    super({});
  }

  protected _get(secretId: string): Promise<StoredSecret | undefined> {
    return this.read(secretId);
  }

  protected _getMultiple(): Promise<undefined> {
    throw new Error('CachedSecretReads reads one secret at a time');
  }
}

/** The secret store on AWS Secrets Manager. */
export class AwsSecretStore implements SecretStore {
  private readonly cache = new CachedSecretReads((secretId) => this.get(secretId));

  constructor(private readonly client: SecretsManagerClient = secretsManagerClient) {}

  async get(secretId: string, options: SecretReadOptions = {}): Promise<StoredSecret | undefined> {
    if (options.maxAgeSeconds && (options.stage ?? 'AWSCURRENT') === 'AWSCURRENT') {
      try {
        return (await this.cache.get(secretId, { maxAge: options.maxAgeSeconds })) as
          | StoredSecret
          | undefined;
      } catch (error) {
        // Powertools wraps a failed read: the store's own error (e.g. SecretStoreUnavailableError) is the one.
        throw error instanceof GetParameterError && error.cause ? error.cause : error;
      }
    }
    try {
      const result = await this.send<GetSecretValueCommandOutput>(
        'GetSecretValue',
        new GetSecretValueCommand({ SecretId: secretId, VersionStage: options.stage }),
      );
      if (result.SecretString === undefined || !result.ARN) return undefined;
      return {
        arn: result.ARN,
        value: result.SecretString,
        ...(result.VersionId ? { versionId: result.VersionId } : {}),
      };
    } catch (error) {
      // No such secret, or no version at that stage.
      if (isAwsError(error, 'ResourceNotFoundException')) return undefined;
      // A secret scheduled for deletion cannot be read: for us it is gone.
      if (isAwsError(error, 'InvalidRequestException') && /marked for deletion/i.test(messageOf(error))) {
        return undefined;
      }
      throw error;
    }
  }

  /**
   * PutSecretValue, or CreateSecret when there is no such secret; with `createOnly`, CreateSecret only. A
   * secret scheduled for deletion is restored first (it counts as absent, for create-only too). Trying the
   * update first costs one round trip where the secret exists (the common case: every write after the first),
   * and two where it does not. The request token is derived from the value, so a retried call with the same
   * value makes no second version.
   */
  async put(secret: SecretToPut): Promise<{ arn: string; created: boolean }> {
    const token = requestToken(secret.name, secret.value);
    const update = async () => {
      const updated = await this.send<PutSecretValueCommandOutput>(
        'PutSecretValue',
        new PutSecretValueCommand({
          SecretId: secret.name,
          SecretString: secret.value,
          ClientRequestToken: token,
        }),
      );
      return { arn: updated.ARN as string, created: false };
    };
    const restore = () => this.send('RestoreSecret', new RestoreSecretCommand({ SecretId: secret.name }));
    if (!secret.createOnly) {
      try {
        return await update();
      } catch (error) {
        if (isMarkedForDeletion(error)) {
          await restore();
          return update();
        }
        if (!isAwsError(error, 'ResourceNotFoundException')) throw error;
      }
    }
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
      if (isMarkedForDeletion(error)) {
        await restore();
      } else if (!isAwsError(error, 'ResourceExistsException')) {
        throw error;
      } else if (secret.createOnly) {
        throw new SecretExistsError(secret.name);
      }
    }
    // Restored, or created by someone else since the update found none.
    return update();
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

  async delete(secretId: string, options: { recoveryWindowDays?: number } = {}): Promise<void> {
    const window =
      options.recoveryWindowDays === undefined
        ? { ForceDeleteWithoutRecovery: true }
        : { RecoveryWindowInDays: options.recoveryWindowDays };
    try {
      await this.send('DeleteSecret', new DeleteSecretCommand({ SecretId: secretId, ...window }));
    } catch (error) {
      if (isAwsError(error, 'ResourceNotFoundException')) return;
      // Already scheduled for deletion: what was asked is done.
      if (isAwsError(error, 'InvalidRequestException') && /marked for deletion/i.test(messageOf(error)))
        return;
      throw error;
    }
  }

  /** PutSecretValue with `VersionStages: ["AWSPENDING"]` and the version id as ClientRequestToken (idempotent). */
  async putPending(secretId: string, versionId: string, value: string): Promise<void> {
    await this.send(
      'PutSecretValue',
      new PutSecretValueCommand({
        SecretId: secretId,
        ClientRequestToken: versionId,
        SecretString: value,
        VersionStages: ['AWSPENDING'],
      }),
    );
  }

  /** UpdateSecretVersionStage: AWSCURRENT moves to `versionId` from the version that has it (if another). */
  async promote(secretId: string, versionId: string): Promise<void> {
    const described = await this.describe(secretId);
    const current = Object.entries(described?.versions ?? {}).find(([, stages]) =>
      stages.includes('AWSCURRENT'),
    )?.[0];
    if (current === versionId) return;
    await this.send(
      'UpdateSecretVersionStage',
      new UpdateSecretVersionStageCommand({
        SecretId: secretId,
        VersionStage: 'AWSCURRENT',
        MoveToVersionId: versionId,
        ...(current ? { RemoveFromVersionId: current } : {}),
      }),
    );
  }

  async describe(secretId: string): Promise<SecretDescription | undefined> {
    let described: DescribeSecretCommandOutput;
    try {
      described = await this.send<DescribeSecretCommandOutput>(
        'DescribeSecret',
        new DescribeSecretCommand({ SecretId: secretId }),
      );
    } catch (error) {
      if (isAwsError(error, 'ResourceNotFoundException')) return undefined;
      throw error;
    }
    if (!described.ARN || !described.Name || described.DeletedDate) return undefined;
    return {
      name: described.Name,
      arn: described.ARN,
      tags: tagsOf(described.Tags),
      versions: Object.fromEntries(
        Object.entries(described.VersionIdsToStages ?? {}).map(([id, stages]) => [id, [...stages]]),
      ),
      ...(described.RotationEnabled !== undefined
        ? {
            rotation: {
              enabled: described.RotationEnabled,
              ...(described.RotationRules?.AutomaticallyAfterDays
                ? { everyDays: described.RotationRules.AutomaticallyAfterDays }
                : {}),
            },
          }
        : {}),
    };
  }

  /** RotateSecret with the function and `AutomaticallyAfterDays`, not rotating now. */
  async scheduleRotation(secretId: string, rotation: RotationSchedule): Promise<boolean> {
    await this.send(
      'RotateSecret',
      new RotateSecretCommand({
        SecretId: secretId,
        RotationLambdaARN: rotation.lambdaArn,
        RotationRules: { AutomaticallyAfterDays: rotation.everyDays },
        RotateImmediately: false,
      }),
    );
    return true;
  }

  /** ListSecrets filtered by name prefix, over every page (the SDK's paginator). */
  async list(prefix: string): Promise<SecretSummary[]> {
    const secrets: SecretSummary[] = [];
    try {
      for await (const page of paginateListSecrets(
        { client: this.client },
        { Filters: [{ Key: 'name', Values: [prefix] }], MaxResults: 100 },
      )) {
        for (const entry of page.SecretList ?? []) {
          if (!entry.Name || !entry.ARN || entry.DeletedDate || !entry.Name.startsWith(prefix)) continue;
          secrets.push({ name: entry.Name, arn: entry.ARN, tags: tagsOf(entry.Tags) });
        }
      }
    } catch (error) {
      if (isTransient(error)) {
        throw new SecretStoreUnavailableError(
          `Secrets Manager ListSecrets failed and may work again: ${messageOf(error)}`,
        );
      }
      throw error;
    }
    return secrets;
  }
}

function tagsOf(tags: Array<{ Key?: string; Value?: string }> | undefined): Record<string, string> {
  return Object.fromEntries((tags ?? []).flatMap((tag) => (tag.Key ? [[tag.Key, tag.Value ?? '']] : [])));
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

function isMarkedForDeletion(error: unknown): boolean {
  return isAwsError(error, 'InvalidRequestException') && /marked for deletion/i.test(messageOf(error));
}

function isAwsError(error: unknown, name: string): boolean {
  return typeof error === 'object' && error !== null && (error as { name?: unknown }).name === name;
}

function messageOf(error: unknown): string {
  return typeof error === 'object' && error !== null
    ? String((error as { message?: unknown }).message ?? '')
    : '';
}
