import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { S3ObjectStore } from '../../../lambdas/aws/object-store';
import { OBJECT_STORE_TRANSIENT, ObjectTooLargeError } from '../../../lambdas/shared/object-store';

const meta = { $metadata: {} };
/** A GetObject body as the SDK gives it: the adapter reads it as text, or cancels it. */
const body = (text: string) => {
  const cancelled = { value: false };
  return {
    cancelled,
    transformToString: async () => text,
    transformToWebStream: () => ({
      cancel: () => {
        cancelled.value = true;
      },
    }),
  };
};

describe('S3ObjectStore', () => {
  const s3 = mockClient(S3Client);
  const store = new S3ObjectStore(new S3Client({ region: 'eu-west-1' }));
  beforeEach(() => s3.reset());

  it('reads an object as text, and a missing one as undefined', async () => {
    s3.on(GetObjectCommand, { Bucket: 'b', Key: 'k' }).resolves({
      Body: body('line 1') as never,
      ContentLength: 6,
    });
    expect(await store.get('b', 'k')).toBe('line 1');
    s3.on(GetObjectCommand, { Bucket: 'b', Key: 'gone' }).rejects(
      Object.assign(new Error('no key'), { name: 'NoSuchKey' }),
    );
    expect(await store.get('b', 'gone')).toBeUndefined();
  });

  it('refuses an object larger than asked before reading it', async () => {
    const big = body('never read');
    s3.on(GetObjectCommand).resolves({ Body: big as never, ContentLength: 2_000 });
    await expect(store.get('b', 'k', { maxBytes: 1_000 })).rejects.toEqual(
      new ObjectTooLargeError(2_000, 1_000),
    );
    expect(big.cancelled.value).toBe(true);
  });

  it('writes an object with its content type', async () => {
    s3.on(PutObjectCommand).resolves({});
    await store.put('b', 'work/x/items.jsonl', '{"a":1}', 'application/jsonl');
    expect(s3.commandCalls(PutObjectCommand)[0]?.args[0].input).toEqual({
      Bucket: 'b',
      Key: 'work/x/items.jsonl',
      Body: '{"a":1}',
      ContentType: 'application/jsonl',
    });
  });

  it('names a failure that may pass ObjectStore.Transient (the state machine retries it); others pass as they are', async () => {
    s3.on(PutObjectCommand).rejects(
      Object.assign(new Error('slow down'), { name: 'SlowDown', $metadata: { httpStatusCode: 503 } }),
    );
    await expect(store.put('b', 'k', 'x', 'text/plain')).rejects.toMatchObject({
      name: OBJECT_STORE_TRANSIENT,
    });
    s3.on(GetObjectCommand).rejects(Object.assign(new Error('denied'), { name: 'AccessDenied', ...meta }));
    await expect(store.get('b', 'k')).rejects.toMatchObject({ name: 'AccessDenied' });
  });
});
