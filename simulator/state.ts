import { randomBytes } from 'node:crypto';

export interface SimRole {
  id: string;
  name: string;
  description: string;
  permissions: string[];
}

export interface SimDivision {
  id: string;
  name: string;
  homeDivision: boolean;
}

export interface SimRoleDivision {
  roleId: string;
  divisionId: string;
}

/**
 * OAuthClient.state (JAVA-SDK enum `active`, `disabled`, `inactive`; `deleted` as TF reads it after a DELETE).
 * active: mints tokens. inactive: no new tokens, existing ones keep working until they expire ("will be
 * deleted"). disabled (set by Genesys support): no new tokens and existing ones invalid. deleted: lingers
 * (listed and readable) until `purgeAt`, its tokens invalid.
 */
export type SimClientState = 'active' | 'disabled' | 'inactive' | 'deleted';

export interface SimOAuthClient {
  id: string;
  name: string;
  description?: string;
  secret: string;
  authorizedGrantType: string;
  accessTokenValiditySeconds: number;
  registeredRedirectUri: string[];
  scope: string[];
  roleDivisions: SimRoleDivision[];
  state: SimClientState;
  dateCreated: string;
  dateModified: string;
  /** ISO-8601: when the client will be (or, once deleted, is) removed for good. */
  dateToDelete?: string;
  createdById?: string;
  modifiedById?: string;
  /** Epoch ms from which the token endpoint accepts this client (new clients take a moment to propagate). */
  usableAt: number;
  /** Epoch ms from which reads by id find it (reads just after a create may 404). */
  readableAt: number;
  /** Epoch ms from which `GET /oauth/clients` lists it (the listing lags behind creates). */
  listedAt: number;
  /** Epoch ms at which a deleted client is gone for good (404). */
  purgeAt?: number;
}

/** MessageInfo, the shape of `reportedState.detail` (SDK d.ts): an object, never a string. */
export interface SimMessageInfo {
  localizableMessageCode: string;
  message: string;
  messageWithParams: string;
  messageParams: Record<string, string>;
}

/** IntegrationStatusInfo. */
export interface SimReportedState {
  code: 'ACTIVE' | 'ACTIVATING' | 'INACTIVE' | 'DEACTIVATING' | 'ERROR';
  effective: string;
  detail?: SimMessageInfo;
  lastUpdated: string;
}

export interface SimIntegrationConfig {
  name: string;
  version: number;
  properties: Record<string, unknown>;
  advanced: Record<string, unknown>;
  notes: string;
  credentials: Record<string, { id: string }>;
}

export interface SimIntegration {
  id: string;
  name: string;
  notes: string;
  integrationTypeId: string;
  intendedState: 'ENABLED' | 'DISABLED';
  reportedState: SimReportedState;
  /** When ACTIVATING becomes ACTIVE (or ERROR). */
  activatesAt?: number;
  /** Set when an activation starts: it will end in ERROR with this detail (a scripted activation failure). */
  activationFailure?: SimMessageInfo;
  config: SimIntegrationConfig;
  dateCreated: string;
  /** Epoch ms from which reads by id find it. */
  readableAt: number;
  /** Epoch ms from which the listing shows it (knob `integrationListingLagMs`); absent: always listed. */
  listedAt?: number;
}

export interface SimCredential {
  id: string;
  /** Optional in the SDK's `Credential` model. */
  name?: string;
  typeName: string;
  fields: Record<string, string>;
  createdDate: string;
  modifiedDate: string;
  /** Epoch ms from which reads by id find it. */
  readableAt: number;
}

/** A data action (`Action`); ids are `custom_-_<uuid>` as for custom actions (TF notes). */
export interface SimAction {
  id: string;
  name: string;
  category: string;
  integrationId: string;
  secure: boolean;
  version: number;
  config: Record<string, unknown>;
  contract: Record<string, unknown>;
}

export interface SimOrg {
  id: string;
  name: string;
  thirdPartyOrgName: string;
  roles: SimRole[];
  divisions: SimDivision[];
  clients: Map<string, SimOAuthClient>;
  integrations: Map<string, SimIntegration>;
  credentials: Map<string, SimCredential>;
  actions: Map<string, SimAction>;
}

export interface SimToken {
  orgId: string;
  clientId: string;
  expiresAt: number;
}

export interface RoleSeed {
  name: string;
  permissions: string[];
  description?: string;
  id?: string;
}

