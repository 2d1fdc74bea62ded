import { removeClientsStep } from '../../workflows/offboarding/steps/remove-clients';
import { awsStepHandler } from '../step-handler';

export const handler = awsStepHandler(removeClientsStep);
