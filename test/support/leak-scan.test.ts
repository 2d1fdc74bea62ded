import { randomBytes } from 'node:crypto';
import { LeakScanner, type Output } from './leak-scan';
import { findLeaks } from './leaks';

describe('LeakScanner (the one-pass leak scan)', () => {
  const secret = 'Zq3-s3cr3t_V4lue+/=&x';
  const scanner = new LeakScanner();
  scanner.add(secret, 'client secret', ['client-1']);
  const log = (text: string): Output => ({ kind: 'log', source: 'test', text });

  it.each([
    ['as is', `"clientSecret":"${secret}"`, 'raw'],
    [
      'in a Basic header',
      `Authorization: Basic ${Buffer.from(`client-1:${secret}`).toString('base64')}`,
      'Basic',
    ],
    ['base64 after one byte', Buffer.from(`x${secret}y`).toString('base64'), 'base64'],
    ['base64url after two bytes', Buffer.from(`xy${secret}`).toString('base64url'), 'base64'],
    ['URL-encoded in a form body', `client_secret=${encodeURIComponent(secret)}&grant_type=x`, 'URL-encoded'],
    ['hex', `0x${Buffer.from(secret).toString('hex')}`, 'hex'],
  ])('finds a secret %s, naming the form', (_, text, form) => {
    const hits = scanner.scan([log(text)]);
    expect(hits.map((h) => h.form)).toContain(form);
    expect(hits[0]).toMatchObject({ kind: 'log', source: 'test', secret: 'client secret' });
  });

  it('never shows the secret in what it reports', () => {
    const [hit] = scanner.scan([log(`before ${secret} after`)]);
    expect(hit?.excerpt).toBe('before [SECRET] after');
  });

  it('finds a secret at the very start and the very end of a text', () => {
    expect(scanner.scan([log(secret), log(`x${secret}`)])).toHaveLength(2);
  });

  it('finds nothing in a text without the secret, even one with its neighbours', () => {
    expect(
      scanner.scan([log('Zq3-s3cr3t'), log(Buffer.from('Zq3-s3cr3t').toString('base64')), log('')]),
    ).toEqual([]);
  });

  it('finds what findLeaks finds, over many secrets and random texts', () => {
    const secrets = Array.from({ length: 40 }, () => randomBytes(24).toString('base64url'));
    const many = new LeakScanner();
    for (const [i, s] of secrets.entries()) many.add(s, `secret ${i}`, ['id-1']);
    const texts = Array.from({ length: 60 }, (_, i) => {
      const noise = randomBytes(200).toString('base64');
      const s = secrets[i % secrets.length] as string;
      const forms = [
        s,
        Buffer.from(`id-1:${s}`).toString('base64'),
        Buffer.from(`ab${s}`).toString('base64url'),
      ];
      return i % 3 === 0 ? noise : `${noise.slice(0, 90)}${forms[i % forms.length]}${noise.slice(90)}`;
    });
    const expected = findLeaks(texts, secrets, ['id-1']).length;
    expect(expected).toBeGreaterThan(0);
    expect(many.scan(texts.map(log))).toHaveLength(expected);
  });
});
