import { verifyStep } from '../../workflows/onboarding/steps/verify';
import { awsStepHandler } from '../step-handler';

export const handler = awsStepHandler(verifyStep);
