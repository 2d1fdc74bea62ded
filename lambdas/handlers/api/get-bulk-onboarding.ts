import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { type BulkOnboardingResult, bulkOnboardingsApi } from '../../api/bulk-onboardings';
import { jsonResponse } from '../../api/responses';
import { executionStatus, type WorkflowApi } from '../../api/workflow-api';
import { SfnWorkflowStarter } from '../../aws/executions';
import { SfnMapRunReader } from '../../aws/map-runs';
import { requireEnv } from '../../env';
import { logger, tracer } from '../../observability';
import type { BulkOnboardingRequest } from '../../shared/bulk-request';
import type { WorkflowStarter } from '../../shared/executions';
import type { MapRunReader } from '../../shared/map-runs';

type StatusHandler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

export interface BulkStatusDeps {
  /** Reads executions of the bulk state machine, and names their ARNs. */
  readonly starter: WorkflowStarter & { executionArn(name: string): string };
  readonly mapRuns: MapRunReader;
}

/**
 * `GET /bulk-onboardings/{bulkOnboardingId}`: the execution's status as for every workflow (its summary when
 * it succeeded), plus `orgs`, the map run's item counts (`total`, `pending`, `running`, `succeeded`,
 * `failed`, `timedOut`, `aborted`) while it runs and after, once the map has started.
 */
export function createBulkStatusHandler(
  api: WorkflowApi<BulkOnboardingRequest, BulkOnboardingResult>,
  deps: () => BulkStatusDeps,
): StatusHandler {
  return middy<APIGatewayProxyEvent, APIGatewayProxyResult>()
    .use(captureLambdaHandler(tracer, { captureResponse: false }))
    .use(injectLambdaContext(logger, { logEvent: false, resetKeys: true }))
    .handler(async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
      const id = event.pathParameters?.[api.idField] ?? '';
      if (!api.idPattern.test(id)) {
        return jsonResponse(400, {
          message: `Invalid ${api.noun} id`,
          problems: [{ field: api.idField, problem: `must be an id returned by POST ${api.path}` }],
        });
      }
      const { starter, mapRuns } = deps();
      const status = await executionStatus(api, id, starter);
      if (!status) return jsonResponse(404, { message: `No ${api.noun} ${id}` });
      const orgs = await mapRuns.countsOf(starter.executionArn(id));
      return jsonResponse(200, { [api.idField]: id, ...status, ...(orgs ? { orgs } : {}) });
    }) as unknown as StatusHandler;
}

let awsDeps: BulkStatusDeps | undefined;
/** The state machine of `STATE_MACHINE_ARN`, read once per container. */
const awsBulkStatusDeps = (): BulkStatusDeps => {
  awsDeps ??= {
    starter: new SfnWorkflowStarter(requireEnv('STATE_MACHINE_ARN')),
    mapRuns: new SfnMapRunReader(),
  };
  return awsDeps;
};

export const handler = createBulkStatusHandler(bulkOnboardingsApi(), awsBulkStatusDeps);
