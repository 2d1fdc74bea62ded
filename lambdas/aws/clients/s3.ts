import { S3Client } from '@aws-sdk/client-s3';
import { tracer } from '../../observability';

/** The S3 client of the bulk onboarding's functions, traced by X-Ray through the Powertools tracer. */
export const s3Client = tracer.captureAWSv3Client(new S3Client({}));
