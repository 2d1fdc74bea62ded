import type { GenesysClient, GenesysClientOptions } from '../../lambdas/genesys/client';
import { GenesysApiError, type GenesysErrorKind, isGenesysError } from '../../lambdas/genesys/errors';
import {
  type AuthzDivision,
  type CredentialInfo,
  type CredentialRequest,
  DATA_ACTIONS_INTEGRATION_TYPE,
  type DataAction,
  type DomainOrganizationRole,
  type Integration,
  type IntegrationConfiguration,
  type MessageInfo,
  type OAuthClient,
  type OAuthClientWithSecret,
  type RoleDivision,
  type TokenInfo,
} from '../../lambdas/genesys/models';
import { resolveEndpoints } from '../../lambdas/genesys/regions';
import type { GenesysFactory } from '../../lambdas/shared/deps';

/** The public members of a class (a fake cannot have the private ones). */
type PublicSurface<T> = { [K in keyof T]: T[K] };

/**
 * What `deps.genesys(options)` returns, as far as code outside the client can see it: every public member of
 * every API of lambdas/genesys/client.ts. The fake implements exactly this, so a change to the client's
 * public API breaks the fake at compile time.
 */
export type GenesysClientSurface = { [K in keyof GenesysClient]: PublicSurface<GenesysClient[K]> };

/** `<api>.<method>` of every operation the fake answers, e.g. `oauthClients.create`. */
export type FakeOperation = {
  [A in keyof GenesysClientSurface]: `${A & string}.${keyof GenesysClientSurface[A] & string}`;
}[keyof GenesysClientSurface];

/** One operation the fake received: which session (client id) called it, and its arguments. */
export interface FakeCall {
  readonly op: FakeOperation;
  /** The client id of the session that called it. */
  readonly caller: string;
  readonly args: readonly unknown[];
}

/**
 * Runs before an operation with its arguments: throws to make the operation fail, returns a value to answer
 * with it instead, or returns undefined to let the fake answer.
 */
export type Interceptor = (...args: never[]) => unknown;

/** An OAuth client as the fake org holds it, its secret included. */
export type FakeOAuthClient = OAuthClient & { secret: string };

/** An integration as the fake org holds it: always with its current config. */
export type FakeIntegration = Integration & {
  config: { current: IntegrationConfiguration & { version: number } };
  reportedState?: { code?: string; detail?: MessageInfo | string };
};

/** A credential as the fake org holds it, with the fields that the API never returns. */
export type FakeCredential = CredentialInfo & { fields: CredentialRequest['credentialFields'] };

const WRITES = /\.(create|update|delete|regenerateSecret|patch|putConfig)$/;

export interface FakeGenesysOptions {
  readonly orgId: string;
  /** Milliseconds since the epoch, for `dateCreated`/`createdDate`. */
  readonly now: () => number;
}

/**
 * One Genesys Cloud org in memory behind the GenesysClient surface, for step tests without the simulator.
 * It behaves as the client does toward its callers (documented in lambdas/genesys and genesys-cloud-api.md):
 * a token only for an active client with its current secret (`invalid_client` otherwise, and for the ids in
 * `notYetUsable`); `find` answers undefined for a missing id and `get` a `not-found` error; listings hide the
 * ids in `hiddenFromListing` (a lagging listing); a client's secret only in the answers of `create` and
 * `regenerateSecret`; DELETE of a client only when it is `inactive`; a config PUT only with the current
 * version (else a `conflict`), which it then increments; a credential DELETE refused (`conflict`) while an
 * integration is configured with it; a new integration `DISABLED` with config version 1. Every operation is
 * recorded in `calls`; `intercept` makes one fail or answer otherwise.
 */
export class FakeGenesys {
  readonly orgId: string;
  readonly clients = new Map<string, FakeOAuthClient>();
  readonly integrations = new Map<string, FakeIntegration>();
  readonly credentials = new Map<string, FakeCredential>();
  /** Data actions by id (`integrationId` names the integration each belongs to). */
  readonly actions = new Map<string, DataAction>();
  readonly roles: DomainOrganizationRole[] = [];
  readonly divisions: AuthzDivision[] = [
    { id: 'division-home', name: 'Home', description: 'Home division', homeDivision: true },
  ];
  homeDivisionId = 'division-home';
  readonly calls: FakeCall[] = [];
  /** Options of every client the factory made (credentials reduced to the client id). */
  readonly sessions: Array<Omit<GenesysClientOptions, 'credentials'> & { clientId: string }> = [];
  /** Client and credential ids their listings do not show yet. */
  readonly hiddenFromListing = new Set<string>();
  /** Client ids whose credentials do not mint tokens yet (a new client, eventual consistency). */
  readonly notYetUsable = new Set<string>();
  /** Whether tokens/me fills `OAuthClient.roleDivisions` (UNVERIFIED for client-credentials tokens). */
  tokensMeHasRoleDivisions = true;
  /** `reportedState.code` an integration reports once it is PATCHed to ENABLED. */
  reportedStateAfterEnable = 'ACTIVATING';
  /** The bootstrap client: the caller of every session opened with its credentials. */
  readonly bootstrap: FakeOAuthClient;

