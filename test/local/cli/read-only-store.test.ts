import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { FileSecretStore } from '../../../local/adapters/file-secret-store';
import { ReadOnlySecretStore } from '../../../local/cli/dry-run';

/** The secret store of a dry run: it reads through, and refuses every change before it reaches the store. */
describe('ReadOnlySecretStore', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'read-only-store-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads what the store holds and refuses to write, delete or rotate it', async () => {
    const files = new FileSecretStore(dir);
    await files.put({ name: 'p/org/data-actions-client', value: '{"clientId":"c"}' });
    const store = new ReadOnlySecretStore(files);
    expect((await store.get('p/org/data-actions-client'))?.value).toBe('{"clientId":"c"}');
    expect((await store.list('p/')).map((s) => s.name)).toEqual(['p/org/data-actions-client']);
    expect((await store.describe('p/org/data-actions-client'))?.name).toBe('p/org/data-actions-client');
    await expect(store.put({ name: 'p/org/data-actions-client', value: '{}' })).rejects.toThrow(
      'a dry run changes nothing: secret p/org/data-actions-client is not written',
    );
    await expect(store.delete('p/org/data-actions-client')).rejects.toThrow('is not deleted');
    await expect(store.putPending('p/org/data-actions-client')).rejects.toThrow('is not rotated');
    await expect(store.promote('p/org/data-actions-client')).rejects.toThrow('is not rotated');
    expect((await files.get('p/org/data-actions-client'))?.value).toBe('{"clientId":"c"}');
  });
});
