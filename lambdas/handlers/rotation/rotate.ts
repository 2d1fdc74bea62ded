import { rotateStep } from '../../workflows/rotation/rotate';
import { awsStepHandler } from '../step-handler';

export const handler = awsStepHandler(rotateStep);
