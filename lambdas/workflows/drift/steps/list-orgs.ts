import * as z from 'zod/mini';
import { logger } from '../../../observability';
import type { StepDeps } from '../../../shared/deps';
import { FLEET_ERRORS, FleetError } from '../../../shared/fleet-errors';
import { UUID } from '../../../shared/request-fields';
import type { SecretSummary } from '../../../shared/secret-store';
import { defineStep } from '../../../shared/step';

/** The tag every result secret carries (ensure-oauth-client.ts): the org it belongs to. */
export const ORG_ID_TAG = 'genesys-onboarding:org-id';

/**
 * Orgs one drift check takes: their ids travel in the state (at most 256 KB: 39 bytes each) into the map.
 * More fail the check with `Drift.TooManyOrgs` rather than check some and say nothing of the rest.
 */
export const MAX_ORGS_PER_CHECK = 5_000;

/** The drift check's input (the schedule's): `repair: true` starts an onboarding for each drifted org. */
const driftInputSchema = z.strictObject({ repair: z.optional(z.boolean()) });

export interface OrgList {
  readonly repair: boolean;
  /** Every onboarded org (each has a result secret under the prefix), sorted. */
  readonly orgIds: string[];
}

/**
 * Finds every onboarded org: the result secrets `<prefix>/<orgId>/data-actions-client` (the secret store's
 * `list`, over every page). When a secret carries the org-id tag, it must name the same org as its name, or
 * the secret is skipped (and logged): it was copied or renamed by hand. Throws FleetError `Drift.InvalidInput`
 * for an input other than `{repair?: boolean}`, `Drift.TooManyOrgs` beyond `MAX_ORGS_PER_CHECK`.
 */
export async function listOrgs(input: unknown, deps: StepDeps): Promise<OrgList> {
  const parsed = driftInputSchema.safeParse(input ?? {});
  if (!parsed.success) {
    throw new FleetError(
      FLEET_ERRORS.driftInvalidInput,
      'The drift check takes {"repair": true|false} (repair: onboard each drifted org again)',
    );
  }
  const prefix = `${deps.settings.secretPrefix}/`;
  const orgIds = new Set<string>();
  for (const secret of await deps.secrets.list(prefix)) {
    const orgId = orgIdOf(secret, prefix);
    if (orgId) orgIds.add(orgId);
  }
  if (orgIds.size > MAX_ORGS_PER_CHECK) {
    throw new FleetError(
      FLEET_ERRORS.tooManyOrgs,
      `${orgIds.size} onboarded orgs, more than the ${MAX_ORGS_PER_CHECK} one drift check takes`,
    );
  }
  return { repair: parsed.data.repair ?? false, orgIds: [...orgIds].sort() };
}

function orgIdOf(secret: SecretSummary, prefix: string): string | undefined {
  const parts = secret.name.slice(prefix.length).split('/');
  const [orgId, name] = parts;
  if (parts.length !== 2 || name !== 'data-actions-client' || !orgId || !UUID.test(orgId)) return undefined;
  const tagged = secret.tags[ORG_ID_TAG];
  if (tagged !== undefined && tagged.toLowerCase() !== orgId.toLowerCase()) {
    logger.warn('result secret skipped: its org-id tag names another org', { secret: secret.name, tagged });
    return undefined;
  }
  return orgId.toLowerCase();
}

export const listOrgsStep = defineStep({
  name: 'drift/list-orgs',
  input: z.unknown(),
  run: listOrgs,
});
