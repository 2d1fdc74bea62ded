import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { ApiGatewayEnvelope } from '@aws-lambda-powertools/parser/envelopes/api-gateway';
import { EventBridgeEnvelope } from '@aws-lambda-powertools/parser/envelopes/eventbridge';
import { JSONStringified } from '@aws-lambda-powertools/parser/helpers';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context, EventBridgeEvent } from 'aws-lambda';
import { z } from 'zod';
import { jsonResponse } from '../../api/responses';
import { type StartedExecution, startExecution, type WorkflowApi } from '../../api/workflow-api';
import { SfnWorkflowStarter } from '../../aws/executions';
import { optionalEnv, requireEnv } from '../../env';
import { logger, metrics, tracer } from '../../observability';
import type { WorkflowStarter } from '../../shared/executions';
import { DEFAULT_SECRET_PREFIX } from '../../shared/naming';
import { InvalidRequestError } from '../../shared/request-fields';

export interface StartHandlerDeps {
  readonly starter: WorkflowStarter;
  /** Prefix of the secret names: a request's bootstrap secret must be under it. */
  readonly secretPrefix: string;
}

type StartEvent = APIGatewayProxyEvent | EventBridgeEvent<string, unknown>;
type StartHandler = (
  event: StartEvent,
  context: Context,
) => Promise<APIGatewayProxyResult | StartedExecution>;

const isApiEvent = (event: StartEvent): event is APIGatewayProxyEvent => 'httpMethod' in event;

/**
 * `POST /<workflow>s` and the workflow's EventBridge event: one validation (at this edge), one naming, one
 * start. API: 202 with the id and its status URL, or 400 with every problem (415 for another content type).
 * Event: a bad detail throws, so that the event ends in the dead-letter queue after its retries.
 */
export function createStartHandler<TRequest, TResult>(
  api: WorkflowApi<TRequest, TResult>,
  deps: () => StartHandlerDeps,
): StartHandler {
  const count = (name: 'Started' | 'Deduplicated' | 'Refused') =>
    metrics.addMetric(`${api.metricPrefix}${name}`, MetricUnit.Count, 1);
  const start = async (body: unknown, current: StartHandlerDeps) => {
    const request = api.parse(body, { secretPrefix: current.secretPrefix });
    const started = await startExecution(api, request, current.starter);
    count(started.alreadyStarted ? 'Deduplicated' : 'Started');
    return started;
  };

  const fromEvent = async (event: EventBridgeEvent<string, unknown>): Promise<StartedExecution> => {
    const parsed = EventBridgeEnvelope.safeParse(event, z.unknown());
    try {
      if (!parsed.success) throw new InvalidRequestError([{ field: 'detail', problem: 'is missing' }]);
      const started = await start(parsed.data, deps());
      logger.info(`${api.noun} started from event`, { ...started, eventId: event.id });
      return started;
    } catch (error) {
      if (error instanceof InvalidRequestError) {
        count('Refused');
        logger.warn(`invalid ${api.noun} event`, { problems: error.problems, eventId: event.id });
      }
      throw error;
    }
  };

  const fromApi = async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
    const contentType = Object.entries(event.headers ?? {}).find(
      ([key]) => key.toLowerCase() === 'content-type',
    )?.[1];
    if (contentType && !contentType.toLowerCase().startsWith('application/json')) {
      count('Refused');
      return jsonResponse(415, { message: 'Content-Type must be application/json' });
    }
    const parsed = ApiGatewayEnvelope.safeParse(event, JSONStringified(z.unknown()));
    if (!parsed.success) {
      count('Refused');
      return jsonResponse(400, {
        message: `Invalid ${api.noun} request`,
        problems: [{ field: 'body', problem: 'must be valid JSON' }],
      });
    }
    try {
      const started = await start(parsed.data, deps());
      logger.info(`${api.noun} started from API`, { ...started });
      const statusUrl = `${api.path}/${started.id}`;
      return jsonResponse(
        202,
        { [api.idField]: started.id, status: started.status, statusUrl },
        { Location: statusUrl },
      );
    } catch (error) {
      if (error instanceof InvalidRequestError) {
        count('Refused');
        logger.info(`invalid ${api.noun} request`, { problems: error.problems });
        return jsonResponse(400, { message: `Invalid ${api.noun} request`, problems: error.problems });
      }
      throw error;
    }
  };

  return middy<StartEvent, APIGatewayProxyResult | StartedExecution>()
    .use(captureLambdaHandler(tracer, { captureResponse: false }))
    .use(injectLambdaContext(logger, { logEvent: false, resetKeys: true }))
    .use(logMetrics(metrics))
    .handler((event: StartEvent) =>
      isApiEvent(event) ? fromApi(event) : fromEvent(event),
    ) as unknown as StartHandler;
}

let awsDeps: StartHandlerDeps | undefined;
/** `STATE_MACHINE_ARN` (required) and `SECRET_PREFIX`, read once per container. */
export const awsStartDeps = (): StartHandlerDeps => {
  awsDeps ??= {
    starter: new SfnWorkflowStarter(requireEnv('STATE_MACHINE_ARN')),
    secretPrefix: optionalEnv('SECRET_PREFIX') ?? DEFAULT_SECRET_PREFIX,
  };
  return awsDeps;
};
