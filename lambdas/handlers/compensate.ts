import { compensate } from '../onboarding/compensate';
import type { StepDeps } from '../onboarding/deps';
import { workflowStateSchema } from '../onboarding/state';
import { awsStepDeps } from './aws-deps';
import { stepHandler } from './step-handler';

export const createCompensateHandler = (deps: () => StepDeps) =>
  stepHandler('compensate', workflowStateSchema, compensate, deps);

export const handler = createCompensateHandler(awsStepDeps);
