/**
 * Step Functions error names of the fleet workflows (bulk onboarding, drift check), beside `ONBOARDING_ERRORS`
 * (errors.ts). The state machines and the summaries use these names: they are imported, never retyped.
 */
export const FLEET_ERRORS = {
  /** A bulk request that cannot be taken (the manifest URL). */
  bulkInvalidRequest: 'Bulk.InvalidRequest',
  /** The manifest object does not exist (or is not readable by the stack). */
  manifestNotFound: 'Bulk.ManifestNotFound',
  /** The manifest is larger than `MANIFEST_LIMITS` allow. */
  manifestTooLarge: 'Bulk.ManifestTooLarge',
  /** An earlier onboarding of the same request (same execution name) ended without success. */
  earlierRunEnded: 'Bulk.EarlierRunEnded',
  /** A drift check's input that cannot be taken. */
  driftInvalidInput: 'Drift.InvalidInput',
  /** More onboarded orgs than one drift check's state can hold: give each stack its own secret prefix. */
  tooManyOrgs: 'Drift.TooManyOrgs',
} as const;

export type FleetErrorName = (typeof FLEET_ERRORS)[keyof typeof FLEET_ERRORS];

/** A failure of the fleet workflows' own logic; its name is what the state machines and summaries report. */
export class FleetError extends Error {
  constructor(
    override readonly name: FleetErrorName,
    message: string,
  ) {
    super(message);
  }
}
