import { prepareOffboardingStep } from '../../workflows/offboarding/steps/prepare';
import { awsStepHandler } from '../step-handler';

export const handler = awsStepHandler(prepareOffboardingStep);
