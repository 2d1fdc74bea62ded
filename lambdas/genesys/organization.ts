import type { TokenInfo } from './models';
import type { ApiTransport } from './transport';

/** Who is calling (genesys-cloud-api.md §1). */
export class OrganizationApi {
  constructor(private readonly api: ApiTransport) {}

  /**
   * GET /api/v2/tokens/me: the calling client (`OAuthClient`, its `roleDivisions` when filled: UNVERIFIED for
   * client-credentials tokens) and its `organization`. No permission needed.
   */
  tokenInfo(): Promise<TokenInfo> {
    return this.api.call({ method: 'GET', path: '/api/v2/tokens/me' });
  }
}
