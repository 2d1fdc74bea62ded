import type { AuthzDivision, DomainOrganizationRole } from './models';
import { collectNumberedPages } from './paging';
import type { ApiTransport } from './transport';

const PAGE_SIZE = 100;

/** Roles and divisions (`/api/v2/authorization/*`, genesys-cloud-api.md §2). */
export class AuthorizationApi {
  constructor(private readonly api: ApiTransport) {}

  /**
   * The role whose name is exactly `name`, or undefined. The API's `name` filter is not exact (it matches
   * prefixes and wildcards: TF compares names itself, the wizard passes `prefix*`), so every page of
   * GET /api/v2/authorization/roles?name=… is searched for an exact, case-sensitive match (see
   * `collectNumberedPages`). `userCount=false` because counting users is slow.
   */
  async findRoleByName(name: string): Promise<DomainOrganizationRole | undefined> {
    const isMatch = (role: DomainOrganizationRole) => role.name === name;
    const roles = await collectNumberedPages<DomainOrganizationRole>(
      this.api,
      { path: '/api/v2/authorization/roles', query: { name, userCount: false }, pageSize: PAGE_SIZE },
      isMatch,
    );
    return roles.find(isMatch);
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

  /**
   * Every role of the org, over all pages of GET /api/v2/authorization/roles (`userCount=false`: counting
   * users is slow; see `collectNumberedPages`, which throws rather than return a partial listing).
   */
  listRoles(): Promise<DomainOrganizationRole[]> {
    return collectNumberedPages<DomainOrganizationRole>(this.api, {
      path: '/api/v2/authorization/roles',
      query: { userCount: false },
      pageSize: PAGE_SIZE,
    });
  }

  /** GET /api/v2/authorization/divisions/home (no permission needed). */
  homeDivision(): Promise<AuthzDivision> {
    return this.api.call({ method: 'GET', path: '/api/v2/authorization/divisions/home' });
  }

  /** Every division, over all pages of GET /api/v2/authorization/divisions (see `collectNumberedPages`). */
  listDivisions(): Promise<AuthzDivision[]> {
    return collectNumberedPages<AuthzDivision>(this.api, {
      path: '/api/v2/authorization/divisions',
      pageSize: PAGE_SIZE,
    });
  }
}