  private readonly now: () => number;
  private readonly interceptors = new Map<FakeOperation, Interceptor[]>();
  private counter = 0;

  constructor(options: FakeGenesysOptions) {
    this.orgId = options.orgId;
    this.now = options.now;
    this.bootstrap = this.addClient({
      id: 'bootstrap-client',
      name: 'Bootstrap',
      secret: 'bootstrap-secret',
    });
  }

  /**
   * The factory to put in `StepDeps.genesys`. Applies the client's endpoint policy (`resolveEndpoints`), so
   * an unknown region or a refused URL throws as the real constructor does.
   */
  readonly factory: GenesysFactory = (options) => {
    resolveEndpoints(options);
    const { credentials, ...rest } = options;
    this.sessions.push({ ...rest, clientId: credentials.clientId });
    return this.clientFor(credentials) as unknown as GenesysClient;
  };

  /** Adds a role; the bootstrap client holds it in `heldIn` divisions (none: not held). */
  addRole(name: string, heldIn: readonly string[] = ['*']): DomainOrganizationRole {
    const role = { id: `role-${this.nextId()}`, name };
    this.roles.push(role);
    for (const divisionId of heldIn) this.bootstrap.roleDivisions?.push({ roleId: role.id, divisionId });
    return role;
  }

  addClient(client: Partial<FakeOAuthClient> & { name: string }): FakeOAuthClient {
    const stored: FakeOAuthClient = {
      id: client.id ?? `client-${this.nextId()}`,
      authorizedGrantType: 'CLIENT-CREDENTIALS',
      description: '',
      accessTokenValiditySeconds: 86_400,
      roleDivisions: [],
      state: 'active',
      dateCreated: new Date(this.now()).toISOString(),
      secret: `secret-of-${client.id ?? 'client'}-${this.nextId()}`,
      ...client,
    };
    this.clients.set(stored.id, stored);
    return stored;
  }

  addIntegration(
    integration: Partial<Omit<FakeIntegration, 'config'>> & {
      name: string;
      config?: Partial<FakeIntegration['config']['current']>;
    },
  ): FakeIntegration {
    const { config, ...rest } = integration;
    const stored: FakeIntegration = {
      id: rest.id ?? `integration-${this.nextId()}`,
      integrationType: { id: DATA_ACTIONS_INTEGRATION_TYPE },
      intendedState: 'DISABLED',
      ...rest,
      config: {
        current: {
          name: rest.name,
          version: 1,
          properties: {},
          advanced: {},
          notes: '',
          credentials: {},
          ...config,
        },
      },
    };
    this.integrations.set(stored.id, stored);
    return stored;
  }

  addCredential(credential: Partial<FakeCredential> & { name: string }): FakeCredential {
    const stored: FakeCredential = {
      id: credential.id ?? `credential-${this.nextId()}`,
      type: { name: 'pureCloudOAuthClient' },
      createdDate: new Date(this.now()).toISOString(),
      fields: { clientId: 'someone', clientSecret: 'someone-else-secret' },
      ...credential,
    };
    this.credentials.set(stored.id as string, stored);
    return stored;
  }

  /** Runs `interceptor` before every `op` (or its next `times` calls); see `Interceptor`. */
  intercept<O extends FakeOperation>(
    op: O,
    interceptor: (...args: Parameters<OperationOf<O>>) => unknown,
    times = Number.POSITIVE_INFINITY,
  ): this {
    let left = times;
    const once: Interceptor = (...args) => {
      if (left <= 0) return undefined;
      left -= 1;
      return (interceptor as Interceptor)(...args);
    };
    this.interceptors.set(op, [...(this.interceptors.get(op) ?? []), once]);
    return this;
  }

  /** Makes `op` fail with `error` (its next `times` calls, or always). */
  failOn(op: FakeOperation, error: Error, times = Number.POSITIVE_INFINITY): this {
    return this.intercept(
      op,
      () => {
        throw error;
      },
      times,
    );
  }

