import { PassThrough } from 'node:stream';
import { ProgressDisplay } from '../../../local/cli/progress';
import { type ProgressEvent, type StepSummary, StepTracker } from '../../../local/cli/step-tracker';
import type { EventLog } from '../../../local/runner';
import { fakeTerminal, nextFrame } from './fake-terminal';

const state = (type: EventLog['type'], name: string, stateType = 'Task', extra: object = {}): EventLog =>
  ({ type, timestamp: 0, state: { name, type: stateType, input: {} }, ...extra }) as EventLog;

/** A clock the test moves by hand. */
function clock() {
  let now = 1_000;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe('StepTracker', () => {
  const track = () => {
    const events: ProgressEvent[] = [];
    const time = clock();
    const tracker = new StepTracker((event) => events.push(event), time.now);
    return { events, tracker, time, finished: () => events.filter((e) => e.type === 'finished') };
  };

  it('reports a caught failure once, as failed (the engine sends StateCaught, then StateExited)', () => {
    const { tracker, time, finished } = track();
    tracker.onStateEvent(state('StateEntered', 'Prepare'));
    tracker.onGenesysEvent('Prepare', {
      type: 'call',
      method: 'POST',
      path: '/oauth/token',
      status: 200,
      attempt: 1,
      durationMs: 3,
    });
    time.advance(40);
    tracker.onStateEvent(
      state('StateFailed', 'Prepare', 'Task', { Error: 'Onboarding.MissingRoles', Cause: 'x' }),
    );
    tracker.onStateEvent(state('StateCaught', 'Prepare'));
    tracker.onStateEvent(state('StateExited', 'Prepare'));
    tracker.onStateEvent(state('StateEntered', 'Compensate'));
    time.advance(5);
    tracker.onStateEvent(state('StateExited', 'Compensate'));
    tracker.onStateEvent(state('StateEntered', 'OnboardingFailed', 'Fail'));
    expect(finished()).toEqual([
      {
        type: 'finished',
        summary: {
          step: 'Prepare',
          status: 'failed',
          ms: 40,
          calls: 1,
          retries: 0,
          error: 'Onboarding.MissingRoles',
        },
      },
      { type: 'finished', summary: { step: 'Compensate', status: 'succeeded', ms: 5, calls: 0, retries: 0 } },
    ]);
  });

  it('keeps a step in a Wait loop open until the run moves on, counting its retries once', () => {
    const { tracker, time, events, finished } = track();
    tracker.onStateEvent(state('StateEntered', 'Verify'));
    tracker.onStateEvent(
      state('StateFailed', 'Verify', 'Task', { Error: 'Onboarding.CredentialsNotYetUsable' }),
    );
    tracker.onStateEvent(state('StateRetried', 'Verify'));
    tracker.onGenesysEvent('Verify', {
      type: 'retry',
      method: 'GET',
      path: '/x',
      status: 503,
      kind: 'transient',
      attempt: 1,
      delayMs: 1,
    });
    time.advance(10);
    tracker.onStateEvent(state('StateExited', 'Verify'));
    tracker.onStateEvent(state('StateEntered', 'IntegrationActive?', 'Choice'));
    tracker.onStateEvent(state('StateExited', 'IntegrationActive?', 'Choice'));
    tracker.onStateEvent(state('StateEntered', 'WaitForActivation', 'Wait'));
    expect(finished()).toEqual([]);
    tracker.onStateEvent(state('StateExited', 'WaitForActivation', 'Wait'));
    tracker.onStateEvent(state('StateEntered', 'Verify'));
    time.advance(10);
    tracker.onStateEvent(state('StateExited', 'Verify'));
    tracker.onStateEvent(state('StateEntered', 'IntegrationActive?', 'Choice'));
    tracker.onStateEvent(state('StateEntered', 'Onboarded', 'Pass'));
    expect(events.filter((e) => e.type !== 'finished')).toEqual([
      { type: 'started', step: 'Verify' },
      { type: 'retrying', step: 'Verify', error: 'Onboarding.CredentialsNotYetUsable' },
      { type: 'waiting', step: 'Verify', state: 'WaitForActivation' },
    ]);
    expect(finished()).toEqual([
      { type: 'finished', summary: { step: 'Verify', status: 'succeeded', ms: 20, calls: 0, retries: 2 } },
    ]);
  });

  it('finishes a Parallel branch step when its branch ends, not when the other one does', () => {
    const { tracker, finished } = track();
    tracker.onStateEvent(state('StateEntered', 'EnsureOAuthClient'));
    tracker.onStateEvent(state('StateEntered', 'EnsureIntegration'));
    tracker.onStateEvent(state('StateExited', 'EnsureOAuthClient'));
    tracker.onStateEvent({
      type: 'ParallelBranchSucceeded',
      timestamp: 0,
      parentState: { name: 'Provision', type: 'Parallel', input: {} },
    } as EventLog);
    expect(finished().map((e) => e.type === 'finished' && e.summary.step)).toEqual(['EnsureOAuthClient']);
    expect(tracker.end().map((summary) => [summary.step, summary.status])).toEqual([
      ['EnsureOAuthClient', 'succeeded'],
      ['EnsureIntegration', 'stopped'],
    ]);
  });

  it('at the end, a step still running was stopped, and a step refused after Ctrl-C did not start', () => {
    const { tracker, finished } = track();
    tracker.onStateEvent(state('StateEntered', 'RecordConfiguration'));
    tracker.onStateEvent(state('StateFailed', 'RecordConfiguration', 'Task', { Error: 'Local.Interrupted' }));
    tracker.onStateEvent(state('StateCaught', 'RecordConfiguration'));
    tracker.onStateEvent(state('StateEntered', 'Compensate'));
    const summaries = tracker.end();
    expect(summaries.map((s) => [s.step, s.status])).toEqual([
      ['RecordConfiguration', 'not-started'],
      ['Compensate', 'stopped'],
    ]);
    expect(finished()).toHaveLength(2);
  });
});

/** Feeds a display, one event at a time, with the pause a run has between events; returns what it printed. */
async function shown(
  events: Array<ProgressEvent | string>,
  ending: { interrupted?: boolean } = {},
): Promise<string> {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (chunk: Buffer) => {
    text += chunk.toString();
  });
  const display = new ProgressDisplay({ stream, live: false });
  for (const event of events) {
    if (typeof event === 'string') display.say(event);
    else display.handle(event);
    await new Promise((resolve) => setImmediate(resolve));
  }
  await display.close(ending);
  return text;
}

