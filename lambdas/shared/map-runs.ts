/**
 * How far the Distributed Map of an execution has come: its map run's item counts (`DescribeMapRun`
 * `itemCounts`). Items are the manifest's valid lines, one org each.
 */
export interface MapRunCounts {
  readonly total: number;
  readonly pending: number;
  readonly running: number;
  readonly succeeded: number;
  readonly failed: number;
  readonly timedOut: number;
  readonly aborted: number;
}

/** Reads the map runs of executions: Step Functions in the cloud. */
export interface MapRunReader {
  /** The counts of the execution's (one) map run; undefined before it started (or when it never runs). */
  countsOf(executionArn: string): Promise<MapRunCounts | undefined>;
}
