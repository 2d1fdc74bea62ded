/** The version stages of Secrets Manager's rotation protocol that this project uses. */
export type VersionStage = 'AWSCURRENT' | 'AWSPENDING';

/**
 * Secrets by name or ARN: AWS Secrets Manager in the cloud, files or Secrets Manager locally. Versions follow
 * Secrets Manager: a secret has one AWSCURRENT version and, while it is being rotated, an AWSPENDING one.
 */
export interface SecretStore {
  /**
   * The secret's value at a stage (default AWSCURRENT), or undefined when there is no such secret or stage.
   * With `maxAgeSeconds`, a current value this store read at most that long ago may be answered from its cache
   * (Secrets Manager: per Lambda container); a store without a cache reads anew.
   */
  get(secretId: string, options?: SecretReadOptions): Promise<StoredSecret | undefined>;
  /**
   * Creates the secret, or stores a new AWSCURRENT version of it; the same value twice is a no-op. With
   * `createOnly`, an existing secret is left alone and SecretExistsError thrown: creation is atomic, so it
   * settles races.
   */
  put(secret: SecretToPut): Promise<{ arn: string; created: boolean }>;
  /**
   * Deletes the secret; a missing one is not an error. With `recoveryWindowDays` (7-30) Secrets Manager keeps
   * it restorable for that long; without it, it is deleted at once. The file store deletes at once.
   */
  delete(secretId: string, options?: { readonly recoveryWindowDays?: number }): Promise<void>;
  /**
   * Stores `value` as version `versionId` with stage AWSPENDING (rotation's `createSecret`); the same version id
   * again is a no-op. The secret must exist.
   */
  putPending(secretId: string, versionId: string, value: string): Promise<void>;
  /** Moves AWSCURRENT to version `versionId` (rotation's `finishSecret`), which loses AWSPENDING. */
  promote(secretId: string, versionId: string): Promise<void>;
  /** The secret's versions and their stages, its tags and rotation settings; undefined when absent. */
  describe(secretId: string): Promise<SecretDescription | undefined>;
  /** Every secret whose name starts with `prefix`, with its tags (for fleet checks). */
  list(prefix: string): Promise<SecretSummary[]>;
  /**
   * Has Secrets Manager rotate the secret with this function every `everyDays` days, without rotating now
   * (RotateSecret with RotateImmediately false). The file store has no scheduler: it does nothing and says so
   * (false); `genesys-onboard rotate` rotates a file secret on demand.
   */
  scheduleRotation(secretId: string, rotation: RotationSchedule): Promise<boolean>;
}

export interface SecretReadOptions {
  /** @default AWSCURRENT */
  readonly stage?: VersionStage;
  /** How old, in seconds, a cached AWSCURRENT value may be. @default 0: read anew */
  readonly maxAgeSeconds?: number;
}

export interface RotationSchedule {
  /** The rotation function's ARN. */
  readonly lambdaArn: string;
  /** Days between rotations (1-365). */
  readonly everyDays: number;
}

export interface StoredSecret {
  readonly arn: string;
  readonly value: string;
  /** The version this value is (Secrets Manager's VersionId; the file store's own). */
  readonly versionId?: string;
}

export interface SecretSummary {
  readonly name: string;
  readonly arn: string;
  readonly tags: Record<string, string>;
}

export interface SecretDescription extends SecretSummary {
  /** Version id -> its stages, e.g. `{ "v1": ["AWSCURRENT"], "v2": ["AWSPENDING"] }`. */
  readonly versions: Record<string, string[]>;
  /** Whether rotation is configured, and how often (days). */
  readonly rotation?: { readonly enabled: boolean; readonly everyDays?: number };
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
