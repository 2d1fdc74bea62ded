import { Redactor } from '../../../lambdas/genesys/redactor';

describe('Redactor', () => {
  it('blanks every occurrence of every remembered value', () => {
    const redactor = new Redactor();
    redactor.add('secret-one', undefined, 'token-two');
    expect(redactor.redact('secret-one, token-two and secret-one')).toBe(
      '[REDACTED], [REDACTED] and [REDACTED]',
    );
  });

  it('ignores values too short to be secrets, so ordinary words survive', () => {
    const redactor = new Redactor();
    redactor.add('abc', '');
    expect(redactor.redact('abc')).toBe('abc');
  });

  it('remembers a value of 6 characters, the shortest taken for a secret, and not one of 5', () => {
    const redactor = new Redactor();
    redactor.add('abcdef', 'vwxyz');
    expect(redactor.redact('abcdef vwxyz')).toBe('[REDACTED] vwxyz');
  });

  it('passes undefined through', () => {
    expect(new Redactor().redact(undefined)).toBeUndefined();
  });
});
