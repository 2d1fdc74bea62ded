import { isGenesysError } from '../../genesys/errors';
import { type StepDeps, SYSTEM_CLOCK } from '../../shared/deps';

/** How often the listing is looked at again for what a create whose answer was lost made. */
const LOST_CREATE_POLL_MS = 1_000;

/**
 * Sends a create (`create`) that must not make a duplicate. When it fails in a way that Genesys may have
 * processed it anyway (a `transient` GenesysApiError: a timeout, a connection reset, a 5xx; the client never
 * re-sends a create after these), looks for what it made with `findLost` (a lookup by name over every page),
 * again every second for up to `consistency.integrationListingLagMs`, since a new resource may be missing from its
 * listing for a while. Resolves with the created resource (`found: false`) or the one found (`found: true`);
 * rejects with the create's error when nothing turned up (the step is then retried, and looks first), or with
 * whatever `create` or `findLost` threw otherwise.
 */
export async function createOrFindLost<T>(
  deps: StepDeps,
  create: () => Promise<T>,
  findLost: () => Promise<T | undefined>,
): Promise<{ resource: T; found: boolean }> {
  try {
    return { resource: await create(), found: false };
  } catch (error) {
    if (!isGenesysError(error, 'transient')) throw error;
    const clock = deps.clock ?? SYSTEM_CLOCK;
    const until = clock.now() + deps.settings.consistency.integrationListingLagMs;
    for (;;) {
      const lost = await findLost();
      if (lost !== undefined) return { resource: lost, found: true };
      const left = until - clock.now();
      if (left <= 0) throw error;
      await clock.sleep(Math.min(LOST_CREATE_POLL_MS, left));
    }
  }
}
