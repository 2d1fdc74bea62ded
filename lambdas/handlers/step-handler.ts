import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { parser } from '@aws-lambda-powertools/parser/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import type * as z from 'zod/mini';
import { logger, metrics, tracer } from '../observability';
import type { StepDeps } from '../shared/deps';
import type { StepDefinition } from '../shared/step';
import { awsInvocationDeps } from './aws-deps';

export type StepHandler<TOutput> = (event: unknown, context: Context) => Promise<TOutput>;

/**
 * A workflow step as a Lambda handler: Powertools logger (with the Lambda context, never the event),
 * metrics and tracer (never the response), the input parsed with the step's schema, then its core.
 */
export function stepHandler<TSchema extends z.ZodMiniType, TOutput, TDeps = StepDeps>(
  step: StepDefinition<TSchema, TOutput, TDeps>,
  deps: (context: Context) => TDeps,
): StepHandler<TOutput> {
  const handler = middy()
    .use(captureLambdaHandler(tracer, { captureResponse: false }))
    .use(injectLambdaContext(logger, { logEvent: false, resetKeys: true }))
    .use(logMetrics(metrics))
    .use(parser({ schema: step.input }))
    .handler(async (event, context) => {
      const input = event as z.infer<TSchema>;
      metrics.addMetric('StepInvocations', MetricUnit.Count, 1);
      // A metric of its own carries the step dimension (Parallel branches share one metrics object locally);
      // the step goes with each log line, not into the logger's keys, for the same reason.
      const outcome = metrics.singleMetric();
      outcome.addDimension('step', step.name);
      try {
        const output = await step.run(input, deps(context));
        outcome.addMetric('StepSucceeded', MetricUnit.Count, 1);
        logger.info('step succeeded', { step: step.name });
        return output;
      } catch (error) {
        // Names and messages only: Genesys errors carry no body and are redacted; stacks stay out.
        const failure =
          error instanceof Error ? { name: error.name, message: error.message } : { message: String(error) };
        outcome.addMetric('StepFailed', MetricUnit.Count, 1);
        logger.warn('step failed', { step: step.name, error: failure });
        throw error;
      }
    });
  return handler as unknown as StepHandler<TOutput>;
}

/**
 * The Lambda handler of a step, with its collaborators read from the environment once per container and the
 * end of each invocation (`StepDeps.invocationEndsAt`) from its context's `getRemainingTimeInMillis()`.
 */
export const awsStepHandler = <TSchema extends z.ZodMiniType, TOutput>(
  step: StepDefinition<TSchema, TOutput>,
) => stepHandler(step, awsInvocationDeps);
