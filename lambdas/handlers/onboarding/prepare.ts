import { prepareStep } from '../../workflows/onboarding/steps/prepare';
import { awsStepHandler } from '../step-handler';

export const handler = awsStepHandler(prepareStep);
