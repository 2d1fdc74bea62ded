import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { getOnboardingStatus, ONBOARDING_ID } from '../../api/onboarding-status';
import { jsonResponse } from '../../api/responses';
import { SfnWorkflowStarter } from '../../aws/executions';
import { requireEnv } from '../../env';
import { logger, tracer } from '../../observability';
import type { WorkflowStarter } from '../../shared/executions';

/** GET /onboardings/{onboardingId}: status and, when done, the ids or the error. Never a secret. */
export const createGetOnboardingHandler = (starter: () => WorkflowStarter) =>
  middy<APIGatewayProxyEvent, APIGatewayProxyResult>()
    .use(captureLambdaHandler(tracer, { captureResponse: false }))
    .use(injectLambdaContext(logger, { logEvent: false, resetKeys: true }))
    .handler(async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
      const onboardingId = event.pathParameters?.onboardingId ?? '';
      if (!ONBOARDING_ID.test(onboardingId)) {
        return jsonResponse(400, {
          message: 'Invalid onboarding id',
          problems: [{ field: 'onboardingId', problem: 'must be an id returned by POST /onboardings' }],
        });
      }
      const status = await getOnboardingStatus(onboardingId, starter());
      if (!status) return jsonResponse(404, { message: `No onboarding ${onboardingId}` });
      return jsonResponse(200, status);
    }) as unknown as (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

let starter: WorkflowStarter | undefined;
export const handler = createGetOnboardingHandler(() => {
  starter ??= new SfnWorkflowStarter(requireEnv('STATE_MACHINE_ARN'));
  return starter;
});
