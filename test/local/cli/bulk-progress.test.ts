import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { BulkCounts } from '../../../local/cli/bulk-progress';
import { FALLBACK_COLUMNS, MIN_COLUMNS, usableColumns } from '../../../local/cli/terminal-width';

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
 * Draws a short run live (listr2's terminal renderer) on a fake terminal `columns` wide, with stdout reporting
 * `stdoutColumns`, and returns what was drawn without escape codes. listr2's renderer loads ES modules that jest
 * cannot, so it runs in a child process (tsx).
 */
function drawn(stdoutColumns: number | undefined, columns: number): string {
  const script = `
    const { PassThrough } = require('node:stream');
    const { BulkProgressDisplay } = require(${JSON.stringify(require.resolve('../../../local/cli/bulk-progress'))});
    Object.defineProperty(process.stdout, 'columns', { value: ${stdoutColumns}, writable: true, configurable: true });
    const stream = Object.assign(new PassThrough(), { isTTY: true, columns: ${columns} });
    let text = '';
    stream.on('data', (chunk) => { text += chunk.toString(); });
    (async () => {
      const display = new BulkProgressDisplay({ stream, live: true, manifestName: 'orgs-of-the-acme-fleet.jsonl', concurrency: 2 });
      display.handle({ type: 'validated', total: 1, valid: 1, invalidLines: [] });
      display.handle({ type: 'started', line: 1, orgId: ${JSON.stringify(ORG)} });
      await new Promise((resolve) => setTimeout(resolve, 50));
      await display.close();
      process.stdout.write(JSON.stringify({ text, columnsAfter: [process.stdout.columns ?? null, stream.columns] }));
    })();
  `;
  const result = spawnSync(path.join(__dirname, '../../../node_modules/.bin/tsx'), ['-e', script], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (result.status !== 0) throw new Error(`the drawing failed: ${result.stderr}`);
  const { text, columnsAfter } = JSON.parse(result.stdout) as { text: string; columnsAfter: unknown };
  expect(columnsAfter).toEqual([stdoutColumns ?? null, columns]);
  return stripVTControlCharacters(text);
}

describe('BulkProgressDisplay on a terminal', () => {
  it.each([
    [0, 0],
    [0, 120],
    [undefined, 0],
  ])(
    'wraps at a usable width when stdout reports %p columns and the terminal %p',
    (stdoutColumns, columns) => {
      const text = drawn(stdoutColumns, columns);
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
