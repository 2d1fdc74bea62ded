import type { GenesysClient } from '../genesys/client';
import { EndpointPolicyError, resolveEndpoints, UnknownRegionError } from '../genesys/regions';
import type { StepDeps } from './deps';
import { ONBOARDING_ERRORS, OnboardingError } from './errors';
import { type ResultSecret, readBootstrapSecret } from './secrets';

/**
 * A Genesys client authenticated as the org's bootstrap client, with the endpoint overrides of its secret and
 * the bootstrap client's id as its secret holds it (an OAuth client's `id` is its client_id: genesys-cloud-api.md,
 * GO-SDK `oauthclient.go`).
 * Throws OnboardingError: `BootstrapSecretMissing`/`BootstrapSecretInvalid` (see readBootstrapSecret),
 * `RegionMismatch` (the secret is for another region), `UnknownRegion` (a region the table does not know and
 * no apiUrl/loginUrl), `EndpointNotAllowed` (a URL that is not HTTPS to a Genesys Cloud host and not allowed by
 * the `allowedHosts` setting): all before any call.
 */
export async function openBootstrapSession(
  deps: StepDeps,
  target: { bootstrapSecretId: string; region: string },
): Promise<{ client: GenesysClient; bootstrapClientId: string; apiUrl?: string; loginUrl?: string }> {
  const bootstrap = await readBootstrapSecret(deps.secrets, target.bootstrapSecretId);
  if (bootstrap.region && !sameRegion(bootstrap.region, target.region)) {
    throw new OnboardingError(
      ONBOARDING_ERRORS.regionMismatch,
      `The request is for region ${target.region} but bootstrap secret ${target.bootstrapSecretId} is for region ${bootstrap.region}`,
    );
  }
  const client = genesysClient(deps, {
    region: target.region,
    apiUrl: bootstrap.apiUrl,
    loginUrl: bootstrap.loginUrl,
    credentials: { clientId: bootstrap.clientId, clientSecret: bootstrap.clientSecret },
  });
  return {
    client,
    bootstrapClientId: bootstrap.clientId,
    apiUrl: bootstrap.apiUrl,
    loginUrl: bootstrap.loginUrl,
  };
}

/** A Genesys client authenticated as the Data Actions client, from its stored secret. */
export function openClientSession(
  deps: StepDeps,
  secret: Pick<ResultSecret, 'region' | 'apiUrl' | 'loginUrl'> & { clientId: string; clientSecret: string },
): GenesysClient {
  return genesysClient(deps, {
    region: secret.region,
    apiUrl: secret.apiUrl,
    loginUrl: secret.loginUrl,
    credentials: { clientId: secret.clientId, clientSecret: secret.clientSecret },
  });
}

function genesysClient(deps: StepDeps, options: Parameters<StepDeps['genesys']>[0]): GenesysClient {
  try {
    return deps.genesys({ ...options, allowedHosts: deps.settings.allowedHosts });
  } catch (error) {
    if (error instanceof UnknownRegionError) {
      throw new OnboardingError(ONBOARDING_ERRORS.unknownRegion, error.message);
    }
    if (error instanceof EndpointPolicyError) {
      throw new OnboardingError(ONBOARDING_ERRORS.endpointNotAllowed, error.message);
    }
    throw error;
  }
}

function sameRegion(a: string, b: string): boolean {
  const key = (region: string) => {
    try {
      return resolveEndpoints({ region }).region;
    } catch {
      // A region the table does not know (explicit URLs): compared by name.
      return region.trim().toLowerCase();
    }
  };
  return key(a) === key(b);
}
