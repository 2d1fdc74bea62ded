import { PassThrough } from 'node:stream';
import type { BulkProgressEvent } from '../../../local/bulk';
import { BulkCounts, BulkProgressDisplay } from '../../../local/cli/bulk-progress';
import { FALLBACK_COLUMNS, MIN_COLUMNS, usableColumns } from '../../../local/cli/terminal-width';
import { fakeTerminal, nextFrame } from './fake-terminal';

const ORG = '7f3d2a9e-5b1c-4e8f-9a0d-2c6b8e4f1a37';

describe('BulkCounts', () => {
  it('says done, failed, running and waiting, the rate since the start and the time left at that rate', () => {
    const counts = new BulkCounts(1_000_000);
    counts.valid = 50;
    expect(counts.line(1_000_000)).toBe('0/50 done (0 failed), 0 running, 50 waiting · 0.0 orgs/s · ETA -');
    counts.running = 10;
    counts.done = 12;
    counts.failed = 1;
    // 12 orgs in 4 s: 3 orgs/s; 38 left: 13 s.
    expect(counts.line(1_004_000)).toBe(
      '12/50 done (1 failed), 10 running, 28 waiting · 3.0 orgs/s · ETA 13 s',
    );
    expect(counts.etaSeconds(1_004_000)).toBe(13);
  });
});

/**
 * Draws a short run live (listr2's terminal renderer, in this process) on a fake terminal `columns` wide, with
 * stdout reporting `stdoutColumns`, and returns what was drawn without escape codes.
 */
async function drawn(stdoutColumns: number | undefined, columns: number): Promise<string> {
  const stdout = process.stdout as { columns?: number };
  const own = Object.getOwnPropertyDescriptor(stdout, 'columns');
  Object.defineProperty(stdout, 'columns', { value: stdoutColumns, writable: true, configurable: true });
  try {
    const terminal = fakeTerminal(columns);
    const display = new BulkProgressDisplay({
      stream: terminal.stream,
      live: true,
      manifestName: 'orgs-of-the-acme-fleet.jsonl',
      concurrency: 2,
    });
    display.handle({ type: 'validated', total: 1, valid: 1, invalidLines: [] });
    display.handle({ type: 'started', line: 1, orgId: ORG });
    await nextFrame();
    await display.close();
    expect([stdout.columns, terminal.stream.columns]).toEqual([stdoutColumns, columns]);
    return terminal.text();
  } finally {
    if (own) Object.defineProperty(stdout, 'columns', own);
    else delete stdout.columns;
  }
}

describe('BulkProgressDisplay on a terminal', () => {
  it.each([
    [0, 0],
    [0, 120],
    [undefined, 0],
  ])(
    'wraps at a usable width when stdout reports %p columns and the terminal %p',
    async (stdoutColumns, columns) => {
      const text = await drawn(stdoutColumns, columns);
      expect(text).toContain('Onboarding the orgs of orgs-of-the-acme-fleet.jsonl, 2 at a time');
      expect(text).toContain('0/1 done (0 failed), 1 running, 0 waiting');
    },
  );

  it("takes the first usable width: stdout's, the terminal's, else FALLBACK_COLUMNS", () => {
    expect(usableColumns(100, 50)).toBe(100);
    expect(usableColumns(0, 50)).toBe(50);
    expect(usableColumns(0, 0)).toBe(FALLBACK_COLUMNS);
    expect(usableColumns(undefined, Number.NaN)).toBe(FALLBACK_COLUMNS);
    expect(usableColumns(MIN_COLUMNS - 1)).toBe(FALLBACK_COLUMNS);
  });
});

/** An org's onboarding, finished: `error` makes it a failure. */
function finished(line: number, orgId: string, error?: string, reused = false): BulkProgressEvent {
  return {
    type: 'finished',
    durationMs: 1_250,
    outcome: {
      line,
      orgId,
      executionName: `onboarding-${line}`,
      status: error ? 'FAILED' : 'SUCCEEDED',
      reused,
      ...(error ? { error, cause: 'a cause the display does not print' } : {}),
    },
  };
}

const OTHER_ORG = '0b9e4c21-8d3f-4a6e-b5c7-1e2f3a4b5c6d';

