/**
 * Genesys Cloud regions: AWS-style key -> domain. Data, not logic: Genesys keeps adding regions.
 * Source: platform-client-sdk-javascript PureCloudRegionHosts.js (v259), platform-client-sdk-go configuration.go.
 */
export const GENESYS_REGIONS: Readonly<Record<string, string>> = Object.freeze({
  'us-east-1': 'mypurecloud.com',
  'us-east-2': 'use2.us-gov-pure.cloud',
  'us-west-2': 'usw2.pure.cloud',
  'ca-central-1': 'cac1.pure.cloud',
  'sa-east-1': 'sae1.pure.cloud',
  'mx-central-1': 'mxc1.pure.cloud',
  'eu-west-1': 'mypurecloud.ie',
  'eu-west-2': 'euw2.pure.cloud',
  'eu-central-1': 'mypurecloud.de',
  'eu-central-2': 'euc2.pure.cloud',
  'eusc-de-east-1': 'edee1.eusc-pure.cloud',
  'me-central-1': 'mec1.pure.cloud',
  'ap-south-1': 'aps1.pure.cloud',
  'ap-southeast-1': 'apse1.pure.cloud',
  'ap-southeast-2': 'mypurecloud.com.au',
  'ap-northeast-1': 'mypurecloud.jp',
  'ap-northeast-2': 'apne2.pure.cloud',
  'ap-northeast-3': 'apne3.pure.cloud',
});

export interface GenesysEndpoints {
  /** The region key (`eu-west-1`), or `custom` when the region is not in the table and URLs were given. */
  readonly region: string;
  /** Base URL of the Platform API, without a trailing slash, e.g. `https://api.mypurecloud.ie`. */
  readonly apiUrl: string;
  /** Base URL of the login (OAuth) service, e.g. `https://login.mypurecloud.ie`. */
  readonly loginUrl: string;
}

export interface EndpointOptions {
  /** AWS-style region key (`eu-west-1`) or Genesys domain (`mypurecloud.ie`). */
  readonly region?: string;
  /** Overrides the API base URL (sandboxes, proxies, the simulator). */
  readonly apiUrl?: string;
  /** Overrides the login base URL. Defaults to `apiUrl` with `api.` swapped for `login.` when only apiUrl is set. */
  readonly loginUrl?: string;
  /**
   * Hosts besides Genesys Cloud's own that apiUrl/loginUrl may point at (the simulator, sandboxes, proxies).
   * Each entry is `host` (any port), `host:port`, `*.domain` (any subdomain of domain, not domain itself) or
   * `*.domain:port`; IPv6 as `[::1]` or `[::1]:8080`. Plain http is allowed only for these hosts.
   * Without an entry, apiUrl must be `https://api.<domain>` and loginUrl `https://login.<domain>` for a
   * domain of the region table: the Basic credentials never go anywhere else.
   * @default none
   */
  readonly allowedHosts?: readonly string[];
}

export class UnknownRegionError extends Error {
  override readonly name = 'UnknownRegionError';
}

/**
 * apiUrl, loginUrl or an allowedHosts entry breaks the endpoint policy (see `EndpointOptions.allowedHosts`).
 * `field` names the option, `host` the offending host when there is one.
 */
export class EndpointPolicyError extends Error {
  override readonly name = 'EndpointPolicyError';
  constructor(
    readonly field: 'apiUrl' | 'loginUrl' | 'allowedHosts',
    message: string,
    readonly host?: string,
  ) {
    super(message);
  }
}

const DOMAIN_TO_REGION = new Map(Object.entries(GENESYS_REGIONS).map(([key, domain]) => [domain, key]));

/** True for a region key or domain of the table (any case, surrounding spaces ignored). */
export function isKnownRegion(region: string): boolean {
  const normalized = region.trim().toLowerCase();
  return normalized in GENESYS_REGIONS || DOMAIN_TO_REGION.has(normalized);
}

/** The region keys of the table, e.g. `['us-east-1', …]`. */
export function listRegions(): string[] {
  return Object.keys(GENESYS_REGIONS);
}

interface HostRule {
  /** Lower-case hostname (IPv6 in brackets), or the domain of a `*.` entry. */
  readonly host: string;
  readonly wildcard: boolean;
  /** Undefined: any port. */
  readonly port?: number;
}

