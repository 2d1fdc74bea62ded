import { listOrgsStep } from '../../workflows/drift/steps/list-orgs';
import { awsStepHandler } from '../step-handler';

export const handler = awsStepHandler(listOrgsStep);
