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
import { type StartDeps, type StartedOnboarding, startOnboarding } from '../../api/start-onboarding';
import { SfnWorkflowStarter } from '../../aws/executions';
import { optionalEnv, requireEnv } from '../../env';
import { logger, metrics, tracer } from '../../observability';
import { DEFAULT_SECRET_PREFIX } from '../../shared/naming';
import { InvalidRequestError, parseOnboardingRequest } from '../../shared/request';

export interface StartHandlerDeps extends StartDeps {
  /** Prefix of the secret names: a request's bootstrap secret must be under it. */
  readonly secretPrefix: string;
}

type StartEvent = APIGatewayProxyEvent | EventBridgeEvent<string, unknown>;

const isApiEvent = (event: StartEvent): event is APIGatewayProxyEvent => 'httpMethod' in event;

/**
 * POST /onboardings and the "Genesys Cloud Org Onboarded" event: one validation, one naming, one start.
 * API: 202 with the onboarding, or 400 with every problem. Event: a bad detail throws, so that the event ends
 * in the dead-letter queue after its retries.
 */
export const createStartOnboardingHandler = (deps: () => StartHandlerDeps) =>
  middy<StartEvent, APIGatewayProxyResult | StartedOnboarding>()
    .use(captureLambdaHandler(tracer, { captureResponse: false }))
    .use(injectLambdaContext(logger, { logEvent: false, resetKeys: true }))
    .use(logMetrics(metrics))
    .handler(async (event: StartEvent): Promise<APIGatewayProxyResult | StartedOnboarding> => {
      if (isApiEvent(event)) return startFromApi(event, deps());
      return startFromEvent(event, deps());
    }) as unknown as (
    event: StartEvent,
    context: Context,
  ) => Promise<APIGatewayProxyResult | StartedOnboarding>;

async function startFromEvent(
  event: EventBridgeEvent<string, unknown>,
  deps: StartHandlerDeps,
): Promise<StartedOnboarding> {
  const parsed = EventBridgeEnvelope.safeParse(event, z.unknown());
  try {
    if (!parsed.success) throw new InvalidRequestError([{ field: 'detail', problem: 'is missing' }]);
    const request = parseOnboardingRequest(parsed.data, { secretPrefix: deps.secretPrefix });
    const started = await startOnboarding(request, deps);
    metrics.addMetric(
      started.alreadyStarted ? 'OnboardingsDeduplicated' : 'OnboardingsStarted',
      MetricUnit.Count,
      1,
    );
    logger.info('onboarding started from event', { ...started, eventId: event.id });
    return started;
  } catch (error) {
    if (error instanceof InvalidRequestError) {
      metrics.addMetric('OnboardingsRefused', MetricUnit.Count, 1);
      logger.warn('invalid onboarding event', { problems: error.problems, eventId: event.id });
    }
    throw error;
  }
}

async function startFromApi(
  event: APIGatewayProxyEvent,
  deps: StartHandlerDeps,
): Promise<APIGatewayProxyResult> {
  const contentType = Object.entries(event.headers ?? {}).find(
    ([key]) => key.toLowerCase() === 'content-type',
  )?.[1];
  if (contentType && !contentType.toLowerCase().startsWith('application/json')) {
    metrics.addMetric('OnboardingsRefused', MetricUnit.Count, 1);
    return jsonResponse(415, { message: 'Content-Type must be application/json' });
  }
  const parsed = ApiGatewayEnvelope.safeParse(event, JSONStringified(z.unknown()));
  if (!parsed.success) {
    metrics.addMetric('OnboardingsRefused', MetricUnit.Count, 1);
    return jsonResponse(400, {
      message: 'Invalid onboarding request',
      problems: [{ field: 'body', problem: 'must be valid JSON' }],
    });
  }
  try {
    const request = parseOnboardingRequest(parsed.data, { secretPrefix: deps.secretPrefix });
    const started = await startOnboarding(request, deps);
    logger.info('onboarding started from API', { ...started });
    metrics.addMetric(
      started.alreadyStarted ? 'OnboardingsDeduplicated' : 'OnboardingsStarted',
      MetricUnit.Count,
      1,
    );
    const statusUrl = `/onboardings/${started.onboardingId}`;
    return jsonResponse(
      202,
      { onboardingId: started.onboardingId, status: started.status, statusUrl },
      { Location: statusUrl },
    );
  } catch (error) {
    if (error instanceof InvalidRequestError) {
      metrics.addMetric('OnboardingsRefused', MetricUnit.Count, 1);
      logger.info('invalid onboarding request', { problems: error.problems });
      return jsonResponse(400, { message: 'Invalid onboarding request', problems: error.problems });
    }
    throw error;
  }
}

let deps: StartHandlerDeps | undefined;
const awsStartDeps = (): StartHandlerDeps => {
  deps ??= {
    starter: new SfnWorkflowStarter(requireEnv('STATE_MACHINE_ARN')),
    secretPrefix: optionalEnv('SECRET_PREFIX') ?? DEFAULT_SECRET_PREFIX,
  };
  return deps;
};

export const handler = createStartOnboardingHandler(awsStartDeps);