/** A role, granted in division `*` or the named one; a division is given by name or id. */
export type RoleGrantSeed = string | { role: string; division: string };

/** An OAuth client already in the org (created by someone else, or left over). */
export interface OAuthClientSeed {
  /** @default a random UUID */
  id?: string;
  name: string;
  description?: string;
  /** Role names; a plain name is granted in the Home division. @default none */
  roles?: RoleGrantSeed[];
  /** `deleted`: lingering after a DELETE, gone `deletedClientLingerMs` after the org is added. @default 'active' */
  state?: SimClientState;
  /** ISO-8601. @default the time the org is added */
  dateCreated?: string;
  /** @default a random secret */
  secret?: string;
  /** @default 'CLIENT-CREDENTIALS' */
  authorizedGrantType?: 'CODE' | 'TOKEN' | 'SAML2-BEARER' | 'PASSWORD' | 'CLIENT-CREDENTIALS';
  /** @default 86400 */
  accessTokenValiditySeconds?: number;
  /** For CODE and TOKEN clients. @default none */
  registeredRedirectUri?: string[];
}

/** An integration credential already in the org. */
export interface CredentialSeed {
  /** @default a random UUID */
  id?: string;
  /** @default no name (the SDK's Credential makes it optional) */
  name?: string;
  /** Credential type name. @default 'pureCloudOAuthClient' */
  type?: string;
  /** The credential's fields. @default the id and secret of `forClient` */
  fields?: Record<string, string>;
  /** Name of a seeded OAuth client whose id and secret fill `clientId`/`clientSecret`. */
  forClient?: string;
}

/** An integration already in the org, of any known type. */
export interface IntegrationSeed {
  /** @default a random UUID */
  id?: string;
  name: string;
  /** Integration type id, e.g. `purecloud-data-actions`, `custom-rest-actions`, `embedded-client-app`. */
  type: string;
  /** Config notes. @default '' */
  notes?: string;
  /**
   * ENABLED integrations report ACTIVE when their credential works, ERROR otherwise (a missing credential,
   * one whose client is not active, a wrong secret). @default 'DISABLED' (INACTIVE)
   */
  intendedState?: 'ENABLED' | 'DISABLED';
  /** The credential configured under the type's credential key (config version 2). @default none configured */
  credential?: CredentialSeed;
  /** An ENABLED integration reports ERROR with this `detail.message`, whatever its credential. */
  activationError?: string;
}

export interface OrgSeed {
  /** @default a random UUID */
  id?: string;
  name: string;
  /** Roles besides the built-in `admin` and `employee`. */
  roles?: RoleSeed[];
  /** Divisions besides `Home`. */
  divisions?: string[];
  bootstrap?: {
    /** @default `onboarding-bootstrap` */
    name?: string;
    /** @default ['admin'] in division `*` (a plain role name is granted in `*`) */
    roles?: RoleGrantSeed[];
    clientId?: string;
    clientSecret?: string;
  };
  /** OAuth clients besides the bootstrap client. @default none */
  oauthClients?: OAuthClientSeed[];
  /** Integrations, with their configured credential. @default none */
  integrations?: IntegrationSeed[];
  /** Credentials not configured in any integration (left over, or in use elsewhere). @default none */
  credentials?: CredentialSeed[];
}

export interface SeededOrg {
  org: SimOrg;
  bootstrap: { clientId: string; clientSecret: string };
}

export const newSecret = (): string => randomBytes(32).toString('base64url');
export const nowIso = (): string => new Date().toISOString();

/** Whether a Genesys permission grant (`integrations:*:*`, `*`) covers a required permission. */
export function permissionMatches(granted: string, required: string): boolean {
  if (granted === '*') return true;
  const g = granted.split(':');
  const r = required.split(':');
  return r.every((part, i) => g[i] === '*' || g[i] === part);
}

export function clientPermissions(org: SimOrg, client: SimOAuthClient): string[] {
  const roleIds = new Set(client.roleDivisions.map((rd) => rd.roleId));
  return org.roles.filter((role) => roleIds.has(role.id)).flatMap((role) => role.permissions);
}

/** The role-subset rule: a client may grant a role in a division only if it holds that role there or in `*`. */
export function holdsRoleDivision(client: SimOAuthClient, wanted: SimRoleDivision): boolean {
  return client.roleDivisions.some(
    (held) =>
      held.roleId === wanted.roleId && (held.divisionId === '*' || held.divisionId === wanted.divisionId),
  );
}
