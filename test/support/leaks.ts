/**
 * Every form in which a secret value could leak into a text: as is, JSON-escaped, URL-encoded, hex, and
 * base64/base64url at each of the three byte alignments it can have inside a longer encoded string (so
 * `base64(clientId + ":" + secret)` in a Basic header is found from the secret alone), plus the Basic header of
 * each client id and secret pair given.
 */
export function encodedForms(secret: string, clientIds: readonly string[] = []): string[] {
  const forms = new Set<string>([secret, JSON.stringify(secret).slice(1, -1), encodeURIComponent(secret)]);
  forms.add(Buffer.from(secret).toString('hex'));
  for (let offset = 0; offset < 3; offset++) {
    const padded = Buffer.concat([Buffer.alloc(offset, 0), Buffer.from(secret)]);
    for (const encoding of ['base64', 'base64url'] as const) {
      const encoded = padded.toString(encoding).replace(/=+$/, '');
      // Drop the characters that mix in the padding before and the unknown bytes after: the rest is fixed.
      const start = Math.ceil((offset * 8) / 6);
      const end = Math.floor(((offset + Buffer.byteLength(secret)) * 8) / 6);
      if (end - start >= 8) forms.add(encoded.slice(start, end));
    }
  }
  for (const clientId of clientIds) forms.add(Buffer.from(`${clientId}:${secret}`).toString('base64'));
  return [...forms];
}

/** Where any encoded form of any secret appears in the texts: `[]` when nothing leaked. */
export function findLeaks(
  texts: readonly string[],
  secrets: Iterable<string>,
  clientIds: readonly string[] = [],
): Array<{ form: string; text: string }> {
  const hits: Array<{ form: string; text: string }> = [];
  for (const secret of secrets) {
    for (const form of encodedForms(secret, clientIds)) {
      for (const text of texts) if (text.includes(form)) hits.push({ form, text: text.slice(0, 200) });
    }
  }
  return hits;
}
