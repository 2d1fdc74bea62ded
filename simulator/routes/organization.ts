import type { Router } from '../router';
import type { SimOAuthClient, SimOrg } from '../state';

export interface OrganizationRouteOptions {
  /** Whether tokens/me leaves the caller's roleDivisions out (a plausible variant of the real API). */
  readonly withoutRoleDivisions: () => boolean;
}

export function organizationRoutes(router: Router, options: OrganizationRouteOptions): void {
  router.add('GET', '/api/v2/organizations/me', [], ({ org }) => ({
    status: 200,
    body: {
      id: org.id,
      name: org.name,
      defaultLanguage: 'en-us',
      thirdPartyOrgName: org.thirdPartyOrgName,
      domain: org.thirdPartyOrgName,
      version: 1,
      state: 'active',
      selfUri: '/api/v2/organizations/me',
    },
  }));

  router.add('GET', '/api/v2/tokens/me', [], ({ org, caller }) => ({
    status: 200,
    body: tokenInfo(org, caller, options.withoutRoleDivisions()),
  }));
}

function tokenInfo(org: SimOrg, caller: SimOAuthClient, withoutRoleDivisions: boolean) {
  const orgRef = { id: org.id, name: org.name, selfUri: `/api/v2/organizations/${org.id}` };
  return {
    organization: orgRef,
    homeOrganization: orgRef,
    authorizedScope: [],
    OAuthClient: {
      id: caller.id,
      name: caller.name,
      dateCreated: caller.dateCreated,
      authorizedGrantType: caller.authorizedGrantType,
      ...(withoutRoleDivisions ? {} : { roleDivisions: caller.roleDivisions }),
      state: caller.state,
      organization: orgRef,
    },
  };
}
