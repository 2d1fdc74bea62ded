import { ensureIntegrationStep } from '../../workflows/onboarding/steps/ensure-integration';
import { awsStepHandler } from '../step-handler';

export const handler = awsStepHandler(ensureIntegrationStep);
