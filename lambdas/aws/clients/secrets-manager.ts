import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { tracer } from '../../observability';

/** The Secrets Manager client of every function, traced by X-Ray through the Powertools tracer. */
export const secretsManagerClient = tracer.captureAWSv3Client(new SecretsManagerClient({}));
