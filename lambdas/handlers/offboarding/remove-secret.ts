import { removeSecretStep } from '../../workflows/offboarding/steps/remove-secret';
import { awsStepHandler } from '../step-handler';

export const handler = awsStepHandler(removeSecretStep);
