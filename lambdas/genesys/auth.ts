import { createHash } from 'node:crypto';
import { GenesysApiError } from './errors';
import type { HttpPipeline } from './http';
import type { TokenResponse } from './models';

export interface ClientCredentials {
  readonly clientId: string;
  readonly clientSecret: string;
}

export interface CachedToken {
  readonly accessToken: string;
  /** Refresh from this moment on: a margin before `expires_in` runs out. */
  readonly refreshAt: number;
}

const TOKEN_PATH = '/oauth/token';
const MAX_REFRESH_MARGIN_MS = 60_000;

/**
 * Access tokens by (login URL, client id, secret fingerprint), with the requests in flight, so that repeated
 * calls reuse one token (each token has its own rate limit, and minting many trips the OAuth rate limit).
 * In Lambda one cache lives as long as the container; a benchmark gives each simulated container its own.
 */
export class TokenCache {
  private readonly tokens = new Map<string, CachedToken>();
  private readonly inFlight = new Map<string, Promise<CachedToken>>();

  /** The cached token under `key` while `now` (ms since the epoch) is before its refresh time. */
  fresh(key: string, now: number): string | undefined {
    const cached = this.tokens.get(key);
    return cached && now < cached.refreshAt ? cached.accessToken : undefined;
  }

  /** The token under `key` from `request`, or from the request already in flight for it (one at a time). */
  async request(key: string, request: () => Promise<CachedToken>): Promise<string> {
    let pending = this.inFlight.get(key);
    if (!pending) {
      pending = request()
        .then((token) => {
          this.tokens.set(key, token);
          return token;
        })
        .finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, pending);
    }
    return (await pending).accessToken;
  }

  /** Drops the token under `key` if it is still `token`. */
  invalidate(key: string, token: string): void {
    if (this.tokens.get(key)?.accessToken === token) this.tokens.delete(key);
  }

  clear(): void {
    this.tokens.clear();
    this.inFlight.clear();
  }
}

/** The cache of this process: every client uses it unless given its own (`GenesysClientOptions.tokenCache`). */
export const PROCESS_TOKEN_CACHE = new TokenCache();

/** Forgets every token cached by this process (tests, benchmarks). */
export function clearTokenCache(): void {
  PROCESS_TOKEN_CACHE.clear();
}

/**
 * The client-credentials grant: POST login/oauth/token with Basic auth and `grant_type=client_credentials`
 * (genesys-cloud-api.md §1). A wrong id, secret or region fails as an `authentication` error, never retried.
 */
export class ClientCredentialsTokenProvider {
  private readonly cacheKey: string;

  constructor(
    private readonly loginUrl: string,
    private readonly credentials: ClientCredentials,
    private readonly http: HttpPipeline,
    private readonly cache: TokenCache = PROCESS_TOKEN_CACHE,
  ) {
    // The secret's fingerprint is part of the key so that a wrong secret never gets a cached token.
    const fingerprint = createHash('sha256').update(credentials.clientSecret).digest('hex').slice(0, 16);
    this.cacheKey = `${loginUrl}\u0000${credentials.clientId}\u0000${fingerprint}`;
    http.redactor.add(credentials.clientSecret);
  }

  /** A valid access token: the cached one until its refresh time, else a new one (one request at a time). */
  async getToken(): Promise<string> {
    return (
      this.cache.fresh(this.cacheKey, this.http.clock.now()) ??
      this.cache.request(this.cacheKey, () => this.requestToken())
    );
  }

  /**
   * Requests a new token whatever is cached: proves that these credentials authenticate now (a cached token
   * says nothing of a secret regenerated since it was issued). The cached token is left as it is. Throws
   * the token request's GenesysApiError (`authentication` for a wrong id or secret).
   */
  async verifyCredentials(): Promise<void> {
    await this.requestToken();
  }

  /** Drops the cached token if it is still `token`, e.g. after the API answered 401 to it. */
  invalidate(token: string): void {
    this.cache.invalidate(this.cacheKey, token);
  }

  private async requestToken(): Promise<CachedToken> {
    const basic = Buffer.from(`${this.credentials.clientId}:${this.credentials.clientSecret}`).toString(
      'base64',
    );
    const response = await this.http.send({
      method: 'POST',
      baseUrl: this.loginUrl,
      path: TOKEN_PATH,
      headers: {
        Authorization: `Basic ${basic}`,
        'Content-Type': 'application/x-www-form-urlencoded',
        Accept: 'application/json',
      },
      body: 'grant_type=client_credentials',
      idempotent: true,
    });
    let parsed: Partial<TokenResponse>;
    try {
      parsed = JSON.parse(response.text) as Partial<TokenResponse>;
    } catch {
      parsed = {};
    }
    if (typeof parsed.access_token !== 'string' || parsed.access_token === '') {
      throw new GenesysApiError({
        kind: 'transient',
        status: response.status,
        method: 'POST',
        path: TOKEN_PATH,
        code: 'invalid.token.response',
        genesysMessage: 'the token response has no access_token',
      });
    }
    this.http.redactor.add(parsed.access_token);
    const lifetimeMs = (typeof parsed.expires_in === 'number' ? parsed.expires_in : 86_400) * 1000;
    const issuedAt = this.http.clock.now();
    const margin = Math.min(MAX_REFRESH_MARGIN_MS, lifetimeMs * 0.1);
    return { accessToken: parsed.access_token, refreshAt: issuedAt + lifetimeMs - margin };
  }
}
