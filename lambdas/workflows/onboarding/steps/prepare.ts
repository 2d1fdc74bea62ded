import type { GenesysClient } from '../../../genesys/client';
import type { RoleDivision } from '../../../genesys/models';
import type { StepDeps } from '../../../shared/deps';
import { ONBOARDING_ERRORS, OnboardingError } from '../../../shared/errors';
import { resultSecretName } from '../../../shared/naming';
import type { OnboardingRequest } from '../../../shared/request';
import { validatedOnboardingRequestSchema } from '../../../shared/request';
import { openBootstrapSession } from '../../../shared/session';
import { defineStep } from '../../../shared/step';
import type { OnboardingPlan } from '../state';

/**
 * Checks that the bootstrap client is in the requested org (`GET /tokens/me`, which also answers the next
 * question) and holds every role it is asked to grant, and
 * resolves role names and the division to ids. Creates nothing.
 */
export async function prepare(request: OnboardingRequest, deps: StepDeps): Promise<OnboardingPlan> {
  const { client } = await openBootstrapSession(deps, request);

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
      `The bootstrap client belongs to org ${org?.id ?? 'unknown'} (${org?.name ?? 'unnamed'}), not to the requested org ${request.orgId}: nothing was changed`,
    );
  }
  const caller = token.OAuthClient;
  if (!caller || caller.organization?.id === 'purecloud-builtin') {
    throw new OnboardingError(
      ONBOARDING_ERRORS.notClientCredentials,
      'The bootstrap credentials must belong to a client-credentials OAuth client',
    );
  }
  if (roles.missing.length > 0) {
    throw new OnboardingError(
      ONBOARDING_ERRORS.unknownRoles,
      `No role in org ${request.orgId} is named exactly ${roles.missing.map((n) => JSON.stringify(n)).join(', ')}`,
    );
  }

  const roleDivisions: RoleDivision[] = roles.found.map((role) => ({ roleId: role.id, divisionId }));
  const held = caller.roleDivisions ?? [];
  const notHeld = roles.found.filter(
    (role) =>
      !held.some((h) => h.roleId === role.id && (h.divisionId === '*' || h.divisionId === divisionId)),
  );
  if (notHeld.length > 0) {
    throw new OnboardingError(
      ONBOARDING_ERRORS.missingRoles,
      `The bootstrap client ${caller.name} does not hold ${notHeld
        .map((role) => JSON.stringify(role.name))
        .join(
          ', ',
        )} in division ${divisionId}; a client can only grant roles it holds. Assign them to the bootstrap client first`,
    );
  }

  return {
    orgId: request.orgId,
    region: request.region,
    bootstrapSecretId: request.bootstrapSecretId,
    resultSecretId: resultSecretName(deps.settings.secretPrefix, request.orgId),
    oauthClient: {
      name: request.oauthClient.name,
      description: request.oauthClient.description,
      accessTokenValiditySeconds: request.oauthClient.accessTokenValiditySeconds,
      roleDivisions,
    },
    integration: request.integration,
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
