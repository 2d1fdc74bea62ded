import { execFile, spawn } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import * as path from 'node:path';
import type { GenesysSimulator } from '../../simulator';
import { runSimulatorCli } from '../../simulator/cli';

const ROOT = path.join(__dirname, '..', '..');
const MAIN = path.join(ROOT, 'simulator', 'main.ts');

interface Captured {
  stdout: string;
  stderr: string;
}

/** Runs the command in-process with captured output; a started simulator is stopped after the check. */
async function run(args: string[], env: NodeJS.ProcessEnv = {}) {
  const captured: Captured = { stdout: '', stderr: '' };
  const outcome = await runSimulatorCli(args, {
    stdout: { write: (text: string) => (captured.stdout += text) },
    stderr: { write: (text: string) => (captured.stderr += text) },
    env,
  });
  return { outcome, ...captured };
}

describe('simulator command line', () => {
  const started: GenesysSimulator[] = [];
  afterAll(async () => {
    for (const simulator of started) await simulator.stop();
  });

  async function start(args: string[], env: NodeJS.ProcessEnv = {}) {
    const result = await run(args, env);
    if (result.outcome.kind !== 'running') throw new Error(`did not start: ${result.stderr}`);
    started.push(result.outcome.simulator);
    return { simulator: result.outcome.simulator, stdout: result.stdout, stderr: result.stderr };
  }

  it('prints help and exits 0 on --help', async () => {
    const { outcome, stdout, stderr } = await run(['--help']);
    expect(outcome).toEqual({ kind: 'exit', exitCode: 0 });
    expect(stdout).toMatch(/^Usage: simulator \[options\]/);
    for (const flag of ['--port', '--org', '--listing-lag', '--read-after-create-404', '--deleted-linger'])
      expect(stdout).toContain(flag);
    expect(stderr).toBe('');
  });

  it.each([
    [
      ['--port', 'abc'],
      "error: option '--port <number>' argument 'abc' is invalid. port must be an integer from 0 to 65535.\n",
    ],
    [
      ['--port', '70000'],
      "error: option '--port <number>' argument '70000' is invalid. port must be an integer from 0 to 65535.\n",
    ],
    [
      ['--latency', '-5'],
      "error: option '--latency <ms>' argument '-5' is invalid. a time in milliseconds must be an integer from 0 to 3600000.\n",
    ],
    [
      ['--client-paging', 'pages'],
      "error: option '--client-paging <mode>' argument 'pages' is invalid. Allowed choices are next-uri, page-count, first-page-only, single-page.\n",
    ],
    [['--bogus'], "error: unknown option '--bogus'\n"],
    [['extra'], 'error: too many arguments. Expected 0 arguments but got 1.\n'],
  ])('refuses %j with one line and exit code 2', async (args, message) => {
    const { outcome, stdout, stderr } = await run(args);
    expect(outcome).toEqual({ kind: 'exit', exitCode: 2 });
    expect(stderr).toBe(message);
    expect(stdout).toBe('');
  });

  it('says in one line that the port is in use, exit code 1', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const { outcome, stdout, stderr } = await run(['--port', String(port)]);
      expect(outcome).toEqual({ kind: 'exit', exitCode: 1 });
      expect(stderr).toBe(
        `error: port ${port} is in use: pick another with --port, or --port 0 for a free one\n`,
      );
      expect(stdout).toBe('');
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });

  it('prints the URL, org, region, roles (held ones marked) and a ready-to-paste command', async () => {
    const { simulator, stdout } = await start([]);
    const [org] = [...simulator.orgs.values()];
    const bootstrap = [...(org?.clients.values() ?? [])][0];
    const url = simulator.url;
    const lines = stdout.split('\n');
    expect(lines[0]).toBe(`Genesys Cloud simulator on ${url} (API and login)`);
    expect(lines).toContain('org: Acme Contact Center (7f3d2a9e-5b1c-4e8f-9a0d-2c6b8e4f1a37)');
    expect(lines).toContain(
      'region: eu-west-1 (any region works: --api-url and --login-url point a client here)',
    );
    expect(lines).toContain(
      `bootstrap client: onboarding-bootstrap (${bootstrap?.id}), credentials generated for this run (simulator only)`,
    );
    expect(lines).toContain('  * admin (all divisions)');
    expect(lines).toContain('  * Data Actions Runtime (all divisions)');
    expect(lines).toContain('    Supervisor');
    expect(lines).toContain(
      `  GENESYSCLOUD_OAUTHCLIENT_ID=${bootstrap?.id} GENESYSCLOUD_OAUTHCLIENT_SECRET=${bootstrap?.secret} ` +
        'npx genesys-onboard onboard --org-id 7f3d2a9e-5b1c-4e8f-9a0d-2c6b8e4f1a37 --region eu-west-1 ' +
        '--role "Data Actions Runtime" --client-name acme-data-actions --integration-name "Acme Data Actions" ' +
        `--api-url ${url} --login-url ${url}`,
    );
    expect((await fetch(`${url}/api/v2/organizations/me`)).status).toBe(401);
  });

  it('uses bootstrap credentials from the environment without echoing the secret', async () => {
    const { simulator, stdout } = await start([], {
      GENESYSCLOUD_OAUTHCLIENT_ID: 'my-bootstrap-id',
      GENESYSCLOUD_OAUTHCLIENT_SECRET: 'my-bootstrap-secret',
    });
    expect([...simulator.orgs.values()][0]?.clients.get('my-bootstrap-id')?.secret).toBe(
      'my-bootstrap-secret',
    );
    expect(stdout).not.toContain('my-bootstrap-secret');
    expect(stdout).not.toContain('GENESYSCLOUD_OAUTHCLIENT_SECRET=');
    expect(stdout).toMatch(/\n {2}npx genesys-onboard onboard --org-id /);
  });

  it('sets the knobs and the org shape from its options', async () => {
    const { simulator, stdout } = await start([
      '--org',
      'realistic',
      '--latency',
      '5',
      '--new-client-delay',
      '100',
      '--activation-delay',
      '10',
      '--listing-lag',
      '300',
      '--read-after-create-404',
      '200',
      '--deleted-linger',
      '400',
      '--client-paging',
      'page-count',
      '--client-page-size',
      '10',
      '--activation-error',
      'Quota exceeded',
    ]);
    expect(simulator.options).toEqual({
      port: 0,
      latencyMs: 5,
      newClientDelayMs: 100,
      activationDelayMs: 10,
      oauthClientListingLagMs: 300,
      readAfterCreateNotFoundMs: 200,
      deletedClientLingerMs: 400,
      oauthClientPaging: 'page-count',
      oauthClientPageSize: 10,
      activationError: { message: 'Quota exceeded' },
    });
    expect([...simulator.orgs.values()][0]?.clients.size).toBe(31);
    expect(stdout).toContain('org: Globex Customer Care (c4a9e2b7-3d1f-4a6e-8b5c-9f0e1d2a3b4c)');
  });

  it('uses the documented defaults when no option is given', async () => {
    const { simulator } = await start([]);
    expect(simulator.options).toEqual({
      port: 0,
      latencyMs: 0,
      newClientDelayMs: 0,
      activationDelayMs: 50,
      oauthClientListingLagMs: 2_000,
      readAfterCreateNotFoundMs: 1_000,
      deletedClientLingerMs: 30_000,
      oauthClientPaging: 'next-uri',
      oauthClientPageSize: 25,
      activationError: undefined,
    });
  });

  it('as a process: a bad option is one line on stderr, exit 2, no stack trace', async () => {
    const result = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      execFile(
        process.execPath,
        ['--import', 'tsx', MAIN, '--port', 'nope'],
        { cwd: ROOT },
        (error, _out, stderr) => resolve({ code: error ? (error.code as number) : 0, stderr }),
      );
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      "error: option '--port <number>' argument 'nope' is invalid. port must be an integer from 0 to 65535.\n",
    );
  });

  it('as a process: serves until SIGINT, then exits 0', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN], { cwd: ROOT });
    let stdout = '';
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', (chunk: Buffer) => {
          stdout += chunk.toString();
          const found = /simulator on (http:\/\/\S+) /.exec(stdout);
          if (found?.[1]) resolve(found[1]);
        });
        void exited.then((code) => reject(new Error(`exited early with ${code}`)));
      });
      expect((await fetch(`${url}/api/v2/organizations/me`)).status).toBe(401);
      child.kill('SIGINT');
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  });
});
