import type { ErrorDetail } from './models';

/**
 * What kind of failure a Genesys call ended with; later steps map each kind to a Step Functions error name.
 * `unreachable`: the host does not exist (DNS) or refuses connections and has never answered in this
 * process, so the URL or region is most likely wrong; not worth retrying.
 */
export type GenesysErrorKind =
  | 'rate-limited'
  | 'transient'
  | 'unreachable'
  | 'authentication'
  | 'permission'
  | 'not-found'
  | 'conflict'
  | 'bad-request';

/** Step Functions error names, one per kind: the state machine retries or catches on these. */
export const STEP_ERROR_NAMES: Readonly<Record<GenesysErrorKind, string>> = Object.freeze({
  'rate-limited': 'Genesys.RateLimited',
  transient: 'Genesys.Transient',
  unreachable: 'Genesys.Unreachable',
  authentication: 'Genesys.Authentication',
  permission: 'Genesys.Permission',
  'not-found': 'Genesys.NotFound',
  conflict: 'Genesys.Conflict',
  'bad-request': 'Genesys.BadRequest',
});

export interface GenesysErrorDetails {
  readonly kind: GenesysErrorKind;
  /**
   * HTTP status; 0 when no response arrived (network error, timeout, a request refused before sending);
   * 200 for a successful answer the client refuses (an incomplete listing, a delete not confirmed).
   */
  readonly status: number;
  readonly method: string;
  /** Path without query string, e.g. `/api/v2/oauth/clients`. */
  readonly path: string;
  /** Genesys error `code` (`missing.any.permissions`) or OAuth `error` (`invalid_client`). */
  readonly code?: string;
  /** Genesys `message` (else `messageWithParams` with its params filled in) or OAuth `error_description`. */
  readonly genesysMessage?: string;
  /** Genesys `details[]`: which field was wrong and why (`{fieldName, errorCode, entityId, entityName}`). */
  readonly details?: readonly ErrorDetail[];
  /** `host[:port]` the request went to; set on network errors, where it is the whole story. */
  readonly host?: string;
  /** Genesys correlation id (`contextId` in the body, `ININ-Correlation-Id` header). */
  readonly contextId?: string;
  /** How many attempts were made before giving up. */
  readonly attempts?: number;
  /** What the operator can do about it, appended to the message. */
  readonly hint?: string;
}

/**
 * The one error type of the Genesys client. It never carries a request body, a header value or a secret:
 * only the method, the path, the status, the host of a network failure and what Genesys said (redacted).
 * `name` is the Step Functions error name of its kind (STEP_ERROR_NAMES).
 */
export class GenesysApiError extends Error {
  readonly kind: GenesysErrorKind;
  readonly status: number;
  readonly method: string;
  readonly path: string;
  readonly code?: string;
  readonly genesysMessage?: string;
  readonly details?: readonly ErrorDetail[];
  readonly host?: string;
  readonly contextId?: string;
  readonly attempts?: number;

  constructor(details: GenesysErrorDetails) {
    super(describe(details));
    this.name = STEP_ERROR_NAMES[details.kind];
    this.kind = details.kind;
    this.status = details.status;
    this.method = details.method;
    this.path = details.path;
    this.code = details.code;
    this.genesysMessage = details.genesysMessage;
    this.details = details.details;
    this.host = details.host;
    this.contextId = details.contextId;
    this.attempts = details.attempts;
  }

  /** True when retrying the same call later may succeed. */
  get retryable(): boolean {
    return this.kind === 'rate-limited' || this.kind === 'transient';
  }

  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      kind: this.kind,
      status: this.status,
      method: this.method,
      path: this.path,
      code: this.code,
      message: this.message,
      details: this.details,
      host: this.host,
      contextId: this.contextId,
    };
  }
}

function describe(details: GenesysErrorDetails): string {
  const status = details.status === 0 ? 'no response' : `HTTP ${details.status}`;
  const parts = [`Genesys ${details.method} ${details.path} failed (${status}`];
  if (details.code) parts.push(` ${details.code}`);
  parts.push(')');
  if (details.genesysMessage) parts.push(`: ${details.genesysMessage}`);
  if (details.details?.length) parts.push(` [details: ${details.details.map(describeDetail).join('; ')}]`);
  if (details.contextId) parts.push(` [contextId ${details.contextId}]`);
  if (details.attempts && details.attempts > 1) parts.push(` after ${details.attempts} attempts`);
  if (details.hint) parts.push(`. ${details.hint}`);
  return parts.join('');
}

function describeDetail(detail: ErrorDetail): string {
  const entity = detail.entityName ?? detail.entityId;
  return [detail.fieldName, detail.errorCode, entity && `(entity ${entity})`].filter(Boolean).join(' ');
}

/**
 * The kind of an HTTP error status. 410 Gone counts as not found: TF's `IsStatus404` treats 404 and 410 alike
 * (`genesyscloud/util/util_retries.go`).
 */
export function kindForStatus(status: number): GenesysErrorKind {
  if (status === 429) return 'rate-limited';
  if (status === 401) return 'authentication';
  if (status === 403) return 'permission';
  if (status === 404 || status === 410) return 'not-found';
  if (status === 409) return 'conflict';
  if (status === 408 || status >= 500) return 'transient';
  return 'bad-request';
}

/** True for a GenesysApiError, and when `kind` is given, one of that kind. */
export function isGenesysError(error: unknown, kind?: GenesysErrorKind): error is GenesysApiError {
  return error instanceof GenesysApiError && (kind === undefined || error.kind === kind);
}
