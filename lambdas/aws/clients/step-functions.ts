import { SFNClient } from '@aws-sdk/client-sfn';
import { tracer } from '../../observability';

/** The Step Functions client of every function, traced by X-Ray through the Powertools tracer. */
export const stepFunctionsClient = tracer.captureAWSv3Client(new SFNClient({}));
