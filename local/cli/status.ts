import { checkOrg, type OrgStatus } from '../../lambdas/workflows/status/check-org';
import { OverlaySecretStore } from '../adapters/overlay-secret-store';
import { localStepDeps } from '../deps';
import { connect } from './connection';
import type { Io } from './onboard';
import type { StatusSettings } from './status-flags';
import { EXIT } from './usage';

const MARKS = { ok: '✔', drifted: '✘', unknown: '?' } as const;

/**
 * `genesys-onboard status`: the read-only checks of one org against its stored record (status/check-org.ts),
 * after the checks every command makes before its first Genesys call (connection.ts: AWS access, the
 * bootstrap credentials held in memory, the endpoints). Changes nothing, in Genesys Cloud or in the store.
 * Prints each check (`✔` ok, `✘` drifted, `?` could not check) with its reason, or with --json one object.
 * Findings about the bootstrap client name where its credentials came from: the environment's
 * GENESYSCLOUD_OAUTHCLIENT_ID/_SECRET, else the stored bootstrap secret. Resolves with 0 (healthy), 3 (a check
 * drifted) or 1 (could not check: no record, the bootstrap client cannot sign in, Genesys unreachable);
 * throws UsageError (exit 2) for a missing bootstrap secret or a refused endpoint, AwsAccessError (exit 1)
 * for AWS.
 */
export async function status(io: Io, settings: StatusSettings): Promise<number> {
  const { target } = settings;
  const connection = await connect(settings, target);
  const secrets = new OverlaySecretStore(connection.store);
  secrets.hold(target.bootstrapSecretId, connection.bootstrapSecret);
  const deps = localStepDeps({
    secrets,
    secretPrefix: settings.secretPrefix,
    allowedHosts: settings.allowedHosts,
  });
  const result = await checkOrg(
    settings.credentials
      ? {
          ...target,
          bootstrapCredentialsFrom: 'GENESYSCLOUD_OAUTHCLIENT_ID and GENESYSCLOUD_OAUTHCLIENT_SECRET',
        }
      : target,
    deps,
  );
  io.stdout.write(`${settings.json ? JSON.stringify(statusJson(result)) : describeStatus(result)}\n`);
  return result.verdict === 'healthy' ? EXIT.ok : result.verdict === 'drifted' ? EXIT.drifted : EXIT.failed;
}

/** `--json`: `{orgId, region, verdict, rotationInProgress, findings: [{id, status, message}]}`. */
export function statusJson(result: OrgStatus): Record<string, unknown> {
  return {
    orgId: result.orgId,
    region: result.region,
    verdict: result.verdict,
    rotationInProgress: result.rotationInProgress,
    findings: result.findings,
  };
}

/** The human form: the verdict, then one line per check with its mark, id and reason. */
export function describeStatus(result: OrgStatus): string {
  const verdict = {
    healthy: 'healthy: as recorded',
    drifted: 'drifted: differs from its record',
    unknown: 'could not be checked completely',
  }[result.verdict];
  const width = Math.max(...result.findings.map((f) => f.id.length));
  return [
    `Org ${result.orgId}${result.region ? ` (${result.region})` : ''}: ${verdict}`,
    ...result.findings.map((f) => `  ${MARKS[f.status]} ${f.id.padEnd(width)}  ${f.message}`),
  ].join('\n');
}
