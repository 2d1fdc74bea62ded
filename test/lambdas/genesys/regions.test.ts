import {
  EndpointPolicyError,
  GENESYS_REGIONS,
  isKnownRegion,
  listRegions,
  resolveEndpoints,
  UnknownRegionError,
} from '../../../lambdas/genesys/regions';

function policyError(run: () => unknown): EndpointPolicyError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(EndpointPolicyError);
    return error as EndpointPolicyError;
  }
  throw new Error('no error thrown');
}

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
    expect(isKnownRegion(' eu-west-1\t')).toBe(true);
  });

  it('rejects an unknown region with the list of valid ones', () => {
    expect(() => resolveEndpoints({ region: 'eu-west-9' })).toThrow(UnknownRegionError);
    expect(() => resolveEndpoints({ region: 'eu-west-9' })).toThrow(
      /valid regions: us-east-1, .*ap-northeast-3/,
    );
  });

  it('names the unknown region, the error class and every valid region', () => {
    const error = (() => {
      try {
        resolveEndpoints({ region: 'eu-west-9' });
      } catch (thrown) {
        return thrown as Error;
      }
      throw new Error('no error thrown');
    })();
    expect(error).toBeInstanceOf(UnknownRegionError);
    expect(error.name).toBe('UnknownRegionError');
    expect(error.message).toBe(
      `Unknown Genesys Cloud region "eu-west-9"; valid regions: ${Object.keys(GENESYS_REGIONS).join(', ')} (or their domains, e.g. mypurecloud.ie); for another region give apiUrl and loginUrl`,
    );
  });

  it('requires a region or an apiUrl', () => {
    expect(() => resolveEndpoints({})).toThrow(/region or an apiUrl is required/);
  });

  it.each(['', '   '])('takes the blank region %j as no region', (region) => {
    expect(() => resolveEndpoints({ region })).toThrow(
      new UnknownRegionError(
        `A region or an apiUrl is required; valid regions: ${Object.keys(GENESYS_REGIONS).join(', ')}`,
      ),
    );
    expect(
      resolveEndpoints({
        region,
        apiUrl: 'https://api.mypurecloud.de',
        loginUrl: 'https://login.mypurecloud.de',
      }).region,
    ).toBe('custom');
  });

  it('lists the region keys', () => {
    expect(listRegions()).toEqual(Object.keys(GENESYS_REGIONS));
  });

  it('uses Genesys overrides as given, deriving login from api by swapping the host prefix', () => {
    expect(resolveEndpoints({ region: 'eu-west-1', apiUrl: 'https://api.mypurecloud.de/' })).toEqual({
      region: 'eu-west-1',
      apiUrl: 'https://api.mypurecloud.de',
      loginUrl: 'https://login.mypurecloud.de',
    });
  });

  it('uses allow-listed overrides, plain http included', () => {
    expect(
      resolveEndpoints({
        apiUrl: 'http://127.0.0.1:9000',
        loginUrl: 'http://127.0.0.1:9001',
        allowedHosts: ['127.0.0.1'],
      }),
    ).toEqual({ region: 'custom', apiUrl: 'http://127.0.0.1:9000', loginUrl: 'http://127.0.0.1:9001' });
    expect(
      resolveEndpoints({ apiUrl: 'https://api.sandbox.example', allowedHosts: ['*.sandbox.example'] }),
    ).toEqual({
      region: 'custom',
      apiUrl: 'https://api.sandbox.example',
      loginUrl: 'https://login.sandbox.example',
    });
  });

  it('accepts a region the table does not know when the URLs are given', () => {
    expect(
      resolveEndpoints({
        region: 'xx-new-1',
        apiUrl: 'https://api.xxn1.pure.cloud',
        loginUrl: 'https://login.xxn1.pure.cloud',
        allowedHosts: ['api.xxn1.pure.cloud', 'login.xxn1.pure.cloud'],
      }),
    ).toEqual({
      region: 'custom',
      apiUrl: 'https://api.xxn1.pure.cloud',
      loginUrl: 'https://login.xxn1.pure.cloud',
    });
  });

  it('rejects malformed override URLs naming the field', () => {
    expect(policyError(() => resolveEndpoints({ apiUrl: 'not a url' }))).toMatchObject({
      field: 'apiUrl',
      message: 'apiUrl is not a valid URL: "not a url"',
    });
    expect(policyError(() => resolveEndpoints({ region: 'eu-west-1', loginUrl: 'ftp://x' }))).toMatchObject({
      field: 'loginUrl',
      message: 'loginUrl must use https, got ftp:',
    });
    expect(policyError(() => resolveEndpoints({ apiUrl: 'https://u:p@api.mypurecloud.ie' })).message).toBe(
      'apiUrl must not carry a user name or password',
    );
    expect(policyError(() => resolveEndpoints({ apiUrl: 'https://api.mypurecloud.ie/?a=1' })).message).toBe(
      'apiUrl must not have a query or fragment',
    );
  });

  it.each([
    ['https://user@api.mypurecloud.ie', 'must not carry a user name or password'],
    ['https://:secret@api.mypurecloud.ie', 'must not carry a user name or password'],
    ['https://api.mypurecloud.ie/#top', 'must not have a query or fragment'],
  ])('rejects the apiUrl %s, naming the host', (apiUrl, problem) => {
    expect(policyError(() => resolveEndpoints({ apiUrl }))).toMatchObject({
      field: 'apiUrl',
      host: 'api.mypurecloud.ie',
      message: `apiUrl ${problem}`,
    });
  });

  it('strips every trailing slash, keeping a path prefix', () => {
    expect(
      resolveEndpoints({
        apiUrl: 'https://proxy.example/genesys/api//',
        loginUrl: 'https://proxy.example/genesys/login///',
        allowedHosts: ['proxy.example'],
      }),
    ).toEqual({
      region: 'custom',
      apiUrl: 'https://proxy.example/genesys/api',
      loginUrl: 'https://proxy.example/genesys/login',
    });
  });
});

