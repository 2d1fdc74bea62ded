import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import {
  SecretExistsError,
  type SecretStore,
  type SecretToPut,
  type StoredSecret,
} from '../../lambdas/shared/secret-store';

/**
 * Secrets as files: `<dir>/<secret name>.json` (`/` in the name makes sub-folders), folders 0700, files 0600,
 * each holding exactly the JSON that Secrets Manager would hold. The "ARN" is `file://<path>`.
 */
export class FileSecretStore implements SecretStore {
  readonly root: string;

  constructor(root: string) {
    this.root = path.resolve(root);
  }

  async get(secretId: string): Promise<StoredSecret | undefined> {
    const file = this.fileOf(secretId);
    try {
      return { arn: `file://${file}`, value: await fs.readFile(file, 'utf8') };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  async put(secret: SecretToPut): Promise<{ arn: string; created: boolean }> {
    const file = this.fileOf(secret.name);
    await this.makeFolders(path.dirname(file));
    const created = !(await exists(file));
    // Written beside, then moved into place: a reader never sees half a secret.
    const temporary = `${file}.${randomUUID()}.tmp`;
    await fs.writeFile(temporary, secret.value, { mode: 0o600 });
    if (secret.createOnly) {
      // link() fails if the name exists: an atomic create.
      try {
        await fs.link(temporary, file);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw new SecretExistsError(secret.name);
        throw error;
      } finally {
        await fs.rm(temporary, { force: true });
      }
      return { arn: `file://${file}`, created: true };
    }
    await fs.rename(temporary, file);
    await fs.chmod(file, 0o600);
    return { arn: `file://${file}`, created };
  }

  async delete(secretId: string): Promise<void> {
    await fs.rm(this.fileOf(secretId), { force: true });
  }

  /** A secret name or a `file://` ARN of this store to its file; names cannot leave the root. */
  fileOf(secretId: string): string {
    const name = secretId.startsWith('file://')
      ? path.relative(this.root, secretId.slice(7)).replace(/\.json$/, '')
      : secretId;
    const parts = name.split('/');
    if (name === '' || parts.some((part) => part === '' || part === '.' || part === '..')) {
      throw new Error(`secret name ${JSON.stringify(secretId)} is not a valid secret name`);
    }
    return `${path.join(this.root, ...parts)}.json`;
  }

  private async makeFolders(folder: string): Promise<void> {
    const relative = path.relative(this.root, folder);
    let current = this.root;
    await fs.mkdir(current, { recursive: true, mode: 0o700 });
    for (const part of relative ? relative.split(path.sep) : []) {
      current = path.join(current, part);
      await fs.mkdir(current, { mode: 0o700 }).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'EEXIST') throw error;
      });
      await fs.chmod(current, 0o700);
    }
  }
}

async function exists(file: string): Promise<boolean> {
  return fs.access(file).then(
    () => true,
    () => false,
  );
}
