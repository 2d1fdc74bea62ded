import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { isServerError, isThrottlingError, isTransientError } from '@smithy/service-error-classification';
import { type ObjectStore, ObjectStoreUnavailableError, ObjectTooLargeError } from '../shared/object-store';
import { s3Client } from './clients/s3';

/** The object store on Amazon S3 (server-side encryption is the bucket's default). */
export class S3ObjectStore implements ObjectStore {
  constructor(private readonly client: S3Client = s3Client) {}

  /** GetObject; `NoSuchKey` is undefined. The size is checked from ContentLength before the body is read. */
  async get(bucket: string, key: string, options: { maxBytes?: number } = {}): Promise<string | undefined> {
    try {
      const result = await this.client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      const size = result.ContentLength ?? 0;
      if (options.maxBytes !== undefined && size > options.maxBytes) {
        result.Body?.transformToWebStream().cancel();
        throw new ObjectTooLargeError(size, options.maxBytes);
      }
      return (await result.Body?.transformToString('utf-8')) ?? '';
    } catch (error) {
      if (hasName(error, 'NoSuchKey')) return undefined;
      throw unavailableIfTransient(error, 'GetObject');
    }
  }

  async put(bucket: string, key: string, body: string, contentType: string): Promise<void> {
    try {
      await this.client.send(
        new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: contentType }),
      );
    } catch (error) {
      throw unavailableIfTransient(error, 'PutObject');
    }
  }
}

/** A failure that may pass (by the SDK's own classification) as ObjectStoreUnavailableError; others as they are. */
function unavailableIfTransient(error: unknown, operation: string): unknown {
  if (typeof error !== 'object' || error === null) return error;
  const sdkError = error as Parameters<typeof isTransientError>[0];
  if (isThrottlingError(sdkError) || isTransientError(sdkError) || isServerError(sdkError)) {
    return new ObjectStoreUnavailableError(
      `S3 ${operation} failed and may work again: ${(error as Error).name}: ${(error as Error).message}`,
    );
  }
  return error;
}

const hasName = (error: unknown, name: string) =>
  typeof error === 'object' && error !== null && (error as { name?: unknown }).name === name;
