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
    expect(await store.get('p/o/s')).toMatchObject({ arn, value: 'two' });
    expect(await store.get(arn)).toMatchObject({ arn, value: 'two' });
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

  describe('versions (the rotation protocol)', () => {
    const name = 'genesys-onboarding/org-1/data-actions-client';
    const file = () => path.join(dir, 'genesys-onboarding', 'org-1', 'data-actions-client.json');
    const pendingFile = () =>
      path.join(dir, 'genesys-onboarding', 'org-1', 'data-actions-client.pending.json');

    it('keeps a pending version beside the current one, then promotes it: one file left, 0600', async () => {
      await store.put({ name, value: '{"v":1}' });
      const current = await store.get(name);
      await store.putPending(name, 'version-2', '{"v":2}');
      await store.putPending(name, 'version-2', '{"v":2}');
      expect(statSync(pendingFile()).mode & 0o777).toBe(0o600);
      expect(await store.get(name)).toMatchObject({ value: '{"v":1}', versionId: current?.versionId });
      expect(await store.get(name, { stage: 'AWSPENDING' })).toMatchObject({
        value: '{"v":2}',
        versionId: 'version-2',
      });
      expect((await store.describe(name))?.versions).toEqual({
        [current?.versionId as string]: ['AWSCURRENT'],
        'version-2': ['AWSPENDING'],
      });
      await store.promote(name, 'version-2');
      expect(readFileSync(file(), 'utf8')).toBe('{"v":2}');
      expect(statSync(file()).mode & 0o777).toBe(0o600);
      expect(readdirSync(path.dirname(file()))).toEqual(['data-actions-client.json']);
      expect(await store.get(name, { stage: 'AWSPENDING' })).toBeUndefined();
      // Promoting again (a retried finishSecret) is a no-op: the version is current now.
      const promoted = await store.get(name);
      await store.promote(name, promoted?.versionId as string);
    });

    it('refuses a pending version for a secret that does not exist, and an unknown version', async () => {
      await expect(store.putPending(name, 'v', '{}')).rejects.toThrow(/does not exist/);
      await store.put({ name, value: '{}' });
      await expect(store.promote(name, 'nope')).rejects.toThrow(/has no version nope/);
    });

    it('lists the secrets under a prefix, and deletes the pending version with the secret', async () => {
      await store.put({ name, value: '{}' });
      await store.put({ name: 'genesys-onboarding/org-2/data-actions-client', value: '{}' });
      await store.put({ name: 'other/x', value: '{}' });
      await store.putPending(name, 'v2', '{}');
      expect((await store.list('genesys-onboarding/')).map((s) => s.name)).toEqual([
        'genesys-onboarding/org-1/data-actions-client',
        'genesys-onboarding/org-2/data-actions-client',
      ]);
      await store.delete(name);
      expect(await store.describe(name)).toBeUndefined();
      expect(readdirSync(path.dirname(file()))).toEqual([]);
    });
  });
});