  /** The recorded operations, as `op` strings (with the first argument when it is an id). */
  operations(filter: (call: FakeCall) => boolean = () => true): string[] {
    return this.calls.filter(filter).map(describeCall);
  }

  /** The recorded operations that change the org. */
  writes(): string[] {
    return this.operations((call) => WRITES.test(call.op));
  }

  /** The calls of one operation. */
  callsOf(op: FakeOperation): FakeCall[] {
    return this.calls.filter((call) => call.op === op);
  }

  private nextId(): number {
    this.counter += 1;
    return this.counter;
  }

  private clientFor(credentials: { clientId: string; clientSecret: string }): GenesysClientSurface {
    const caller = credentials.clientId;
    const op = <A extends unknown[], R>(name: FakeOperation, impl: (...args: A) => Promise<R> | R) => {
      return async (...args: A): Promise<R> => {
        this.calls.push({ op: name, caller, args });
        if (!name.startsWith('tokens.')) this.authenticate(credentials);
        for (const interceptor of this.interceptors.get(name) ?? []) {
          const answer = await (interceptor as (...a: A) => unknown)(...args);
          if (answer !== undefined) return answer as R;
        }
        return impl(...args);
      };
    };

    const surface: GenesysClientSurface = {
      tokens: {
        getToken: op('tokens.getToken', () => {
          this.authenticate(credentials);
          return `token-of-${caller}`;
        }),
        verifyCredentials: op('tokens.verifyCredentials', () => {
          this.authenticate(credentials);
        }),
        invalidate: (token: string) => {
          this.calls.push({ op: 'tokens.invalidate', caller, args: [token] });
        },
      },
      organization: {
        tokenInfo: op('organization.tokenInfo', (): TokenInfo => {
          const client = this.clients.get(caller) as FakeOAuthClient;
          return {
            organization: { id: this.orgId, name: 'Fake org' },
            OAuthClient: {
              id: client.id,
              name: client.name ?? '',
              authorizedGrantType: client.authorizedGrantType ?? 'CLIENT-CREDENTIALS',
              organization: { id: this.orgId, name: 'Fake org' },
              ...(this.tokensMeHasRoleDivisions
                ? { roleDivisions: structuredClone(client.roleDivisions) }
                : {}),
            },
          };
        }),
      },
      authorization: {
        listRoles: op('authorization.listRoles', () => structuredClone(this.roles)),
        findRoleByName: op('authorization.findRoleByName', (name: string) =>
          this.roles.find((role) => role.name === name),
        ),
        resolveRoles: op('authorization.resolveRoles', async (names: readonly string[]) => {
          const results = await Promise.all(
            names.map(async (name) => ({ name, role: await surface.authorization.findRoleByName(name) })),
          );
          return {
            found: results.flatMap((r) => (r.role ? [r.role] : [])),
            missing: results.filter((r) => !r.role).map((r) => r.name),
          };
        }),
        homeDivision: op('authorization.homeDivision', () => {
          const home = this.divisions.find((d) => d.id === this.homeDivisionId);
          if (!home) throw apiError('not-found', 'GET', '/api/v2/authorization/divisions/home');
          return home;
        }),
        listDivisions: op('authorization.listDivisions', () => structuredClone(this.divisions)),
      },
      oauthClients: {
        list: op('oauthClients.list', () =>
          [...this.clients.values()].filter((c) => !this.hiddenFromListing.has(c.id)).map(withoutSecret),
        ),
        get: op('oauthClients.get', (clientId: string) => withoutSecret(this.clientOr404(clientId, 'GET'))),
        find: op('oauthClients.find', async (clientId: string, options?: { retryNotFoundMs?: number }) => {
          try {
            return await surface.oauthClients.get(clientId, options);
          } catch (error) {
            if (isGenesysError(error, 'not-found')) return undefined;
            throw error;
          }
        }),
        create: op('oauthClients.create', (request): OAuthClientWithSecret => {
          const created = this.addClient({
            ...structuredClone(request),
            name: request.name,
            secret: `new-secret-${this.nextId()}`,
          });
          return structuredClone(created);
        }),
        update: op('oauthClients.update', (clientId: string, request) => {
          const client = this.clientOr404(clientId, 'PUT');
          Object.assign(client, structuredClone(request));
          return withoutSecret(client);
        }),
        delete: op('oauthClients.delete', (clientId: string) => {
          const client = this.clientOr404(clientId, 'DELETE');
          if (client.state !== 'inactive') {
            throw apiError(
              'bad-request',
              'DELETE',
              `/api/v2/oauth/clients/${clientId}`,
              'client.not.inactive',
            );
          }
          this.clients.delete(clientId);
        }),
        deactivateAndDelete: op('oauthClients.deactivateAndDelete', async (clientId: string, options) => {
          const current = await surface.oauthClients.find(clientId, options);
          if (!current || current.state === 'deleted') return 'absent' as const;
          if (current.state !== 'inactive') {
            await surface.oauthClients.update(clientId, {
              name: current.name,
              authorizedGrantType: 'CLIENT-CREDENTIALS',
              state: 'inactive',
            });
          }
          await surface.oauthClients.delete(clientId);
          return 'deleted' as const;
        }),
        regenerateSecret: op('oauthClients.regenerateSecret', (clientId: string): OAuthClientWithSecret => {
          const client = this.clientOr404(clientId, 'POST');
          client.secret = `regenerated-secret-${this.nextId()}`;
          return structuredClone(client);
        }),
      },
      integrations: {
        listByType: op('integrations.listByType', (integrationType: string) =>
          [...this.integrations.values()]
            .filter((i) => i.integrationType?.id === integrationType)
            .map((i) => structuredClone(i)),
        ),
        listActions: op('integrations.listActions', () =>
          [...this.actions.values()].map((action) => structuredClone(action)),
        ),
        findByName: op('integrations.findByName', async (integrationType: string, name: string) =>
          (await surface.integrations.listByType(integrationType)).filter((i) => i.name === name),
        ),
        get: op('integrations.get', (integrationId: string, options?: { expandConfig?: boolean }) => {
          const integration = structuredClone(this.integrationOr404(integrationId, 'GET')) as Integration;
          if (!options?.expandConfig) delete integration.config;
          return integration;
        }),
        find: op('integrations.find', async (integrationId: string, options?) => {
          try {
            return await surface.integrations.get(integrationId, options);
          } catch (error) {
            if (isGenesysError(error, 'not-found')) return undefined;
            throw error;
          }
        }),
        create: op('integrations.create', (request) => {
          const created = this.addIntegration({
            name: request.name,
            integrationType: { id: request.integrationType?.id as string },
          });
          const { config: _config, ...answer } = structuredClone(created);
          return answer;
        }),
        patch: op('integrations.patch', (integrationId: string, patch) => {
          const integration = this.integrationOr404(integrationId, 'PATCH');
          integration.intendedState = patch.intendedState;
          if (patch.intendedState === 'ENABLED') {
            integration.reportedState = { code: this.reportedStateAfterEnable };
          }
          const { config: _config, ...answer } = structuredClone(integration);
          return answer;
        }),
        delete: op('integrations.delete', (integrationId: string) => {
          const integration = this.integrationOr404(integrationId, 'DELETE');
          this.integrations.delete(integrationId);
          return structuredClone(integration);
        }),
        deleteAndWait: op('integrations.deleteAndWait', async (integrationId: string, options) => {
          try {
            await surface.integrations.delete(integrationId, options);
          } catch (error) {
            if (isGenesysError(error, 'not-found')) return 'absent' as const;
            throw error;
          }
          return 'deleted' as const;
        }),
        getConfig: op('integrations.getConfig', (integrationId: string) =>
          structuredClone(this.integrationOr404(integrationId, 'GET').config.current),
        ),
        putConfig: op('integrations.putConfig', (integrationId: string, config: IntegrationConfiguration) => {
          const integration = this.integrationOr404(integrationId, 'PUT');
          const current = integration.config.current;
          if (config.version !== current.version) {
            throw apiError('conflict', 'PUT', `/api/v2/integrations/${integrationId}/config/current`);
          }
          integration.config.current = { ...structuredClone(config), version: current.version + 1 };
          integration.name = config.name;
          return structuredClone(integration.config.current);
        }),
        updateConfig: op('integrations.updateConfig', async (integrationId: string, change, options) => {
          let known = options?.knownCurrent;
          for (let attempt = 1; ; attempt++) {
            const current = known ?? (await surface.integrations.getConfig(integrationId, options));
            known = undefined;
            const next = await change(current);
            if (next === undefined) return current;
            try {
              return await surface.integrations.putConfig(
                integrationId,
                { ...next, version: current.version },
                options,
              );
            } catch (error) {
              if (!isGenesysError(error, 'conflict') || attempt >= 10) throw error;
            }
          }
        }),
      },
      credentials: {
        find: op('credentials.find', (credentialId: string) => {
          const credential = this.credentials.get(credentialId);
          return credential && credentialInfo(credential);
        }),
        create: op('credentials.create', (request: CredentialRequest): CredentialInfo => {
          const created = this.addCredential({
            name: request.name,
            type: { name: request.type.name },
            fields: { ...request.credentialFields },
          });
          return credentialInfo(created);
        }),
        update: op('credentials.update', (credentialId: string, request: CredentialRequest) => {
          const credential = this.credentialOr404(credentialId, 'PUT');
          Object.assign(credential, { name: request.name, fields: { ...request.credentialFields } });
          return credentialInfo(credential);
        }),
        delete: op('credentials.delete', (credentialId: string) => {
          if (!this.credentials.has(credentialId)) return 'absent' as const;
          const holder = [...this.integrations.values()].find(
            (i) => i.config.current.credentials?.pureCloudOAuthClient?.id === credentialId,
          );
          if (holder) {
            throw apiError(
              'conflict',
              'DELETE',
              `/api/v2/integrations/credentials/${credentialId}`,
              'in.use',
            );
          }
          this.credentials.delete(credentialId);
          return 'deleted' as const;
        }),
        listAll: op('credentials.listAll', () =>
          [...this.credentials.values()]
            .filter((c) => !this.hiddenFromListing.has(c.id as string))
            .map(credentialInfo),
        ),
        findByName: op('credentials.findByName', async (name: string) =>
          (await surface.credentials.listAll()).filter((c) => c.name === name),
        ),
      },
    };
    return surface;
  }

