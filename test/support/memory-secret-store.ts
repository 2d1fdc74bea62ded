import {
  type RotationSchedule,
  type SecretDescription,
  SecretExistsError,
  type SecretStore,
  type SecretSummary,
  type SecretToPut,
  type StoredSecret,
  type VersionStage,
} from '../../lambdas/shared/secret-store';

const ARN_PREFIX = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:';

interface MemorySecret {
  readonly name: string;
  readonly arn: string;
  description?: string;
  tags: Record<string, string>;
  kmsKeyId?: string;
  /** Version id -> value. */
  readonly values: Map<string, string>;
  /** Version id -> its stages (AWSCURRENT, AWSPENDING, AWSPREVIOUS), as Secrets Manager keeps them. */
  readonly stages: Map<string, Set<string>>;
  rotation?: { enabled: boolean; everyDays?: number };
  /** The rotation function `scheduleRotation` set. */
  rotationLambdaArn?: string;
}

/** One call the store received, without the value (tests assert on what was asked, never print secrets). */
export interface SecretStoreCall {
  readonly operation: keyof SecretStore;
  readonly secretId: string;
  readonly createOnly?: boolean;
  readonly recoveryWindowDays?: number;
  readonly versionId?: string;
}

/**
 * The SecretStore port in memory, with Secrets Manager's semantics: a secret is found by name or by ARN
 * (`arn:aws:secretsmanager:eu-west-1:123456789012:secret:<name>-<6 characters>`); `put` creates it or adds a
 * version that becomes AWSCURRENT (the one before becomes AWSPREVIOUS), the same value again is a no-op, and
 * `createOnly` throws SecretExistsError for an existing name; `putPending` adds an AWSPENDING version (the same
 * version id again is a no-op; the secret must exist); `promote` moves AWSCURRENT to a version and drops
 * AWSPENDING; `scheduleRotation` enables rotation every `everyDays` days with that function without rotating
 * (RotateSecret with RotateImmediately false; true, as Secrets Manager schedules; a missing secret throws, as
 * ResourceNotFoundException); `delete` removes the secret at once whatever the recovery window (recorded in `calls`), and a
 * missing one is no error. Every call is recorded in `calls`, in order.
 */
export class MemorySecretStore implements SecretStore {
  readonly calls: SecretStoreCall[] = [];
  private readonly secrets = new Map<string, MemorySecret>();
  private versions = 0;

  async get(secretId: string, options: { stage?: VersionStage } = {}): Promise<StoredSecret | undefined> {
    this.calls.push({ operation: 'get', secretId });
    const secret = this.find(secretId);
    if (!secret) return undefined;
    const versionId = versionAt(secret, options.stage ?? 'AWSCURRENT');
    if (versionId === undefined) return undefined;
    return { arn: secret.arn, value: secret.values.get(versionId) as string, versionId };
  }

  async put(request: SecretToPut): Promise<{ arn: string; created: boolean }> {
    this.calls.push({ operation: 'put', secretId: request.name, createOnly: request.createOnly === true });
    const existing = this.find(request.name);
    if (existing) {
      if (request.createOnly) throw new SecretExistsError(request.name);
      const current = versionAt(existing, 'AWSCURRENT');
      if (current !== undefined && existing.values.get(current) === request.value) {
        return { arn: existing.arn, created: false };
      }
      this.addCurrent(existing, request.value);
      return { arn: existing.arn, created: false };
    }
    const secret: MemorySecret = {
      name: request.name,
      arn: `${ARN_PREFIX}${request.name}-${suffixOf(request.name)}`,
      description: request.description,
      tags: { ...request.tags },
      kmsKeyId: request.kmsKeyId,
      values: new Map(),
      stages: new Map(),
    };
    this.addCurrent(secret, request.value);
    this.secrets.set(secret.name, secret);
    return { arn: secret.arn, created: true };
  }

  async delete(secretId: string, options: { recoveryWindowDays?: number } = {}): Promise<void> {
    this.calls.push({
      operation: 'delete',
      secretId,
      ...(options.recoveryWindowDays === undefined ? {} : { recoveryWindowDays: options.recoveryWindowDays }),
    });
    const secret = this.find(secretId);
    if (secret) this.secrets.delete(secret.name);
  }

  async putPending(secretId: string, versionId: string, value: string): Promise<void> {
    this.calls.push({ operation: 'putPending', secretId, versionId });
    const secret = this.find(secretId);
    if (!secret) throw new Error(`Secret ${secretId} does not exist`);
    if (secret.values.has(versionId)) return;
    for (const stages of secret.stages.values()) stages.delete('AWSPENDING');
    secret.values.set(versionId, value);
    secret.stages.set(versionId, new Set(['AWSPENDING']));
  }

