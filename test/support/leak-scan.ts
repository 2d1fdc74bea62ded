import { encodedForms } from './leaks';

/** Where a text left the system. */
export type OutputKind = 'log' | 'history' | 'api' | 'cli' | 'trace';

/** One text that left the system: a log line, an execution history, an API answer, CLI output, a trace document. */
export interface Output {
  readonly kind: OutputKind;
  /** What produced it, for the report (e.g. `fault matrix: POST /api/v2/oauth/clients — 503`). */
  readonly source: string;
  readonly text: string;
}

export interface LeakHit {
  readonly kind: OutputKind;
  readonly source: string;
  /** Which secret (its label, never its value) and in which form (`raw`, `URL-encoded`, `base64`, `Basic`...). */
  readonly secret: string;
  readonly form: string;
  /** Up to 160 characters around the hit, the secret's form replaced by `[SECRET]`. */
  readonly excerpt: string;
}

interface Form {
  readonly text: string;
  readonly secret: string;
  readonly form: string;
}

/** Length of the window the rolling hash runs over; shorter forms are searched one by one. */
const WINDOW = 8;
const BASE = 0x01000193;

/**
 * Searches many texts for every encoded form (test/support/leaks.ts `encodedForms`: raw, JSON-escaped,
 * URL-encoded, hex, base64/base64url at each alignment, Basic headers) of many secrets in one pass per text:
 * a rolling hash over the first 8 characters of every form (Rabin-Karp), each candidate then compared in
 * full. Same hits as `findLeaks`, in time linear in the texts' length rather than in texts × forms.
 */
export class LeakScanner {
  private readonly byPrefixHash = new Map<number, Form[]>();
  private readonly short: Form[] = [];
  private readonly secrets = new Set<string>();
  /** BASE^(WINDOW-1) mod 2^32: the weight of the character leaving the window. */
  private readonly power = powerOfBase(WINDOW - 1);

  /** How many distinct secret values are searched for. */
  get secretCount(): number {
    return this.secrets.size;
  }

  /**
   * Adds a secret; `clientIds` are the ids it may be paired with in a Basic header (`base64(id:secret)`),
   * found from the secret alone anyway (the base64 forms at every alignment). `label` names it in hits.
   */
  add(secret: string, label: string, clientIds: readonly string[] = []): void {
    if (secret === '' || this.secrets.has(secret)) return;
    this.secrets.add(secret);
    const names = formNames(secret, clientIds);
    encodedForms(secret, clientIds).forEach((text, i) => {
      const form: Form = { text, secret: label, form: names[i] ?? 'encoded' };
      if (text.length < WINDOW) {
        this.short.push(form);
        return;
      }
      const hash = hashOf(text, 0, WINDOW);
      const bucket = this.byPrefixHash.get(hash);
      if (bucket) bucket.push(form);
      else this.byPrefixHash.set(hash, [form]);
    });
  }

  /** Every place where a form of a secret appears in the outputs: `[]` when nothing leaked. */
  scan(outputs: Iterable<Output>): LeakHit[] {
    const hits: LeakHit[] = [];
    for (const output of outputs) {
      const { text } = output;
      const hit = (form: Form, at: number) => hits.push(hitOf(output, form, at));
      for (const form of this.short) {
        const at = text.indexOf(form.text);
        if (at >= 0) hit(form, at);
      }
      if (text.length < WINDOW) continue;
      let hash = hashOf(text, 0, WINDOW);
      for (let start = 0; ; start++) {
        const candidates = this.byPrefixHash.get(hash);
        if (candidates)
          for (const form of candidates) if (text.startsWith(form.text, start)) hit(form, start);
        const next = start + WINDOW;
        if (next >= text.length) break;
        hash =
          (Math.imul(hash - Math.imul(text.charCodeAt(start), this.power), BASE) + text.charCodeAt(next)) >>>
          0;
      }
    }
    return hits;
  }
}

function hashOf(text: string, start: number, length: number): number {
  let hash = 0;
  for (let i = start; i < start + length; i++) hash = (Math.imul(hash, BASE) + text.charCodeAt(i)) >>> 0;
  return hash;
}

function powerOfBase(exponent: number): number {
  let power = 1;
  for (let i = 0; i < exponent; i++) power = Math.imul(power, BASE) >>> 0;
  return power;
}

/** Names of the forms `encodedForms` returns, in its order; `base64` stands for base64 and base64url alike. */
function formNames(secret: string, clientIds: readonly string[]): string[] {
  const forms = encodedForms(secret, clientIds);
  return forms.map((form) => {
    if (form === secret) return 'raw';
    if (form === JSON.stringify(secret).slice(1, -1)) return 'JSON-escaped';
    if (form === encodeURIComponent(secret)) return 'URL-encoded';
    if (form === Buffer.from(secret).toString('hex')) return 'hex';
    if (clientIds.some((id) => form === Buffer.from(`${id}:${secret}`).toString('base64'))) return 'Basic';
    return 'base64';
  });
}

function hitOf(output: Output, form: Form, at: number): LeakHit {
  const from = Math.max(0, at - 60);
  const to = Math.min(output.text.length, at + form.text.length + 60);
  const excerpt = `${output.text.slice(from, at)}[SECRET]${output.text.slice(at + form.text.length, to)}`;
  return { kind: output.kind, source: output.source, secret: form.secret, form: form.form, excerpt };
}
