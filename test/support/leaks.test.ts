import { findLeaks } from './leaks';

describe('the leak scan (the check itself)', () => {
  const secret = 'Zq3-s3cr3t_V4lue+/=&x';

  it.each([
    ['as is', `"clientSecret":"${secret}"`],
    ['in a Basic header', `Authorization: Basic ${Buffer.from(`client-1:${secret}`).toString('base64')}`],
    ['base64 after one byte', Buffer.from(`x${secret}y`).toString('base64')],
    ['base64 after two bytes', Buffer.from(`xy${secret}`).toString('base64')],
    ['base64url', Buffer.from(`abc${secret}`).toString('base64url')],
    ['URL-encoded in a form body', `client_secret=${encodeURIComponent(secret)}&grant_type=x`],
    ['JSON-escaped', JSON.stringify({ text: `said "${secret}"` })],
    ['hex', Buffer.from(secret).toString('hex')],
  ])('finds a secret %s', (_, text) => {
    expect(findLeaks([text], [secret], ['client-1'])).not.toEqual([]);
  });

  it('finds nothing in a text without the secret, even one with its neighbours', () => {
    expect(
      findLeaks(['Zq3-s3cr3t', Buffer.from('Zq3-s3cr3t').toString('base64'), 'client-1'], [secret]),
    ).toEqual([]);
  });
});
