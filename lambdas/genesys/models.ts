/**
 * Request and response bodies, typed after the official models of purecloud-platform-client-v2
 * (imported type-only: erased at build time, nothing of the SDK ships in a bundle). Where the SDK types a
 * field as a plain string, the narrowing below adds the enum values from the Java SDK models.
 */
import type { Models } from 'purecloud-platform-client-v2';

/** `OAuthClientRequest.authorizedGrantType`. Note the hyphen in `CLIENT-CREDENTIALS`. */
export type AuthorizedGrantType = 'CODE' | 'TOKEN' | 'SAML2-BEARER' | 'PASSWORD' | 'CLIENT-CREDENTIALS';
export type OAuthClientState = 'active' | 'disabled' | 'inactive';
export type IntendedState = 'ENABLED' | 'DISABLED' | 'DELETED' | 'RESTORED';

export type RoleDivision = Models.RoleDivision;
export type OAuthClientRequest = Omit<Models.OAuthClientRequest, 'authorizedGrantType' | 'state'> & {
  authorizedGrantType: AuthorizedGrantType;
  state?: OAuthClientState;
};
/** An OAuth client as returned by GET/PUT: `secret` is absent there since 2025. */
export type OAuthClient = Models.OAuthClient & { id: string };
/** What POST /oauth/clients and POST /oauth/clients/{id}/secret return: the only responses with `secret`. */
export type OAuthClientWithSecret = OAuthClient & { secret: string };
export type OAuthClientEntityListing = Models.OAuthClientEntityListing;

export type DomainOrganizationRole = Models.DomainOrganizationRole & { id: string; name: string };
export type OrganizationRoleEntityListing = Models.OrganizationRoleEntityListing;
export type AuthzDivision = Models.AuthzDivision & { id: string };
export type AuthzDivisionEntityListing = Models.AuthzDivisionEntityListing;
export type TokenInfo = Models.TokenInfo;

export type Integration = Models.Integration & { id: string };
export type IntegrationEntityListing = Models.IntegrationEntityListing;
export type CreateIntegrationRequest = Models.CreateIntegrationRequest;
export type IntegrationConfiguration = Models.IntegrationConfiguration;
/** A data action (`GET /api/v2/integrations/actions` entity). */
export type DataAction = Models.Action & { id: string };
export type IntegrationPatch = { intendedState: IntendedState };

/** Credential body for POST/PUT. `type` is an object with `name`, and the field keys are case-sensitive. */
export type CredentialRequest = Omit<Models.Credential, 'type' | 'credentialFields'> & {
  name: string;
  type: { name: 'pureCloudOAuthClient' };
  credentialFields: { clientId: string; clientSecret: string };
};
export type CredentialInfo = Models.CredentialInfo & { id: string };
export type CredentialInfoCursorListing = Models.CredentialInfoCursorListing;

export type ErrorBody = Models.ErrorBody;
/** One entry of `ErrorBody.details`: `{errorCode, fieldName, entityId, entityName}`. */
export type ErrorDetail = Models.Detail;
/**
 * `IntegrationStatusInfo.detail` (`Integration.reportedState.detail`):
 * `{localizableMessageCode, message, messageWithParams, messageParams}`.
 */
export type MessageInfo = Models.MessageInfo;
/** The token endpoint answers errors in OAuth form, not as an ErrorBody. */
export interface OAuthErrorBody {
  error?: string;
  description?: string;
  error_description?: string;
}
export interface TokenResponse {
  access_token: string;
  token_type: string;
  expires_in: number;
}

/** The integration type id of "Genesys Cloud Data Actions". */
export const DATA_ACTIONS_INTEGRATION_TYPE = 'purecloud-data-actions';
/** Credential type and config credentials key used by the Data Actions integration. */
export const OAUTH_CREDENTIAL_TYPE = 'pureCloudOAuthClient';

/**
 * The id of the credential an integration is configured with: `config.current.credentials.pureCloudOAuthClient.id`
 * of an integration read with its configuration expanded (`expand=config.current`), the key Data Actions use
 * (genesys-cloud-api.md §6, SRC: TF docs example `example_gc_data_integration`, WIZARD `gc-data-actions.js`).
 * Undefined when it holds none, or when the integration was read without its configuration.
 */
export const configuredCredential = (integration: Pick<Integration, 'config'>): string | undefined =>
  integration.config?.current?.credentials?.[OAUTH_CREDENTIAL_TYPE]?.id;
