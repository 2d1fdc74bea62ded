/** Secrets by name or ARN: AWS Secrets Manager in the cloud, files or Secrets Manager locally. */
export interface SecretStore {
  /** The secret's current value, or undefined when there is no such secret. */
  get(secretId: string): Promise<StoredSecret | undefined>;
  /**
   * Creates the secret, or stores a new version of it; the same value twice is a no-op. With `createOnly`, an
   * existing secret is left alone and SecretExistsError thrown: creation is atomic, so it settles races.
   */
  put(secret: SecretToPut): Promise<{ arn: string; created: boolean }>;
  /** Deletes the secret at once (no recovery window); a missing secret is not an error. */
  delete(secretId: string): Promise<void>;
}

export interface StoredSecret {
  readonly arn: string;
  readonly value: string;
}

export interface SecretToPut {
  readonly name: string;
  readonly value: string;
  readonly description?: string;
  readonly tags?: Record<string, string>;
  /** KMS key for a new secret (AWS only). */
  readonly kmsKeyId?: string;
  /** Only create: fail with SecretExistsError if the secret exists. @default false */
  readonly createOnly?: boolean;
}

export class SecretExistsError extends Error {
  override readonly name = 'SecretExistsError';
  constructor(secretName: string) {
    super(`Secret ${secretName} exists already`);
  }
}

/** The Step Functions error name of a secret store failure that may pass. */
export const SECRET_STORE_TRANSIENT = 'SecretStore.Transient';

/**
 * The secret store failed in a way that may pass (throttling, a server error, a network error): the state
 * machines retry this name like a transient Genesys failure. Its message names the operation and the
 * store's error, never a value.
 */
export class SecretStoreUnavailableError extends Error {
  override readonly name = SECRET_STORE_TRANSIENT;
}
