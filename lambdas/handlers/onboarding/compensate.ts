import { compensateStep } from '../../workflows/onboarding/steps/compensate';
import { awsStepHandler } from '../step-handler';

export const handler = awsStepHandler(compensateStep);