describe('endpoint policy', () => {
  it('refuses a host outside Genesys Cloud without an allow-list entry, naming field, host and fix', () => {
    const error = policyError(() =>
      resolveEndpoints({ region: 'eu-west-1', apiUrl: 'http://169.254.169.254' }),
    );
    expect(error).toMatchObject({ name: 'EndpointPolicyError', field: 'apiUrl', host: '169.254.169.254' });
    expect(error.message).toBe(
      'apiUrl host 169.254.169.254 is not a Genesys Cloud host (api.<region domain>, e.g. api.mypurecloud.ie); to use it anyway, add "169.254.169.254" to allowedHosts',
    );
  });

  it('checks loginUrl on its own, including one derived from apiUrl', () => {
    expect(
      policyError(() =>
        resolveEndpoints({ region: 'eu-west-1', loginUrl: 'https://login.evil.example/oauth' }),
      ),
    ).toMatchObject({ field: 'loginUrl', host: 'login.evil.example' });
    const derived = policyError(() =>
      resolveEndpoints({ apiUrl: 'https://api.sandbox.example', allowedHosts: ['api.sandbox.example'] }),
    );
    expect(derived.message).toBe(
      'loginUrl host login.sandbox.example is not a Genesys Cloud host (login.<region domain>, e.g. login.mypurecloud.ie); to use it anyway, add "login.sandbox.example" to allowedHosts',
    );
  });

  it('keeps api. and login. hosts to their own fields', () => {
    expect(policyError(() => resolveEndpoints({ apiUrl: 'https://login.mypurecloud.ie' }))).toMatchObject({
      field: 'apiUrl',
      host: 'login.mypurecloud.ie',
    });
  });

  it('refuses plain http to a Genesys host that is not allow-listed', () => {
    const error = policyError(() => resolveEndpoints({ apiUrl: 'http://api.mypurecloud.ie' }));
    expect(error.message).toBe(
      'apiUrl must use https (got http://api.mypurecloud.ie); plain http is allowed only for hosts in allowedHosts',
    );
  });

  it.each([
    ['127.0.0.1', 'http://127.0.0.1:4000', true],
    ['127.0.0.1:4000', 'http://127.0.0.1:4000', true],
    ['127.0.0.1:4000', 'http://127.0.0.1:4001', false],
    ['localhost:80', 'http://LOCALHOST', true],
    ['localhost:443', 'http://localhost', false],
    ['sim.example:443', 'https://sim.example', true],
    ['*.example.com', 'https://api.a.example.com', true],
    ['*.example.com', 'https://example.com', false],
    ['*.example.com', 'https://api.badexample.com', false],
    ['*.example.com:8443', 'https://api.example.com:8443', true],
    ['*.example.com:8443', 'https://api.example.com', false],
    ['[::1]', 'http://[::1]:8080', true],
    ['[::1]:8080', 'http://[::1]:8081', false],
    [' 127.0.0.1 ', 'http://127.0.0.1:1', true],
    ['127.0.0.1:1', 'http://127.0.0.1:1', true],
    ['127.0.0.1:65535', 'http://127.0.0.1:65535', true],
  ])('entry %j allows %s: %s', (entry, apiUrl, allowed) => {
    const resolve = () => resolveEndpoints({ apiUrl, loginUrl: apiUrl, allowedHosts: [entry] });
    if (allowed) expect(resolve().apiUrl).toBe(new URL(apiUrl).toString().replace(/\/$/, ''));
    else expect(policyError(resolve).field).toBe('apiUrl');
  });

  it.each([
    ['', 'is not a host'],
    ['*', 'is not a host'],
    ['http://127.0.0.1', 'is not a host'],
    ['host/path', 'is not a host'],
    ['user@host', 'is not a host'],
    ['host:0', 'has a port outside 1-65535'],
    ['host:70000', 'has a port outside 1-65535'],
    ['[zz::1]', 'is not a host'],
    ['[1:2:3]', 'is not a valid host name'],
  ])('rejects the allow-list entry %j', (entry, problem) => {
    const error = policyError(() =>
      resolveEndpoints({ region: 'eu-west-1', allowedHosts: ['ok.example', entry] }),
    );
    expect(error).toMatchObject({ field: 'allowedHosts' });
    expect(error.message).toBe(
      `allowedHosts[1] ${JSON.stringify(entry)} ${problem}; use host, host:port or *.domain`,
    );
  });
});
