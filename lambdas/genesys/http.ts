import { GenesysApiError, type GenesysErrorKind, kindForStatus } from './errors';
import type { ErrorBody, OAuthErrorBody } from './models';
import { Redactor } from './redactor';

export interface RetryPolicy {
  /** Attempts per call, the first included. @default 8 */
  readonly maxAttempts: number;
  /** First backoff step; doubles each attempt, with full jitter. @default 250 */
  readonly baseDelayMs: number;
  /** Largest backoff step. @default 10000 */
  readonly maxDelayMs: number;
  /** Timeout of one attempt. @default 15000 */
  readonly attemptTimeoutMs: number;
  /** Time one call may take with all its retries and waits. @default 90000 */
  readonly totalBudgetMs: number;
  /** Largest `Retry-After` honoured; a longer one fails the call at once. @default 60000 */
  readonly maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = Object.freeze({
  maxAttempts: 8,
  baseDelayMs: 250,
  maxDelayMs: 10_000,
  attemptTimeoutMs: 15_000,
  totalBudgetMs: 90_000,
  maxRetryAfterMs: 60_000,
});

/** What the pipeline reports, for metrics and benchmarks. Never carries bodies or headers. */
export type HttpEvent =
  | { type: 'call'; method: string; path: string; status: number; attempt: number; durationMs: number }
  | {
      type: 'retry';
      method: string;
      path: string;
      status: number;
      kind: GenesysErrorKind;
      attempt: number;
      delayMs: number;
    };

export interface HttpOptions {
  readonly retry?: Partial<RetryPolicy>;
  readonly onEvent?: (event: HttpEvent) => void;
  /** @default globalThis.fetch */
  readonly fetch?: typeof fetch;
  /** @default setTimeout-based sleep */
  readonly sleep?: (ms: number) => Promise<void>;
  /** @default Math.random */
  readonly random?: () => number;
  readonly redactor?: Redactor;
}

export interface HttpRequest {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD';
  readonly baseUrl: string;
  readonly path: string;
  readonly query?: Record<string, string | number | boolean | ReadonlyArray<string> | undefined>;
  readonly headers?: Record<string, string>;
  readonly body?: string;
  /**
   * False for calls that create something (POST). Such calls are retried only where the server surely did
   * not act on them (429, 503, connection refused), so a retry never creates a duplicate.
   */
  readonly idempotent: boolean;
}

export interface HttpResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
}

/** A failed attempt; `safe` when the server surely did not act on it, so even a create can be retried. */
interface Failure {
  readonly error: GenesysApiError;
  readonly retryAfterMs?: number;
  readonly safe: boolean;
}

const NETWORK_SAFE_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN']);

export class HttpPipeline {
  readonly policy: RetryPolicy;
  readonly redactor: Redactor;
  private readonly fetchFn: typeof fetch;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;
  private readonly onEvent?: (event: HttpEvent) => void;

  constructor(options: HttpOptions = {}) {
    this.policy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    this.fetchFn = options.fetch ?? globalThis.fetch;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.random = options.random ?? Math.random;
    this.onEvent = options.onEvent;
    this.redactor = options.redactor ?? new Redactor();
  }

  /** Sends a request with timeouts and retries; resolves with any 2xx, rejects with a GenesysApiError. */
  async send(request: HttpRequest): Promise<HttpResponse> {
    const url = buildUrl(request);
    const started = Date.now();
    for (let attempt = 1; ; attempt++) {
      const attemptStarted = Date.now();
      let outcome: Failure;
      try {
        const response = await this.fetchFn(url, {
          method: request.method,
          headers: request.headers,
          body: request.body,
          signal: AbortSignal.timeout(this.policy.attemptTimeoutMs),
        });
        const text = await response.text();
        this.emit({
          type: 'call',
          method: request.method,
          path: request.path,
          status: response.status,
          attempt,
          durationMs: Date.now() - attemptStarted,
        });
        if (response.ok) return { status: response.status, headers: response.headers, text };
        outcome = this.failure(request, response.status, response.headers, text, attempt);
      } catch (cause) {
        this.emit({
          type: 'call',
          method: request.method,
          path: request.path,
          status: 0,
          attempt,
          durationMs: Date.now() - attemptStarted,
        });
        outcome = this.networkFailure(request, cause, attempt);
      }

      const { error } = outcome;
      const retryable = error.retryable && (request.idempotent || outcome.safe);
      if (!retryable || attempt >= this.policy.maxAttempts) throw error;
      let delayMs: number;
      if (outcome.retryAfterMs !== undefined) {
        if (outcome.retryAfterMs > this.policy.maxRetryAfterMs) throw error;
        delayMs = outcome.retryAfterMs;
      } else {
        const ceiling = Math.min(this.policy.maxDelayMs, this.policy.baseDelayMs * 2 ** (attempt - 1));
        delayMs = Math.round(this.random() * ceiling);
      }
      if (Date.now() - started + delayMs > this.policy.totalBudgetMs) throw error;
      this.emit({
        type: 'retry',
        method: request.method,
        path: request.path,
        status: error.status,
        kind: error.kind,
        attempt,
        delayMs,
      });
      await this.sleep(delayMs);
    }
  }

