import { BulkCounts } from '../../../local/cli/bulk-progress';

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
