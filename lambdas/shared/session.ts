import type { GenesysClient } from '../genesys/client';
import { resolveEndpoints } from '../genesys/regions';
import type { StepDeps } from './deps';
import { ONBOARDING_ERRORS, OnboardingError } from './errors';
import { type ResultSecret, readBootstrapSecret } from './secrets';

/** A Genesys client authenticated as the org's bootstrap client, with the endpoint overrides of its secret. */
export async function openBootstrapSession(
  deps: StepDeps,
  target: { bootstrapSecretId: string; region: string },
): Promise<{ client: GenesysClient; apiUrl?: string; loginUrl?: string }> {
  const bootstrap = await readBootstrapSecret(deps.secrets, target.bootstrapSecretId);
  if (bootstrap.region && !sameRegion(bootstrap.region, target.region)) {
    throw new OnboardingError(
      ONBOARDING_ERRORS.regionMismatch,
      `The request is for region ${target.region} but bootstrap secret ${target.bootstrapSecretId} is for region ${bootstrap.region}`,
    );
  }
  const client = deps.genesys({
    region: target.region,
    apiUrl: bootstrap.apiUrl,
    loginUrl: bootstrap.loginUrl,
    credentials: { clientId: bootstrap.clientId, clientSecret: bootstrap.clientSecret },
  });
  return { client, apiUrl: bootstrap.apiUrl, loginUrl: bootstrap.loginUrl };
}

/** A Genesys client authenticated as the Data Actions client, from its stored secret. */
export function openClientSession(deps: StepDeps, secret: ResultSecret): GenesysClient {
  return deps.genesys({
    region: secret.region,
    apiUrl: secret.apiUrl,
    loginUrl: secret.loginUrl,
    credentials: { clientId: secret.clientId, clientSecret: secret.clientSecret },
  });
}

function sameRegion(a: string, b: string): boolean {
  try {
    return resolveEndpoints({ region: a }).region === resolveEndpoints({ region: b }).region;
  } catch {
    return false;
  }
}
