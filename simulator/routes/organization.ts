import type { Router } from '../router';
import type { SimOAuthClient, SimOrg } from '../state';

export function organizationRoutes(router: Router): void {
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
    body: tokenInfo(org, caller),
  }));
}

function tokenInfo(org: SimOrg, caller: SimOAuthClient) {
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
      roleDivisions: caller.roleDivisions,
      state: caller.state,
      organization: orgRef,
    },
  };
}
