import { backoffDelay, type Clock } from './clock';
import { GenesysApiError, type GenesysErrorKind, kindForStatus } from './errors';
import { fillMessageParams, stringParams } from './messages';
import type { ErrorBody, ErrorDetail, OAuthErrorBody } from './models';
import type { Redactor } from './redactor';

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
  /**
   * How long a host that has never answered in this process is retried when it refuses connections (or a
   * DNS lookup fails temporarily) before the call fails as `unreachable`. @default 2000
   */
  readonly unreachableWindowMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = Object.freeze({
  maxAttempts: 8,
  baseDelayMs: 250,
  maxDelayMs: 10_000,
  attemptTimeoutMs: 15_000,
  totalBudgetMs: 90_000,
  maxRetryAfterMs: 60_000,
  unreachableWindowMs: 2_000,
});

/** Retries after a temporary DNS failure (EAI_AGAIN): "one or two quick retries". */
const TEMPORARY_DNS_RETRIES = 2;

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
  /** Time, waits and jitter. */
  readonly clock: Clock;
  /** Blanks the secrets this client has seen out of every error message. */
  readonly redactor: Redactor;
}

export interface HttpRequest {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD';
  readonly baseUrl: string;
  /** Path from the base URL; may carry a query string (a listing's `nextUri`, followed as given). */
  readonly path: string;
  /** Query parameters; undefined values are left out. */
  readonly query?: Record<string, string | number | boolean | undefined>;
  readonly headers?: Record<string, string>;
  readonly body?: string;
  /**
   * False for calls that create something (POST). Such calls are retried only where the server surely did
   * not act on them (429, 503, no connection made), so a retry never creates a duplicate.
   */
  readonly idempotent: boolean;
}

export interface HttpResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
}

/**
 * How a failed attempt may be retried: `normal` by the policy; `never` (the host does not exist, or fetch
 * refuses the port); `unreachable` (refused by a host that has never answered) within `unreachableWindowMs`;
 * `dns-temporary` at most TEMPORARY_DNS_RETRIES times within that window.
 */
type RetryClass = 'normal' | 'never' | 'unreachable' | 'dns-temporary';

/** A failed attempt; `safe` when the server surely did not act on it, so even a create can be retried. */
interface Failure {
  readonly error: GenesysApiError;
  readonly retryAfterMs?: number;
  readonly safe: boolean;
  readonly retryClass: RetryClass;
}

/** Errors raised before any byte reached the server: a retried create cannot make a duplicate. */
const NO_CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
  'bad.port',
]);
/** Connection failures that say "nobody listens there" when the host has never answered. */
const REFUSED_CODES = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);

/**
 * `host[:port]` of every server that has answered (any HTTP status) in this process. A refused connection
 * to one of them is an outage worth the usual retries; to any other host it is most likely a wrong URL.
 */
const answeredHosts = new Set<string>();

/**
 * HTTP with timeouts, retries, events and redaction. Retries 429 honouring `Retry-After` (seconds), 5xx but
 * 501, 408 and network errors, with exponential backoff and full jitter (genesys-cloud-api.md §9: GO-SDK
 * `apiclient.go`, TF `provider.go`). A host that does not resolve, or refuses connections without ever having
 * answered in this process, fails fast as `unreachable` (see RetryPolicy.unreachableWindowMs).
 */
export class HttpPipeline {
  readonly policy: RetryPolicy;
  readonly redactor: Redactor;
  readonly clock: Clock;
  private readonly fetchFn: typeof fetch;
  private readonly onEvent?: (event: HttpEvent) => void;

  constructor(options: HttpOptions) {
    this.policy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    this.fetchFn = options.fetch ?? globalThis.fetch;
    this.clock = options.clock;
    this.onEvent = options.onEvent;
    this.redactor = options.redactor;
  }

