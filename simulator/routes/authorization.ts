import { notFound } from '../api-error';
import { pagedListing, type Router } from '../router';

const ROLE_VIEW = ['authorization:role:view'];

/** The roles `name` filter is a case-insensitive prefix match with `*` wildcards: deliberately not exact. */
function nameFilter(raw: string | null): (name: string) => boolean {
  if (!raw) return () => true;
  const source = raw
    .split('*')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  const pattern = new RegExp(`^${source}`, 'i');
  return (name) => pattern.test(name);
}

export function authorizationRoutes(router: Router): void {
  router.add('GET', '/api/v2/authorization/roles', ROLE_VIEW, ({ org, query }) => {
    const matches = nameFilter(query.get('name'));
    const includeUserCount = query.get('userCount') !== 'false';
    const roles = org.roles
      .filter((role) => matches(role.name))
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((role) => ({
        id: role.id,
        name: role.name,
        description: role.description,
        permissions: role.permissions,
        default: role.name === 'admin' || role.name === 'employee',
        base: false,
        ...(includeUserCount ? { userCount: 0 } : {}),
        selfUri: `/api/v2/authorization/roles/${role.id}`,
      }));
    return { status: 200, body: pagedListing(roles, query, '/api/v2/authorization/roles') };
  });

  router.add('GET', '/api/v2/authorization/roles/{roleId}', ROLE_VIEW, ({ org, params }) => {
    const role = org.roles.find((r) => r.id === params.roleId);
    if (!role) throw notFound('Role');
    return { status: 200, body: { ...role, selfUri: `/api/v2/authorization/roles/${role.id}` } };
  });

  const division = (d: { id: string; name: string; homeDivision: boolean }) => ({
    id: d.id,
    name: d.name,
    description: '',
    homeDivision: d.homeDivision,
    selfUri: `/api/v2/authorization/divisions/${d.id}`,
  });

  router.add('GET', '/api/v2/authorization/divisions/home', [], ({ org }) => {
    const home = org.divisions.find((d) => d.homeDivision);
    if (!home) throw notFound('Home division');
    return { status: 200, body: division(home) };
  });

  router.add('GET', '/api/v2/authorization/divisions', [], ({ org, query }) => ({
    status: 200,
    body: pagedListing(org.divisions.map(division), query, '/api/v2/authorization/divisions'),
  }));
}
