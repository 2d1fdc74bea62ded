import { existsSync } from 'node:fs';
import * as path from 'node:path';

/**
 * What the bulk onboarding benchmark reports (bench/bulk.ts, with the bulk onboarding work), for the summary
 * line's `bulk_ok`, `bulk_ratio` and `bulk_cpu_ms`.
 */
export interface BulkFigures {
  readonly orgs: number;
  /** Orgs whose onboarding succeeded. */
  readonly succeeded: number;
  readonly wallMs: number;
  /** The wall time the design allows, ms, computed from a bound written down in code. */
  readonly boundMs: number;
  /** How `boundMs` is computed, in words, for the report. */
  readonly boundExplained: string;
  /** CPU time of the whole run over the orgs, ms per org. */
  readonly cpuMsPerOrg: number;
}

export type BulkBench = () => Promise<BulkFigures>;

/**
 * The bulk benchmark: bench/bulk.ts's `bulkBench` export, or why there is none while that file or export
 * does not exist (the report then says the bulk figures are not measured yet: none is made up).
 */
export function loadBulkBench(): { bench: BulkBench } | { missing: string } {
  const file = path.join(__dirname, 'bulk.ts');
  if (!existsSync(file)) return { missing: 'bench/bulk.ts does not exist yet' };
  const loaded = require(file) as { bulkBench?: unknown };
  if (typeof loaded.bulkBench !== 'function') {
    return {
      missing: 'bench/bulk.ts does not export bulkBench(): Promise<BulkFigures> (bench/bulk-figures.ts) yet',
    };
  }
  return { bench: loaded.bulkBench as BulkBench };
}
