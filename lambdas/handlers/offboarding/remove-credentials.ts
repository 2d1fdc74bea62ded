import { removeCredentialsStep } from '../../workflows/offboarding/steps/remove-credentials';
import { awsStepHandler } from '../step-handler';

export const handler = awsStepHandler(removeCredentialsStep);
