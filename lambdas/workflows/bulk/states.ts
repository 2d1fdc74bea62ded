/**
 * State names of the bulk onboarding state machine (lib/constructs/bulk-onboarding-state-machine.ts): the
 * contract between its definition, the local bulk runner (which runs the item processor in-process) and the
 * map run's label in `DescribeMapRun`.
 */
export const BULK_STATES = {
  validate: 'ValidateManifest',
  anyValid: 'AnyValidLines?',
  noValidLines: 'NoValidLines',
  /** The Distributed Map; also its map run's label. */
  onboardOrgs: 'OnboardOrgs',
  // The item processor: one org.
  startOnboarding: 'StartOnboarding',
  onboarded: 'Onboarded',
  describeEarlierRun: 'DescribeEarlierRun',
  earlierRunEnded: 'EarlierRunEnded?',
  waitForEarlierRun: 'WaitForEarlierRun',
  onboardedEarlier: 'OnboardedEarlier',
  earlierRunDefaults: 'EarlierRunDefaults',
  earlierRunFailure: 'EarlierRunFailure',
  earlierRunCause: 'EarlierRunCause',
  earlierRunFailed: 'EarlierRunFailed',
  summarize: 'Summarize',
} as const;

/**
 * The item processor's output for an org that is onboarded: `reused` when an earlier onboarding of the same
 * request (the same execution name) had done it, and the onboarding's output (ids only).
 */
export interface ProcessedItem {
  readonly reused: boolean;
  readonly result: unknown;
}
