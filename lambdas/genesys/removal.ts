import { type Clock, pollUntil } from './clock';
import { GenesysApiError, isGenesysError } from './errors';
import type { ConsistencyOptions } from './transport';

/** What a removal found: `deleted` by this call, or `absent` (already gone, or already being deleted). */
export type RemovalOutcome = 'deleted' | 'absent';

/** Options of the removals that wait until the resource is gone. */
export interface RemoveOptions extends ConsistencyOptions {
  /** How long to poll GET after the DELETE until the resource is gone. @default 30000 (TF's 30 s) */
  readonly goneTimeoutMs?: number;
}

const DEFAULT_GONE_TIMEOUT_MS = 30_000;
/** Poll schedule after a DELETE: 500 ms doubling up to 4 s, equal jitter. */
const GONE_POLL = { baseDelayMs: 500, maxDelayMs: 4_000 } as const;

/**
 * Statuses that mean "gone" around a delete: TF's `IsStatus404` takes 404, 408 and 410, and its deletes
 * poll with it (TF `util/util_retries.go`; genesys-cloud-api.md §14).
 */
export function isGoneError(error: unknown): boolean {
  return isGenesysError(error) && (error.status === 404 || error.status === 408 || error.status === 410);
}

/**
 * Sends a DELETE and polls until `isGone` answers true (or a read answers a gone status): `deleted`.
 * A DELETE answered 404/410 means someone else got there first: `absent`, with no polling. A DELETE
 * answered 408 (after the pipeline's retries) may have worked: the poll tells.
 * Throws a GenesysApiError (`transient`, code `delete.not.confirmed`) when `goneTimeoutMs` runs out first.
 */
export async function deleteAndConfirm(
  clock: Clock,
  target: { readonly method: string; readonly path: string },
  options: RemoveOptions,
  sendDelete: () => Promise<unknown>,
  isGone: () => Promise<boolean>,
): Promise<RemovalOutcome> {
  try {
    await sendDelete();
  } catch (error) {
    if (!isGoneError(error)) throw error;
    if (isGenesysError(error, 'not-found')) return 'absent';
  }
  const timeoutMs = options.goneTimeoutMs ?? DEFAULT_GONE_TIMEOUT_MS;
  const gone = await pollUntil(clock, { timeoutMs, ...GONE_POLL }, async () => {
    try {
      return await isGone();
    } catch (error) {
      if (isGoneError(error)) return true;
      throw error;
    }
  });
  if (!gone) {
    throw new GenesysApiError({
      kind: 'transient',
      status: 200,
      method: target.method,
      path: target.path,
      code: 'delete.not.confirmed',
      genesysMessage: `still readable ${timeoutMs} ms after it was deleted`,
    });
  }
  return 'deleted';
}
