import { configureIntegration } from '../onboarding/configure-integration';
import type { StepDeps } from '../onboarding/deps';
import { provisionedInputSchema } from '../onboarding/state';
import { awsStepDeps } from './aws-deps';
import { stepHandler } from './step-handler';

export const createConfigureIntegrationHandler = (deps: () => StepDeps) =>
  stepHandler('configure-integration', provisionedInputSchema, configureIntegration, deps);

export const handler = createConfigureIntegrationHandler(awsStepDeps);