  /** Any call needs a token: an active client with its current secret, usable by now. */
  private authenticate(credentials: { clientId: string; clientSecret: string }): void {
    const client = this.clients.get(credentials.clientId);
    if (
      client?.state !== 'active' ||
      client.secret !== credentials.clientSecret ||
      this.notYetUsable.has(client.id)
    ) {
      throw new GenesysApiError({
        kind: 'authentication',
        status: 401,
        method: 'POST',
        path: '/oauth/token',
        code: 'invalid_client',
        genesysMessage: 'Invalid client credentials',
      });
    }
  }

  private clientOr404(clientId: string, method: string): FakeOAuthClient {
    const client = this.clients.get(clientId);
    if (!client) throw apiError('not-found', method, `/api/v2/oauth/clients/${clientId}`);
    return client;
  }

  private integrationOr404(integrationId: string, method: string): FakeIntegration {
    const integration = this.integrations.get(integrationId);
    if (!integration) throw apiError('not-found', method, `/api/v2/integrations/${integrationId}`);
    return integration;
  }

  private credentialOr404(credentialId: string, method: string): FakeCredential {
    const credential = this.credentials.get(credentialId);
    if (!credential) throw apiError('not-found', method, `/api/v2/integrations/credentials/${credentialId}`);
    return credential;
  }
}

