import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { jsonResponse } from '../../api/responses';
import { executionStatus, type WorkflowApi } from '../../api/workflow-api';
import { SfnWorkflowStarter } from '../../aws/executions';
import { requireEnv } from '../../env';
import { logger, tracer } from '../../observability';
import type { WorkflowStarter } from '../../shared/executions';

type StatusHandler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

/** `GET /<workflow>s/{id}`: its status and, when done, what it produced or the error. Never a secret. */
export function createStatusHandler<TRequest, TResult>(
  api: WorkflowApi<TRequest, TResult>,
  starter: () => WorkflowStarter,
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
      const status = await executionStatus(api, id, starter());
      if (!status) return jsonResponse(404, { message: `No ${api.noun} ${id}` });
      return jsonResponse(200, { [api.idField]: id, ...status });
    }) as unknown as StatusHandler;
}

let starter: WorkflowStarter | undefined;
/** The state machine of `STATE_MACHINE_ARN`, read once per container. */
export const awsStarter = (): WorkflowStarter => {
  starter ??= new SfnWorkflowStarter(requireEnv('STATE_MACHINE_ARN'));
  return starter;
};
