import { checkOrgForDriftStep } from '../../workflows/drift/steps/check-org';
import { awsStepHandler } from '../step-handler';

export const handler = awsStepHandler(checkOrgForDriftStep);
