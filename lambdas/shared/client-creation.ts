import { type StepDeps, SYSTEM_CLOCK } from './deps';
import { ONBOARDING_ERRORS, OnboardingError } from './errors';
import { readResultRecord } from './secrets';

/** The org's stored record as `readResultRecord` gives it: a complete record, a creation intent, or neither. */
export type ResultRecord = Awaited<ReturnType<typeof readResultRecord>>;

/** What one look found, and whether it settles the question (the client the intent announced was seen). */
export interface ClientLook<T> {
  readonly value: T;
  readonly found: boolean;
}

/** How often the listing is looked at again while a client's creation may be under way. */
const CREATION_POLL_MS = 2_000;

/** When a look for a client being created settles, besides the intent's listing grace. */
export interface CreationWatchBounds {
  /**
   * Before this moment (ms since the epoch on `deps.clock`) a look that found nothing is not conclusive
   * either, even after the intent's listing grace. @default the grace alone
   */
  readonly notConclusiveBefore?: number;
  /**
   * The latest moment (ms since the epoch on `deps.clock`) this invocation watches until, when earlier than
   * `consistency.clientCreationWatchMs` from now: to leave time for what the step does after the watch
   * (`latestStartLeaving` in invocation-time.ts). @default no bound but the watch's own
   */
  readonly watchEndsBy?: number;
  /** What is not there yet, for the message of `Onboarding.ClientCreationPending`. @default it is not listed yet */
  readonly pending?: string;
}

/**
 * Looks for the client a run's creation intent announces, for as long as it may still be missing from the
 * (lagging) client listing. `look` is called with the record as last read; its answer is returned (with that
 * record) at once when it `found` the client, when the record holds no intent (a complete record, or none),
 * or when the look started after the listing grace of the intent (`creatingSince` plus
 * `consistency.clientListingGraceMs`, or `bounds.notConclusiveBefore` when later): only then is a look that
 * found nothing conclusive. Until then it reads the record again and looks again every 2 s, for up to
 * `consistency.clientCreationWatchMs` in this invocation (or until `bounds.watchEndsBy` when earlier), then
 * throws `Onboarding.ClientCreationPending`, which the state machines retry until the grace is over
 * (lib/constructs/state-machine-defaults.ts `clientCreationPendingRetry`). Throws what `look` or the record
 * read throws.
 */
export function lookWhileCreatedClientMayBeUnlisted<T>(
  record: ResultRecord,
  resultSecretId: string,
  deps: StepDeps,
  look: (record: ResultRecord) => Promise<ClientLook<T>>,
  bounds: CreationWatchBounds = {},
): Promise<{ value: T; record: ResultRecord }> {
  return lookWhileAnnouncedMayBeUnlisted(
    record,
    resultSecretId,
    deps,
    (current) =>
      current.intent && {
        since: current.intent.creatingSince,
        what: `OAuth client ${JSON.stringify(current.intent.oauthClientName)}`,
      },
    look,
    bounds,
  );
}

/**
 * A creation another run announced in the org's record: when (ISO `since`) and what, in words (e.g.
 * `integration "Acme"`). Undefined when the record announces none.
 */
export type AnnouncedCreation = { since: string; what: string } | undefined;

/**
 * `lookWhileCreatedClientMayBeUnlisted` for any creation a record announces (`announced`, asked of the record
 * as last read): the look is conclusive once it started after `since` plus `consistency.clientListingGraceMs`
 * (the listing grace of a resource a run announced before creating it), and `Onboarding.ClientCreationPending`
 * (retried by the state machines, the message naming `what`) is thrown after `consistency.clientCreationWatchMs`
 * in this invocation; `bounds` as for `lookWhileCreatedClientMayBeUnlisted`. Throws what `look` or the record read throws.
 */
export async function lookWhileAnnouncedMayBeUnlisted<T>(
  record: ResultRecord,
  resultSecretId: string,
  deps: StepDeps,
  announced: (record: ResultRecord) => AnnouncedCreation,
  look: (record: ResultRecord) => Promise<ClientLook<T>>,
  bounds: CreationWatchBounds = {},
): Promise<{ value: T; record: ResultRecord }> {
  const clock = deps.clock ?? SYSTEM_CLOCK;
  const { clientListingGraceMs, clientCreationWatchMs } = deps.settings.consistency;
  const watchEnds = Math.min(
    clock.now() + clientCreationWatchMs,
    bounds.watchEndsBy ?? Number.POSITIVE_INFINITY,
  );
  let current = record;
  for (;;) {
    const lookedAt = clock.now();
    const { value, found } = await look(current);
    const creation = announced(current);
    if (found || !creation) return { value, record: current };
    const graceEnds = Math.max(
      Date.parse(creation.since) + clientListingGraceMs,
      bounds.notConclusiveBefore ?? Number.NEGATIVE_INFINITY,
    );
    if (lookedAt >= graceEnds) return { value, record: current };
    const now = clock.now();
    if (now < graceEnds) {
      if (now >= watchEnds) {
        throw new OnboardingError(
          ONBOARDING_ERRORS.clientCreationPending,
          `A run started creating ${creation.what} at ${creation.since} and ${bounds.pending ?? 'it is not listed yet'}; looking again until ${new Date(graceEnds).toISOString()}`,
        );
      }
      await clock.sleep(Math.min(CREATION_POLL_MS, graceEnds - now, watchEnds - now));
    }
    current = await readResultRecord(deps.secrets, resultSecretId);
  }
}
