import { randomUUID } from 'node:crypto';
import { messageInfo, settleActivation, startActivation } from '../activation';
import { badRequest, notFound, SimApiError } from '../api-error';
import { findReadable } from '../consistency';
import { INTEGRATION_TYPES, integrationType, type SimIntegrationType } from '../integration-types';
import type { KnobReader } from '../options';
import { pagedListing, type Router } from '../router';
import { createIntegrationRequest, integrationConfiguration, integrationPatch, parseBody } from '../schemas';
import { nowIso, type SimIntegration, type SimMessageInfo, type SimOrg } from '../state';

export interface IntegrationRouteOptions {
  readonly knobs: KnobReader;
}

const BASE = '/api/v2/integrations';
const VIEW = ['integrations:integration:view'];
const ADD = ['integrations:integration:add'];
const EDIT = ['integrations:integration:edit'];
const DELETE = ['integrations:integration:delete'];

/** The parts of the SDK's `IntegrationType` the simulator knows. */
function typeView(type: SimIntegrationType) {
  return {
    id: type.id,
    name: type.name,
    description: type.description,
    provider: type.provider,
    category: type.category,
    credentials: type.credential
      ? {
          [type.credential.key]: {
            required: type.credential.required,
            title: type.credential.title,
            credentialTypes: type.credential.credentialTypes,
          },
        }
      : {},
    nonInstallable: false,
    selfUri: `${BASE}/types/${type.id}`,
  };
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

function view(org: SimOrg, integration: SimIntegration, expandConfig: boolean) {
  settleActivation(org, integration);
  return {
    id: integration.id,
    name: integration.name,
    integrationType: {
      id: integration.integrationTypeId,
      name: integrationType(integration.integrationTypeId)?.name,
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
}

/** `GET /api/v2/integrations/types` and `/types/{typeId}` (§4). Registered before `/{integrationId}`. */
function integrationTypeRoutes(router: Router): void {
  router.add('GET', `${BASE}/types`, VIEW, ({ query }) => ({
    status: 200,
    body: pagedListing(INTEGRATION_TYPES.map(typeView), query, `${BASE}/types`),
  }));

  router.add('GET', `${BASE}/types/{typeId}`, VIEW, ({ params }) => {
    const type = integrationType(params.typeId ?? '');
    if (!type) throw notFound('Integration type');
    return { status: 200, body: typeView(type) };
  });
}

/**
 * Integrations (§4, §6): types, listing (lagging per `integrationListingLagMs`), create, read/patch/delete by id and config/current (404 for
 * `readAfterCreateNotFoundMs` after the create), activation ACTIVATING -> ACTIVE or ERROR, config versions.
 */
export function integrationRoutes(router: Router, { knobs }: IntegrationRouteOptions): void {
  integrationTypeRoutes(router);

  /** Reads and writes by id: 404 just after the create (§14). */
  const find = (org: SimOrg, integrationId: string | undefined) =>
    findReadable(org.integrations, integrationId, 'Integration');

  /** The scripted failure (knob `activationError`) for an activation that starts now, if it applies. */
  const scriptedFailure = (integration: SimIntegration): SimMessageInfo | undefined => {
    const knob = knobs('activationError');
    if (!knob || (knob.integrationName !== undefined && knob.integrationName !== integration.name))
      return undefined;
    return messageInfo(knob.message, knob.localizableMessageCode);
  };

  const expands = (query: URLSearchParams) =>
    query.getAll('expand').some((value) => value.split(',').includes('config.current'));

  router.add('GET', BASE, VIEW, ({ org, query }) => {
    const type = query.get('integrationType');
    const reportedState = query.get('reportedState');
    const now = Date.now();
    const items = [...org.integrations.values()]
      .filter((i) => (i.listedAt ?? 0) <= now)
      .filter((i) => !type || i.integrationTypeId === type)
      .map((i) => view(org, i, expands(query)))
      .filter((i) => !reportedState || i.reportedState.code === reportedState);
    return { status: 200, body: pagedListing(items, query, BASE, { maxPageSize: 100 }) };
  });

  router.add('POST', BASE, ADD, ({ org, body }) => {
    const request = parseBody(createIntegrationRequest, body);
    const type = integrationType(request.integrationType.id);
    if (!type) {
      throw badRequest(`Integration type ${request.integrationType.id} does not exist`, 'integrationType.id');
    }
    // Without a name (as TF creates them), the integration is named after its type: UNVERIFIED.
    const name = request.name ?? type.name;
    const now = Date.now();
    const integration: SimIntegration = {
      id: randomUUID(),
      name,
      notes: '',
      integrationTypeId: type.id,
      intendedState: 'DISABLED',
      reportedState: { code: 'INACTIVE', effective: 'Inactive', lastUpdated: nowIso() },
      config: { name, version: 1, properties: {}, advanced: {}, notes: '', credentials: {} },
      dateCreated: new Date(now).toISOString(),
      readableAt: now + knobs('readAfterCreateNotFoundMs'),
      listedAt: now + knobs('integrationListingLagMs'),
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
      const spec = integrationType(integration.integrationTypeId)?.credential;
      const credentialId = spec ? integration.config.credentials[spec.key]?.id : undefined;
      const credential = credentialId ? org.credentials.get(credentialId) : undefined;
      if (spec?.required && (!credential || !spec.credentialTypes.includes(credential.typeName))) {
        throw badRequest(
          `The integration cannot be enabled: the required credential ${spec.key} is not configured`,
          'intendedState',
        );
      }
      settleActivation(org, integration);
      if (integration.intendedState !== 'ENABLED' || integration.reportedState.code === 'ERROR') {
        startActivation(integration, Date.now() + knobs('activationDelayMs'), scriptedFailure(integration));
      }
    } else if (intendedState === 'DISABLED') {
      integration.intendedState = 'DISABLED';
      integration.activatesAt = undefined;
      integration.activationFailure = undefined;
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
    for (const [actionId, action] of org.actions) {
      if (action.integrationId === integration.id) org.actions.delete(actionId);
    }
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
    const previous = integration.config.credentials;
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
    const credentialsChanged = JSON.stringify(previous) !== JSON.stringify(integration.config.credentials);
    if (
      credentialsChanged &&
      integration.intendedState === 'ENABLED' &&
      knobs('credentialChangeReactivates')
    ) {
      startActivation(integration, Date.now() + knobs('activationDelayMs'), scriptedFailure(integration));
    }
    return { status: 200, body: configView(integration) };
  });
}
