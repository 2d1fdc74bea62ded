import {
  GenesysApiError,
  isGenesysError,
  kindForStatus,
  STEP_ERROR_NAMES,
} from '../../../lambdas/genesys/errors';
import { parseErrorBody, parseRetryAfter } from '../../../lambdas/genesys/http';

describe('error classification', () => {
  it.each([
    [429, 'rate-limited'],
    [401, 'authentication'],
    [403, 'permission'],
    [404, 'not-found'],
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
});

describe('parseErrorBody', () => {
  it('reads a Genesys ErrorBody', () => {
    expect(parseErrorBody('{"message":"m","code":"c","status":400,"contextId":"x"}')).toEqual({
      code: 'c',
      message: 'm',
      contextId: 'x',
    });
  });
  it('reads an OAuth error body', () => {
    expect(parseErrorBody('{"error":"invalid_client","description":"authentication failed"}')).toEqual({
      code: 'invalid_client',
      message: 'authentication failed',
      contextId: undefined,
    });
  });
  it('never echoes a body that is not JSON', () => {
    expect(parseErrorBody('<html>secret</html>')).toEqual({});
    expect(parseErrorBody('"just a string"')).toEqual({});
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates', () => {
    expect(parseRetryAfter('3')).toBe(3000);
    expect(parseRetryAfter(null)).toBeUndefined();
    expect(parseRetryAfter('soon')).toBeUndefined();
    const inTwoSeconds = new Date(Date.now() + 2000).toUTCString();
    expect(parseRetryAfter(inTwoSeconds)).toBeGreaterThan(0);
  });
});