const ENTRY_SHAPE = /^(\*\.)?(\[[0-9a-fA-F:.]+\]|[^\s:/?#@[\]*]+)(?::(\d{1,5}))?$/;

function parseHostRule(entry: string, index: number): HostRule {
  const invalid = (problem: string) =>
    new EndpointPolicyError(
      'allowedHosts',
      `allowedHosts[${index}] ${JSON.stringify(entry)} ${problem}; use host, host:port or *.domain`,
    );
  const match = ENTRY_SHAPE.exec(entry.trim());
  if (!match) throw invalid('is not a host');
  const [, wildcard, rawHost = '', rawPort] = match;
  let host: string;
  try {
    host = new URL(`http://${rawHost}`).hostname;
  } catch {
    throw invalid('is not a valid host name');
  }
  const port = rawPort === undefined ? undefined : Number(rawPort);
  if (port !== undefined && (port < 1 || port > 65_535)) throw invalid('has a port outside 1-65535');
  return { host, wildcard: wildcard !== undefined, port };
}

function effectivePort(url: URL): number {
  if (url.port !== '') return Number(url.port);
  return url.protocol === 'https:' ? 443 : 80;
}

function isAllowListed(url: URL, rules: readonly HostRule[]): boolean {
  return rules.some(
    (rule) =>
      (rule.wildcard ? url.hostname.endsWith(`.${rule.host}`) : url.hostname === rule.host) &&
      (rule.port === undefined || rule.port === effectivePort(url)),
  );
}

/** `api.<domain>` / `login.<domain>` for a domain of the region table (genesys-cloud-api.md §1, §8). */
function isGenesysHost(field: 'apiUrl' | 'loginUrl', hostname: string): boolean {
  const prefix = field === 'apiUrl' ? 'api.' : 'login.';
  return hostname.startsWith(prefix) && DOMAIN_TO_REGION.has(hostname.slice(prefix.length));
}

/** Parses a base URL and applies the endpoint policy; returns it without a trailing slash. */
function checkedBaseUrl(field: 'apiUrl' | 'loginUrl', value: string, rules: readonly HostRule[]): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new EndpointPolicyError(field, `${field} is not a valid URL: ${JSON.stringify(value)}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new EndpointPolicyError(field, `${field} must use https, got ${url.protocol}`, url.host);
  }
  if (url.username !== '' || url.password !== '') {
    throw new EndpointPolicyError(field, `${field} must not carry a user name or password`, url.host);
  }
  if (url.search !== '' || url.hash !== '') {
    throw new EndpointPolicyError(field, `${field} must not have a query or fragment`, url.host);
  }
  const listed = isAllowListed(url, rules);
  if (!listed && !isGenesysHost(field, url.hostname)) {
    const expected = field === 'apiUrl' ? 'api.<region domain>' : 'login.<region domain>';
    throw new EndpointPolicyError(
      field,
      `${field} host ${url.host} is not a Genesys Cloud host (${expected}, e.g. ${field === 'apiUrl' ? 'api' : 'login'}.mypurecloud.ie); to use it anyway, add "${url.host}" to allowedHosts`,
      url.host,
    );
  }
  if (url.protocol === 'http:' && !listed) {
    throw new EndpointPolicyError(
      field,
      `${field} must use https (got http://${url.host}); plain http is allowed only for hosts in allowedHosts`,
      url.host,
    );
  }
  return url.toString().replace(/\/+$/, '');
}

/**
 * Resolves a region (key or domain) and optional URL overrides into API and login base URLs, applying the
 * endpoint policy of `EndpointOptions.allowedHosts`. A region the table does not know is accepted when
 * apiUrl is given (the region is then `custom`).
 * Throws UnknownRegionError (unknown region without apiUrl, or neither given) and EndpointPolicyError
 * (malformed URL, not https, a host outside Genesys Cloud and the allow-list, a malformed allow-list entry).
 */
export function resolveEndpoints(options: EndpointOptions): GenesysEndpoints {
  const rules = (options.allowedHosts ?? []).map(parseHostRule);
  const apiOverride = options.apiUrl ? checkedBaseUrl('apiUrl', options.apiUrl, rules) : undefined;

  let region = 'custom';
  let domain: string | undefined;
  if (options.region !== undefined && options.region.trim() !== '') {
    const normalized = options.region.trim().toLowerCase();
    if (normalized in GENESYS_REGIONS) {
      region = normalized;
      domain = GENESYS_REGIONS[normalized];
    } else if (DOMAIN_TO_REGION.has(normalized)) {
      region = DOMAIN_TO_REGION.get(normalized) as string;
      domain = normalized;
    } else if (!apiOverride) {
      throw new UnknownRegionError(
        `Unknown Genesys Cloud region ${JSON.stringify(options.region)}; valid regions: ${listRegions().join(', ')} (or their domains, e.g. mypurecloud.ie); for another region give apiUrl and loginUrl`,
      );
    }
  }

  const apiUrl = apiOverride ?? (domain ? `https://api.${domain}` : undefined);
  if (!apiUrl) {
    throw new UnknownRegionError(
      `A region or an apiUrl is required; valid regions: ${listRegions().join(', ')}`,
    );
  }
  // Both SDKs derive the login host from the API host by swapping `api.` for `login.` (genesys-cloud-api.md §1).
  const loginUrl = checkedBaseUrl(
    'loginUrl',
    options.loginUrl ||
      (domain && !apiOverride ? `https://login.${domain}` : apiUrl.replace('://api.', '://login.')),
    rules,
  );
  return { region, apiUrl, loginUrl };
}
