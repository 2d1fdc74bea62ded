import type { Organization, TokenInfo } from './models';
import type { ApiTransport } from './transport';

export class OrganizationApi {
  constructor(private readonly api: ApiTransport) {}

  /** GET /api/v2/organizations/me: the org the token belongs to. */
  me(): Promise<Organization> {
    return this.api.call({ method: 'GET', path: '/api/v2/organizations/me' });
  }

  /** GET /api/v2/tokens/me: the calling client, its roleDivisions and its org. No permission needed. */
  tokenInfo(): Promise<TokenInfo> {
    return this.api.call({ method: 'GET', path: '/api/v2/tokens/me' });
  }
}
