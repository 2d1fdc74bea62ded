/**
 * What the drift check publishes, and the names its definition and local runner share: the event it puts on
 * the stack's bus for each drifted org, its metrics, its state names.
 */

/** The detail-type of the event put on the stack's bus for each drifted org. */
export const DRIFT_DETECTED_DETAIL_TYPE = 'Genesys Cloud Onboarding Drift Detected';

/** The `source` of the events the stack itself puts on its bus (configured event sources are refused it). */
export const STACK_EVENT_SOURCE = 'genesys-onboarding';

/**
 * Metrics of each org's check (namespace `GenesysOnboarding`, dimension `service`): 1 or 0 per org checked,
 * so their sum over a run is the number of orgs found drifted (or that could not be checked).
 */
export const DRIFT_METRICS = { driftedOrgs: 'DriftedOrgs', uncheckedOrgs: 'UncheckedOrgs' } as const;

export const DRIFT_STATES = {
  listOrgs: 'ListOrgs',
  checkOrgs: 'CheckOrgs',
  checkOrg: 'CheckOrg',
  drifted: 'Drifted?',
  publishDrift: 'PublishDrift',
  repairRequested: 'RepairRequested?',
  startRepair: 'StartRepair',
  checked: 'Checked',
  done: 'DriftChecked',
} as const;
