import type { StepDeps } from '../onboarding/deps';
import { provisionedInputSchema } from '../onboarding/state';
import { verify } from '../onboarding/verify';
import { awsStepDeps } from './aws-deps';
import { stepHandler } from './step-handler';

export const createVerifyHandler = (deps: () => StepDeps) =>
  stepHandler('verify', provisionedInputSchema, verify, deps);

export const handler = createVerifyHandler(awsStepDeps);
