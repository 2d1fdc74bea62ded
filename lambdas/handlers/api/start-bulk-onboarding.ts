import { bulkOnboardingsApi } from '../../api/bulk-onboardings';
import { optionalEnv } from '../../env';
import { awsStartDeps, createStartHandler } from './start-handler';

export const handler = createStartHandler(
  bulkOnboardingsApi({ manifestBucket: optionalEnv('MANIFEST_BUCKET') }),
  awsStartDeps,
);
