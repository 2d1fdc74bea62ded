import { randomUUID } from 'node:crypto';
import { badRequest, notFound, SimApiError } from '../api-error';
import { pagedListing, type Router } from '../router';
import { createIntegrationRequest, integrationConfiguration, integrationPatch, parseBody } from '../schemas';
import { nowIso, type SimIntegration, type SimOrg } from '../state';

export interface IntegrationRouteOptions {
  /** How long an enabled integration reports ACTIVATING before ACTIVE. */
  readonly activationDelayMs: () => number;
  /** Whether a pureCloudOAuthClient credential's client id and secret would authenticate in this org. */
  readonly credentialWorks: (org: SimOrg, fields: Record<string, string>) => boolean;
}

const BASE = '/api/v2/integrations';
const VIEW = ['integrations:integration:view'];
const ADD = ['integrations:integration:add'];
const EDIT = ['integrations:integration:edit'];
const DELETE = ['integrations:integration:delete'];

/** Integration types the simulator knows, with the credential each one requires. */
const INTEGRATION_TYPES: Record<string, { name: string; credentialKey?: string; credentialType?: string }> = {
  'purecloud-data-actions': {
    name: 'Genesys Cloud Data Actions',
    credentialKey: 'pureCloudOAuthClient',
    credentialType: 'pureCloudOAuthClient',
  },
  'custom-rest-actions': { name: 'Web Services Data Actions' },
};

function find(org: SimOrg, integrationId: string | undefined): SimIntegration {
  const integration = integrationId ? org.integrations.get(integrationId) : undefined;
  if (!integration) throw notFound('Integration');
  return integration;
}

function configView(integration: SimIntegration) {
  const { config } = integration;
  return {
    id: integration.id,
    name: config.name,
    version: config.version,
    properties: config.properties,
    advanced: config.advanced,
    // Genesys stores an empty notes field as this literal string (TF maps it back to "").
    notes: config.notes === '' ? 'node_dynamodb_empty_string' : config.notes,
    credentials: Object.fromEntries(
      Object.entries(config.credentials).map(([key, ref]) => [
        key,
        { id: ref.id, selfUri: `${BASE}/credentials/${ref.id}` },
      ]),
    ),
    selfUri: `${BASE}/${integration.id}/config/current`,
  };
}

