import { OFFBOARDINGS } from '../../api/offboardings';
import { awsStarter, createStatusHandler } from './status-handler';

export const handler = createStatusHandler(OFFBOARDINGS, awsStarter);
