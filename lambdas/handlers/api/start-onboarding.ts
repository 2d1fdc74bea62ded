import { ONBOARDINGS } from '../../api/onboardings';
import { awsStartDeps, createStartHandler } from './start-handler';

export const handler = createStartHandler(ONBOARDINGS, awsStartDeps);
