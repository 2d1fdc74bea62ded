import { OFFBOARDINGS } from '../../api/offboardings';
import { awsStartDeps, createStartHandler } from './start-handler';

export const handler = createStartHandler(OFFBOARDINGS, awsStartDeps);
