import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { sampleOrgSeed } from '../../../simulator/seeds';
import { cli, ensureBundle } from './support';

/** `npm start`: the demo against the bundled simulator, with its default (Genesys-like) lags. */
describe('genesys-onboard demo', () => {
  beforeAll(ensureBundle);

  it('onboards the sample org, then shows that a second run changes nothing: exit 0', async () => {
    const result = await cli(['demo']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const folder = /^Secrets go to (\S+) \(files 0600\)$/m.exec(result.stdout)?.[1];
    expect(result.stdout).toContain('First run: onboard the org');
    expect(result.stdout).toContain('Second run: the same request again');
    expect(result.stdout).toMatch(
      /Nothing changed on the second run: \d+ Genesys calls, all reads \(the first run made \d+ changes\)\./,
    );
    // Each run shows each of its six steps once, all with ✔.
    expect(result.stdout.split('\n').filter((line) => line.startsWith('✔ '))).toHaveLength(12);
    expect(result.stdout).not.toMatch(/^[✖↓] /m);
    expect(existsSync(folder as string)).toBe(false);
  });

  it('keeps the secrets in --secret-dir when given (0600), and leaves that folder in place', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'genesys-onboard-demo-dir-'));
    try {
      const result = await cli(['demo', '--secret-dir', dir]);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain(`Secrets go to ${dir} (files 0600)`);
      const file = path.join(dir, 'genesys-onboarding', sampleOrgSeed().id ?? '', 'data-actions-client.json');
      expect(statSync(file).mode & 0o777).toBe(0o600);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
