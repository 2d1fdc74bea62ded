import type { SecretStore, SecretToPut, StoredSecret } from '../../lambdas/shared/secret-store';

/**
 * Secrets held in memory for this process only, in front of a real store: the CLI's bootstrap credentials
 * come from the environment and are never written anywhere.
 */
export class OverlaySecretStore implements SecretStore {
  private readonly memory = new Map<string, string>();

  constructor(private readonly base: SecretStore) {}

  hold(name: string, value: string): void {
    this.memory.set(name, value);
  }

  async get(secretId: string): Promise<StoredSecret | undefined> {
    const held = this.memory.get(secretId);
    return held === undefined ? this.base.get(secretId) : { arn: `memory:${secretId}`, value: held };
  }

  put(secret: SecretToPut): Promise<{ arn: string; created: boolean }> {
    if (this.memory.has(secret.name))
      throw new Error(`${secret.name} is held in memory and cannot be written`);
    return this.base.put(secret);
  }

  delete(secretId: string): Promise<void> {
    if (this.memory.has(secretId)) throw new Error(`${secretId} is held in memory and cannot be deleted`);
    return this.base.delete(secretId);
  }
}
