import { causeMessage } from '../../../lambdas/shared/errors';

describe('causeMessage', () => {
  it('reads the errorMessage of a Lambda error cause (AWS)', () => {
    expect(
      causeMessage(JSON.stringify({ errorType: 'Error', errorMessage: 'it broke', trace: ['at x'] })),
    ).toBe('it broke');
  });

  it.each([
    ['plain text (local)', 'it broke'],
    ['JSON without errorMessage', '{"message":"it broke"}'],
    ['JSON whose errorMessage is not text', '{"errorMessage":42}'],
    ['JSON null', 'null'],
    ['a JSON string', '"it broke"'],
  ])('keeps %s as it is', (_, cause) => {
    expect(causeMessage(cause)).toBe(cause);
  });

  it.each([undefined, ''])('says "unknown cause" for %p', (cause) => {
    expect(causeMessage(cause)).toBe('unknown cause');
  });
});
