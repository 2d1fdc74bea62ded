import { FALLBACK_COLUMNS, lendWidth } from '../../../local/cli/terminal-width';

/** Sets what process.stdout reports as its width for the test, and puts back what was there after it. */
function stdoutReporting(columns: number | undefined): () => void {
  const stdout = process.stdout as { columns?: number };
  const own = Object.getOwnPropertyDescriptor(stdout, 'columns');
  Object.defineProperty(stdout, 'columns', { value: columns, writable: true, configurable: true });
  return () => {
    if (own) Object.defineProperty(stdout, 'columns', own);
    else delete stdout.columns;
  };
}

describe('lendWidth', () => {
  const stdout = process.stdout as { columns?: number };

  it.each([
    ['stdout reports 0 and the terminal 0', FALLBACK_COLUMNS, 0, 0],
    ['stdout reports none and the terminal 0', FALLBACK_COLUMNS, undefined, 0],
    ['stdout reports 0 and the terminal 132', 132, 0, 132],
    ['stdout reports 100 and the terminal 132', 100, 100, 132],
  ])('when %s, both report %p until put back, then what they reported before', (_, lent, before, columns) => {
    const restoreStdout = stdoutReporting(before);
    try {
      const stream = { columns };
      const restore = lendWidth(stream);
      expect([stdout.columns, stream.columns]).toEqual([lent, lent]);
      restore();
      expect([stdout.columns, stream.columns]).toEqual([before, columns]);
    } finally {
      restoreStdout();
    }
  });

  it('leaves no width behind on a stream that had none, and the lent one stays writable (a resize)', () => {
    const restoreStdout = stdoutReporting(undefined);
    try {
      const stream: { columns?: number } = {};
      const restore = lendWidth(stream);
      expect(stream.columns).toBe(FALLBACK_COLUMNS);
      stream.columns = 150;
      expect(stream.columns).toBe(150);
      restore();
      expect('columns' in stream).toBe(false);
      expect(stdout.columns).toBeUndefined();
    } finally {
      restoreStdout();
    }
  });
});
