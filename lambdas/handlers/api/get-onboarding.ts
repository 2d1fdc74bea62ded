import { ONBOARDINGS } from '../../api/onboardings';
import { awsStarter, createStatusHandler } from './status-handler';

export const handler = createStatusHandler(ONBOARDINGS, awsStarter);
