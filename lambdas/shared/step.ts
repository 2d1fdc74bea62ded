import type * as z from 'zod/mini';
import type { StepDeps } from './deps';

/**
 * A workflow step: its name (`<workflow>/<step>`, used in logs and metrics), the schema its input must match,
 * and its core. The same definition runs as a Lambda handler (handlers/) and in-process (local/).
 */
export interface StepDefinition<TSchema extends z.ZodMiniType = z.ZodMiniType, TOutput = unknown> {
  readonly name: string;
  readonly input: TSchema;
  readonly run: (input: z.infer<TSchema>, deps: StepDeps) => Promise<TOutput>;
}

/** Declares a step; only there to infer the input type of `run` from the schema. */
export function defineStep<TSchema extends z.ZodMiniType, TOutput>(
  step: StepDefinition<TSchema, TOutput>,
): StepDefinition<TSchema, TOutput> {
  return step;
}
