/**
 * Objects by bucket and key: the bulk onboarding's manifests, work files and results (Amazon S3 in the cloud).
 * Text only, read whole: a manifest is at most `MANIFEST_LIMITS.maxBytes`.
 */
export interface ObjectStore {
  /**
   * The object's text, or undefined when there is no such object. Throws ObjectTooLargeError when it is larger
   * than `maxBytes` (checked before it is read).
   */
  get(bucket: string, key: string, options?: { readonly maxBytes?: number }): Promise<string | undefined>;
  /** Writes (or replaces) the object. */
  put(bucket: string, key: string, body: string, contentType: string): Promise<void>;
}

/** An object larger than the reader allows: its size in bytes. */
export class ObjectTooLargeError extends Error {
  override readonly name = 'ObjectTooLargeError';
  constructor(
    readonly bytes: number,
    readonly maxBytes: number,
  ) {
    super(`The object has ${bytes} bytes, more than ${maxBytes}`);
  }
}

/** The Step Functions error name of an object store failure that may pass: the state machines retry it. */
export const OBJECT_STORE_TRANSIENT = 'ObjectStore.Transient';

/** The object store failed in a way that may pass (throttling, a server or network error). */
export class ObjectStoreUnavailableError extends Error {
  override readonly name = OBJECT_STORE_TRANSIENT;
}
