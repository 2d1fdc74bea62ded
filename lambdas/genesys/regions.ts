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
  /** The region key (`eu-west-1`), or `custom` when only URL overrides were given. */
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
}

export class UnknownRegionError extends Error {
  override readonly name = 'UnknownRegionError';
}

const DOMAIN_TO_REGION = new Map(Object.entries(GENESYS_REGIONS).map(([key, domain]) => [domain, key]));

export function isKnownRegion(region: string): boolean {
  const normalized = region.trim().toLowerCase();
  return normalized in GENESYS_REGIONS || DOMAIN_TO_REGION.has(normalized);
}

export function listRegions(): string[] {
  return Object.keys(GENESYS_REGIONS);
}

function normalizeBaseUrl(field: string, value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UnknownRegionError(`${field} is not a valid URL: ${JSON.stringify(value)}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new UnknownRegionError(`${field} must use http or https, got ${url.protocol}`);
  }
  return url.toString().replace(/\/+$/, '');
}

/** Resolves a region (key or domain) and optional URL overrides into API and login base URLs. */
export function resolveEndpoints(options: EndpointOptions): GenesysEndpoints {
  const apiOverride = options.apiUrl ? normalizeBaseUrl('apiUrl', options.apiUrl) : undefined;
  const loginOverride = options.loginUrl ? normalizeBaseUrl('loginUrl', options.loginUrl) : undefined;

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
        `Unknown Genesys Cloud region ${JSON.stringify(options.region)}; valid regions: ${listRegions().join(', ')} (or their domains, e.g. mypurecloud.ie)`,
      );
    }
  }

  const apiUrl = apiOverride ?? (domain ? `https://api.${domain}` : undefined);
  if (!apiUrl) {
    throw new UnknownRegionError(
      `A region or an apiUrl is required; valid regions: ${listRegions().join(', ')}`,
    );
  }
  const loginUrl =
    loginOverride ??
    (domain && !apiOverride ? `https://login.${domain}` : apiUrl.replace('://api.', '://login.'));
  return { region, apiUrl, loginUrl };
}
