import * as z from 'zod/mini';
import type { StepDeps } from '../onboarding/deps';
import { ensureOAuthClient, recordConfiguration } from '../onboarding/ensure-oauth-client';
import { type ClientOutcome, planSchema, recordInputSchema } from '../onboarding/state';
import { awsStepDeps } from './aws-deps';
import { stepHandler } from './step-handler';

/**
 * The OAuth-client function: ensures the client (input: the plan) and, after Configure, records the
 * integration and credential in the result secret (input: plan, outcomes). It is the only step, with
 * compensation, allowed to write the result secret.
 */
export const createEnsureOAuthClientHandler = (deps: () => StepDeps) =>
  stepHandler(
    'ensure-oauth-client',
    z.union([recordInputSchema, planSchema]),
    async (input, stepDeps): Promise<ClientOutcome | { updated: boolean }> =>
      'configured' in input ? recordConfiguration(input, stepDeps) : ensureOAuthClient(input, stepDeps),
    deps,
  );

export const handler = createEnsureOAuthClientHandler(awsStepDeps);