  async promote(secretId: string, versionId: string): Promise<void> {
    this.calls.push({ operation: 'promote', secretId, versionId });
    const secret = this.find(secretId);
    if (!secret?.values.has(versionId)) throw new Error(`Secret ${secretId} has no version ${versionId}`);
    const current = versionAt(secret, 'AWSCURRENT');
    if (current === versionId) return;
    for (const stages of secret.stages.values()) {
      stages.delete('AWSPENDING');
      stages.delete('AWSPREVIOUS');
    }
    if (current !== undefined) moveStage(secret, current, 'AWSCURRENT', 'AWSPREVIOUS');
    (secret.stages.get(versionId) as Set<string>).add('AWSCURRENT');
  }

  async describe(secretId: string): Promise<SecretDescription | undefined> {
    this.calls.push({ operation: 'describe', secretId });
    const secret = this.find(secretId);
    if (!secret) return undefined;
    const versions = Object.fromEntries(
      [...secret.stages].filter(([, stages]) => stages.size > 0).map(([id, stages]) => [id, [...stages]]),
    );
    return {
      name: secret.name,
      arn: secret.arn,
      tags: { ...secret.tags },
      versions,
      ...(secret.rotation ? { rotation: { ...secret.rotation } } : {}),
    };
  }

  async scheduleRotation(secretId: string, rotation: RotationSchedule): Promise<boolean> {
    this.calls.push({ operation: 'scheduleRotation', secretId });
    const secret = this.find(secretId);
    if (!secret) throw new Error(`Secret ${secretId} does not exist`);
    secret.rotation = { enabled: true, everyDays: rotation.everyDays };
    secret.rotationLambdaArn = rotation.lambdaArn;
    return true;
  }

  async list(prefix: string): Promise<SecretSummary[]> {
    this.calls.push({ operation: 'list', secretId: prefix });
    return [...this.secrets.values()]
      .filter((secret) => secret.name.startsWith(prefix))
      .map((secret) => ({ name: secret.name, arn: secret.arn, tags: { ...secret.tags } }))
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  /** The current value parsed as JSON, or undefined: for assertions. */
  json(secretId: string): Record<string, unknown> | undefined {
    const secret = this.find(secretId);
    const current = secret && versionAt(secret, 'AWSCURRENT');
    return current === undefined ? undefined : JSON.parse(secret?.values.get(current) as string);
  }

  /** The metadata a secret was created with (description, tags, KMS key). */
  metadata(
    secretId: string,
  ): Pick<MemorySecret, 'description' | 'tags' | 'kmsKeyId' | 'rotationLambdaArn'> | undefined {
    const secret = this.find(secretId);
    return (
      secret && {
        description: secret.description,
        tags: { ...secret.tags },
        kmsKeyId: secret.kmsKeyId,
        rotationLambdaArn: secret.rotationLambdaArn,
      }
    );
  }

  /** Sets a secret's rotation settings, as the stack's rotation schedule would. */
  setRotation(secretId: string, rotation: { enabled: boolean; everyDays?: number }): void {
    const secret = this.find(secretId);
    if (!secret) throw new Error(`Secret ${secretId} does not exist`);
    secret.rotation = rotation;
  }

  /** The calls of one operation, e.g. every `put`. */
  callsOf(operation: keyof SecretStore): SecretStoreCall[] {
    return this.calls.filter((call) => call.operation === operation);
  }

  private find(secretId: string): MemorySecret | undefined {
    if (!secretId.startsWith(ARN_PREFIX)) return this.secrets.get(secretId);
    return [...this.secrets.values()].find((secret) => secret.arn === secretId);
  }

  private addCurrent(secret: MemorySecret, value: string): void {
    this.versions += 1;
    const versionId = `v${this.versions}`;
    for (const stages of secret.stages.values()) stages.delete('AWSPREVIOUS');
    const current = versionAt(secret, 'AWSCURRENT');
    if (current !== undefined) moveStage(secret, current, 'AWSCURRENT', 'AWSPREVIOUS');
    secret.values.set(versionId, value);
    secret.stages.set(versionId, new Set(['AWSCURRENT']));
  }
}

function versionAt(secret: MemorySecret, stage: string): string | undefined {
  return [...secret.stages].find(([, stages]) => stages.has(stage))?.[0];
}

function moveStage(secret: MemorySecret, versionId: string, from: string, to: string): void {
  const stages = secret.stages.get(versionId) as Set<string>;
  stages.delete(from);
  stages.add(to);
}

/** Secrets Manager appends 6 random characters to a secret's ARN; here they are derived from the name. */
function suffixOf(name: string): string {
  let hash = 0;
  for (const char of name) hash = (hash * 31 + (char.codePointAt(0) ?? 0)) >>> 0;
  return hash.toString(36).padStart(6, '0').slice(-6);
}
