import { randomUUID } from 'node:crypto';
import { messageInfo, settleActivation, startActivation } from './activation';
import { CREDENTIAL_TYPES, integrationType } from './integration-types';
import {
  type CredentialSeed,
  type IntegrationSeed,
  newSecret,
  type OAuthClientSeed,
  type OrgSeed,
  type RoleGrantSeed,
  type RoleSeed,
  type SeededOrg,
  type SimCredential,
  type SimDivision,
  type SimIntegration,
  type SimOAuthClient,
  type SimOrg,
  type SimRole,
  type SimRoleDivision,
} from './state';

/** What seeding needs from the simulator: the time, and how long a seeded `deleted` client lingers. */
export interface SeedContext {
  readonly now: number;
  readonly deletedClientLingerMs: number;
}

const BUILT_IN_ROLES: RoleSeed[] = [
  { name: 'admin', permissions: ['*'], description: 'Master Admin' },
  { name: 'employee', permissions: ['directory:user:view', 'analytics:conversationDetail:view'] },
];

/**
 * Builds an org from its seed: roles, divisions, the bootstrap client, then the seeded OAuth clients,
 * credentials and integrations (already settled: an ENABLED integration is ACTIVE or ERROR). Seeded resources
 * are readable and listed at once.
 * @throws Error when the seed names a role, division, client, integration type or credential type the org
 *   does not have, or misses a credential field.
 */
export function createOrg(seed: OrgSeed, context: SeedContext): SeededOrg {
  const roles: SimRole[] = [...BUILT_IN_ROLES, ...(seed.roles ?? [])].map((role) => ({
    id: role.id ?? randomUUID(),
    name: role.name,
    description: role.description ?? '',
    permissions: role.permissions,
  }));
  const home: SimDivision = { id: randomUUID(), name: 'Home', homeDivision: true };
  const divisions: SimDivision[] = [
    home,
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
    actions: new Map(),
  };
  const bootstrap = seededClient(
    org,
    context,
    {
      id: seed.bootstrap?.clientId,
      name: seed.bootstrap?.name ?? 'onboarding-bootstrap',
      description: 'Bootstrap client used by genesys-onboarding',
      secret: seed.bootstrap?.clientSecret,
      roles: seed.bootstrap?.roles ?? ['admin'],
    },
    '*',
  );
  org.clients.set(bootstrap.id, bootstrap);
  for (const clientSeed of seed.oauthClients ?? []) {
    const client = seededClient(org, context, clientSeed, home.id);
    if (org.clients.has(client.id)) throw new Error(`OAuth client id ${client.id} is seeded twice`);
    org.clients.set(client.id, client);
  }
  for (const credentialSeed of seed.credentials ?? []) seedCredential(org, context, credentialSeed);
  for (const integrationSeed of seed.integrations ?? []) seedIntegration(org, context, integrationSeed);
  return { org, bootstrap: { clientId: bootstrap.id, clientSecret: bootstrap.secret } };
}

/** Role grants by role name; a plain name is granted in `plainDivision` (`*` or a division id). */
function roleDivisions(org: SimOrg, grants: RoleGrantSeed[], plainDivision: string): SimRoleDivision[] {
  return grants.map((grant) => {
    const spec = typeof grant === 'string' ? { role: grant, division: plainDivision } : grant;
    const role = org.roles.find((r) => r.name === spec.role);
    if (!role) throw new Error(`role ${spec.role} is not a role of org ${org.name}`);
    const division =
      spec.division === '*'
        ? '*'
        : org.divisions.find((d) => d.name === spec.division || d.id === spec.division)?.id;
    if (!division) throw new Error(`division ${spec.division} is not a division of org ${org.name}`);
    return { roleId: role.id, divisionId: division };
  });
}

function seededClient(
  org: SimOrg,
  context: SeedContext,
  seed: OAuthClientSeed,
  plainDivision: string,
): SimOAuthClient {
  const created = seed.dateCreated ?? new Date(context.now).toISOString();
  const purgeAt = seed.state === 'deleted' ? context.now + context.deletedClientLingerMs : undefined;
  return {
    id: seed.id ?? randomUUID(),
    name: seed.name,
    description: seed.description,
    secret: seed.secret ?? newSecret(),
    authorizedGrantType: seed.authorizedGrantType ?? 'CLIENT-CREDENTIALS',
    accessTokenValiditySeconds: seed.accessTokenValiditySeconds ?? 86_400,
    registeredRedirectUri: seed.registeredRedirectUri ?? [],
    scope: [],
    roleDivisions: roleDivisions(org, seed.roles ?? [], plainDivision),
    state: seed.state ?? 'active',
    dateCreated: created,
    dateModified: created,
    ...(purgeAt === undefined ? {} : { purgeAt, dateToDelete: new Date(purgeAt).toISOString() }),
    usableAt: 0,
    readableAt: 0,
    listedAt: 0,
  };
}

function seedCredential(org: SimOrg, context: SeedContext, seed: CredentialSeed): SimCredential {
  const typeName = seed.type ?? 'pureCloudOAuthClient';
  const required = CREDENTIAL_TYPES[typeName];
  if (!required) throw new Error(`credential type ${typeName} is not known`);
  let fields = seed.fields ?? {};
  if (seed.forClient !== undefined) {
    const client = [...org.clients.values()].find((c) => c.name === seed.forClient);
    if (!client) throw new Error(`credential seed: no seeded OAuth client named ${seed.forClient}`);
    fields = { clientId: client.id, clientSecret: client.secret, ...fields };
  }
  const missing = required.find((field) => !fields[field]);
  if (missing) throw new Error(`credential seed ${seed.name ?? ''}: field ${missing} is required`);
  const date = new Date(context.now).toISOString();
  const credential: SimCredential = {
    id: seed.id ?? randomUUID(),
    name: seed.name,
    typeName,
    fields,
    createdDate: date,
    modifiedDate: date,
    readableAt: 0,
  };
  org.credentials.set(credential.id, credential);
  return credential;
}

function seedIntegration(org: SimOrg, context: SeedContext, seed: IntegrationSeed): void {
  const type = integrationType(seed.type);
  if (!type) throw new Error(`integration type ${seed.type} is not known`);
  if (seed.credential && !type.credential)
    throw new Error(`integration type ${seed.type} takes no credential (integration ${seed.name})`);
  const credential = seed.credential ? seedCredential(org, context, seed.credential) : undefined;
  const key = type.credential?.key;
  const notes = seed.notes ?? '';
  const integration: SimIntegration = {
    id: seed.id ?? randomUUID(),
    name: seed.name,
    notes,
    integrationTypeId: type.id,
    intendedState: 'DISABLED',
    reportedState: {
      code: 'INACTIVE',
      effective: 'Inactive',
      lastUpdated: new Date(context.now).toISOString(),
    },
    config: {
      name: seed.name,
      version: credential ? 2 : 1,
      properties: {},
      advanced: {},
      notes,
      credentials: credential && key ? { [key]: { id: credential.id } } : {},
    },
    dateCreated: new Date(context.now).toISOString(),
    readableAt: 0,
  };
  if (seed.intendedState === 'ENABLED') {
    startActivation(
      integration,
      context.now,
      seed.activationError ? messageInfo(seed.activationError) : undefined,
    );
    settleActivation(org, integration, context.now);
  }
  org.integrations.set(integration.id, integration);
}
