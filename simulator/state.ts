import { randomBytes, randomUUID } from 'node:crypto';

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

export type SimClientState = 'active' | 'disabled' | 'inactive';

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
  createdById?: string;
  /** Epoch ms from which the token endpoint accepts this client (new clients take a moment to propagate). */
  usableAt: number;
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
  reportedState: { code: string; effective: string; detail?: string; lastUpdated: string };
  /** When ACTIVATING becomes ACTIVE (or ERROR). */
  activatesAt?: number;
  config: SimIntegrationConfig;
  dateCreated: string;
}

export interface SimCredential {
  id: string;
  name: string;
  typeName: string;
  fields: Record<string, string>;
  createdDate: string;
  modifiedDate: string;
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
    /** @default ['admin'] in division `*` */
    roles?: Array<string | { role: string; division: string }>;
    clientId?: string;
    clientSecret?: string;
  };
}

export interface SeededOrg {
  org: SimOrg;
  bootstrap: { clientId: string; clientSecret: string };
}

export const newSecret = (): string => randomBytes(32).toString('base64url');
export const nowIso = (): string => new Date().toISOString();

const BUILT_IN_ROLES: RoleSeed[] = [
  { name: 'admin', permissions: ['*'], description: 'Master Admin' },
  { name: 'employee', permissions: ['directory:user:view', 'analytics:conversationDetail:view'] },
];

export function createOrg(seed: OrgSeed): SeededOrg {
  const roles: SimRole[] = [...BUILT_IN_ROLES, ...(seed.roles ?? [])].map((role) => ({
    id: role.id ?? randomUUID(),
    name: role.name,
    description: role.description ?? '',
    permissions: role.permissions,
  }));
  const divisions: SimDivision[] = [
    { id: randomUUID(), name: 'Home', homeDivision: true },
    ...(seed.divisions ?? []).map((name) => ({ id: randomUUID(), name, homeDivision: false })),
  ];
  const org: SimOrg = {
    id: seed.id ?? randomUUID(),
    name: seed.name,
    thirdPartyOrgName: seed.name.toLowerCase().replace(/[^a-z0-9]+/g, '-'),
    roles,
    divisions,
    clients: new Map(),
    integrations: new Map(),
    credentials: new Map(),
  };
  const roleDivisions = (seed.bootstrap?.roles ?? ['admin']).map((entry) => {
    const spec = typeof entry === 'string' ? { role: entry, division: '*' } : entry;
    const role = roles.find((r) => r.name === spec.role);
    if (!role) throw new Error(`bootstrap role ${spec.role} is not a role of org ${seed.name}`);
    const division =
      spec.division === '*'
        ? '*'
        : divisions.find((d) => d.name === spec.division || d.id === spec.division)?.id;
    if (!division)
      throw new Error(`bootstrap division ${spec.division} is not a division of org ${seed.name}`);
    return { roleId: role.id, divisionId: division };
  });
  const created = nowIso();
  const bootstrap: SimOAuthClient = {
    id: seed.bootstrap?.clientId ?? randomUUID(),
    name: seed.bootstrap?.name ?? 'onboarding-bootstrap',
    description: 'Bootstrap client used by genesys-onboarding',
    secret: seed.bootstrap?.clientSecret ?? newSecret(),
    authorizedGrantType: 'CLIENT-CREDENTIALS',
    accessTokenValiditySeconds: 86_400,
    registeredRedirectUri: [],
    scope: [],
    roleDivisions,
    state: 'active',
    dateCreated: created,
    dateModified: created,
    usableAt: 0,
  };
  org.clients.set(bootstrap.id, bootstrap);
  return { org, bootstrap: { clientId: bootstrap.id, clientSecret: bootstrap.secret } };
}

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
