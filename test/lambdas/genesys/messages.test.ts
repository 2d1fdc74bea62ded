import { fillMessageParams, messageInfoText, stringParams } from '../../../lambdas/genesys/messages';

describe('fillMessageParams', () => {
  it('fills {name} placeholders and leaves unknown ones', () => {
    expect(fillMessageParams('Rows {rows} of {table} ({missing})', { rows: '[1]', table: 't' })).toBe(
      'Rows [1] of t ({missing})',
    );
    expect(fillMessageParams('no params {x}')).toBe('no params {x}');
  });

  it('does not take inherited properties for params', () => {
    expect(fillMessageParams('{constructor}', {})).toBe('{constructor}');
  });
});

describe('messageInfoText', () => {
  it('prefers message', () => {
    expect(
      messageInfoText({
        message: 'Bad credentials',
        messageWithParams: 'x {a}',
        localizableMessageCode: 'c',
      }),
    ).toBe('Bad credentials');
  });

  it('falls back to messageWithParams with its params filled in', () => {
    expect(
      messageInfoText({
        message: ' ',
        messageWithParams: 'Client {clientId} cannot log in',
        messageParams: { clientId: 'abc' },
        localizableMessageCode: 'AUTH_FAILED',
      }),
    ).toBe('Client abc cannot log in');
  });

  it('falls back to the localizable code', () => {
    expect(messageInfoText({ localizableMessageCode: 'INTEGRATION_AUTH_FAILED' })).toBe(
      'INTEGRATION_AUTH_FAILED',
    );
  });

  it('takes a plain string as it is', () => {
    expect(messageInfoText('The configured credentials could not be used')).toBe(
      'The configured credentials could not be used',
    );
    expect(messageInfoText('  ')).toBeUndefined();
  });

  it('answers undefined when there is no text', () => {
    expect(messageInfoText(undefined)).toBeUndefined();
    expect(messageInfoText(null)).toBeUndefined();
    expect(messageInfoText({})).toBeUndefined();
    expect(messageInfoText(42 as never)).toBeUndefined();
  });
});

describe('stringParams', () => {
  it('keeps the string values only', () => {
    expect(stringParams({ a: 'x', b: 2, c: null })).toEqual({ a: 'x' });
    expect(stringParams('x')).toEqual({});
    expect(stringParams(null)).toEqual({});
  });
});
