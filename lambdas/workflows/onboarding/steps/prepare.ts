import { randomUUID } from 'node:crypto';
import type { GenesysClient } from '../../../genesys/client';
import type { RoleDivision } from '../../../genesys/models';
import type { StepDeps } from '../../../shared/deps';
import { ONBOARDING_ERRORS, OnboardingError } from '../../../shared/errors';
import { resultSecretName } from '../../../shared/naming';
import { type OnboardingRequest, validatedOnboardingRequestSchema } from '../../../shared/request';
import { isOrgSecret } from '../../../shared/request-fields';
import { type ResultSecret, readPendingRecord, readResultRecord } from '../../../shared/secrets';
import { openBootstrapSession } from '../../../shared/session';
import { defineStep } from '../../../shared/step';
import { findOurClient, findOurIntegration, type LookupContext } from '../find-ours';
import type { ClientDecision, IntegrationDecision, OnboardingPlan } from '../state';

/**
 * Checks, before anything is written, that the bootstrap client belongs to the requested org and is a
 * client-credentials client holding every role it is asked to grant (`GET /api/v2/tokens/me` answers both;
 * when it carries no `roleDivisions`, which is UNVERIFIED for client-credentials tokens, they are read from
 * `GET /api/v2/oauth/clients/{callerId}`: genesys-cloud-api.md §14), resolves role names (exact match) and
 * the division to ids, and finds the org's client and integration and whether each is ours (find-ours.ts):
 * a name that is taken fails the run here, before either is written. Its plan is also the dry run's report.
 * The secrets are read at once, and the lookups run beside the checks (one round trip after the token): their
 * findings count only once every check passed, so a failed check is the error whatever they found. Throws
 * OnboardingError `InvalidRequest` (bootstrap secret of another org), `WrongOrg`, `NotClientCredentials` (also
 * when the token's client is not the one the bootstrap secret names), `UnknownRoles`, `MissingRoles`,
 * `UnknownDivision`, the session's errors, the lookups' errors, or a GenesysApiError.
 */
