import {
  GenesysApiError,
  isGenesysError,
  kindForStatus,
  STEP_ERROR_NAMES,
} from '../../../lambdas/genesys/errors';

describe('error classification', () => {
  it.each([
    [429, 'rate-limited'],
    [401, 'authentication'],
    [403, 'permission'],
    [404, 'not-found'],
    [410, 'not-found'],
    [409, 'conflict'],
    [408, 'transient'],
    [500, 'transient'],
    [503, 'transient'],
    [400, 'bad-request'],
    [422, 'bad-request'],
  ])('status %i is %s', (status, kind) => {
    expect(kindForStatus(status)).toBe(kind);
  });

  it('names each error after its kind and keeps code, message and contextId', () => {
    const error = new GenesysApiError({
      kind: 'permission',
      status: 403,
      method: 'POST',
      path: '/api/v2/oauth/clients',
      code: 'missing.any.permissions',
      genesysMessage: 'You must have at least one of the following permissions assigned: [oauth:client:add]',
      contextId: 'ctx-1',
      attempts: 1,
    });
    expect(error.name).toBe(STEP_ERROR_NAMES.permission);
    expect(error.message).toBe(
      'Genesys POST /api/v2/oauth/clients failed (HTTP 403 missing.any.permissions): You must have at least one of the following permissions assigned: [oauth:client:add] [contextId ctx-1]',
    );
    expect(error.retryable).toBe(false);
    expect(isGenesysError(error, 'permission')).toBe(true);
    expect(isGenesysError(error, 'conflict')).toBe(false);
    expect(isGenesysError(new Error('x'))).toBe(false);
    expect(JSON.parse(JSON.stringify(error))).toMatchObject({
      name: 'Genesys.Permission',
      contextId: 'ctx-1',
    });
  });

  it('says "no response" for network failures and counts attempts', () => {
    const error = new GenesysApiError({
      kind: 'transient',
      status: 0,
      method: 'GET',
      path: '/x',
      attempts: 3,
    });
    expect(error.message).toBe('Genesys GET /x failed (no response) after 3 attempts');
    expect(error.retryable).toBe(true);
  });

  it('names an unreachable host, which is not worth retrying', () => {
    const error = new GenesysApiError({
      kind: 'unreachable',
      status: 0,
      method: 'POST',
      path: '/oauth/token',
      code: 'ENOTFOUND',
      genesysMessage: 'could not resolve login.example (ENOTFOUND): no such host',
      host: 'login.example',
      attempts: 1,
    });
    expect(error.name).toBe('Genesys.Unreachable');
    expect(error.retryable).toBe(false);
    expect(error.message).toBe(
      'Genesys POST /oauth/token failed (no response ENOTFOUND): could not resolve login.example (ENOTFOUND): no such host',
    );
    expect(error.toJSON()).toEqual({
      name: 'Genesys.Unreachable',
      kind: 'unreachable',
      status: 0,
      method: 'POST',
      path: '/oauth/token',
      code: 'ENOTFOUND',
      message: error.message,
      details: undefined,
      host: 'login.example',
      contextId: undefined,
    });
  });

  it('lists details[] after the message, with fields, codes and entities', () => {
    const error = new GenesysApiError({
      kind: 'bad-request',
      status: 400,
      method: 'PUT',
      path: '/api/v2/integrations/i/config/current',
      code: 'bad.request',
      genesysMessage: 'Invalid config',
      details: [
        { fieldName: 'credentials.pureCloudOAuthClient', errorCode: 'invalid.value' },
        { errorCode: 'not.found', entityName: 'cred' },
      ],
    });
    expect(error.details).toHaveLength(2);
    expect(error.message).toBe(
      'Genesys PUT /api/v2/integrations/i/config/current failed (HTTP 400 bad.request): Invalid config [details: credentials.pureCloudOAuthClient invalid.value; not.found (entity cred)]',
    );
  });

  it('has one Step Functions name per kind', () => {
    expect(STEP_ERROR_NAMES).toEqual({
      'rate-limited': 'Genesys.RateLimited',
      transient: 'Genesys.Transient',
      unreachable: 'Genesys.Unreachable',
      authentication: 'Genesys.Authentication',
      permission: 'Genesys.Permission',
      'not-found': 'Genesys.NotFound',
      conflict: 'Genesys.Conflict',
      'bad-request': 'Genesys.BadRequest',
    });
  });
});
