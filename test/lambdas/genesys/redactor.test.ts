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

  it('passes undefined through', () => {
    expect(new Redactor().redact(undefined)).toBeUndefined();
  });
});