  /**
   * Sends a request with timeouts and retries; resolves with any 2xx, rejects with a GenesysApiError.
   * Redirects are never followed (a 3xx is an error), so credentials reach no other host.
   */
  async send(request: HttpRequest): Promise<HttpResponse> {
    const url = buildUrl(request);
    const path = request.path.split('?')[0] as string;
    const started = this.clock.now();
    for (let attempt = 1; ; attempt++) {
      const attemptStarted = this.clock.now();
      let outcome: Failure;
      try {
        const response = await this.fetchFn(url, {
          method: request.method,
          headers: request.headers,
          body: request.body,
          redirect: 'manual',
          signal: AbortSignal.timeout(this.policy.attemptTimeoutMs),
        });
        answeredHosts.add(url.host);
        const text = await response.text();
        this.emit({
          type: 'call',
          method: request.method,
          path,
          status: response.status,
          attempt,
          durationMs: this.clock.now() - attemptStarted,
        });
        if (response.ok) return { status: response.status, headers: response.headers, text };
        outcome = this.failure(request.method, path, response, text, attempt);
      } catch (cause) {
        this.emit({
          type: 'call',
          method: request.method,
          path,
          status: 0,
          attempt,
          durationMs: this.clock.now() - attemptStarted,
        });
        outcome = this.networkFailure(request.method, path, url, cause, attempt);
      }

      const delayMs = this.retryDelay(request, outcome, attempt, started);
      if (delayMs === undefined) throw outcome.error;
      this.emit({
        type: 'retry',
        method: request.method,
        path,
        status: outcome.error.status,
        kind: outcome.error.kind,
        attempt,
        delayMs,
      });
      await this.clock.sleep(delayMs);
    }
  }

  /** The wait before the next attempt, or undefined when the call must fail now. */
  private retryDelay(request: HttpRequest, outcome: Failure, attempt: number, started: number) {
    const { error, retryClass } = outcome;
    const retryable =
      retryClass !== 'never' &&
      (error.retryable || retryClass === 'unreachable') &&
      (request.idempotent || outcome.safe);
    if (!retryable || attempt >= this.policy.maxAttempts) return undefined;
    if (retryClass === 'dns-temporary' && attempt > TEMPORARY_DNS_RETRIES) return undefined;
    let delayMs: number;
    if (outcome.retryAfterMs !== undefined) {
      if (outcome.retryAfterMs > this.policy.maxRetryAfterMs) return undefined;
      delayMs = outcome.retryAfterMs;
    } else {
      delayMs = backoffDelay(attempt, { ...this.policy, jitter: 'full' }, this.clock.random);
    }
    const budget = retryClass === 'normal' ? this.policy.totalBudgetMs : this.policy.unreachableWindowMs;
    if (this.clock.now() - started + delayMs > budget) return undefined;
    return delayMs;
  }

  private failure(method: string, path: string, response: Response, text: string, attempt: number): Failure {
    const { status, headers } = response;
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
    // Some endpoints answer a stale config version with 400 "... does not match the current version"
    // (TF `util/util_retries.go` IsVersionMismatch).
    if (status === 400 && /does not match the current version/i.test(body.message ?? '')) kind = 'conflict';
    // A wrong id, secret or region: `invalid_client`, whether the token endpoint says 400 or 401
    // (genesys-cloud-api.md §14: the status is UNVERIFIED, the body is confirmed).
    if (body.code === 'invalid_client') kind = 'authentication';
    const error = new GenesysApiError({
      kind,
      status,
      method,
      path,
      code: body.code,
      genesysMessage: this.redactor.redact(body.message),
      details: body.details?.map((detail) => this.redactDetail(detail)),
      contextId: body.contextId ?? headers.get('inin-correlation-id') ?? undefined,
      attempts: attempt,
      hint: hintFor(status, body.code, headers.get('location')),
    });
    const retryAfterMs =
      kind === 'rate-limited' ? parseRetryAfter(headers.get('retry-after'), this.clock.now()) : undefined;
    return { error, retryAfterMs, safe: kind === 'rate-limited' || status === 503, retryClass: 'normal' };
  }

  private redactDetail(detail: ErrorDetail): ErrorDetail {
    return Object.fromEntries(
      Object.entries(detail).map(([key, value]) => [key, this.redactor.redact(value)]),
    ) as ErrorDetail;
  }

  private networkFailure(method: string, path: string, url: URL, cause: unknown, attempt: number): Failure {
    const name = (cause as { name?: unknown } | undefined)?.name;
    const timedOut = name === 'TimeoutError' || name === 'AbortError';
    const code = timedOut ? 'client.timeout' : (networkErrorCode(cause) ?? 'network.error');
    const answered = answeredHosts.has(url.host);
    let kind: GenesysErrorKind = 'transient';
    let retryClass: RetryClass = 'normal';
    if (code === 'ENOTFOUND' || code === 'bad.port') {
      kind = 'unreachable';
      retryClass = 'never';
    } else if (code === 'EAI_AGAIN') {
      retryClass = 'dns-temporary';
    } else if (REFUSED_CODES.has(code) && !answered) {
      kind = 'unreachable';
      retryClass = 'unreachable';
    }
    const error = new GenesysApiError({
      kind,
      status: 0,
      method,
      path,
      code,
      genesysMessage: describeNetworkFailure(code, url.host, this.policy.attemptTimeoutMs),
      host: url.host,
      attempts: attempt,
      hint:
        kind === 'unreachable'
          ? 'Check the region, apiUrl and loginUrl (and the network route to that host)'
          : undefined,
    });
    return { error, safe: NO_CONNECTION_CODES.has(code), retryClass };
  }

