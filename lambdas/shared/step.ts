import type * as z from 'zod/mini';
import type { StepDeps } from './deps';

/**
 * A workflow step: its name (`<workflow>/<step>`, used in logs and metrics), the schema its input must match,
 * and its core. The same definition runs as a Lambda handler (handlers/) and in-process (local/). Its
 * collaborators are `StepDeps` unless the step needs others (`TDeps`, e.g. an object store).
 */
export interface StepDefinition<
  TSchema extends z.ZodMiniType = z.ZodMiniType,
  TOutput = unknown,
  TDeps = StepDeps,
> {
  readonly name: string;
  readonly input: TSchema;
  readonly run: (input: z.infer<TSchema>, deps: TDeps) => Promise<TOutput>;
}

/** Declares a step; only there to infer the input type of `run` from the schema. */
export function defineStep<TSchema extends z.ZodMiniType, TOutput, TDeps = StepDeps>(
  step: StepDefinition<TSchema, TOutput, TDeps>,
): StepDefinition<TSchema, TOutput, TDeps> {
  return step;
}
