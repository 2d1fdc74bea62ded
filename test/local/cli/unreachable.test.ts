import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { baseEnv, cli, ensureBundle } from './support';

/** A port on 127.0.0.1 that refuses connections: one the system gave a server that is now closed. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A host that never answers fails the run in seconds, and the output names it (it took 67-78 s before). */
describe('genesys-onboard against a host that cannot be reached', () => {
  const secretDir = mkdtempSync(path.join(tmpdir(), 'genesys-onboard-unreachable-'));
  const env = baseEnv({
    GENESYSCLOUD_OAUTHCLIENT_ID: 'client-id',
    GENESYSCLOUD_OAUTHCLIENT_SECRET: 'client-secret',
  });
  const onboard = (apiUrl: string) =>
    cli(
      [
        'onboard',
        ...['--org-id', '7f3d2a9e-5b1c-4e8f-9a0d-2c6b8e4f1a37', '--region', 'eu-west-1', '--role', 'r'],
        ...['--client-name', 'c', '--integration-name', 'i', '--api-url', apiUrl, '--secret-dir', secretDir],
      ],
      env,
    );

  beforeAll(ensureBundle);
  afterAll(() => rmSync(secretDir, { recursive: true, force: true }));

  it.each([
    ['a port fetch never connects to', async () => 'http://127.0.0.1:1', 'could not connect to 127.0.0.1:1'],
    [
      'a port that refuses connections',
      async () => `http://127.0.0.1:${await closedPort()}`,
      '(ECONNREFUSED)',
    ],
    [
      'a name that does not resolve',
      async () => 'http://nonexistent.invalid',
      'could not resolve nonexistent.invalid',
    ],
  ])('%s: exit 1 within seconds, naming the host', async (_, apiUrl, says) => {
    const url = await apiUrl();
    const result = await onboard(url);
    expect(result.code).toBe(1);
    expect(result.ms).toBeLessThan(10_000);
    const [headline, cause] = result.stdout.split('\n');
    expect(headline).toMatch(
      /^Onboarding failed at "Check the org and the bootstrap client, resolve roles" \(Prepare\) after \d+\.\d s: Genesys\.Unreachable$/,
    );
    expect(cause).toContain(says);
    expect(cause).toContain(new URL(url).host);
    expect(result.stderr.split('\n')[0]).toMatch(
      /^✖ Check the org and the bootstrap client, resolve roles .*Genesys\.Unreachable$/,
    );
  });
});