const done = (summary: StepSummary): ProgressEvent => ({ type: 'finished', summary });

describe('ProgressDisplay off a terminal', () => {
  it('prints one plain line per finished step with its final mark, and notices as lines', async () => {
    const text = await shown([
      { type: 'started', step: 'Prepare' },
      done({ step: 'Prepare', status: 'succeeded', ms: 42, calls: 4, retries: 0 }),
      { type: 'started', step: 'EnsureOAuthClient' },
      { type: 'started', step: 'EnsureIntegration' },
      'Ctrl-C: stopping',
      done({ step: 'EnsureIntegration', status: 'succeeded', ms: 7, calls: 2, retries: 1 }),
      done({
        step: 'EnsureOAuthClient',
        status: 'failed',
        ms: 9,
        calls: 2,
        retries: 3,
        error: 'Genesys.Transient',
      }),
      { type: 'started', step: 'Compensate' },
      done({ step: 'Compensate', status: 'succeeded', ms: 5, calls: 6, retries: 0 }),
    ]);
    expect(text.split('\n')).toEqual([
      `✔ ${'Check the org and the bootstrap client, resolve roles'.padEnd(54)}     42 ms  4 Genesys calls`,
      'Ctrl-C: stopping',
      `✔ ${'Data Actions integration'.padEnd(54)}      7 ms  2 Genesys calls, 1 retry`,
      `✖ ${'OAuth client and its secret'.padEnd(54)}      9 ms  2 Genesys calls, 3 retries  Genesys.Transient`,
      `✔ ${'Roll back what this run created'.padEnd(54)}      5 ms  6 Genesys calls`,
      '',
    ]);
    expect(text).not.toContain('\u001b');
  });

  it.each([
    [{ interrupted: true }, '↓ Credential, configuration, enable (not started: Ctrl-C)'],
    [{}, '✖ Credential, configuration, enable (not started: the run ended)'],
  ])(
    'shows the step it had entered when the run ended (%j) as kept from starting, never "not run"',
    async (ending, line) => {
      const text = await shown(
        [
          { type: 'started', step: 'Prepare' },
          done({ step: 'Prepare', status: 'succeeded', ms: 1, calls: 4, retries: 0 }),
          { type: 'started', step: 'EnsureOAuthClient' },
          { type: 'started', step: 'EnsureIntegration' },
          done({ step: 'EnsureOAuthClient', status: 'succeeded', ms: 1, calls: 2, retries: 0 }),
          done({ step: 'EnsureIntegration', status: 'succeeded', ms: 1, calls: 2, retries: 0 }),
        ],
        ending,
      );
      expect(text.split('\n').slice(3)).toEqual([line, '']);
    },
  );

  it('shows a step Ctrl-C kept from starting with ↓, and a step still running when stopped with ✖', async () => {
    const text = await shown([
      { type: 'started', step: 'Prepare' },
      done({ step: 'Prepare', status: 'succeeded', ms: 1, calls: 4, retries: 0 }),
      { type: 'started', step: 'EnsureOAuthClient' },
      { type: 'started', step: 'EnsureIntegration' },
      done({ step: 'EnsureOAuthClient', status: 'succeeded', ms: 1, calls: 2, retries: 0 }),
      done({ step: 'EnsureIntegration', status: 'succeeded', ms: 1, calls: 2, retries: 0 }),
      { type: 'started', step: 'ConfigureIntegration' },
      done({ step: 'ConfigureIntegration', status: 'succeeded', ms: 3, calls: 4, retries: 0 }),
      { type: 'started', step: 'RecordConfiguration' },
      done({ step: 'RecordConfiguration', status: 'not-started', ms: 0, calls: 0, retries: 0 }),
      { type: 'started', step: 'Compensate' },
      done({ step: 'Compensate', status: 'stopped', ms: 8, calls: 1, retries: 0 }),
    ]);
    expect(text.split('\n').slice(3)).toEqual([
      `✔ ${'Credential, configuration, enable'.padEnd(54)}      3 ms  4 Genesys calls`,
      '↓ Record the ids with the secret (not started: Ctrl-C)',
      `✖ ${'Roll back what this run created'.padEnd(54)}      8 ms  1 Genesys call  stopped while running`,
      '',
    ]);
  });

  it('prints nothing for the steps after a failure, which never run', async () => {
    const text = await shown([
      { type: 'started', step: 'Prepare' },
      done({ step: 'Prepare', status: 'failed', ms: 1, calls: 1, retries: 0, error: 'Onboarding.WrongOrg' }),
      { type: 'started', step: 'Compensate' },
      done({ step: 'Compensate', status: 'succeeded', ms: 1, calls: 0, retries: 0 }),
    ]);
    expect(text.split('\n').map((line) => line.slice(0, 40).trimEnd())).toEqual([
      '✖ Check the org and the bootstrap client',
      '✔ Roll back what this run created',
      '',
    ]);
  });
});

