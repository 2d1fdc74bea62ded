import { DescribeMapRunCommand, ListMapRunsCommand, type SFNClient } from '@aws-sdk/client-sfn';
import type { MapRunCounts, MapRunReader } from '../shared/map-runs';
import { stepFunctionsClient } from './clients/step-functions';

/** Map run counts from Step Functions: `ListMapRuns` of the execution, then `DescribeMapRun` of its newest run. */
export class SfnMapRunReader implements MapRunReader {
  constructor(private readonly client: SFNClient = stepFunctionsClient) {}

  async countsOf(executionArn: string): Promise<MapRunCounts | undefined> {
    const listed = await this.client.send(new ListMapRunsCommand({ executionArn }));
    const newest = [...(listed.mapRuns ?? [])].sort(
      (a, b) => (b.startDate?.getTime() ?? 0) - (a.startDate?.getTime() ?? 0),
    )[0];
    if (!newest?.mapRunArn) return undefined;
    const described = await this.client.send(new DescribeMapRunCommand({ mapRunArn: newest.mapRunArn }));
    const counts = described.itemCounts;
    return {
      total: counts?.total ?? 0,
      pending: counts?.pending ?? 0,
      running: counts?.running ?? 0,
      succeeded: counts?.succeeded ?? 0,
      failed: counts?.failed ?? 0,
      timedOut: counts?.timedOut ?? 0,
      aborted: counts?.aborted ?? 0,
    };
  }
}
