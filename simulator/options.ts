import type { RandomFaults } from './faults';

/**
 * How `GET /api/v2/oauth/clients` pages. Whether the real endpoint pages at all is UNVERIFIED
 * (genesys-cloud-api.md §3 and §14: the SDK sends no paging parameters, yet the listing has `pageCount`), so
 * every plausible variant is available:
 * - `next-uri`: numbered pages (`pageSize` default 25) with `nextUri`/`previousUri`/`firstUri`/`lastUri`;
 *   `pageNumber`/`pageSize` honoured.
 * - `page-count`: the same pages, but only `pageCount` (and `selfUri`) tell that more exist: no `nextUri`.
 * - `first-page-only`: pages, but the query parameters are ignored (as an endpoint without paging parameters
 *   would): every request gets page 1 and its `pageCount`; the rest is reachable only by id.
 * - `single-page`: no paging: every client in one page, `pageCount` 1; query parameters ignored.
 */
export type OAuthClientPaging = 'next-uri' | 'page-count' | 'first-page-only' | 'single-page';

export const OAUTH_CLIENT_PAGING_MODES: readonly OAuthClientPaging[] = [
  'next-uri',
  'page-count',
  'first-page-only',
  'single-page',
];

/** Makes integration activations end in ERROR with this message (`reportedState.detail.message`). */
export interface ActivationErrorKnob {
  readonly message: string;
  /** Only the integration with this name (as it is when enabled) fails. @default every integration */
  readonly integrationName?: string;
  /** @default `INTEGRATION_ACTIVATION_FAILED` (the real codes are UNVERIFIED) */
  readonly localizableMessageCode?: string;
}

export interface SimulatorOptions {
  /** @default 127.0.0.1 */
  readonly host?: string;
  /** @default 0 (an ephemeral port) */
  readonly port?: number;
  /** Added to every response. @default 0 */
  readonly latencyMs?: number;
  /** Requests one token may make per window before 429 + Retry-After. @default no limit */
  readonly rateLimit?: { readonly requests: number; readonly windowMs: number };
  /** Token requests per window per client before `400 invalid_request "rate limit exceeded"`. @default no limit */
  readonly tokenRateLimit?: { readonly requests: number; readonly windowMs: number };
  /** Time before a new client's credentials work at the token endpoint. @default 0 */
  readonly newClientDelayMs?: number;
  /** Time an enabled integration reports ACTIVATING. @default 50 */
  readonly activationDelayMs?: number;
  /** Overrides every token's lifetime (seconds), to test refresh. */
  readonly tokenLifetimeSeconds?: number;
  readonly randomFaults?: RandomFaults;
  /** Largest request body, as the Platform API's `request.bytes.max`. @default 512000 */
  readonly maxBodyBytes?: number;
  /** How `GET /api/v2/oauth/clients` pages (UNVERIFIED, see {@link OAuthClientPaging}). @default 'next-uri' */
  readonly oauthClientPaging?: OAuthClientPaging;
  /** Page size of the OAuth client listing when the request gives none. @default 25 */
  readonly oauthClientPageSize?: number;
  /**
   * Time a new OAuth client is missing from `GET /api/v2/oauth/clients` ("not yet indexed by search", TF's
   * oauth_client data source retries for it). Reads by id are not affected. @default 2000
   */
  readonly oauthClientListingLagMs?: number;
  /**
   * Time a new integration is missing from `GET /api/v2/integrations`. Whether that listing lags at all is
   * UNVERIFIED (the steps allow `integrationListingLagMs`, 15 s); reads by id are not affected. @default 0
   */
  readonly integrationListingLagMs?: number;
  /**
   * Time after a create during which reads and writes by id of the new OAuth client, integration (and its
   * config) or credential answer 404 (TF wraps reads after a create in retries on 404). @default 1000
   */
  readonly readAfterCreateNotFoundMs?: number;
  /**
   * Time a deleted OAuth client stays listed and readable with `state: "deleted"` before it is gone (404).
   * TF polls up to 30 s for 404 or `deleted`. @default 30000
   */
  readonly deletedClientLingerMs?: number;
  /** Makes activations end in ERROR with a given message. @default none: activation fails only on a bad credential */
  readonly activationError?: ActivationErrorKnob;
  /**
   * `GET /api/v2/tokens/me` leaves `OAuthClient.roleDivisions` out. Whether it fills them for a
   * client-credentials token is UNVERIFIED (genesys-cloud-api.md §14): a variant a client must handle.
   * @default false (it fills them)
   */
  readonly tokenInfoWithoutRoleDivisions?: boolean;
  /**
   * A config PUT that changes the credentials of an enabled integration starts a new activation (ACTIVATING,
   * then ACTIVE or ERROR), as if the integration took the new credential up at once. Whether Genesys Cloud does
   * this or keeps reporting ACTIVE until the next use is UNVERIFIED: both are variants a client must handle.
   * @default false (the reported state stays as it was)
   */
  readonly credentialChangeReactivates?: boolean;
}

/** The knobs: every option but `randomFaults` (see `setRandomFaults`), changeable while the simulator runs. */
export type SimulatorKnobs = {
  -readonly [K in keyof Omit<SimulatorOptions, 'randomFaults'>]: SimulatorOptions[K];
};

/** The default of each knob that has one; the others are off unless set. */
export const KNOB_DEFAULTS = {
  host: '127.0.0.1',
  port: 0,
  latencyMs: 0,
  newClientDelayMs: 0,
  activationDelayMs: 50,
  maxBodyBytes: 512_000,
  oauthClientPaging: 'next-uri',
  oauthClientPageSize: 25,
  oauthClientListingLagMs: 2_000,
  integrationListingLagMs: 0,
  readAfterCreateNotFoundMs: 1_000,
  deletedClientLingerMs: 30_000,
} as const satisfies SimulatorKnobs;

type Defaulted = keyof typeof KNOB_DEFAULTS;

/** A knob's current value, its default when unset. */
export type KnobReader = <K extends keyof SimulatorKnobs>(
  name: K,
) => K extends Defaulted ? NonNullable<SimulatorKnobs[K]> : SimulatorKnobs[K];

/** Reads knobs from `knobs()` at each call, so changes made while the simulator runs take effect. */
export function knobReader(knobs: () => SimulatorKnobs): KnobReader {
  return ((name: keyof SimulatorKnobs) =>
    knobs()[name] ?? (KNOB_DEFAULTS as Partial<SimulatorKnobs>)[name]) as KnobReader;
}
