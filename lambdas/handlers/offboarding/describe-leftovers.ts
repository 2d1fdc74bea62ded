import { describeLeftoversStep } from '../../workflows/offboarding/steps/describe-leftovers';
import { awsStepHandler } from '../step-handler';

export const handler = awsStepHandler(describeLeftoversStep);
