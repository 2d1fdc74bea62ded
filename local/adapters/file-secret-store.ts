import { createHash, randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import {
  type SecretDescription,
  SecretExistsError,
  type SecretStore,
  type SecretSummary,
  type SecretToPut,
  type StoredSecret,
  type VersionStage,
} from '../../lambdas/shared/secret-store';

const PENDING = '.pending.json';

/**
 * Secrets as files: `<dir>/<secret name>.json` (`/` in the name makes sub-folders), folders 0700, files 0600,
 * each holding exactly the JSON that Secrets Manager would hold as AWSCURRENT. While a secret is rotated, its
 * AWSPENDING version waits beside it in `<name>.pending.json` (`{"versionId","value"}`, 0600) until it is
 * promoted. The "ARN" is `file://<path>`; the current version's id is a fingerprint of its content. No tags,
 * no recovery window: a deleted secret is gone at once.
 */
export class FileSecretStore implements SecretStore {
  readonly root: string;

  constructor(root: string) {
    this.root = path.resolve(root);
  }

  async get(secretId: string, options: { stage?: VersionStage } = {}): Promise<StoredSecret | undefined> {
    const file = this.fileOf(secretId);
    if (options.stage === 'AWSPENDING') {
      const pending = await this.pending(file);
      return pending && { arn: `file://${file}`, value: pending.value, versionId: pending.versionId };
    }
    const value = await readIfExists(file);
    return value === undefined ? undefined : { arn: `file://${file}`, value, versionId: versionOf(value) };
  }

  async put(secret: SecretToPut): Promise<{ arn: string; created: boolean }> {
    const file = this.fileOf(secret.name);
    await this.makeFolders(path.dirname(file));
    const created = !(await exists(file));
    if (secret.createOnly) {
      // Written beside, then linked into place: link() fails if the name exists, an atomic create.
      const temporary = `${file}.${randomUUID()}.tmp`;
      await fs.writeFile(temporary, secret.value, { mode: 0o600 });
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
    await writeAtomically(file, secret.value);
    return { arn: `file://${file}`, created };
  }

  async delete(secretId: string): Promise<void> {
    const file = this.fileOf(secretId);
    await fs.rm(`${file.slice(0, -'.json'.length)}${PENDING}`, { force: true });
    await fs.rm(file, { force: true });
  }

  async putPending(secretId: string, versionId: string, value: string): Promise<void> {
    const file = this.fileOf(secretId);
    if (!(await exists(file))) throw new Error(`Secret ${secretId} does not exist`);
    const pending = await this.pending(file);
    if (pending?.versionId === versionId) return;
    await writeAtomically(pendingFile(file), JSON.stringify({ versionId, value }));
  }

  async promote(secretId: string, versionId: string): Promise<void> {
    const file = this.fileOf(secretId);
    const pending = await this.pending(file);
    if (pending?.versionId === versionId) {
      await writeAtomically(file, pending.value);
      await fs.rm(pendingFile(file), { force: true });
      return;
    }
    const current = await readIfExists(file);
    if (current === undefined || versionOf(current) !== versionId) {
      throw new Error(`Secret ${secretId} has no version ${versionId}`);
    }
  }

  async describe(secretId: string): Promise<SecretDescription | undefined> {
    const file = this.fileOf(secretId);
    const current = await readIfExists(file);
    if (current === undefined) return undefined;
    const pending = await this.pending(file);
    return {
      name: this.nameOf(file),
      arn: `file://${file}`,
      tags: {},
      versions: {
        [versionOf(current)]: ['AWSCURRENT'],
        ...(pending ? { [pending.versionId]: ['AWSPENDING'] } : {}),
      },
    };
  }

  async list(prefix: string): Promise<SecretSummary[]> {
    const found: SecretSummary[] = [];
    const visit = async (dir: string): Promise<void> => {
      const entries = await fs.readdir(dir, { withFileTypes: true }).catch(() => []);
      for (const entry of entries) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) await visit(full);
        else if (entry.name.endsWith('.json') && !entry.name.endsWith(PENDING)) {
          const name = this.nameOf(full);
          if (name.startsWith(prefix)) found.push({ name, arn: `file://${full}`, tags: {} });
        }
      }
    };
    await visit(this.root);
    return found.sort((a, b) => a.name.localeCompare(b.name));
  }

  /** Files have no rotation scheduler: nothing is scheduled (`genesys-onboard rotate` rotates on demand). */
  async scheduleRotation(): Promise<boolean> {
    return false;
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

  private nameOf(file: string): string {
    return path
      .relative(this.root, file)
      .replace(/\.json$/, '')
      .split(path.sep)
      .join('/');
  }

  private async pending(file: string): Promise<{ versionId: string; value: string } | undefined> {
    const text = await readIfExists(pendingFile(file));
    return text === undefined ? undefined : (JSON.parse(text) as { versionId: string; value: string });
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

const pendingFile = (file: string) => `${file.slice(0, -'.json'.length)}${PENDING}`;

/** The current version's id: a fingerprint of its content (never the content). */
const versionOf = (value: string) => `file-${createHash('sha256').update(value).digest('hex').slice(0, 32)}`;

/** Written beside, then moved into place: a reader never sees half a secret. */
async function writeAtomically(file: string, value: string): Promise<void> {
  const temporary = `${file}.${randomUUID()}.tmp`;
  await fs.writeFile(temporary, value, { mode: 0o600 });
  await fs.rename(temporary, file);
  await fs.chmod(file, 0o600);
}

async function readIfExists(file: string): Promise<string | undefined> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

async function exists(file: string): Promise<boolean> {
  return fs.access(file).then(
    () => true,
    () => false,
  );
}
