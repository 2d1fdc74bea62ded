import { KNOWN_BUGS, type KnownBug } from './known-bugs';

/**
 * Product bugs the offboarding and rotation cells found, reported and left to the product's owners (the
 * onboarding's are in known-bugs.ts). Same rules: a cell named here fails until its bugs are fixed without
 * failing the run; once it holds, the run fails until its name is removed here.
 */
export const LIFECYCLE_KNOWN_BUGS: Record<string, KnownBug> = {
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
