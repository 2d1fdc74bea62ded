import type {
  RotationSchedule,
  SecretDescription,
  SecretStore,
  SecretSummary,
  SecretToPut,
  StoredSecret,
  VersionStage,
} from '../../lambdas/shared/secret-store';

/**
 * Secrets held in memory for this process only, in front of a real store: the CLI's bootstrap credentials
 * come from the environment and are never written anywhere. A held secret cannot be written, rotated or
 * deleted; everything else goes to the store behind.
 */
export class OverlaySecretStore implements SecretStore {
  private readonly memory = new Map<string, string>();

  constructor(private readonly base: SecretStore) {}

  hold(name: string, value: string): void {
    this.memory.set(name, value);
  }

  async get(secretId: string, options: { stage?: VersionStage } = {}): Promise<StoredSecret | undefined> {
    const held = this.memory.get(secretId);
    if (held === undefined) return this.base.get(secretId, options);
    return options.stage === 'AWSPENDING' ? undefined : { arn: `memory:${secretId}`, value: held };
  }

  put(secret: SecretToPut): Promise<{ arn: string; created: boolean }> {
    this.refuseHeld(secret.name, 'written');
    return this.base.put(secret);
  }

  delete(secretId: string, options?: { recoveryWindowDays?: number }): Promise<void> {
    this.refuseHeld(secretId, 'deleted');
    return this.base.delete(secretId, options);
  }

  putPending(secretId: string, versionId: string, value: string): Promise<void> {
    this.refuseHeld(secretId, 'rotated');
    return this.base.putPending(secretId, versionId, value);
  }

  promote(secretId: string, versionId: string): Promise<void> {
    this.refuseHeld(secretId, 'rotated');
    return this.base.promote(secretId, versionId);
  }

  describe(secretId: string): Promise<SecretDescription | undefined> {
    return this.base.describe(secretId);
  }

  list(prefix: string): Promise<SecretSummary[]> {
    return this.base.list(prefix);
  }

  scheduleRotation(secretId: string, rotation: RotationSchedule): Promise<boolean> {
    this.refuseHeld(secretId, 'rotated');
    return this.base.scheduleRotation(secretId, rotation);
  }

  private refuseHeld(name: string, what: string): void {
    if (this.memory.has(name)) throw new Error(`${name} is held in memory and cannot be ${what}`);
  }
}
