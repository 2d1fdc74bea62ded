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
export const KNOWN_BUGS: Record<string, KnownBug> = {};