describe('ProgressDisplay on a terminal (listr2 live, in-process)', () => {
  it('redraws each step in place: a retry in its title, a notice under it, its final line with its mark', async () => {
    const terminal = fakeTerminal();
    const display = new ProgressDisplay({ stream: terminal.stream });
    const events: Array<ProgressEvent | string> = [
      { type: 'started', step: 'Prepare' },
      done({ step: 'Prepare', status: 'succeeded', ms: 42, calls: 4, retries: 0 }),
      { type: 'started', step: 'EnsureOAuthClient' },
      { type: 'started', step: 'EnsureIntegration' },
      { type: 'retrying', step: 'EnsureOAuthClient', error: 'Genesys.Transient' },
      'Ctrl-C: finishing the running step',
      done({ step: 'EnsureIntegration', status: 'succeeded', ms: 7, calls: 2, retries: 0 }),
      done({ step: 'EnsureOAuthClient', status: 'succeeded', ms: 9, calls: 3, retries: 1 }),
    ];
    for (const event of events) {
      if (typeof event === 'string') display.say(event);
      else display.handle(event);
      await nextFrame();
    }
    await display.close({ interrupted: true });
    expect(terminal.text()).toContain('OAuth client and its secret (retrying after Genesys.Transient)');
    expect(terminal.text()).toMatch(/Data Actions integration\n\s+› Ctrl-C: finishing the running step/);
    expect(terminal.raw().endsWith('\u001b[?25h')).toBe(true);
    expect(
      terminal
        .lastFrame()
        .split('\n')
        .map((line) => line.trimEnd()),
    ).toEqual([
      `✔ ${'Check the org and the bootstrap client, resolve roles'.padEnd(54)}     42 ms  4 Genesys calls`,
      `✔ ${'OAuth client and its secret'.padEnd(54)}      9 ms  3 Genesys calls, 1 retry`,
      `✔ ${'Data Actions integration'.padEnd(54)}      7 ms  2 Genesys calls`,
      // listr2 had entered the next step, which the run (stopped by Ctrl-C) ended without starting.
      '↓ Credential, configuration, enable (not started: Ctrl-C)',
      '',
    ]);
  });

  it('shows what a waiting step waits for, and a notice given before a step starts once it runs', async () => {
    const terminal = fakeTerminal();
    const display = new ProgressDisplay({ stream: terminal.stream, live: true });
    display.say('Ctrl-C: finishing the running step');
    display.handle({ type: 'started', step: 'Prepare' });
    await nextFrame();
    display.handle({ type: 'waiting', step: 'Prepare', state: 'WaitForActivation' });
    await nextFrame();
    display.handle(done({ step: 'Prepare', status: 'failed', ms: 3, calls: 1, retries: 0, error: 'X.Y' }));
    await display.close();
    const text = terminal.text();
    expect(text).toMatch(/Check the org and the bootstrap client, resolve roles\n\s+› Ctrl-C: finishing/);
    expect(text).toContain('› Wait for the integration to become ACTIVE…');
    expect(terminal.lastFrame().trimEnd()).toMatch(
      /^✖ Check the org and the bootstrap client, resolve roles +3 ms {2}1 Genesys call {2}X\.Y$/,
    );
  });
});
