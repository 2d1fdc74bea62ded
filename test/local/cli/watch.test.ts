import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { clearTokenCache } from '../../../lambdas/genesys/auth';
import { ONBOARDING_STOP } from '../../../local/cli/interrupt';
import type { Io } from '../../../local/cli/onboard';
import { main } from '../../../local/cli/program';
import { ONBOARDING_STEPS } from '../../../local/cli/progress';
import { EXIT } from '../../../local/cli/usage';
import { watchRun } from '../../../local/cli/watch';
import { GenesysSimulator } from '../../../simulator';
import { SAMPLE_ROLE, sampleOrgSeed } from '../../../simulator/seeds';
import { findLeaks } from '../../support/leaks';
import { fakeTerminal, nextFrame } from './fake-terminal';
import { until } from './support';

const STOPPING = 'Ctrl-C: stopping';
const CONFIGURE = 'Credential, configuration, enable';
const INTEGRATION_ROUTE = '/api/v2/integrations/{integrationId}';

/** A pipe (not a terminal) and what was written on it. */
function pipe() {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (chunk: Buffer) => {
    text += chunk.toString();
  });
  return { stream, text: () => text };
}

/** What process.exit was called with, instead of ending jest's worker: it throws, as the real one never returns. */
function exitCalls(): { codes: () => unknown[]; restore: () => void } {
  const spy = jest.spyOn(process, 'exit').mockImplementation((code) => {
    throw new Error(`process.exit(${String(code)})`);
  });
  return { codes: () => spy.mock.calls.map(([code]) => code), restore: () => spy.mockRestore() };
}

describe('watchRun', () => {
  const options = {
    json: false,
    verbose: false,
    steps: ONBOARDING_STEPS,
    stopRule: ONBOARDING_STOP,
    stopping: STOPPING,
  };

  it('Ctrl-C before the run started ends the command: exit 130, nothing started; SIGINT is released', async () => {
    const stderr = pipe();
    const exit = exitCalls();
    try {
      const run = jest.fn(async () => {
        process.emit('SIGINT');
        return 'finished';
      });
      await expect(
        watchRun({ stdout: pipe().stream, stderr: stderr.stream, env: {} }, options, run),
      ).rejects.toThrow('process.exit(130)');
      expect(exit.codes()).toEqual([EXIT.interrupted]);
      expect(stderr.text()).toBe('Interrupted: nothing was started.\n');
      expect(process.listenerCount('SIGINT')).toBe(0);
    } finally {
      exit.restore();
    }
  });

  it('with stopAtOnce, the first Ctrl-C says so once and aborts the run at once', async () => {
    const stderr = pipe();
    const seen = await watchRun(
      { stdout: pipe().stream, stderr: stderr.stream, env: {} },
      { ...options, json: true, stopAtOnce: true },
      async ({ interruption, onProgress }) => {
        interruption.setRunning(true);
        process.emit('SIGINT');
        return { aborted: interruption.signal.aborted, progress: onProgress !== undefined };
      },
    );
    expect(seen).toEqual({ aborted: true, progress: false });
    // --json on a pipe: no progress display, the notice is a line on stderr.
    expect(stderr.text()).toBe(`${STOPPING}\n`);
  });

  it('--verbose on a terminal prints plain lines (logs interleave), and both notices', async () => {
    const terminal = fakeTerminal();
    await watchRun(
      { stdout: pipe().stream, stderr: terminal.stream, env: {} },
      { ...options, verbose: true },
      async ({ interruption, onProgress }) => {
        interruption.setRunning(true);
        onProgress?.({ type: 'started', step: 'Prepare' });
        process.emit('SIGINT');
        process.emit('SIGINT');
        onProgress?.({
          type: 'finished',
          summary: { step: 'Prepare', status: 'stopped', ms: 5, calls: 1, retries: 0 },
        });
        await nextFrame();
      },
    );
    expect(terminal.raw()).not.toContain('\u001b');
    expect(terminal.text().split('\n')).toEqual([
      STOPPING,
      'Ctrl-C again: stopping at once',
      `✖ ${'Check the org and the bootstrap client, resolve roles'.padEnd(54)}      5 ms  1 Genesys call  stopped while running`,
      '↓ Roll back what this run created (not started: Ctrl-C)',
      '',
    ]);
  });
});

/**
 * Ctrl-C during onboard, offboard and rotate, run in this process (main, as bin/genesys-onboard does) against
 * the simulator, SIGINT emitted on this process: the process-level tests (interrupt.test.ts,
 * offboard-interrupt.test.ts) check the same on the real command; these measure the coverage of that code.
 */
