import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { InterruptedError, Interruption, ONBOARDING_STOP } from '../../../local/cli/interrupt';
import { GenesysSimulator } from '../../../simulator';
import { SAMPLE_ROLE, sampleOrgSeed } from '../../../simulator/seeds';
import { baseEnv, cli, ensureBundle, ptyCli, spawnCli, until } from './support';

const CONFIGURE = 'Credential, configuration, enable';
// biome-ignore lint/suspicious/noControlCharactersInRegex: terminal escape sequences are what is removed
const ANSI = /\u001b\[[0-9;?]*[A-Za-z]/g;
const CURSOR_HIDE = '\u001b[?25l';
const CURSOR_SHOW = '\u001b[?25h';

/** The handlers an Interruption calls, as mocks, and one listening on this process's SIGINT. */
function listening(rule = ONBOARDING_STOP) {
  const handlers = { onIdle: jest.fn(), onStopping: jest.fn(), onAborted: jest.fn() };
  const interruption = new Interruption(handlers, rule).listen();
  const calls = () => ({
    idle: handlers.onIdle.mock.calls.length,
    stopping: handlers.onStopping.mock.calls.length,
    aborted: handlers.onAborted.mock.calls.length,
  });
  return { interruption, calls };
}

describe('Interruption (in-process, SIGINT emitted on this process)', () => {
  it('before a run, Ctrl-C ends the command (onIdle) every time and aborts nothing', () => {
    const { interruption, calls } = listening();
    try {
      process.emit('SIGINT');
      process.emit('SIGINT');
      expect(calls()).toEqual({ idle: 2, stopping: 0, aborted: 0 });
      expect([interruption.interrupted, interruption.aborted, interruption.signal.aborted]).toEqual([
        false,
        false,
        false,
      ]);
    } finally {
      interruption.dispose();
    }
  });

  it('during a run: the first press refuses every task but Compensate, the second aborts; a third does nothing', () => {
    const { interruption, calls } = listening();
    try {
      interruption.setRunning(true);
      interruption.beforeTask('ConfigureIntegration');
      process.emit('SIGINT');
      expect(calls()).toEqual({ idle: 0, stopping: 1, aborted: 0 });
      expect([interruption.interrupted, interruption.signal.aborted]).toEqual([true, false]);
      expect(() => interruption.beforeTask('RecordConfiguration')).toThrow(
        new InterruptedError('RecordConfiguration'),
      );
      expect(() => interruption.beforeTask('RecordConfiguration')).toThrow(
        'Stopped by Ctrl-C before "RecordConfiguration" started: what this run created is removed',
      );
      expect(() => interruption.beforeTask(ONBOARDING_STOP.finishing as string)).not.toThrow();

      process.emit('SIGINT');
      expect(calls()).toEqual({ idle: 0, stopping: 1, aborted: 1 });
      expect([interruption.aborted, interruption.signal.aborted]).toEqual([true, true]);
      process.emit('SIGINT');
      expect(calls()).toEqual({ idle: 0, stopping: 1, aborted: 1 });
    } finally {
      interruption.dispose();
    }
  });

  it("with a rule of its own: the rule's consequence, and no task still runs when it names none", () => {
    const { interruption } = listening({ consequence: 'running the same command again resumes' });
    try {
      interruption.setRunning(true);
      process.emit('SIGINT');
      expect(() => interruption.beforeTask('Compensate')).toThrow(
        'Stopped by Ctrl-C before "Compensate" started: running the same command again resumes',
      );
    } finally {
      interruption.dispose();
    }
  });

  it('a run that ended is idle again; once disposed it no longer hears SIGINT', () => {
    const { interruption, calls } = listening();
    interruption.setRunning(true);
    interruption.setRunning(false);
    process.emit('SIGINT');
    expect(calls()).toEqual({ idle: 1, stopping: 0, aborted: 0 });
    interruption.dispose();
    expect(process.listenerCount('SIGINT')).toBe(0);
    process.emit('SIGINT');
    expect(calls()).toEqual({ idle: 1, stopping: 0, aborted: 0 });
  });
});

/** Ctrl-C during a run: the first rolls back what the run created, the second stops at once; exit 130. */
describe('genesys-onboard and Ctrl-C', () => {
  // Every answer takes 80 ms, so that "Credential, configuration, enable" (4 calls) is still running when the
  // test presses Ctrl-C right after its first call.
  const simulator = new GenesysSimulator({
    latencyMs: 80,
    activationDelayMs: 0,
    readAfterCreateNotFoundMs: 0,
    oauthClientListingLagMs: 0,
    deletedClientLingerMs: 0,
  });
  const folders: string[] = [];
  let url: string;

  const freshOrg = () => {
    const { org, bootstrap } = simulator.addOrg(sampleOrgSeed({ id: randomUUID() }));
    const dir = mkdtempSync(path.join(tmpdir(), 'genesys-onboard-sigint-'));
    folders.push(dir);
    return {
      org,
      env: baseEnv({
        GENESYSCLOUD_OAUTHCLIENT_ID: bootstrap.clientId,
        GENESYSCLOUD_OAUTHCLIENT_SECRET: bootstrap.clientSecret,
      }),
      args: [
        'onboard',
        ...['--org-id', org.id, '--region', 'eu-west-1', '--role', SAMPLE_ROLE],
        ...['--client-name', 'acme-data-actions', '--integration-name', 'Acme Data Actions'],
        ...['--api-url', url, '--secret-dir', dir],
      ],
      resultFile: path.join(dir, 'genesys-onboarding', org.id, 'data-actions-client.json'),
      liveClients: () =>
        [...org.clients.values()].filter((c) => c.id !== bootstrap.clientId && c.state !== 'deleted'),
      /** Resolves once this org's credential has been created: Configure is then running. */
      configuring: () =>
        until(() =>
          simulator.requestLog.some(
            (e) => e.orgId === org.id && e.method === 'POST' && e.path === '/api/v2/integrations/credentials',
          ),
        ),
    };
  };

  beforeAll(async () => {
    await ensureBundle();
    url = await simulator.start();
  });
  afterAll(async () => {
    await simulator.stop();
    for (const dir of folders) rmSync(dir, { recursive: true, force: true });
  });

  it('the first Ctrl-C lets the running step finish, then removes everything the run created: exit 130', async () => {
    const o = freshOrg();
    const running = spawnCli(o.args, o.env);
    await o.configuring();
    running.child.kill('SIGINT');
    const result = await running.done;
    expect(result.code).toBe(130);
    const [headline, rolledBack] = result.stdout.split('\n');
    expect(headline).toMatch(/^Stopped by Ctrl-C after \d+\.\d s\.$/);
    expect(rolledBack).toMatch(
      new RegExp(
        `^ {2}Rolled back: integration [0-9a-f-]{36}, credential [0-9a-f-]{36}, OAuth client [0-9a-f-]{36}, secret file://${o.resultFile.replace(/[.]/g, '\\.')}$`,
      ),
    );
    const stderr = result.stderr.split('\n');
    const notice = stderr.indexOf(
      'Ctrl-C: finishing the running step, then removing what this run created (press Ctrl-C again to stop at once)',
    );
    expect(notice).toBeGreaterThan(-1);
    const after = stderr.slice(notice + 1).map((line) => line.slice(0, 40).trimEnd());
    expect(after).toEqual([
      `✔ ${CONFIGURE}`,
      '↓ Record the ids with the secret (not st',
      '✔ Roll back what this run created',
      '',
    ]);
    // What exists in the org afterwards: only what was there before.
    expect(o.liveClients()).toEqual([]);
    expect(o.org.integrations.size).toBe(0);
    expect(o.org.credentials.size).toBe(0);
    expect(existsSync(o.resultFile)).toBe(false);
  });

  it('with --json, the stopped run is one JSON object saying so', async () => {
    const o = freshOrg();
    const running = spawnCli([...o.args, '--json'], o.env);
    await o.configuring();
    running.child.kill('SIGINT');
    const result = await running.done;
    expect(result.code).toBe(130);
    const output = JSON.parse(result.stdout);
    expect(output).toMatchObject({
      status: 'FAILED',
      interrupted: 'rolled-back',
      error: 'Local.Interrupted',
    });
    expect(output.rolledBack).toHaveLength(4);
    expect(result.stderr).toContain('Ctrl-C: finishing the running step');
  });

  it('a second Ctrl-C stops at once, says what exists and that re-running resumes; re-running does', async () => {
    const o = freshOrg();
    const running = spawnCli(o.args, o.env);
    await o.configuring();
    running.child.kill('SIGINT');
    await running.waitFor('Ctrl-C: finishing the running step');
    const secondAt = Date.now();
    running.child.kill('SIGINT');
    const result = await running.done;
    expect(result.code).toBe(130);
    expect(Date.now() - secondAt).toBeLessThan(2_000);
    const [client] = o.liveClients();
    const [integration] = [...o.org.integrations.values()];
    expect(result.stdout.split('\n').slice(0, 3)).toEqual([
      expect.stringMatching(
        new RegExp(`^Stopped at once by a second Ctrl-C after \\d+\\.\\d s, during "${CONFIGURE}"\\.$`),
      ),
      `  Nothing was rolled back. Created by this run and still there: OAuth client ${client?.id}, secret file://${o.resultFile}, integration ${integration?.id}, credential "Integration-${integration?.id}" (may exist: ConfigureIntegration was stopped while creating it)`,
      '  Running the same command again resumes: it finds what exists by name and finishes the setup.',
    ]);
    expect(result.stderr).toContain('Ctrl-C again: stopping at once');
    expect(result.stderr).toMatch(
      new RegExp(`✖ ${CONFIGURE} +\\d+ ms {2}\\d+ Genesys calls?  stopped while running`),
    );
    expect(existsSync(o.resultFile)).toBe(true);

    const again = await cli(o.args, o.env);
    expect(again.code).toBe(0);
    expect(o.liveClients().map((c) => c.id)).toEqual([client?.id]);
    expect([...o.org.integrations.keys()]).toEqual([integration?.id]);
  });

  it('on a terminal, Ctrl-C (the key) rolls back, prints the message and restores the cursor', async () => {
    const o = freshOrg();
    const running = ptyCli(o.args, o.env);
    await o.configuring();
    running.child.stdin?.write('\u0003');
    const result = await running.done;
    expect(result.code).toBe(130);
    const screen = result.stdout;
    expect(screen.lastIndexOf(CURSOR_SHOW)).toBeGreaterThan(screen.lastIndexOf(CURSOR_HIDE));
    const text = screen.replace(ANSI, '');
    expect(text).toContain('Ctrl-C: finishing the running step');
    expect(text).toMatch(/Stopped by Ctrl-C after \d+\.\d s\.\r?\n {2}Rolled back: integration /);
    expect(text).toMatch(new RegExp(`✔ ${CONFIGURE} +\\d+ ms`));
    expect(o.liveClients()).toEqual([]);
    expect(o.org.integrations.size + o.org.credentials.size).toBe(0);
  });

  it('the demo removes its temporary folder on Ctrl-C', async () => {
    const running = ptyCli(['demo']);
    await running.waitFor('First run: onboard the org');
    const folder = /Secrets go to (\S+)/.exec(running.output())?.[1];
    running.child.stdin?.write('\u0003');
    const result = await running.done;
    expect(result.code).toBe(130);
    expect(folder).toMatch(/genesys-onboard-demo-/);
    expect(existsSync(folder as string)).toBe(false);
    expect(result.stdout.replace(ANSI, '')).toMatch(/Stopped by Ctrl-C after \d+\.\d s\./);
  });
});
