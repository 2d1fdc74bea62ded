import { integrationType } from './integration-types';
import { nowIso, type SimIntegration, type SimMessageInfo, type SimOrg } from './state';

/** The localizable code the simulator gives activation failures; the real codes are UNVERIFIED. */
export const ACTIVATION_FAILED_CODE = 'INTEGRATION_ACTIVATION_FAILED';

/** A MessageInfo (SDK d.ts) carrying a plain message: no parameters, so `messageWithParams` is the message. */
export function messageInfo(
  message: string,
  localizableMessageCode = ACTIVATION_FAILED_CODE,
): SimMessageInfo {
  return { localizableMessageCode, message, messageWithParams: message, messageParams: {} };
}

const BAD_CREDENTIAL = 'The configured OAuth client credentials could not be used to authenticate';
const NO_CREDENTIAL = 'The integration has no credential configured';

/** Starts an activation: ACTIVATING until `activatesAt`, then ACTIVE, or ERROR with `failure` if given. */
export function startActivation(
  integration: SimIntegration,
  activatesAt: number,
  failure?: SimMessageInfo,
): void {
  integration.intendedState = 'ENABLED';
  integration.reportedState = { code: 'ACTIVATING', effective: 'Activating', lastUpdated: nowIso() };
  integration.activatesAt = activatesAt;
  integration.activationFailure = failure;
}

/**
 * Why this integration's credential would not work, or undefined when it would: a `pureCloudOAuthClient`
 * credential must name an active client of the org with its current secret; other credential types are taken
 * as they are.
 */
function credentialProblem(org: SimOrg, integration: SimIntegration): string | undefined {
  const spec = integrationType(integration.integrationTypeId)?.credential;
  if (!spec) return undefined;
  const credentialId = integration.config.credentials[spec.key]?.id;
  const credential = credentialId ? org.credentials.get(credentialId) : undefined;
  if (!credential) return spec.required ? NO_CREDENTIAL : undefined;
  if (credential.typeName !== 'pureCloudOAuthClient') return undefined;
  const client = org.clients.get(credential.fields.clientId ?? '');
  const works = client?.state === 'active' && client.secret === credential.fields.clientSecret;
  return works ? undefined : BAD_CREDENTIAL;
}

/** ACTIVATING turns into ACTIVE (or ERROR) once its time has come; called whenever the integration is read. */
export function settleActivation(org: SimOrg, integration: SimIntegration, now = Date.now()): void {
  if (integration.reportedState.code !== 'ACTIVATING' || integration.activatesAt === undefined) return;
  if (now < integration.activatesAt) return;
  const problem = credentialProblem(org, integration);
  const failure = integration.activationFailure ?? (problem ? messageInfo(problem) : undefined);
  integration.reportedState = failure
    ? { code: 'ERROR', effective: 'Error', detail: failure, lastUpdated: nowIso() }
    : { code: 'ACTIVE', effective: 'Active', lastUpdated: nowIso() };
  integration.activatesAt = undefined;
  integration.activationFailure = undefined;
}
