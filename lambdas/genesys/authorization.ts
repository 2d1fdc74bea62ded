import type {
  AuthzDivision,
  AuthzDivisionEntityListing,
  DomainOrganizationRole,
  OrganizationRoleEntityListing,
} from './models';
import { collectNumberedPages } from './paging';
import type { ApiTransport } from './transport';

const PAGE_SIZE = 100;

export class AuthorizationApi {
  constructor(private readonly api: ApiTransport) {}

  /** One page of GET /api/v2/authorization/roles; `userCount=false` because counting users is slow. */
  listRolesPage(options: { name?: string; pageNumber?: number; pageSize?: number } = {}) {
    return this.api.call<OrganizationRoleEntityListing>({
      method: 'GET',
      path: '/api/v2/authorization/roles',
      query: {
        name: options.name,
        pageNumber: options.pageNumber ?? 1,
        pageSize: options.pageSize ?? PAGE_SIZE,
        userCount: false,
      },
    });
  }

  /**
   * The role whose name is exactly `name`, or undefined. The API's `name` filter is not exact (it matches
   * prefixes and wildcards), so every page is searched for an exact, case-sensitive match.
   */
  async findRoleByName(name: string): Promise<DomainOrganizationRole | undefined> {
    const isMatch = (role: { name?: string }) => role.name === name;
    const roles = await collectNumberedPages(
      (pageNumber) =>
        this.listRolesPage({ name, pageNumber }).then((page) => ({ ...page, entities: page.entities ?? [] })),
      isMatch,
    );
    return roles.find(isMatch) as DomainOrganizationRole | undefined;
  }

  /** Resolves each name to its role; names without an exact match are returned in `missing`. */
  async resolveRoles(
    names: readonly string[],
  ): Promise<{ found: DomainOrganizationRole[]; missing: string[] }> {
    const results = await Promise.all(
      names.map(async (name) => ({ name, role: await this.findRoleByName(name) })),
    );
    return {
      found: results.flatMap((r) => (r.role ? [r.role] : [])),
      missing: results.filter((r) => !r.role).map((r) => r.name),
    };
  }

  /** GET /api/v2/authorization/divisions/home (no permission needed). */
  homeDivision(): Promise<AuthzDivision> {
    return this.api.call({ method: 'GET', path: '/api/v2/authorization/divisions/home' });
  }

  /** Every division, over all pages of GET /api/v2/authorization/divisions. */
  listDivisions(): Promise<AuthzDivision[]> {
    return collectNumberedPages(async (pageNumber) => {
      const page = await this.api.call<AuthzDivisionEntityListing>({
        method: 'GET',
        path: '/api/v2/authorization/divisions',
        query: { pageNumber, pageSize: PAGE_SIZE },
      });
      return { ...page, entities: (page.entities ?? []) as AuthzDivision[] };
    });
  }
}
