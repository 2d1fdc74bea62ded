import { configureIntegrationStep } from '../../workflows/onboarding/steps/configure-integration';
import { awsStepHandler } from '../step-handler';

export const handler = awsStepHandler(configureIntegrationStep);
