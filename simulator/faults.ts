/** What a fault does to a request instead of (or before) answering it normally. */
export type Fault =
  | { kind: 'status'; status: number; retryAfterSeconds?: number }
  | { kind: 'reset' }
  /** Delays the answer; `afterProcessing`: the request takes effect first, then the answer is late (a timeout). */
  | { kind: 'delay'; delayMs: number; afterProcessing?: boolean };

export interface ScriptedFault {
  readonly method?: string;
  /** A route template (`/api/v2/oauth/clients/{clientId}`), a literal path, or a pattern over the path. */
  readonly path: string | RegExp;
  readonly fault: Fault;
  /** How many matching requests it hits. @default 1 */
  readonly times?: number;
  /** Matching requests to let through before it hits. @default 0 */
  readonly after?: number;
}

export interface RandomFaults {
  /** Seed of the pseudo-random generator: the same seed gives the same faults for the same requests. */
  readonly seed: number;
  /** Probability that a request gets a fault. */
  readonly rate: number;
  /** Which faults to draw from. @default 429, 500, 503, reset, slow */
  readonly kinds?: ReadonlyArray<'429' | '500' | '503' | 'reset' | 'slow'>;
  /** Delay of a `slow` fault. @default 200 */
  readonly slowMs?: number;
}

/** mulberry32: small, fast, seedable. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class FaultPlan {
  private readonly scripted: Array<ScriptedFault & { remaining: number; skip: number }> = [];
  private random?: { config: RandomFaults; next: () => number };

  script(fault: ScriptedFault): void {
    this.scripted.push({ ...fault, remaining: fault.times ?? 1, skip: fault.after ?? 0 });
  }

  setRandom(config: RandomFaults | undefined): void {
    this.random = config ? { config, next: seededRandom(config.seed) } : undefined;
  }

  clear(): void {
    this.scripted.length = 0;
    this.random = undefined;
  }

  /** The fault for this request, if any; scripted faults first. */
  draw(method: string, path: string, template: string | undefined): Fault | undefined {
    for (const entry of this.scripted) {
      if (entry.remaining <= 0) continue;
      if (entry.method && entry.method !== method) continue;
      const matches =
        typeof entry.path === 'string'
          ? entry.path === path || entry.path === template
          : entry.path.test(path);
      if (!matches) continue;
      if (entry.skip > 0) {
        entry.skip--;
        continue;
      }
      entry.remaining--;
      return entry.fault;
    }
    if (!this.random) return undefined;
    const { config, next } = this.random;
    if (next() >= config.rate) return undefined;
    const kinds = config.kinds ?? ['429', '500', '503', 'reset', 'slow'];
    const kind = kinds[Math.floor(next() * kinds.length)];
    switch (kind) {
      case '429':
        return { kind: 'status', status: 429, retryAfterSeconds: 0 };
      case '500':
        return { kind: 'status', status: 500 };
      case '503':
        return { kind: 'status', status: 503 };
      case 'reset':
        return { kind: 'reset' };
      default:
        return { kind: 'delay', delayMs: config.slowMs ?? 200 };
    }
  }
}
