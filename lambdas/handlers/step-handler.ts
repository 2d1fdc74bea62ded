import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { parser } from '@aws-lambda-powertools/parser/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import type * as z from 'zod/mini';
import { logger, metrics, tracer } from '../observability';
import type { StepDeps } from '../onboarding/deps';

export type StepHandler<TOutput> = (event: unknown, context: Context) => Promise<TOutput>;

/**
 * A workflow step as a Lambda handler: Powertools logger (with the Lambda context, never the event),
 * metrics and tracer (never the response), the input parsed with its zod schema, then the core.
 */
export function stepHandler<TSchema extends z.ZodMiniType, TOutput>(
  step: string,
  schema: TSchema,
  core: (input: z.infer<TSchema>, deps: StepDeps) => Promise<TOutput>,
  deps: () => StepDeps,
): StepHandler<TOutput> {
  const handler = middy()
    .use(captureLambdaHandler(tracer, { captureResponse: false }))
    .use(injectLambdaContext(logger, { logEvent: false, resetKeys: true }))
    .use(logMetrics(metrics))
    .use(parser({ schema }))
    .handler(async (event) => {
      const input = event as z.infer<TSchema>;
      // The step goes with each line, not into the logger's keys: locally, Parallel branches share one logger.
      metrics.addMetric('StepInvocations', MetricUnit.Count, 1);
      // A metric of its own carries the step dimension (Parallel branches share one metrics object locally).
      const outcome = metrics.singleMetric();
      outcome.addDimension('step', step);
      try {
        const output = await core(input, deps());
        outcome.addMetric('StepSucceeded', MetricUnit.Count, 1);
        logger.info('step succeeded', { step });
        return output;
      } catch (error) {
        // Names and messages only: Genesys errors carry no body and are redacted; stacks stay out.
        const failure =
          error instanceof Error ? { name: error.name, message: error.message } : { message: String(error) };
        outcome.addMetric('StepFailed', MetricUnit.Count, 1);
        logger.warn('step failed', { step, error: failure });
        throw error;
      }
    });
  return handler as unknown as StepHandler<TOutput>;
}
