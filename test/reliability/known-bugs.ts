/** A product bug the suite found, and the cells that show it. */
export interface KnownBug {
  /** What goes wrong: the input, what is expected, what happens. */
  readonly summary: string;
  /** Where in the product it is. */
  readonly where: string;
  /** Names of the cells that fail on it (exactly as the report names them). */
  readonly cells: readonly string[];
  /**
   * The problems it causes in those cells: a problem it does not match still fails the run, so a known bug
   * hides nothing else that goes wrong in the same cell.
   */
  readonly symptoms: RegExp;
}

/**
 * Product bugs the suite found, reported and left to the product's owners. A cell named here fails until its
 * bugs are fixed without failing the run; once it holds, the run fails until its name is removed here, and a
 * name that matches no cell fails the run too, so no mark outlives its bug.
 */
export const KNOWN_BUGS: Record<string, KnownBug> = {
  'lost-create-answer-duplicates': {
    summary:
      'when Genesys processed a create but its answer was lost (timeout after processing), the step is retried with the same input and creates again: a second integration (EnsureIntegration creates whenever Prepare found none) or a second credential named Integration-<id> (Configure looks credentials up by name only for integrations it did not create); expected: one of each, found by name on the retry',
    where:
      'lambdas/workflows/onboarding/steps/ensure-integration.ts (ensureIntegration), steps/configure-integration.ts (ensureCredential: credentialByName is false for a created integration)',
    symptoms: /more resources than the record names|credentials named Integration-/,
    cells: [
      'POST /api/v2/integrations — timeout after processing',
      'POST /api/v2/integrations/credentials — timeout after processing',
    ],
  },
};

/** The known bugs a cell fails on. */
export const knownBugsOf = (cellName: string): string[] =>
  Object.entries(KNOWN_BUGS)
    .filter(([, bug]) => bug.cells.includes(cellName))
    .map(([id]) => id);

/** The problems of a cell that its known bugs do not explain. */
export const unexplained = (problems: readonly string[], bugs: readonly string[]): string[] =>
  problems.filter((problem) => !bugs.some((id) => KNOWN_BUGS[id]?.symptoms.test(problem)));
