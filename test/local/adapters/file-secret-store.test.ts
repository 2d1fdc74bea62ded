import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { SecretExistsError } from '../../../lambdas/shared/secret-store';
import { FileSecretStore } from '../../../local/adapters/file-secret-store';

describe('FileSecretStore', () => {
  let dir: string;
  let store: FileSecretStore;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'secret-store-'));
    store = new FileSecretStore(dir);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps each secret as <dir>/<name>.json with folders 0700 and files 0600', async () => {
    const { arn, created } = await store.put({
      name: 'genesys-onboarding/org-1/data-actions-client',
      value: '{"a":1}',
    });
    expect(created).toBe(true);
    const file = path.join(dir, 'genesys-onboarding', 'org-1', 'data-actions-client.json');
    expect(arn).toBe(`file://${file}`);
    expect(readFileSync(file, 'utf8')).toBe('{"a":1}');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(path.join(dir, 'genesys-onboarding')).mode & 0o777).toBe(0o700);
    expect(statSync(path.join(dir, 'genesys-onboarding', 'org-1')).mode & 0o777).toBe(0o700);
  });

  it('reads by name or by its file ARN, overwrites, and deletes', async () => {
    const { arn } = await store.put({ name: 'p/o/s', value: 'one' });
    expect((await store.put({ name: 'p/o/s', value: 'two' })).created).toBe(false);
    expect(await store.get('p/o/s')).toEqual({ arn, value: 'two' });
    expect(await store.get(arn)).toEqual({ arn, value: 'two' });
    await store.delete(arn);
    expect(await store.get('p/o/s')).toBeUndefined();
    await store.delete('p/o/s');
  });

  it('creates only once with createOnly, atomically, even when two writers race', async () => {
    const results = await Promise.allSettled([
      store.put({ name: 'p/o/s', value: 'first', createOnly: true }),
      store.put({ name: 'p/o/s', value: 'second', createOnly: true }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(refused.reason).toBeInstanceOf(SecretExistsError);
    const stored = await store.get('p/o/s');
    expect(['first', 'second']).toContain(stored?.value);
    expect(statSync(store.fileOf('p/o/s')).mode & 0o777).toBe(0o600);
    expect(readdirSync(path.join(dir, 'p', 'o'))).toEqual(['s.json']);
  });

  it('refuses names that would leave its folder', async () => {
    await expect(store.put({ name: '../escape', value: 'x' })).rejects.toThrow(/not a valid secret name/);
    await expect(store.get('a//b')).rejects.toThrow(/not a valid secret name/);
  });
});