export function integrationRoutes(router: Router, options: IntegrationRouteOptions): void {
  /** ACTIVATING turns into ACTIVE (or ERROR, when the credential does not authenticate) once its time has come. */
  const settle = (org: SimOrg, integration: SimIntegration) => {
    if (integration.reportedState.code !== 'ACTIVATING' || integration.activatesAt === undefined) return;
    if (Date.now() < integration.activatesAt) return;
    const credentialId = integration.config.credentials.pureCloudOAuthClient?.id;
    const credential = credentialId ? org.credentials.get(credentialId) : undefined;
    const works = credential !== undefined && options.credentialWorks(org, credential.fields);
    integration.reportedState = works
      ? { code: 'ACTIVE', effective: 'Active', lastUpdated: nowIso() }
      : {
          code: 'ERROR',
          effective: 'Error',
          detail: 'The configured OAuth client credentials could not be used to authenticate',
          lastUpdated: nowIso(),
        };
    integration.activatesAt = undefined;
  };

  const view = (org: SimOrg, integration: SimIntegration, expandConfig: boolean) => {
    settle(org, integration);
    const type = INTEGRATION_TYPES[integration.integrationTypeId];
    return {
      id: integration.id,
      name: integration.name,
      integrationType: {
        id: integration.integrationTypeId,
        name: type?.name,
        selfUri: `${BASE}/types/${integration.integrationTypeId}`,
      },
      notes: integration.notes,
      intendedState: integration.intendedState,
      config: {
        current: expandConfig
          ? configView(integration)
          : { id: integration.id, selfUri: `${BASE}/${integration.id}/config/current` },
      },
      reportedState: integration.reportedState,
      attributes: {},
      selfUri: `${BASE}/${integration.id}`,
    };
  };

  const expands = (query: URLSearchParams) =>
    query.getAll('expand').some((value) => value.split(',').includes('config.current'));

  router.add('GET', BASE, VIEW, ({ org, query }) => {
    const type = query.get('integrationType');
    const reportedState = query.get('reportedState');
    const items = [...org.integrations.values()]
      .filter((i) => !type || i.integrationTypeId === type)
      .map((i) => view(org, i, expands(query)))
      .filter((i) => !reportedState || i.reportedState.code === reportedState);
    return { status: 200, body: pagedListing(items, query, BASE, 100) };
  });

  router.add('POST', BASE, ADD, ({ org, body }) => {
    const request = parseBody(createIntegrationRequest, body);
    if (!INTEGRATION_TYPES[request.integrationType.id]) {
      throw badRequest(`Integration type ${request.integrationType.id} does not exist`, 'integrationType.id');
    }
    const integration: SimIntegration = {
      id: randomUUID(),
      name: request.name,
      notes: '',
      integrationTypeId: request.integrationType.id,
      intendedState: 'DISABLED',
      reportedState: { code: 'INACTIVE', effective: 'Inactive', lastUpdated: nowIso() },
      config: { name: request.name, version: 1, properties: {}, advanced: {}, notes: '', credentials: {} },
      dateCreated: nowIso(),
    };
    org.integrations.set(integration.id, integration);
    return { status: 200, body: view(org, integration, false) };
  });

  router.add('GET', `${BASE}/{integrationId}`, VIEW, ({ org, params, query }) => ({
    status: 200,
    body: view(org, find(org, params.integrationId), expands(query)),
  }));

  router.add('PATCH', `${BASE}/{integrationId}`, EDIT, ({ org, params, body }) => {
    const integration = find(org, params.integrationId);
    const { intendedState } = parseBody(integrationPatch, body);
    if (intendedState === 'ENABLED') {
      const type = INTEGRATION_TYPES[integration.integrationTypeId];
      const key = type?.credentialKey;
      const credentialId = key ? integration.config.credentials[key]?.id : undefined;
      const credential = credentialId ? org.credentials.get(credentialId) : undefined;
      if (key && (!credential || credential.typeName !== type?.credentialType)) {
        throw badRequest(
          `The integration cannot be enabled: the required credential ${key} is not configured`,
          'intendedState',
        );
      }
      settle(org, integration);
      if (integration.intendedState !== 'ENABLED' || integration.reportedState.code === 'ERROR') {
        integration.intendedState = 'ENABLED';
        integration.reportedState = { code: 'ACTIVATING', effective: 'Activating', lastUpdated: nowIso() };
        integration.activatesAt = Date.now() + options.activationDelayMs();
      }
    } else if (intendedState === 'DISABLED') {
      integration.intendedState = 'DISABLED';
      integration.activatesAt = undefined;
      integration.reportedState = { code: 'INACTIVE', effective: 'Inactive', lastUpdated: nowIso() };
    } else {
      throw badRequest(`intendedState ${intendedState} cannot be set with PATCH here`, 'intendedState');
    }
    return { status: 200, body: view(org, integration, false) };
  });

  router.add('DELETE', `${BASE}/{integrationId}`, DELETE, ({ org, params }) => {
    const integration = find(org, params.integrationId);
    const deleted = view(org, integration, false);
    org.integrations.delete(integration.id);
    return { status: 200, body: deleted };
  });

  router.add('GET', `${BASE}/{integrationId}/config/current`, VIEW, ({ org, params }) => ({
    status: 200,
    body: configView(find(org, params.integrationId)),
  }));

  router.add('PUT', `${BASE}/{integrationId}/config/current`, EDIT, ({ org, params, body }) => {
    const integration = find(org, params.integrationId);
    const config = parseBody(integrationConfiguration, body);
    if (config.version !== integration.config.version) {
      throw new SimApiError(
        409,
        'general.conflict',
        'The version number of the modified resource must match the version number in the database',
      );
    }
    for (const [key, ref] of Object.entries(config.credentials)) {
      if (!org.credentials.has(ref.id))
        throw badRequest(`Credential ${ref.id} does not exist`, `credentials.${key}`);
    }
    integration.config = {
      name: config.name,
      version: integration.config.version + 1,
      properties: config.properties,
      advanced: config.advanced,
      notes: config.notes === 'node_dynamodb_empty_string' ? '' : config.notes,
      credentials: Object.fromEntries(
        Object.entries(config.credentials).map(([k, ref]) => [k, { id: ref.id }]),
      ),
    };
    integration.name = config.name;
    integration.notes = integration.config.notes;
    return { status: 200, body: configView(integration) };
  });
}
