import { recordConfigurationStep } from '../../workflows/onboarding/steps/record-configuration';
import { awsStepHandler } from '../step-handler';

export const handler = awsStepHandler(recordConfigurationStep);
