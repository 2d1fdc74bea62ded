/** What kind of failure a Genesys call ended with; later steps map each kind to a Step Functions error name. */
export type GenesysErrorKind =
  | 'rate-limited'
  | 'transient'
  | 'authentication'
  | 'permission'
  | 'not-found'
  | 'conflict'
  | 'bad-request';

/** Step Functions error names, one per kind: the state machine retries or catches on these. */
export const STEP_ERROR_NAMES: Readonly<Record<GenesysErrorKind, string>> = Object.freeze({
  'rate-limited': 'Genesys.RateLimited',
  transient: 'Genesys.Transient',
  authentication: 'Genesys.Authentication',
  permission: 'Genesys.Permission',
  'not-found': 'Genesys.NotFound',
  conflict: 'Genesys.Conflict',
  'bad-request': 'Genesys.BadRequest',
});

export interface GenesysErrorDetails {
  readonly kind: GenesysErrorKind;
  /** HTTP status, or 0 when no response arrived (network error, timeout). */
  readonly status: number;
  readonly method: string;
  /** Path without query string, e.g. `/api/v2/oauth/clients`. */
  readonly path: string;
  /** Genesys error `code` (`missing.any.permissions`) or OAuth `error` (`invalid_client`). */
  readonly code?: string;
  /** Genesys `message` or OAuth `error_description`. */
  readonly genesysMessage?: string;
  /** Genesys correlation id (`contextId` in the body, `ININ-Correlation-Id` header). */
  readonly contextId?: string;
  /** How many attempts were made before giving up. */
  readonly attempts?: number;
  readonly hint?: string;
}

/**
 * The one error type of the Genesys client. It never carries a request body, a header value or a secret:
 * only the method, the path, the status and what Genesys said.
 */
export class GenesysApiError extends Error {
  readonly kind: GenesysErrorKind;
  readonly status: number;
  readonly method: string;
  readonly path: string;
  readonly code?: string;
  readonly genesysMessage?: string;
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
  if (details.contextId) parts.push(` [contextId ${details.contextId}]`);
  if (details.attempts && details.attempts > 1) parts.push(` after ${details.attempts} attempts`);
  if (details.hint) parts.push(`. ${details.hint}`);
  return parts.join('');
}

export function kindForStatus(status: number): GenesysErrorKind {
  if (status === 429) return 'rate-limited';
  if (status === 401) return 'authentication';
  if (status === 403) return 'permission';
  if (status === 404) return 'not-found';
  if (status === 409) return 'conflict';
  if (status === 408 || status >= 500) return 'transient';
  return 'bad-request';
}

export function isGenesysError(error: unknown, kind?: GenesysErrorKind): error is GenesysApiError {
  return error instanceof GenesysApiError && (kind === undefined || error.kind === kind);
}
