import { type ObjectStore, ObjectTooLargeError } from '../../lambdas/shared/object-store';

/** An object store in memory, as S3 would hold the bucket's objects (for the bulk steps' tests). */
export class MemoryObjectStore implements ObjectStore {
  readonly objects = new Map<string, { body: string; contentType: string }>();

  async get(bucket: string, key: string, options: { maxBytes?: number } = {}): Promise<string | undefined> {
    const object = this.objects.get(`${bucket}/${key}`);
    if (!object) return undefined;
    const bytes = Buffer.byteLength(object.body);
    if (options.maxBytes !== undefined && bytes > options.maxBytes) {
      throw new ObjectTooLargeError(bytes, options.maxBytes);
    }
    return object.body;
  }

  async put(bucket: string, key: string, body: string, contentType: string): Promise<void> {
    this.objects.set(`${bucket}/${key}`, { body, contentType });
  }

  /** The object's text, parsed as JSON. */
  json(bucket: string, key: string): unknown {
    const object = this.objects.get(`${bucket}/${key}`);
    if (!object) throw new Error(`no object ${bucket}/${key}`);
    return JSON.parse(object.body);
  }
}