  private emit(event: HttpEvent): void {
    this.onEvent?.(event);
  }
}

function hintFor(status: number, code: string | undefined, location: string | null): string | undefined {
  if (code === 'invalid_client') return 'Check the client id, client secret and region';
  if (status >= 300 && status < 400) {
    const target = location ? ` to ${safeHost(location)}` : '';
    return `The server redirected${target}; redirects are not followed, so check apiUrl and loginUrl`;
  }
  return undefined;
}

/** The host of a redirect target, never its path or query (they may carry anything). */
function safeHost(location: string): string {
  try {
    return new URL(location).host;
  } catch {
    return 'a relative location';
  }
}

function describeNetworkFailure(code: string, host: string, timeoutMs: number): string {
  switch (code) {
    case 'client.timeout':
      return `no response from ${host} within ${timeoutMs} ms`;
    case 'ENOTFOUND':
      return `could not resolve ${host} (ENOTFOUND): no such host`;
    case 'EAI_AGAIN':
      return `could not resolve ${host} (EAI_AGAIN): DNS lookup failed for now`;
    case 'bad.port':
      return `could not connect to ${host} (bad port): fetch never connects to this port`;
    case 'ECONNRESET':
      return `the connection to ${host} was reset (ECONNRESET)`;
    default:
      return `could not connect to ${host} (${code})`;
  }
}

function buildUrl(request: HttpRequest): URL {
  const url = new URL(request.baseUrl + request.path);
  for (const [key, value] of Object.entries(request.query ?? {})) {
    if (value !== undefined) url.searchParams.set(key, String(value));
  }
  return url;
}

/**
 * The system error code behind a failed fetch (`ECONNREFUSED`, `ENOTFOUND`, …), looking through the
 * AggregateError of a dual-stack connect; `bad.port` when fetch refused the port itself (the Fetch
 * standard's blocked ports, e.g. 1).
 */
function networkErrorCode(cause: unknown): string | undefined {
  // Duck-typed: errors from fetch may come from another realm, where `instanceof Error` fails.
  const inner = (cause as { cause?: { code?: unknown; message?: unknown; errors?: unknown } } | undefined)
    ?.cause;
  if (typeof inner?.code === 'string') return inner.code;
  if (inner?.message === 'bad port') return 'bad.port';
  if (Array.isArray(inner?.errors)) {
    const first = (inner.errors as Array<{ code?: unknown }>).find((e) => typeof e?.code === 'string');
    if (first) return first.code as string;
  }
  return undefined;
}

/**
 * Reads a Genesys ErrorBody (`message`, else `messageWithParams` filled from `messageParams`; `code`,
 * `contextId`, `details[]`) or an OAuth error body (`error`, `error_description`/`description`); any other
 * text yields nothing (it is never echoed). SRC: SDK d.ts `ErrorBody`, GO-SDK `AuthErrorResponse`.
 */
export function parseErrorBody(text: string): {
  code?: string;
  message?: string;
  contextId?: string;
  details?: ErrorDetail[];
} {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return {};
  }
  if (typeof parsed !== 'object' || parsed === null) return {};
  const body = parsed as ErrorBody & OAuthErrorBody;
  const str = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);
  const withParams = str(body.messageWithParams);
  const details = Array.isArray(body.details) ? body.details.flatMap(toDetail) : [];
  return {
    code: str(body.code) ?? str(body.error),
    message:
      str(body.message) ??
      (withParams && fillMessageParams(withParams, stringParams(body.messageParams))) ??
      str(body.error_description) ??
      str(body.description),
    contextId: str(body.contextId),
    ...(details.length > 0 ? { details } : {}),
  };
}

/** The string fields of one `details[]` entry; nothing when it has none. */
function toDetail(raw: unknown): ErrorDetail[] {
  if (typeof raw !== 'object' || raw === null) return [];
  const detail: ErrorDetail = {};
  for (const key of ['fieldName', 'errorCode', 'entityId', 'entityName'] as const) {
    const value = (raw as Record<string, unknown>)[key];
    if (typeof value === 'string' && value !== '') detail[key] = value;
  }
  return Object.keys(detail).length > 0 ? [detail] : [];
}

/** `Retry-After` is seconds here (Genesys), but an HTTP date is accepted too. */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
