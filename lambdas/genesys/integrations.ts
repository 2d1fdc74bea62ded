import { retryWithin } from './clock';
import { isGenesysError } from './errors';
import type {
  CreateIntegrationRequest,
  DataAction,
  Integration,
  IntegrationConfiguration,
  IntegrationPatch,
} from './models';
import { collectNumberedPages } from './paging';
import { apiPath } from './paths';
import { deleteAndConfirm, type RemovalOutcome, type RemoveOptions } from './removal';
import type { ApiTransport, ConsistencyOptions } from './transport';

const BASE = '/api/v2/integrations';
const PAGE_SIZE = 100;

/** Genesys stores an empty `notes` as this literal string; TF maps it back to "" (TF `flattenIntegrationConfig`). */
const EMPTY_NOTES = 'node_dynamodb_empty_string';

export interface UpdateConfigOptions extends ConsistencyOptions {
  /** The current config when the caller has just read it: the first attempt then skips the GET. */
  readonly knownCurrent?: IntegrationConfiguration;
  /** How long version conflicts are retried. @default 8000 */
  readonly conflictWindowMs?: number;
}

/** Version-conflict retries of `updateConfig`: 250 ms doubling up to 2 s, full jitter, at most 10 tries (TF). */
const CONFLICT_RETRY = { baseDelayMs: 250, maxDelayMs: 2_000, maxAttempts: 10, jitter: 'full' } as const;
const DEFAULT_CONFLICT_WINDOW_MS = 8_000;

/**
 * A stale config version: 409, 408, or 400 "does not match the current version" (which the pipeline
 * already files as `conflict`). TF `util/util_retries.go` `IsVersionMismatch`; genesys-cloud-api.md §6.
 */
function isVersionConflict(error: unknown): boolean {
  return isGenesysError(error, 'conflict') || (isGenesysError(error) && error.status === 408);
}

/** Integrations and their configuration (`/api/v2/integrations`, genesys-cloud-api.md §4, §6, §14). */
export class IntegrationsApi {
  constructor(private readonly api: ApiTransport) {}

  /**
   * Every integration of a type, with `config.current` inline, over every page (see `collectNumberedPages`).
   * The type is also checked on our side: older API versions ignore the `integrationType` filter.
   */
  async listByType(integrationType: string): Promise<Integration[]> {
    const all = await collectNumberedPages<Integration>(this.api, {
      path: BASE,
      query: { integrationType, expand: 'config.current' },
      pageSize: PAGE_SIZE,
    });
    return all
      .filter((integration) => integration.integrationType?.id === integrationType)
      .map(withRealNotes);
  }

  /**
   * Every custom data action of the org, over every page of `GET /api/v2/integrations/actions`
   * (genesys-cloud-api.md §7; needs `integrations:action:view`). The listing has no integration filter (the
   * SDK's getIntegrationsActions takes category, name, ids, secure, but no integrationId), so callers group
   * the actions by their `integrationId`.
   */
  listActions(): Promise<DataAction[]> {
    return collectNumberedPages<DataAction>(this.api, { path: `${BASE}/actions`, pageSize: PAGE_SIZE });
  }

  /** The integrations of a type named exactly `name` (names are not unique). */
  async findByName(integrationType: string, name: string): Promise<Integration[]> {
    return (await this.listByType(integrationType)).filter((integration) => integration.name === name);
  }

  /** GET /api/v2/integrations/{id}, with `config.current` inline when `expandConfig`. 404: `not-found`. */
  async get(
    integrationId: string,
    options: ConsistencyOptions & { readonly expandConfig?: boolean } = {},
  ): Promise<Integration> {
    const integration = await this.api.call<Integration>({
      method: 'GET',
      path: apiPath(BASE, integrationId),
      query: { expand: options.expandConfig ? 'config.current' : undefined },
      retryNotFoundMs: options.retryNotFoundMs,
    });
    return withRealNotes(integration);
  }

  /** The integration, or undefined when it answers 404 (after `retryNotFoundMs`): for ids that may be gone. */
  async find(
    integrationId: string,
    options: ConsistencyOptions & { readonly expandConfig?: boolean } = {},
  ): Promise<Integration | undefined> {
    try {
      return await this.get(integrationId, options);
    } catch (error) {
      if (isGenesysError(error, 'not-found')) return undefined;
      throw error;
    }
  }

  /** POST /api/v2/integrations `{name, integrationType: {id}}`; the new integration is DISABLED. */
  create(request: CreateIntegrationRequest): Promise<Integration> {
    return this.api.call({ method: 'POST', path: BASE, body: request });
  }

