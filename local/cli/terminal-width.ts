/** The width a display wraps at when no terminal reports a usable one (a pseudo-terminal may report 0). */
export const FALLBACK_COLUMNS = 80;
/** Narrower than this, a reported width is taken to be wrong: lines would wrap a few characters at a time. */
export const MIN_COLUMNS = 20;

/** The first of `widths` (terminal columns) that is a whole number of at least MIN_COLUMNS, else FALLBACK_COLUMNS. */
export function usableColumns(...widths: ReadonlyArray<number | undefined>): number {
  return (
    widths.find((width) => width !== undefined && Number.isInteger(width) && width >= MIN_COLUMNS) ??
    FALLBACK_COLUMNS
  );
}

/**
 * listr2 wraps lines at `process.stdout.columns` (minus its indentation) whatever stream it draws on, and its
 * log-update at the columns of the stream it draws on: when stdout is not a terminal it has no width, and a
 * terminal that reports 0 columns gets one character per line. Until the returned function is called, both
 * `process.stdout.columns` and `stream.columns` are a usable width: stdout's own when usable, else the
 * stream's, else FALLBACK_COLUMNS (usableColumns). The returned function puts back what was there. The
 * properties stay writable, so a terminal resize still updates them.
 */
export function lendWidth(stream: { columns?: number }): () => void {
  const stdout = process.stdout as { columns?: number };
  const width = usableColumns(stdout.columns, stream.columns);
  const restores = [stdout, stream].map((target) => lend(target, width));
  return () => {
    for (const restore of restores.reverse()) restore();
  };
}

function lend(target: { columns?: number }, width: number): () => void {
  if (target.columns === width) return () => undefined;
  const own = Object.getOwnPropertyDescriptor(target, 'columns');
  Object.defineProperty(target, 'columns', {
    value: width,
    writable: true,
    configurable: true,
    enumerable: true,
  });
  return () => {
    if (own) Object.defineProperty(target, 'columns', own);
    else delete target.columns;
  };
}
