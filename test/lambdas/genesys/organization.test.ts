import { clearTokenCache } from '../../../lambdas/genesys/auth';
import { FakeApi, fakeClient, json } from './fake-api';

describe('organization.tokenInfo', () => {
  beforeEach(() => clearTokenCache());

  it('reads GET /api/v2/tokens/me with the bearer token', async () => {
    const info = { organization: { id: 'org-1' }, OAuthClient: { id: 'bootstrap-id' } };
    const api = new FakeApi().on('GET', '/api/v2/tokens/me', json(200, info));
    expect(await fakeClient(api).organization.tokenInfo()).toEqual(info);
    const call = api.calls.at(-1);
    expect(call?.url.toString()).toBe('https://api.mypurecloud.ie/api/v2/tokens/me');
    expect(call?.headers.get('authorization')).toBe('Bearer fake-access-token');
  });
});
