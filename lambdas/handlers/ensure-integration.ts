import type { StepDeps } from '../onboarding/deps';
import { ensureIntegration } from '../onboarding/ensure-integration';
import { planSchema } from '../onboarding/state';
import { awsStepDeps } from './aws-deps';
import { stepHandler } from './step-handler';

export const createEnsureIntegrationHandler = (deps: () => StepDeps) =>
  stepHandler('ensure-integration', planSchema, ensureIntegration, deps);

export const handler = createEnsureIntegrationHandler(awsStepDeps);
