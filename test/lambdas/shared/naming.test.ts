import {
  bootstrapSecretName,
  canonicalJson,
  credentialFingerprint,
  credentialName,
  resultSecretName,
} from '../../../lambdas/shared/naming';

describe('naming', () => {
  it('names the secrets of an org under the prefix', () => {
    expect(bootstrapSecretName('p/q', 'org')).toBe('p/q/org/bootstrap');
    expect(resultSecretName('p', 'org')).toBe('p/org/data-actions-client');
  });

  it('names a credential after its integration, as the Genesys UI does', () => {
    expect(credentialName('1234')).toBe('Integration-1234');
  });

  it('fingerprints credentials one way: 32 hex characters, different for another id or secret', () => {
    const fingerprint = credentialFingerprint('client', 'secret');
    expect(fingerprint).toMatch(/^[0-9a-f]{32}$/);
    expect(fingerprint).toBe(credentialFingerprint('client', 'secret'));
    expect(credentialFingerprint('client', 'other')).not.toBe(fingerprint);
    expect(credentialFingerprint('other', 'secret')).not.toBe(fingerprint);
    expect(fingerprint).not.toContain('secret');
  });

  it('writes canonical JSON: sorted keys, undefined left out, arrays in order, scalars as JSON', () => {
    expect(canonicalJson({ b: [2, 1], a: { d: null, c: 'x', e: undefined } })).toBe(
      '{"a":{"c":"x","d":null},"b":[2,1]}',
    );
    expect(canonicalJson({ B: 1, a: 2, _: 3 })).toBe('{"B":1,"_":3,"a":2}');
    expect(canonicalJson('text')).toBe('"text"');
    expect(canonicalJson(null)).toBe('null');
  });
});
