import { randomUUID } from 'node:crypto';
import { badRequest, notFound } from '../api-error';
import { integrationType } from '../integration-types';
import { pagedListing, type Router } from '../router';
import { parseBody, postActionInput } from '../schemas';
import type { SimAction } from '../state';

const BASE = '/api/v2/integrations/actions';

/** Action, with `config` and `contract` only when asked for (`includeConfig=true`, `expand=contract`). */
function view(action: SimAction, include: { config: boolean; contract: boolean }) {
  return {
    id: action.id,
    name: action.name,
    integrationId: action.integrationId,
    category: action.category,
    ...(include.contract ? { contract: action.contract } : {}),
    version: action.version,
    secure: action.secure,
    ...(include.config ? { config: action.config } : {}),
    selfUri: `${BASE}/${action.id}`,
  };
}

/** Query filters of `GET /api/v2/integrations/actions` (§7): category (exact), name (partial), ids, secure. */
function matchesQuery(action: SimAction, query: URLSearchParams): boolean {
  const category = query.get('category');
  const name = query.get('name')?.toLowerCase();
  const ids = query.get('ids')?.split(',').filter(Boolean);
  const secure = query.get('secure');
  return (
    (!category || action.category === category) &&
    (!name || action.name.toLowerCase().includes(name)) &&
    (!ids || ids.includes(action.id)) &&
    (secure === null || String(action.secure) === secure)
  );
}

/**
 * Data actions, minimal (§7): create (published at once), list (filtered, paged), read, delete. Registered
 * before `/api/v2/integrations/{integrationId}`. Deleting an integration deletes its actions (integrations.ts).
 */
export function actionRoutes(router: Router): void {
  router.add('GET', BASE, ['integrations:action:view', 'bridge:actions:view'], ({ org, query }) => {
    const descending = query.get('sortOrder')?.toUpperCase() === 'DESC';
    const sortKey = query.get('sortBy') === 'category' ? 'category' : 'name';
    const includeConfig = query.get('includeConfig') === 'true';
    const actions = [...org.actions.values()]
      .filter((action) => matchesQuery(action, query))
      .sort((a, b) => a[sortKey].localeCompare(b[sortKey]) * (descending ? -1 : 1))
      .map((action) => view(action, { config: includeConfig, contract: false }));
    return { status: 200, body: pagedListing(actions, query, BASE) };
  });

  router.add('POST', BASE, ['integrations:action:add'], ({ org, body }) => {
    const input = parseBody(postActionInput, body);
    const integration = org.integrations.get(input.integrationId);
    if (!integration) throw badRequest(`Integration ${input.integrationId} does not exist`, 'integrationId');
    const support = integrationType(integration.integrationTypeId)?.dataActions;
    if (support === 'function-actions')
      throw badRequest('Actions of a function integration are created as drafts', 'integrationId');
    if (support !== 'actions')
      throw badRequest(`Integration ${integration.id} does not take data actions`, 'integrationId');
    const action: SimAction = {
      id: `custom_-_${randomUUID()}`,
      name: input.name,
      category: input.category,
      integrationId: integration.id,
      secure: input.secure ?? false,
      version: 1,
      config: input.config,
      contract: input.contract,
    };
    org.actions.set(action.id, action);
    return { status: 200, body: view(action, { config: true, contract: true }) };
  });

  router.add(
    'GET',
    `${BASE}/{actionId}`,
    ['integrations:action:view', 'bridge:actions:view'],
    ({ org, params, query }) => {
      const action = org.actions.get(params.actionId ?? '');
      if (!action) throw notFound('Action');
      const contract = (query.get('expand') ?? '').split(',').includes('contract');
      return { status: 200, body: view(action, { config: query.get('includeConfig') === 'true', contract }) };
    },
  );

  router.add('DELETE', `${BASE}/{actionId}`, ['integrations:action:delete'], ({ org, params }) => {
    if (!org.actions.delete(params.actionId ?? '')) throw notFound('Action');
    return { status: 204 };
  });
}
