import type { SecretStore } from '../../lambdas/shared/secret-store';

/** A store that does what `base` does, but for the methods given (to inject failures or crashes). */
export function storeWith(base: SecretStore, overrides: Partial<SecretStore>): SecretStore {
  return {
    get: (id, options) => base.get(id, options),
    put: (secret) => base.put(secret),
    delete: (id, options) => base.delete(id, options),
    putPending: (id, versionId, value) => base.putPending(id, versionId, value),
    promote: (id, versionId) => base.promote(id, versionId),
    describe: (id) => base.describe(id),
    list: (prefix) => base.list(prefix),
    scheduleRotation: (id, rotation) => base.scheduleRotation(id, rotation),
    ...overrides,
  };
}
