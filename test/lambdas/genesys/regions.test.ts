import {
  GENESYS_REGIONS,
  isKnownRegion,
  resolveEndpoints,
  UnknownRegionError,
} from '../../../lambdas/genesys/regions';

describe('resolveEndpoints', () => {
  it('knows all 18 regions', () => {
    expect(Object.keys(GENESYS_REGIONS)).toHaveLength(18);
  });

  it.each(Object.entries(GENESYS_REGIONS))('maps %s to api. and login. hosts of %s', (key, domain) => {
    expect(resolveEndpoints({ region: key })).toEqual({
      region: key,
      apiUrl: `https://api.${domain}`,
      loginUrl: `https://login.${domain}`,
    });
    expect(resolveEndpoints({ region: domain }).region).toBe(key);
  });

  it('accepts keys and domains regardless of case and spaces', () => {
    expect(resolveEndpoints({ region: ' EU-West-1 ' }).apiUrl).toBe('https://api.mypurecloud.ie');
    expect(isKnownRegion('MyPureCloud.de')).toBe(true);
    expect(isKnownRegion('eu-west-9')).toBe(false);
  });

  it('rejects an unknown region with the list of valid ones', () => {
    expect(() => resolveEndpoints({ region: 'eu-west-9' })).toThrow(UnknownRegionError);
    expect(() => resolveEndpoints({ region: 'eu-west-9' })).toThrow(
      /valid regions: us-east-1, .*ap-northeast-3/,
    );
  });

  it('requires a region or an apiUrl', () => {
    expect(() => resolveEndpoints({})).toThrow(/region or an apiUrl is required/);
  });

  it('uses overrides, deriving login from api by swapping the host prefix', () => {
    expect(resolveEndpoints({ region: 'eu-west-1', apiUrl: 'https://api.sandbox.example/' })).toEqual({
      region: 'eu-west-1',
      apiUrl: 'https://api.sandbox.example',
      loginUrl: 'https://login.sandbox.example',
    });
    expect(resolveEndpoints({ apiUrl: 'http://127.0.0.1:9000', loginUrl: 'http://127.0.0.1:9001' })).toEqual({
      region: 'custom',
      apiUrl: 'http://127.0.0.1:9000',
      loginUrl: 'http://127.0.0.1:9001',
    });
    expect(resolveEndpoints({ region: 'unknown-1', apiUrl: 'http://127.0.0.1:9000' }).region).toBe('custom');
  });

  it('rejects malformed override URLs naming the field', () => {
    expect(() => resolveEndpoints({ apiUrl: 'not a url' })).toThrow(/apiUrl is not a valid URL/);
    expect(() => resolveEndpoints({ region: 'eu-west-1', loginUrl: 'ftp://x' })).toThrow(
      /loginUrl must use http/,
    );
  });
});