type OperationOf<O extends FakeOperation> = O extends `${infer A}.${infer M}`
  ? A extends keyof GenesysClientSurface
    ? M extends keyof GenesysClientSurface[A]
      ? GenesysClientSurface[A][M] extends (...args: infer P) => infer R
        ? (...args: P) => R
        : never
      : never
    : never
  : never;

const STATUS: Record<GenesysErrorKind, number> = {
  'rate-limited': 429,
  transient: 503,
  unreachable: 0,
  authentication: 401,
  permission: 403,
  'not-found': 404,
  conflict: 409,
  'bad-request': 400,
};

/** A GenesysApiError as the client throws it for a status of that kind. */
export function apiError(
  kind: GenesysErrorKind,
  method: string,
  path: string,
  code?: string,
): GenesysApiError {
  return new GenesysApiError({
    kind,
    status: STATUS[kind],
    method,
    path,
    ...(code ? { code } : {}),
    genesysMessage: `fake ${kind}`,
  });
}

function withoutSecret(client: FakeOAuthClient): OAuthClient {
  const { secret: _secret, ...rest } = structuredClone(client);
  return rest;
}

function credentialInfo(credential: FakeCredential): CredentialInfo & { id: string } {
  const { fields: _fields, ...info } = structuredClone(credential);
  return info as CredentialInfo & { id: string };
}

function describeCall(call: FakeCall): string {
  const [first] = call.args;
  return typeof first === 'string' ? `${call.op} ${first}` : call.op;
}

/** Role-division pairs of role ids in one division, e.g. for a plan. */
export const inDivision = (divisionId: string, ...roleIds: string[]): RoleDivision[] =>
  roleIds.map((roleId) => ({ roleId, divisionId }));