describe('BulkProgressDisplay, the live line of counts', () => {
  it('redraws the counts as orgs finish, the last failure and a notice under them; ends with the totals', async () => {
    const terminal = fakeTerminal();
    const display = new BulkProgressDisplay({
      stream: terminal.stream,
      live: true,
      manifestName: 'fleet.csv',
      concurrency: 2,
    });
    display.handle({ type: 'validated', total: 3, valid: 2, invalidLines: [] });
    display.handle({ type: 'started', line: 1, orgId: ORG });
    display.handle({ type: 'started', line: 3, orgId: OTHER_ORG });
    await nextFrame();
    display.handle(finished(3, OTHER_ORG, 'Onboarding.MissingRoles'));
    display.say('Ctrl-C: finishing the running orgs, starting no other');
    await nextFrame();
    display.handle(finished(1, ORG));
    await display.close();
    const text = terminal.text();
    expect(text).toContain('Onboarding the orgs of fleet.csv, 2 at a time');
    expect(text).toContain('0/2 done (0 failed), 2 running, 0 waiting');
    expect(text).toMatch(
      new RegExp(
        `1/2 done \\(1 failed\\), 1 running, 0 waiting · [\\d.]+ orgs/s · ETA \\d+ s\\n\\s+last failure: line 3 {2}${OTHER_ORG} {2}Onboarding\\.MissingRoles\\n\\s+Ctrl-C: finishing the running orgs`,
      ),
    );
    expect(terminal.lastFrame().trimEnd()).toMatch(/^✖ 1 of 2 orgs onboarded, 1 failed \([\d.]+ orgs\/s\)$/);
    expect(text).not.toContain('a cause the display does not print');
    expect(terminal.raw().endsWith('\u001b[?25h')).toBe(true);
  });

  it('ends with ✔ and no failure count when every org was onboarded', async () => {
    const terminal = fakeTerminal();
    const display = new BulkProgressDisplay({
      stream: terminal.stream,
      live: true,
      manifestName: 'fleet.jsonl',
      concurrency: 1,
    });
    display.handle({ type: 'validated', total: 1, valid: 1, invalidLines: [] });
    display.handle({ type: 'started', line: 1, orgId: ORG });
    await nextFrame();
    display.handle(finished(1, ORG, undefined, true));
    await display.close();
    expect(terminal.lastFrame().trimEnd()).toMatch(/^✔ 1 of 1 orgs onboarded \([\d.]+ orgs\/s\)$/);
  });
});

describe('BulkProgressDisplay off a terminal', () => {
  it('prints the manifest check, one line per finished org (✔ or ✖ with the error name) and notices', async () => {
    const stream = new PassThrough();
    let text = '';
    stream.on('data', (chunk: Buffer) => {
      text += chunk.toString();
    });
    const display = new BulkProgressDisplay({
      stream,
      live: false,
      manifestName: 'fleet.jsonl',
      concurrency: 2,
    });
    display.handle({
      type: 'validated',
      total: 4,
      valid: 2,
      invalidLines: [
        { line: 2, field: 'orgId', problem: 'is required' },
        { line: 2, field: 'region', problem: 'is required' },
        { line: 4, field: 'orgId', problem: 'must be a UUID' },
      ],
    } as BulkProgressEvent);
    display.handle({ type: 'started', line: 1, orgId: ORG });
    display.handle(finished(1, ORG, 'Genesys.Unauthorized'));
    display.say('Ctrl-C: finishing the running orgs, starting no other');
    display.handle({ type: 'started', line: 3, orgId: OTHER_ORG });
    display.handle(finished(3, OTHER_ORG, undefined, true));
    await display.close();
    expect(text.split('\n')).toEqual([
      'Manifest fleet.jsonl: 4 lines, 2 valid, 2 invalid (lines 2, 4)',
      `✖ line 1  ${ORG}  Genesys.Unauthorized  1.3 s`,
      'Ctrl-C: finishing the running orgs, starting no other',
      `✔ line 3  ${OTHER_ORG}  done earlier  1.3 s`,
      '',
    ]);
    expect(display.counts).toMatchObject({ valid: 2, done: 2, failed: 1, running: 0 });
  });
});
