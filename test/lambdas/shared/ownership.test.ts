import {
  isMarked,
  OWNERSHIP_MARKER,
  OWNERSHIP_MARKER_LENGTH,
  withMarker,
  withoutMarker,
} from '../../../lambdas/shared/ownership';

describe('the ownership marker', () => {
  it('is found anywhere in a text, and never in no text', () => {
    expect(isMarked(`${OWNERSHIP_MARKER} first`)).toBe(true);
    expect(isMarked(`ours ${OWNERSHIP_MARKER}`)).toBe(true);
    expect(isMarked('[managed-by:someone-else]')).toBe(false);
    expect(isMarked('')).toBe(false);
    expect(isMarked(null)).toBe(false);
    expect(isMarked(undefined)).toBe(false);
  });

  it('is added once at the end, after a space', () => {
    expect(withMarker('Used by Data Actions')).toBe(`Used by Data Actions ${OWNERSHIP_MARKER}`);
    expect(withMarker('')).toBe(OWNERSHIP_MARKER);
    expect(withMarker('   ')).toBe(OWNERSHIP_MARKER);
    expect(withMarker(withMarker('x'))).toBe(`x ${OWNERSHIP_MARKER}`);
    expect(withMarker(`${OWNERSHIP_MARKER} x`)).toBe(`x ${OWNERSHIP_MARKER}`);
  });

  it('is taken out wherever it is, leaving the text as written', () => {
    expect(withoutMarker(`a ${OWNERSHIP_MARKER}`)).toBe('a');
    expect(withoutMarker(`${OWNERSHIP_MARKER}${OWNERSHIP_MARKER}`)).toBe('');
    expect(withoutMarker(null)).toBe('');
    expect(withoutMarker(undefined)).toBe('');
    expect(withoutMarker(' plain ')).toBe('plain');
  });

  it('takes the room its length says at the end of a text', () => {
    expect(withMarker('x').length - 'x'.length).toBe(OWNERSHIP_MARKER_LENGTH);
  });
});
