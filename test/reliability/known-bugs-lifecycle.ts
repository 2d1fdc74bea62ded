import { KNOWN_BUGS, type KnownBug } from './known-bugs';

/**
 * Product bugs the offboarding and rotation cells found, reported and left to the product's owners (the
 * onboarding's are in known-bugs.ts). Same rules: a cell named here fails until its bugs are fixed without
 * failing the run; once it holds, the run fails until its name is removed here.
 */
export const LIFECYCLE_KNOWN_BUGS: Record<string, KnownBug> = {
  'offboarding-ignores-creation-intent': {
    summary:
      "an onboarding that stopped after creating its client and before storing the client's secret leaves the creation intent in the result secret; an offboarding started moments later (by name, the record lost) lists the clients while the new client is not listed yet (listing lag), ignores the intent, removes the result secret (the intent) and succeeds: the client, marked as ours and active, stays with a secret nobody holds and nothing left that says it may exist. Looking again after clientListingLagMs (main, b159179) covers it only when no client of the name is listed: a same-name client made by hand is listed, so the search does not look again. Expected: the intent honoured as onboarding honours it (look for a marked client of the intent's name until clientListingGraceMs from creatingSince, or fail keeping the intent), the client removed. Repro: the cell below (stopped onboarding's client seeded with listedAt = now + 2 s next to a client of our name made by hand, offboarding by name at once)",
    where:
      'lambdas/workflows/offboarding/steps/prepare.ts (readResultRecord: only a complete record or a pending version names clients; findClients looks again only when no client of the name is listed) and steps/remove-secret.ts (deletes the intent)',
    symptoms:
      /^left behind: OAuth client \S+ \(active\)$|^the result does not report OAuth client \S+ \(active\)$/,
    cells: [
      "offboarding: listing lag at its default (2000 ms): a stopped onboarding's client not listed yet, a same-name client made by hand listed",
    ],
  },
  'leftovers-swallow-transient-store-failure': {
    summary:
      'after a failed removal, DescribeLeftovers catches every lookup failure, a throttled secret read (SecretStore.Transient) included, instead of letting the state machine retry it: the run fails saying what is left could not be read, where one retry would have named it; expected: a transient failure retried (only a lasting one reported as unreadable)',
    where: 'lambdas/workflows/offboarding/steps/describe-leftovers.ts (the catch around stillThere)',
    symptoms:
      /^the failed call was not made again$|^the cause does not say what is left: .*What is left could not be read/,
    cells: [
      'offboarding: DescribeLeftovers: get bootstrap (after a permanent 400 on the client DELETE) — transient',
      'offboarding: DescribeLeftovers: get result (after a permanent 400 on the client DELETE) — transient',
    ],
  },
  'rotation-leftover-missed-inside-listing-lag': {
    summary:
      "a rotation attempt that stopped after creating its client (before storing the pending version) leaves a marked client of the name; when the rotation is tried again while the listing does not show that client yet, createSecret does not find it (to reuse it) and makes another, and finishSecret's listing does not show it either (to remove it): the rotation succeeds with a second active client of ours whose secret nobody holds (until a later rotation finds it); expected: exactly one client of ours after a successful rotation",
    where:
      'lambdas/workflows/rotation/steps/create-secret.ts (leftOver from oauthClients.list() only) and steps/finish-secret.ts (leftOver from oauthClients.list() only): nothing records a creation in progress, as onboarding does with its creation intent',
    symptoms:
      /^clients of ours: [0-9a-f-]+ \(active\), the recorded one \(active\); expected the recorded one alone$/,
    cells: [
      "rotation: listing lag of 10 s (the product allows 60 s): a stopped attempt's client, created moments ago, not listed yet",
    ],
  },
};

/** Every known bug: the onboarding's (known-bugs.ts) and the offboarding's and rotation's. */
export const EVERY_KNOWN_BUG: Record<string, KnownBug> = (() => {
  const clash = Object.keys(LIFECYCLE_KNOWN_BUGS).filter((id) => id in KNOWN_BUGS);
  if (clash.length) throw new Error(`known bugs listed twice: ${clash.join(', ')}`);
  return { ...KNOWN_BUGS, ...LIFECYCLE_KNOWN_BUGS };
})();

/** The known bugs a cell fails on. */
export const knownBugsOf = (cellName: string): string[] =>
  Object.entries(EVERY_KNOWN_BUG)
    .filter(([, bug]) => bug.cells.includes(cellName))
    .map(([id]) => id);

/** The problems of a cell that its known bugs do not explain. */
export const unexplained = (problems: readonly string[], bugs: readonly string[]): string[] =>
  problems.filter((problem) => !bugs.some((id) => EVERY_KNOWN_BUG[id]?.symptoms.test(problem)));
