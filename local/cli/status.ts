import { AwsSecretStore } from '../../lambdas/aws/secret-store';
import { resultSecretName } from '../../lambdas/shared/naming';
import type { SecretStore } from '../../lambdas/shared/secret-store';
import { checkOrg, type OrgStatus } from '../../lambdas/workflows/status/check-org';
import { FileSecretStore } from '../adapters/file-secret-store';
import { OverlaySecretStore } from '../adapters/overlay-secret-store';
import { localStepDeps } from '../deps';
import { checkAwsAccess } from './aws-access';
import { bootstrapSecretValue, checkEndpoints } from './bootstrap';
import type { Io } from './onboard';
import type { StatusSettings } from './status-flags';
import { EXIT, UsageError } from './usage';

const MARKS = { ok: '✔', drifted: '✘', unknown: '?' } as const;

/**
 * `genesys-onboard status`: the read-only checks of one org against its stored record (status/check-org.ts),
 * with the bootstrap credentials of GENESYSCLOUD_OAUTHCLIENT_ID/SECRET (held in memory) or the stored
 * bootstrap secret, and the connection flags applied as `onboard` applies them. Changes nothing, in Genesys
 * Cloud or in the store. Prints each check (`✔` ok, `✘` drifted, `?` could not check) with its reason, or with
 * --json one object. Resolves with 0 (healthy), 3 (drifted) or 1 (could not check); throws UsageError (exit
 * 2) for a missing bootstrap secret or a refused endpoint, AwsAccessError (exit 1) for AWS.
 */
export async function status(io: Io, settings: StatusSettings): Promise<number> {
  let store: SecretStore;
  let awsRegion: string | undefined;
  if (settings.store.kind === 'aws') {
    const access = await checkAwsAccess({
      ...(settings.store.region ? { region: settings.store.region } : {}),
      probeSecretId: resultSecretName(settings.secretPrefix, settings.orgId),
    });
    store = new AwsSecretStore(access.client);
    awsRegion = access.region;
  } else {
    store = new FileSecretStore(settings.store.dir);
  }
  const source = {
    bootstrapSecretId: settings.bootstrapSecretId,
    region: settings.region,
    ...(settings.credentials ? { credentials: settings.credentials } : {}),
    ...(settings.apiUrl ? { apiUrl: settings.apiUrl } : {}),
    ...(settings.loginUrl ? { loginUrl: settings.loginUrl } : {}),
    allowedHosts: settings.allowedHosts,
    store: settings.store,
  };
  const bootstrapSecret = await bootstrapSecretValue(source, store, awsRegion);
  const endpointProblems = checkEndpoints(source, bootstrapSecret);
  if (endpointProblems.length > 0) throw new UsageError(endpointProblems);
  const secrets = new OverlaySecretStore(store);
  secrets.hold(settings.bootstrapSecretId, bootstrapSecret);
  const deps = localStepDeps({
    secrets,
    secretPrefix: settings.secretPrefix,
    allowedHosts: settings.allowedHosts,
  });

  const result = await checkOrg(
    { orgId: settings.orgId, region: settings.region, bootstrapSecretId: settings.bootstrapSecretId },
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
