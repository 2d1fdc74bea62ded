import { createHash } from 'node:crypto';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import * as z from 'zod/mini';
import { ONBOARDINGS, type OnboardingExecutionInput } from '../../../api/onboardings';
import { logger, metrics } from '../../../observability';
import type { StepDeps } from '../../../shared/deps';
import { UUID } from '../../../shared/request-fields';
import { defineStep } from '../../../shared/step';
import { checkOrg, type Finding, type Verdict } from '../../status/check-org';
import { DRIFT_METRICS } from '../contract';

export const checkOrgInputSchema = z.object({
  orgId: z.string().check(z.regex(UUID)),
  /** Start an onboarding of the org's `onboardedWith` request when it drifted. */
  repair: z.boolean(),
  /** The drift check's execution name: a repair started by it is named after it (so a retry starts one). */
  checkId: z.string().check(z.minLength(1)),
});
export type CheckOrgInput = z.infer<typeof checkOrgInputSchema>;

/**
 * The `detail` of a "Genesys Cloud Onboarding Drift Detected" event: the org, what drifted or could not be
 * checked (check ids and messages: ids, names and states, never a secret), and the repair it started.
 */
export interface DriftDetail {
  readonly orgId: string;
  readonly region?: string;
  readonly verdict: Verdict;
  readonly checkedAt: string;
  readonly findings: Finding[];
  readonly rotationInProgress: boolean;
  /** The onboarding id of the repair this check starts, or why it starts none (when repair was asked). */
  readonly repair?: { readonly onboardingId: string } | { readonly skipped: string };
}

export interface OrgCheckOutcome {
  readonly orgId: string;
  readonly verdict: Verdict;
  /** Set when the org drifted: the event's detail. */
  readonly detail?: DriftDetail;
  /** Set when a repair is to be started: the onboarding's execution name and input, as the API names them. */
  readonly repair?: { readonly executionName: string; readonly input: OnboardingExecutionInput };
}

/**
 * One org of the drift check: its read-only checks (status/check-org.ts), the metrics `DriftedOrgs` and
 * `UncheckedOrgs` (1 or 0), and for a drifted org the event detail and, when asked, the repair: an onboarding
 * of its recorded `onboardedWith` request under an idempotency key of this check. No repair while a rotation
 * is in progress (the rotation owns the client then), nor without a recorded request.
 */
export async function checkOrgForDrift(input: CheckOrgInput, deps: StepDeps): Promise<OrgCheckOutcome> {
  const status = await checkOrg({ orgId: input.orgId }, deps);
  metrics.addMetric(DRIFT_METRICS.driftedOrgs, MetricUnit.Count, status.verdict === 'drifted' ? 1 : 0);
  metrics.addMetric(DRIFT_METRICS.uncheckedOrgs, MetricUnit.Count, status.verdict === 'unknown' ? 1 : 0);
  const notOk = status.findings.filter((finding) => finding.status !== 'ok');
  logger.info('org checked', { orgId: status.orgId, verdict: status.verdict, findings: notOk });
  if (status.verdict !== 'drifted') return { orgId: status.orgId, verdict: status.verdict };

  let repair: OrgCheckOutcome['repair'];
  let repairNote: DriftDetail['repair'];
  if (input.repair) {
    if (status.rotationInProgress) {
      repairNote = { skipped: 'a rotation is in progress: repair after it finishes' };
    } else if (!status.onboardedWith) {
      repairNote = { skipped: 'the record has no onboardedWith request to run again' };
    } else {
      const request = { ...status.onboardedWith, idempotencyKey: repairKey(input.checkId) };
      const executionName = ONBOARDINGS.executionName(request);
      repair = { executionName, input: ONBOARDINGS.executionInput(request) as OnboardingExecutionInput };
      repairNote = { onboardingId: executionName };
    }
  }
  const detail: DriftDetail = {
    orgId: status.orgId,
    ...(status.region ? { region: status.region } : {}),
    verdict: status.verdict,
    checkedAt: new Date((deps.clock ?? { now: Date.now }).now()).toISOString(),
    findings: notOk,
    rotationInProgress: status.rotationInProgress,
    ...(repairNote ? { repair: repairNote } : {}),
  };
  return { orgId: status.orgId, verdict: status.verdict, detail, ...(repair ? { repair } : {}) };
}

/** `repair-<16 hex>` of the drift check's execution name: within the idempotency key's 64 characters. */
const repairKey = (checkId: string) =>
  `repair-${createHash('sha256').update(checkId).digest('hex').slice(0, 16)}`;

export const checkOrgForDriftStep = defineStep({
  name: 'drift/check-org',
  input: checkOrgInputSchema,
  run: checkOrgForDrift,
});
