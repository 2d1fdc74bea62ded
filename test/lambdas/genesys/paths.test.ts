import { apiPath } from '../../../lambdas/genesys/paths';

describe('apiPath', () => {
  it('appends each segment percent-encoded', () => {
    expect(apiPath('/api/v2/oauth/clients', 'abc-123', 'secret')).toBe(
      '/api/v2/oauth/clients/abc-123/secret',
    );
    expect(apiPath('/api/v2/integrations', 'a/b?c#d e%')).toBe('/api/v2/integrations/a%2Fb%3Fc%23d%20e%25');
    expect(apiPath('/api/v2/tokens/me')).toBe('/api/v2/tokens/me');
  });

  it.each(['', '.', '..'])('refuses the segment %j, which would name another resource', (segment) => {
    expect(() => apiPath('/api/v2/oauth/clients', segment)).toThrow(
      new TypeError(
        `apiPath: segment 1 after /api/v2/oauth/clients is ${JSON.stringify(segment)}, which is not an id`,
      ),
    );
  });

  it('names the position of the bad segment', () => {
    expect(() => apiPath('/api/v2/integrations', 'id', '..')).toThrow(/segment 2 after/);
  });
});