  /** PATCH /api/v2/integrations/{id}, e.g. `{intendedState: "ENABLED"}`. */
  patch(
    integrationId: string,
    patch: IntegrationPatch,
    options: ConsistencyOptions = {},
  ): Promise<Integration> {
    return this.api.call({
      method: 'PATCH',
      path: apiPath(BASE, integrationId),
      body: patch,
      retryNotFoundMs: options.retryNotFoundMs,
    });
  }

  /** DELETE /api/v2/integrations/{id}; returns the deleted integration. See `deleteAndWait` for teardown. */
  delete(integrationId: string, options: ConsistencyOptions = {}): Promise<Integration | undefined> {
    return this.api.call({
      method: 'DELETE',
      path: apiPath(BASE, integrationId),
      retryNotFoundMs: options.retryNotFoundMs,
    });
  }

  /**
   * DELETE, then poll GET until it answers 404 (TF polls 30 s after deleting an integration; the wizard waits
   * 3 s before deleting its credential: genesys-cloud-api.md §4, §14). Delete the credential after this.
   * `absent` when the DELETE answered 404. Throws a GenesysApiError (code `delete.not.confirmed`) when the
   * integration is still readable `goneTimeoutMs` after the DELETE.
   */
  deleteAndWait(integrationId: string, options: RemoveOptions = {}): Promise<RemovalOutcome> {
    return deleteAndConfirm(
      this.api.clock,
      { method: 'DELETE', path: apiPath(BASE, integrationId) },
      options,
      () => this.delete(integrationId, options),
      async () => {
        await this.get(integrationId);
        return false;
      },
    );
  }

  /** GET …/config/current. An empty `notes` comes back as "" (not Genesys's `node_dynamodb_empty_string`). */
  async getConfig(
    integrationId: string,
    options: ConsistencyOptions = {},
  ): Promise<IntegrationConfiguration> {
    const config = await this.api.call<IntegrationConfiguration>({
      method: 'GET',
      path: apiPath(BASE, integrationId, 'config', 'current'),
      retryNotFoundMs: options.retryNotFoundMs,
    });
    return realNotes(config);
  }

  /**
   * PUT …/config/current; `version` must be the current one or the API answers a version conflict
   * (`conflict` kind). `updateConfig` handles conflicts.
   */
  async putConfig(
    integrationId: string,
    config: IntegrationConfiguration,
    options: ConsistencyOptions = {},
  ): Promise<IntegrationConfiguration> {
    const saved = await this.api.call<IntegrationConfiguration>({
      method: 'PUT',
      path: apiPath(BASE, integrationId, 'config', 'current'),
      body: config,
      retryNotFoundMs: options.retryNotFoundMs,
    });
    return realNotes(saved);
  }

  /**
   * Read-modify-write of `config/current`, as TF does it (genesys-cloud-api.md §6): GET the config (or use
   * `knownCurrent` once), apply `change`, PUT the result with the version just read; on a version conflict
   * (409, 408, 400 "does not match the current version") GET again and retry, with exponential backoff and
   * full jitter, for up to `conflictWindowMs` and 10 tries. `change` receives the current config and returns
   * the whole next one (its `version` is overwritten), or undefined when nothing needs to change: then no PUT
   * is sent and the current config is returned. `change` may be async (to re-check, on every attempt, that
   * the write is still wanted; what it throws ends the update). The last conflict error is thrown when the
   * window runs out.
   */
  updateConfig(
    integrationId: string,
    change: (
      current: IntegrationConfiguration,
    ) => IntegrationConfiguration | undefined | Promise<IntegrationConfiguration | undefined>,
    options: UpdateConfigOptions = {},
  ): Promise<IntegrationConfiguration> {
    let known = options.knownCurrent;
    const consistency = { retryNotFoundMs: options.retryNotFoundMs };
    return retryWithin(
      this.api.clock,
      { ...CONFLICT_RETRY, windowMs: options.conflictWindowMs ?? DEFAULT_CONFLICT_WINDOW_MS },
      isVersionConflict,
      async () => {
        const current = known ? realNotes(known) : await this.getConfig(integrationId, consistency);
        known = undefined;
        const next = await change(current);
        if (next === undefined) return current;
        return this.putConfig(integrationId, { ...next, version: current.version }, consistency);
      },
    );
  }
}

function realNotes(config: IntegrationConfiguration): IntegrationConfiguration {
  return config?.notes === EMPTY_NOTES ? { ...config, notes: '' } : config;
}

function withRealNotes(integration: Integration): Integration {
  const current = integration?.config?.current;
  if (current?.notes !== EMPTY_NOTES) return integration;
  return { ...integration, config: { ...integration.config, current: realNotes(current) } };
}
