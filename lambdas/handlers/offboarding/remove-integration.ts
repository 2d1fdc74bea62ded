import { removeIntegrationStep } from '../../workflows/offboarding/steps/remove-integration';
import { awsStepHandler } from '../step-handler';

export const handler = awsStepHandler(removeIntegrationStep);