  private failure(
    request: HttpRequest,
    status: number,
    headers: Headers,
    text: string,
    attempt: number,
  ): Failure {
    const body = parseErrorBody(text);
    let kind = kindForStatus(status);
    if (status === 501) kind = 'bad-request';
    // The token endpoint signals throttling as 400 invalid_request "rate limit exceeded; ..." (TF PR #1004).
    if (
      status === 400 &&
      body.code === 'invalid_request' &&
      /rate limit exceeded/i.test(body.message ?? '')
    ) {
      kind = 'rate-limited';
    }
    // Some endpoints answer a stale config version with 400 "... does not match the current version" (TF).
    if (status === 400 && /does not match the current version/i.test(body.message ?? '')) kind = 'conflict';
    const error = new GenesysApiError({
      kind,
      status,
      method: request.method,
      path: request.path,
      code: body.code,
      genesysMessage: this.redactor.redact(body.message),
      contextId: body.contextId ?? headers.get('inin-correlation-id') ?? undefined,
      attempts: attempt,
      hint: body.code === 'invalid_client' ? 'Check the client id, client secret and region' : undefined,
    });
    const retryAfterMs = kind === 'rate-limited' ? parseRetryAfter(headers.get('retry-after')) : undefined;
    return { error, retryAfterMs, safe: kind === 'rate-limited' || status === 503 };
  }

  private networkFailure(request: HttpRequest, cause: unknown, attempt: number): Failure {
    const name = (cause as { name?: unknown } | undefined)?.name;
    const timedOut = name === 'TimeoutError' || name === 'AbortError';
    const code = networkErrorCode(cause);
    const error = new GenesysApiError({
      kind: 'transient',
      status: 0,
      method: request.method,
      path: request.path,
      code: timedOut ? 'client.timeout' : (code ?? 'network.error'),
      genesysMessage: timedOut
        ? `no response within ${this.policy.attemptTimeoutMs} ms`
        : 'connection failed',
      attempts: attempt,
    });
    return { error, safe: code !== undefined && NETWORK_SAFE_CODES.has(code) };
  }

  private emit(event: HttpEvent): void {
    this.onEvent?.(event);
  }
}

function buildUrl(request: HttpRequest): string {
  const url = new URL(request.baseUrl + request.path);
  for (const [key, value] of Object.entries(request.query ?? {})) {
    if (value === undefined) continue;
    if (Array.isArray(value)) {
      for (const item of value) url.searchParams.append(key, item);
    } else {
      url.searchParams.set(key, String(value));
    }
  }
  return url.toString();
}

function networkErrorCode(cause: unknown): string | undefined {
  // Duck-typed: errors from fetch may come from another realm, where `instanceof Error` fails.
  const inner = (cause as { cause?: { code?: unknown } } | undefined)?.cause;
  return typeof inner?.code === 'string' ? inner.code : undefined;
}

/** Reads a Genesys ErrorBody or an OAuth error body; any other text yields nothing (it is never echoed). */
export function parseErrorBody(text: string): { code?: string; message?: string; contextId?: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return {};
  }
  if (typeof parsed !== 'object' || parsed === null) return {};
  const body = parsed as ErrorBody & OAuthErrorBody;
  const str = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);
  return {
    code: str(body.code) ?? str(body.error),
    message: str(body.message) ?? str(body.error_description) ?? str(body.description),
    contextId: str(body.contextId),
  };
}

/** `Retry-After` is seconds here (Genesys), but an HTTP date is accepted too. */
export function parseRetryAfter(value: string | null): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}