describe('Ctrl-C during a command, in-process', () => {
  const simulator = new GenesysSimulator({
    activationDelayMs: 0,
    readAfterCreateNotFoundMs: 0,
    oauthClientListingLagMs: 0,
    deletedClientLingerMs: 0,
    newClientDelayMs: 0,
  });
  const folders: string[] = [];
  let url = '';

  beforeAll(async () => {
    url = await simulator.start();
  });
  afterEach(() => simulator.faults.clear());
  afterAll(async () => {
    await simulator.stop();
    for (const folder of folders) rmSync(folder, { recursive: true, force: true });
  });

  /** Starts the CLI in this process; stderr is a fake terminal with `terminal`, else a pipe. */
  function start(args: readonly string[], env: NodeJS.ProcessEnv, { terminal = false } = {}) {
    const stdout = pipe();
    const screen = terminal ? fakeTerminal() : undefined;
    const stderrPipe = terminal ? undefined : pipe();
    const stderr = screen?.stream ?? (stderrPipe?.stream as PassThrough);
    const io: Io = { stdout: stdout.stream, stderr, env };
    clearTokenCache();
    const exitCode = main(['node', 'genesys-onboard', ...args], io);
    const stderrText = () => screen?.text() ?? stderrPipe?.text() ?? '';
    return {
      stdout: stdout.text,
      done: async () => {
        const code = await exitCode;
        const secrets = [...simulator.orgs.values()].flatMap((org) =>
          [...org.clients.values()].map((c) => c.secret),
        );
        expect(findLeaks([stdout.text(), stderrText()], secrets, [])).toEqual([]);
        return { code, stdout: stdout.text(), stderr: stderrText() };
      },
      screen,
    };
  }

  function newOrg() {
    const { org, bootstrap } = simulator.addOrg(sampleOrgSeed({ id: randomUUID() }));
    const dir = mkdtempSync(path.join(tmpdir(), 'genesys-onboard-ctrl-c-'));
    folders.push(dir);
    const where = [
      ...['--org-id', org.id, '--region', 'eu-west-1'],
      ...['--api-url', url, '--login-url', url, '--secret-dir', dir],
    ];
    return {
      org,
      where,
      env: {
        GENESYSCLOUD_OAUTHCLIENT_ID: bootstrap.clientId,
        GENESYSCLOUD_OAUTHCLIENT_SECRET: bootstrap.clientSecret,
      },
      onboardArgs: [
        'onboard',
        ...where,
        ...['--role', SAMPLE_ROLE, '--client-name', 'acme-data-actions'],
        ...['--integration-name', 'Acme Data Actions'],
      ],
      resultFile: path.join(dir, 'genesys-onboarding', org.id, 'data-actions-client.json'),
      liveClients: () =>
        [...org.clients.values()].filter((c) => c.id !== bootstrap.clientId && c.state !== 'deleted'),
      /**
       * Makes the next answer to `method` on `route` (a path or a route template) come `lateMs` after the
       * request took effect, and resolves once this org sends it: the step that sent it is then still running,
       * however slow this machine is, when the test presses Ctrl-C.
       */
      answerLate: (method: string, route: string, lateMs = 1_000) => {
        simulator.injectFault({
          method,
          path: route,
          fault: { kind: 'delay', delayMs: lateMs, afterProcessing: true },
        });
        const since = simulator.requestLog.length;
        return () =>
          until(() =>
            simulator.requestLog
              .slice(since)
              .some(
                (e) => e.orgId === org.id && e.method === method && (e.path === route || e.route === route),
              ),
          );
      },
    };
  }
  type Org = ReturnType<typeof newOrg>;

  const onboarded = async (o: Org) => {
    const result = await start([...o.onboardArgs, '--json'], o.env).done();
    expect(result.code).toBe(EXIT.ok);
    return JSON.parse(result.stdout) as {
      oauthClientId: string;
      integrationId: string;
      credentialId: string;
    };
  };

  describe('onboard', () => {
    it('on a terminal, the first Ctrl-C finishes the running step, then rolls back all the run created: 130', async () => {
      const o = newOrg();
      const sent = o.answerLate('POST', '/api/v2/integrations/credentials');
      const running = start(o.onboardArgs, o.env, { terminal: true });
      await sent();
      process.emit('SIGINT');
      const result = await running.done();
      expect(result.code).toBe(EXIT.interrupted);
      const [headline, rolledBack] = result.stdout.split('\n');
      expect(headline).toMatch(/^Stopped by Ctrl-C after \d+\.\d s\.$/);
      expect(rolledBack).toMatch(
        /^ {2}Rolled back: integration [0-9a-f-]{36}, credential [0-9a-f-]{36}, OAuth client [0-9a-f-]{36}, secret file:\/\//,
      );
      // The notice shows under the running step; the step finished, the next did not start, Compensate ran.
      expect(result.stderr).toMatch(
        new RegExp(
          `${CONFIGURE}\\n\\s+› Ctrl-C: finishing the running step, then removing what this run created`,
        ),
      );
      const screen = running.screen?.lastFrame() ?? '';
      expect(screen).toMatch(new RegExp(`✔ ${CONFIGURE} +\\d+ ms`));
      expect(screen).toContain('↓ Record the ids with the secret (not started: Ctrl-C)');
      expect(screen).toMatch(/✔ Roll back what this run created +\d+ ms/);
      expect(running.screen?.raw().endsWith('\u001b[?25h')).toBe(true);
      expect(o.liveClients()).toEqual([]);
      expect(o.org.integrations.size + o.org.credentials.size).toBe(0);
      expect(existsSync(o.resultFile)).toBe(false);
      expect(process.listenerCount('SIGINT')).toBe(0);
    });

    it('a second Ctrl-C stops at once: --json names what the run created and the running step; a re-run resumes', async () => {
      const o = newOrg();
      const sent = o.answerLate('POST', '/api/v2/integrations/credentials');
      const running = start([...o.onboardArgs, '--json'], o.env);
      await sent();
      process.emit('SIGINT');
      process.emit('SIGINT');
      const result = await running.done();
      expect(result.code).toBe(EXIT.interrupted);
      const [client] = o.liveClients();
      const [integration] = [...o.org.integrations.values()];
      expect(JSON.parse(result.stdout)).toMatchObject({
        status: 'ABORTED',
        interrupted: 'aborted',
        created: [
          `OAuth client ${client?.id}`,
          `secret file://${o.resultFile}`,
          `integration ${integration?.id}`,
          // Its create was sent and took effect: the answer never reached the stopped step.
          `credential "Integration-${integration?.id}" (may exist: ConfigureIntegration was stopped while creating it)`,
        ],
        runningSteps: ['ConfigureIntegration'],
      });
      expect(o.org.credentials.size).toBe(1);
      // --json on a pipe: no progress, the notices are lines of their own.
      expect(result.stderr.split('\n')).toEqual([
        'Ctrl-C: finishing the running step, then removing what this run created (press Ctrl-C again to stop at once)',
        'Ctrl-C again: stopping at once',
        '',
      ]);
      expect(existsSync(o.resultFile)).toBe(true);

      const again = await start(o.onboardArgs, o.env).done();
      expect(again.code).toBe(EXIT.ok);
      expect(o.liveClients().map((c) => c.id)).toEqual([client?.id]);
      expect([...o.org.integrations.keys()]).toEqual([integration?.id]);
    });
    it('a second Ctrl-C while EnsureIntegration creates the integration lists it, by name, as one that may exist', async () => {
      const o = newOrg();
      const sent = o.answerLate('POST', '/api/v2/integrations');
      const running = start([...o.onboardArgs, '--json'], o.env);
      await sent();
      process.emit('SIGINT');
      process.emit('SIGINT');
      const result = await running.done();
      expect(result.code).toBe(EXIT.interrupted);
      const output = JSON.parse(result.stdout);
      expect(output).toMatchObject({ status: 'ABORTED', interrupted: 'aborted' });
      expect(output.runningSteps).toContain('EnsureIntegration');
      expect(output.created).toContain(
        'integration "Acme Data Actions" (may exist: EnsureIntegration was stopped while creating it)',
      );
      // It does: the create took effect, its answer came too late for the stopped step.
      expect([...o.org.integrations.values()].map((i) => i.name)).toEqual(['Acme Data Actions']);

      const again = await start(o.onboardArgs, o.env).done();
      expect(again.code).toBe(EXIT.ok);
      expect(o.org.integrations.size).toBe(1);
    });
  });

  describe('onboard --dry-run', () => {
    it('the first Ctrl-C stops the dry run at once: exit 130, it says so and nothing was changed', async () => {
      const o = newOrg();
      const sent = o.answerLate('GET', '/api/v2/oauth/clients');
      const running = start([...o.onboardArgs, '--dry-run'], o.env);
      await sent();
      process.emit('SIGINT');
      const result = await running.done();
      expect(result.code).toBe(EXIT.interrupted);
      expect(result.stdout.split('\n')).toEqual([
        expect.stringMatching(
          new RegExp(
            `^Dry run of the onboarding of org ${o.org.id} stopped by Ctrl-C after \\d+\\.\\d s\\.$`,
          ),
        ),
        `  Genesys Cloud  region eu-west-1, API ${url}, login ${url}`,
        '  Nothing was changed: this was a dry run.',
        '',
      ]);
      expect(result.stderr).toContain('Ctrl-C: stopping the dry run (it changed nothing)\n');
      expect(result.stderr).not.toContain('Ctrl-C again');
      expect(o.liveClients()).toEqual([]);
      expect(o.org.integrations.size).toBe(0);
    });
  });

  describe('demo', () => {
    it('Ctrl-C during the first run rolls it back, ends with 130 and removes its temporary folder', async () => {
      const running = start(['demo'], {});
      await until(() => running.stdout().includes('First run: onboard the org'));
      const folder = /^Secrets go to (\S+) \(files 0600\)$/m.exec(running.stdout())?.[1];
      process.emit('SIGINT');
      const result = await running.done();
      expect(result.code).toBe(EXIT.interrupted);
      expect(result.stdout).toContain(
        'Ctrl-C: finishing the running step, then removing what this run created (press Ctrl-C again to stop at once)',
      );
      expect(result.stdout).toMatch(/Stopped by Ctrl-C after \d+\.\d s\.\n {2}Rolled back: /);
      expect(result.stdout).not.toContain('Second run');
      expect(folder).toMatch(/genesys-onboard-demo-/);
      expect(existsSync(folder as string)).toBe(false);
    });
  });

  describe('offboard', () => {
    const withOnboarded = async () => {
      const o = newOrg();
      return { o, ids: await onboarded(o) };
    };

    it('the first Ctrl-C finishes the running removal and starts no other; the text names what is left', async () => {
      const { o, ids } = await withOnboarded();
      const sent = o.answerLate('DELETE', INTEGRATION_ROUTE);
      const running = start(['offboard', ...o.where], o.env);
      await sent();
      process.emit('SIGINT');
      const result = await running.done();
      expect(result.code).toBe(EXIT.interrupted);
      const stdout = result.stdout.split('\n');
      expect(stdout[0]).toMatch(
        /^Stopped by Ctrl-C after \d+\.\d s: nothing is rolled back \(an offboarding only removes\); running the same command again finishes it\.$/,
      );
      expect(stdout).toContain('  Removed before it stopped:');
      expect(result.stdout).toContain(`    integration   ${ids.integrationId}: the stored record names it`);
      expect(result.stdout).toContain(
        `Still there: credential ${ids.credentialId}, OAuth client ${ids.oauthClientId} (active)`,
      );
      expect(result.stderr).toContain(
        'Ctrl-C: finishing the running step, then stopping; nothing to roll back (press Ctrl-C again to stop at once)',
      );
      expect(result.stderr).toMatch(/✔ Remove the integration +\d+ ms/);
      expect(o.org.integrations.size).toBe(0);
      expect([...o.org.credentials.keys()]).toEqual([ids.credentialId]);
      expect(existsSync(o.resultFile)).toBe(true);
    });

    it('a second Ctrl-C stops at once: the text says nothing is rolled back and that a re-run finishes it', async () => {
      const { o, ids } = await withOnboarded();
      const sent = o.answerLate('DELETE', INTEGRATION_ROUTE);
      const running = start(['offboard', ...o.where], o.env);
      await sent();
      process.emit('SIGINT');
      process.emit('SIGINT');
      const result = await running.done();
      expect(result.code).toBe(EXIT.interrupted);
      expect(result.stdout.split('\n').slice(0, 4)).toEqual([
        expect.stringMatching(
          /^Stopped at once by a second Ctrl-C after \d+\.\d s, during "Remove the integration"\.$/,
        ),
        '  Removed before it stopped: nothing',
        '  The step that was running may have removed more.',
        '  Nothing is rolled back (an offboarding only removes): running the same command again finishes it.',
      ]);
      expect(result.stderr).toMatch(
        /✖ Remove the integration +\d+ ms {2}\d+ Genesys calls? {2}stopped while running/,
      );
      expect([...o.org.credentials.keys()]).toEqual([ids.credentialId]);
    });

    it('with --json, a stopped offboarding is one object saying so, with what was removed', async () => {
      const { o, ids } = await withOnboarded();
      const sent = o.answerLate('DELETE', INTEGRATION_ROUTE);
      const running = start(['offboard', ...o.where, '--json'], o.env);
      await sent();
      process.emit('SIGINT');
      const result = await running.done();
      expect(result.code).toBe(EXIT.interrupted);
      expect(JSON.parse(result.stdout)).toMatchObject({
        status: 'FAILED',
        interrupted: 'stopped',
        error: 'Local.Interrupted',
        removed: { integrationId: ids.integrationId, oauthClientIds: [], credentialIds: [] },
      });
    });
  });

  describe('rotate', () => {
    it('the first Ctrl-C lets the running step finish and starts no other: exit 130, resumable; a re-run rotates', async () => {
      const o = newOrg();
      const ids = await onboarded(o);
      const sent = o.answerLate('POST', '/api/v2/oauth/clients');
      const running = start(['rotate', ...o.where], o.env);
      await sent();
      process.emit('SIGINT');
      const result = await running.done();
      expect(result.code).toBe(EXIT.interrupted);
      const stdout = result.stdout.split('\n');
      expect(stdout[0]).toMatch(
        new RegExp(
          `^Rotation of org ${o.org.id} stopped \\(\\d+ Genesys calls in \\d+\\.\\d s\\): Local\\.Interrupted: Stopped by Ctrl-C before "setSecret" started: the integration keeps running on a client that works; running rotate again resumes the rotation$`,
        ),
      );
      expect(stdout).toContain(
        `  the stored record still names OAuth client ${ids.oauthClientId}; the integration runs on a client that works`,
      );
      expect(stdout).toContain('  Run the same command again to resume the rotation.');
      expect(result.stderr).toContain(
        'Ctrl-C: finishing the running step, then stopping; the integration keeps a working client (Ctrl-C again: at once)',
      );
      const integration = o.org.integrations.get(ids.integrationId);
      expect(Object.values(integration?.config.credentials ?? {}).map((c) => c.id)).toEqual([
        ids.credentialId,
      ]);

      const again = await start(['rotate', ...o.where, '--json'], o.env).done();
      expect(again.code).toBe(EXIT.ok);
      expect(JSON.parse(again.stdout)).toMatchObject({
        status: 'SUCCEEDED',
        previousOauthClientId: ids.oauthClientId,
      });
    });

    it('the second Ctrl-C stops the rotation where it stands: no Genesys call, no secret written after it; a re-run rotates', async () => {
      const o = newOrg();
      const ids = await onboarded(o);
      const lateMs = 600;
      const sent = o.answerLate('POST', '/api/v2/oauth/clients', lateMs);
      const running = start(['rotate', ...o.where, '--json'], o.env);
      await sent();
      const recordBefore = readFileSync(o.resultFile, 'utf8');
      process.emit('SIGINT');
      process.emit('SIGINT');
      const result = await running.done();
      expect(result.code).toBe(EXIT.interrupted);
      expect(JSON.parse(result.stdout)).toMatchObject({ status: 'FAILED', interrupted: 'aborted' });
      const returned = simulator.requestLog.length;
      // Past the late answer: a rotation going on in the background would now create the credential and store
      // its pending version.
      await new Promise((resolve) => setTimeout(resolve, lateMs + 400));
      expect(simulator.requestLog.slice(returned).filter((e) => e.orgId === o.org.id)).toEqual([]);
      expect(readdirSync(path.dirname(o.resultFile)).filter((f) => f.includes('pending'))).toEqual([]);
      expect(readFileSync(o.resultFile, 'utf8')).toBe(recordBefore);

      const again = await start(['rotate', ...o.where, '--json'], o.env).done();
      expect(again.code).toBe(EXIT.ok);
      expect(JSON.parse(again.stdout)).toMatchObject({
        status: 'SUCCEEDED',
        previousOauthClientId: ids.oauthClientId,
      });
    });

    it('after the second Ctrl-C the step it stopped shows as stopped while running, not as done', async () => {
      const o = newOrg();
      await onboarded(o);
      const sent = o.answerLate('POST', '/api/v2/oauth/clients', 600);
      const running = start(['rotate', ...o.where], o.env);
      await sent();
      process.emit('SIGINT');
      process.emit('SIGINT');
      const result = await running.done();
      expect(result.code).toBe(EXIT.interrupted);
      const createStep =
        /^ *(\S) Create the new OAuth client and its credential +\d+ ms {2}\d+ Genesys calls?(.*)$/m;
      for (const output of [result.stdout, result.stderr]) {
        expect(output.match(createStep)?.slice(1)).toEqual(['✖', '  stopped while running']);
      }
    });
  });
});