export async function prepare(request: OnboardingRequest, deps: StepDeps): Promise<OnboardingPlan> {
  const ownSecrets = `${deps.settings.secretPrefix}/${request.orgId}/`;
  if (!isOrgSecret(request.bootstrapSecretId, deps.settings.secretPrefix, request.orgId)) {
    // The edge refuses this already; an execution started by hand must not act as another org either.
    throw new OnboardingError(
      ONBOARDING_ERRORS.invalidRequest,
      `bootstrapSecretId must name a secret of this org (${ownSecrets}...)`,
    );
  }
  const resultSecretId = resultSecretName(deps.settings.secretPrefix, request.orgId);
  // The secrets at once; the pending version only matters for a complete record (a rotation in progress).
  const recordRead = readResultRecord(deps.secrets, resultSecretId);
  const pendingRead = recordRead.then((record) =>
    record.secret ? readPendingRecord(deps.secrets, resultSecretId) : undefined,
  );
  // Awaited last: a failure of a check before it must not leave its rejection unhandled.
  pendingRead.catch(() => undefined);
  const [{ client, bootstrapClientId }, record] = await Promise.all([
    openBootstrapSession(deps, request),
    recordRead,
  ]);

  const context: LookupContext = {
    runId: randomUUID(),
    orgId: request.orgId,
    region: request.region,
    bootstrapSecretId: request.bootstrapSecretId,
    resultSecretId,
    bootstrapClientId,
    adoptExisting: request.adoptExisting,
    renameIntegration: request.renameIntegration,
    oauthClient: {
      name: request.oauthClient.name,
      description: request.oauthClient.description,
      accessTokenValiditySeconds: request.oauthClient.accessTokenValiditySeconds,
    },
    integration: request.integration,
  };
  // What exists and whether it is ours, read-only, beside the checks: their answers are used only once the
  // checks have passed, and a check that fails is the error, whatever the lookups found.
  const lookups = Promise.allSettled([
    findOurClient(client, context, record, deps),
    findOurIntegration(client, context, record, deps),
  ]);
  // tokens/me names the token's org as well as the client's roles: one call for both checks.
  const [token, roles, divisionId] = await Promise.all([
    client.organization.tokenInfo(),
    client.authorization.resolveRoles(request.oauthClient.roles),
    resolveDivision(request.oauthClient.divisionId, client),
  ]);

  const org = token.organization;
  if (org?.id?.toLowerCase() !== request.orgId) {
    throw new OnboardingError(
      ONBOARDING_ERRORS.wrongOrg,
      `The bootstrap client belongs to another org than the requested org ${request.orgId}: nothing was changed`,
    );
  }
  const caller = token.OAuthClient;
  if (!caller?.id || caller.organization?.id === 'purecloud-builtin') {
    throw new OnboardingError(
      ONBOARDING_ERRORS.notClientCredentials,
      'The bootstrap credentials must belong to a client-credentials OAuth client',
    );
  }
  if (caller.id !== bootstrapClientId) {
    // The lookups kept the bootstrap client out by the id in its secret: it must be the token's client, or
    // they may have offered the bootstrap client itself for adoption.
    throw new OnboardingError(
      ONBOARDING_ERRORS.notClientCredentials,
      `The token of bootstrap secret ${request.bootstrapSecretId} belongs to OAuth client ${caller.id}, not to the client id the secret holds: store the id exactly as Genesys Cloud shows it`,
    );
  }
  if (roles.missing.length > 0) {
    throw new OnboardingError(
      ONBOARDING_ERRORS.unknownRoles,
      `No role in org ${request.orgId} is named exactly ${roles.missing.map((n) => JSON.stringify(n)).join(', ')}`,
    );
  }

  const held = caller.roleDivisions ?? (await client.oauthClients.get(caller.id)).roleDivisions ?? [];
  const notHeld = roles.found.filter(
    (role) =>
      !held.some((h) => h.roleId === role.id && (h.divisionId === '*' || h.divisionId === divisionId)),
  );
  if (notHeld.length > 0) {
    throw new OnboardingError(
      ONBOARDING_ERRORS.missingRoles,
      `The bootstrap client ${caller.name ?? caller.id} does not hold ${notHeld
        .map((role) => JSON.stringify(role.name))
        .join(
          ', ',
        )} in division ${divisionId}; a client can only grant roles it holds. Assign them to the bootstrap client first`,
    );
  }

  const roleDivisions: RoleDivision[] = roles.found.map((role) => ({ roleId: role.id, divisionId }));
  const [foundClient, foundIntegration] = (await lookups).map((outcome) => {
    if (outcome.status === 'rejected') throw outcome.reason;
    return outcome.value;
  }) as [ClientDecision, IntegrationDecision];
  const rotation = rotationInProgress(record.secret, await pendingRead, foundIntegration);
  return {
    ...context,
    oauthClient: { ...context.oauthClient, roleDivisions },
    found: { client: foundClient, integration: foundIntegration },
    request,
    ...(rotation ? { rotation } : {}),
  };
}

/**
 * A rotation in progress (an AWSPENDING version of the record): which client the integration runs on now,
 * the pending one once the rotation switched its configuration, else the current one.
 */
function rotationInProgress(
  current: ResultSecret | undefined,
  pending: ResultSecret | undefined,
  integration: IntegrationDecision,
): OnboardingPlan['rotation'] {
  if (!pending || !current || pending.clientId === current.clientId) return undefined;
  const configured = integration.action === 'use' ? integration.configuredCredentialId : undefined;
  const live = configured !== undefined && configured === pending.credentialId ? pending : current;
  return {
    pendingClientId: pending.clientId,
    liveClientId: live.clientId,
    ...(live.credentialId ? { liveCredentialId: live.credentialId } : {}),
  };
}

/** The requested division (checked to exist), `*`, or the home division when none was requested. */
async function resolveDivision(requested: string | undefined, client: GenesysClient): Promise<string> {
  if (requested === '*') return requested;
  if (requested) {
    const divisions = await client.authorization.listDivisions();
    if (!divisions.some((d) => d.id.toLowerCase() === requested)) {
      throw new OnboardingError(ONBOARDING_ERRORS.unknownDivision, `The org has no division ${requested}`);
    }
    return requested;
  }
  const home = await client.authorization.homeDivision();
  return home.id;
}

export const prepareStep = defineStep({
  name: 'onboarding/prepare',
  input: validatedOnboardingRequestSchema,
  run: prepare,
});
